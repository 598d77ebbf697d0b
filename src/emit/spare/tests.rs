use std::time::{Duration, SystemTime};

use super::*;
use crate::emit::{
  OutFile,
  record::{files_part, text},
};

fn out(files: &[(&str, &str)]) -> Vec<OutFile<'static>> {
  files.iter().map(|(p, b)| OutFile { path: p.to_string(), bytes: b.as_bytes().to_vec().into() }).collect()
}

/// Writes `files` and their record into `dir`, as a build would.
fn written(dir: &Path, files: &[OutFile]) {
  for f in files {
    let p = dir.join(&f.path);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, &f.bytes).unwrap();
  }
  fs::write(dir.join(MARKER), text(&files_part(files), None)).unwrap();
}

/// Every file under `dir` with its bytes, and every folder.
fn listing(dir: &Path) -> (Vec<(String, String)>, Vec<String>) {
  let (mut files, mut dirs) = (Vec::new(), Vec::new());
  let mut stack = vec![dir.to_path_buf()];
  while let Some(d) = stack.pop() {
    for e in fs::read_dir(&d).unwrap() {
      let p = e.unwrap().path();
      let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
      if p.is_dir() {
        dirs.push(rel);
        stack.push(p);
      } else {
        files.push((rel, fs::read_to_string(&p).unwrap()));
      }
    }
  }
  files.sort();
  dirs.sort();
  (files, dirs)
}

/// `dir` made to hold `files`: [`prune`]d, then the files it did not keep written, as the
/// emit stage's writer does.
fn update_to(dir: &Path, files: &[OutFile]) {
  let kept = prune(dir, &files_part(files)).unwrap();
  for f in files.iter().filter(|f| !kept.contains(&f.path)) {
    let p = dir.join(&f.path);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, &f.bytes).unwrap();
  }
}

fn ino(path: &Path) -> u64 {
  use std::os::unix::fs::MetadataExt;
  fs::metadata(path).unwrap().ino()
}

#[test]
#[cfg(unix)]
fn a_spare_becomes_the_new_output_by_what_differs() {
  let tmp = tempfile::tempdir().unwrap();
  let dir = tmp.path().join("spare");
  written(&dir, &out(&[("a.js", "same"), ("b.js", "old"), ("gone/c.js", "c"), ("d.js", "dd")]));
  // Edited after its record (same length), and a file the record does not know.
  let later = SystemTime::now() + Duration::from_secs(5);
  fs::write(dir.join("d.js"), "xx").unwrap();
  fs::File::options().write(true).open(dir.join("d.js")).unwrap().set_modified(later).unwrap();
  fs::write(dir.join("stray.js"), "?").unwrap();
  let kept = ino(&dir.join("a.js"));

  let new = out(&[("a.js", "same"), ("b.js", "new!"), ("d.js", "dd"), ("new/e.js", "e")]);
  update_to(&dir, &new);
  let expected: Vec<(String, String)> =
    new.iter().map(|f| (f.path.clone(), String::from_utf8_lossy(&f.bytes).into())).collect();
  // The record is the caller's to write: not there, and no folder left empty.
  assert_eq!(listing(&dir), (expected, vec!["new".to_string()]));
  assert_eq!(ino(&dir.join("a.js")), kept, "a file with the wanted bytes is kept, not rewritten");
}

#[test]
#[cfg(unix)]
fn a_file_shared_with_the_output_in_place_is_never_written_through() {
  let tmp = tempfile::tempdir().unwrap();
  let (live, dir) = (tmp.path().join("out"), tmp.path().join("spare"));
  let files = out(&[("a.js", "live")]);
  written(&live, &files);
  fs::create_dir_all(&dir).unwrap();
  fs::hard_link(live.join("a.js"), dir.join("a.js")).unwrap();
  fs::copy(live.join(MARKER), dir.join(MARKER)).unwrap();
  let new = out(&[("a.js", "next")]);
  update_to(&dir, &new);
  assert_eq!(fs::read_to_string(dir.join("a.js")).unwrap(), "next");
  assert_eq!(fs::read_to_string(live.join("a.js")).unwrap(), "live");
}

#[test]
fn a_replaced_output_is_kept_once_and_claimed_once() {
  let tmp = tempfile::tempdir().unwrap();
  let spare = place(&tmp.path().join("cache"), &tmp.path().join("out"));
  let (old, other) = (tmp.path().join("old"), tmp.path().join("other"));
  written(&old, &out(&[("a.js", "a")]));
  written(&other, &out(&[("b.js", "b")]));
  keep(&old, Some(&spare));
  assert!(!old.exists() && spare.join("a.js").is_file());
  // A spare already there stays; the second one is removed.
  keep(&other, Some(&spare));
  assert!(!other.exists() && spare.join("a.js").is_file());
  let into = tmp.path().join(".out.wxpack-tmp-1");
  assert!(claim(&spare, &into));
  assert!(into.join("a.js").is_file() && !spare.exists());
  assert!(!claim(&spare, &tmp.path().join(".out.wxpack-tmp-2")), "claimed already");
  // Without a cache, the replaced output is removed.
  keep(&into, None);
  assert!(!into.exists());
}
