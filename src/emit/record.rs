//! What a build wrote, kept in the output's marker file ([`MARKER`]): each file's hash, length
//! and path, and the zip's length and place. A rebuild whose files hash the same, into a folder
//! that still holds exactly what the record says (the same files, the same lengths, none
//! modified after the record was written), writes nothing: the output is already this build's.
//!
//! The record is written last, so it is never older than a file it lists; an edit made in the
//! output afterwards (or a file added there) makes the next build write everything again.

use std::{
  fs,
  path::{Path, PathBuf},
  time::SystemTime,
};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::{MARKER, OutFile, guard::resolved};

/// The marker's first line, for people who open it.
const HEAD: &str = "written by wxpack; the folder is replaced on each build";

/// The record of `files` as the marker holds it, without the zip's line.
pub fn files_part(files: &[OutFile]) -> String {
  let lines: Vec<String> =
    files.par_iter().map(|f| format!("{} {} {}\n", blake3::hash(&f.bytes).to_hex(), f.bytes.len(), f.path)).collect();
  lines.concat()
}

/// The marker's whole text: the files, then the zip (its length and where it is), if any.
pub fn text(files_part: &str, zip: Option<(&Path, u64)>) -> String {
  let zip = zip.map(|(p, len)| format!("zip {len} {}\n", place(p))).unwrap_or_default();
  format!("{HEAD}\n{files_part}{zip}")
}

/// Where the zip is, as a hash of its resolved path: the record names no folder of the machine.
fn place(zip: &Path) -> String {
  blake3::hash(resolved(zip).as_os_str().as_encoded_bytes()).to_hex()[..16].to_string()
}

/// Whether `out_dir` holds exactly what a build of `files_part` (and the zip at `zip`) would
/// write. Any doubt is "no".
pub fn unchanged(out_dir: &Path, zip: Option<&Path>, files_part: &str) -> bool {
  let marker = out_dir.join(MARKER);
  let (Ok(text), Ok(stamp)) = (fs::read_to_string(&marker), fs::metadata(&marker).and_then(|m| m.modified())) else {
    return false;
  };
  let Some(recorded) = text.strip_prefix(HEAD).and_then(|t| t.strip_prefix('\n')) else { return false };
  let Some(zip_line) = recorded.strip_prefix(files_part) else { return false };
  let zip_inside = match (zip, zip_line) {
    (None, "") => None,
    (Some(z), line) => {
      let Some((len, path)) = line.strip_prefix("zip ").and_then(|l| l.strip_suffix('\n')?.split_once(' ')) else {
        return false;
      };
      let at = resolved(z);
      if path != place(z) || !fresh(&at, len.parse().ok(), stamp) {
        return false;
      }
      at.strip_prefix(resolved(out_dir)).ok().map(Path::to_path_buf)
    }
    (None, _) => return false,
  };
  let mut expected: FxHashMap<PathBuf, u64> = FxHashMap::default();
  for line in files_part.lines() {
    let Some((_, len, path)) = entry(line) else { return false };
    expected.insert(PathBuf::from(path), len);
  }
  let mut found = 0;
  let mut ok = true;
  walk(out_dir, Path::new(""), &mut |rel, meta| {
    if rel == Path::new(MARKER) || Some(rel) == zip_inside.as_deref() {
      return;
    }
    found += 1;
    ok &= expected.get(rel) == Some(&meta.len()) && meta.modified().is_ok_and(|m| m <= stamp);
  });
  ok && found == expected.len()
}

/// What a folder a build wrote holds of another build's files.
pub struct Held {
  /// Files its own record vouches for (regular, recorded with their length, not modified after
  /// the record was written: the test of [`unchanged`]) and recorded with the bytes wanted.
  pub same: FxHashSet<String>,
  /// Every other file in it, the record itself aside.
  pub other: Vec<PathBuf>,
}

/// What `dir` holds of `files_part` ([`Held`]): an edit made in it after its record is never
/// taken for a build's bytes. A build that must write links the `same` files of the output in
/// place, or keeps them in the output it starts from ([`super::spare`]).
pub fn held(dir: &Path, files_part: &str) -> Held {
  let marker = dir.join(MARKER);
  let text = fs::read_to_string(&marker).unwrap_or_default();
  let stamp = fs::metadata(&marker).and_then(|m| m.modified()).ok();
  let recorded: FxHashMap<&str, (&str, u64)> =
    text.lines().filter_map(entry).map(|(hash, len, path)| (path, (hash, len))).collect();
  let wanted: FxHashMap<&str, &str> =
    files_part.lines().filter_map(entry).map(|(hash, _, path)| (path, hash)).collect();
  let mut held = Held { same: FxHashSet::default(), other: Vec::new() };
  walk(dir, Path::new(""), &mut |rel, meta| {
    if rel == Path::new(MARKER) {
      return;
    }
    let unmodified = stamp.is_some_and(|s| meta.is_file() && meta.modified().is_ok_and(|m| m <= s));
    let path = rel.to_str().unwrap_or_default();
    match (recorded.get(path), wanted.get(path)) {
      (Some(&(hash, len)), Some(&want)) if unmodified && meta.len() == len && hash == want => {
        held.same.insert(path.to_string());
      }
      _ => held.other.push(rel.to_path_buf()),
    }
  });
  held
}

/// One file's line of the record: its hash, length and path (the path last: it may hold spaces).
fn entry(line: &str) -> Option<(&str, u64, &str)> {
  let mut parts = line.splitn(3, ' ');
  Some((parts.next()?, parts.next()?.parse().ok()?, parts.next()?))
}

/// The file at `path` has `len` bytes and was not modified after `stamp`.
fn fresh(path: &Path, len: Option<u64>, stamp: SystemTime) -> bool {
  fs::metadata(path).is_ok_and(|m| Some(m.len()) == len && m.modified().is_ok_and(|t| t <= stamp))
}

/// Every file under `dir` (not following links), by path relative to it; depth is bounded by
/// the file system's own limit on path length, and the output's own layout.
fn walk(dir: &Path, rel: &Path, visit: &mut impl FnMut(&Path, &fs::Metadata)) {
  let Ok(entries) = fs::read_dir(dir) else { return };
  for e in entries.flatten() {
    let (Ok(kind), name) = (e.file_type(), e.file_name()) else { continue };
    let rel = rel.join(&name);
    if kind.is_dir() {
      walk(&e.path(), &rel, visit);
    } else if let Ok(meta) = e.metadata() {
      visit(&rel, &meta);
    }
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  fn files() -> Vec<OutFile<'static>> {
    ["a.js", "dir/b.wxml"].iter().map(|p| OutFile { path: p.to_string(), bytes: p.as_bytes().into() }).collect()
  }

  #[test]
  fn an_output_is_unchanged_only_while_it_holds_what_the_record_says() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let part = files_part(&files());
    assert!(!unchanged(&out, None, &part), "no output yet");
    for f in files() {
      let p = out.join(&f.path);
      fs::create_dir_all(p.parent().unwrap()).unwrap();
      fs::write(p, &f.bytes).unwrap();
    }
    fs::write(out.join(MARKER), text(&part, None)).unwrap();
    assert!(unchanged(&out, None, &part));
    // Other bytes to write, a zip asked for: not unchanged.
    let mut other = files();
    other[0].bytes = b"x.js".as_slice().into();
    assert!(!unchanged(&out, None, &files_part(&other)));
    assert!(!unchanged(&out, Some(&tmp.path().join("app.zip")), &part));
    // A file added to the output, or one edited after the record: not unchanged.
    fs::write(out.join("extra.js"), "").unwrap();
    assert!(!unchanged(&out, None, &part));
    fs::remove_file(out.join("extra.js")).unwrap();
    assert!(unchanged(&out, None, &part));
    let later = SystemTime::now() + std::time::Duration::from_secs(5);
    fs::File::options().write(true).open(out.join("a.js")).unwrap().set_modified(later).unwrap();
    assert!(!unchanged(&out, None, &part));
  }

  #[test]
  fn only_files_whose_bytes_are_still_the_recorded_ones_are_reused() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let part = files_part(&files());
    for f in files() {
      let p = out.join(&f.path);
      fs::create_dir_all(p.parent().unwrap()).unwrap();
      fs::write(p, &f.bytes).unwrap();
    }
    fs::write(out.join(MARKER), text(&part, None)).unwrap();
    let all: FxHashSet<String> = ["a.js", "dir/b.wxml"].iter().map(|s| s.to_string()).collect();
    assert_eq!(held(&out, &part).same, all);
    // Edited in place after the record, same length: not reused. Another build's bytes for it:
    // not reused.
    fs::write(out.join("a.js"), "x.js").unwrap();
    let later = SystemTime::now() + std::time::Duration::from_secs(5);
    fs::File::options().write(true).open(out.join("a.js")).unwrap().set_modified(later).unwrap();
    let mut other = files();
    other[1].bytes = b"changed".as_slice().into();
    assert!(held(&out, &files_part(&other)).same.is_empty());
  }

  #[test]
  fn the_zip_counts() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    fs::create_dir_all(&out).unwrap();
    let zip = out.join("app.zip");
    fs::write(&zip, "zipped").unwrap();
    let part = files_part(&[]);
    fs::write(out.join(MARKER), text(&part, Some((&zip, 6)))).unwrap();
    assert!(unchanged(&out, Some(&zip), &part));
    assert!(!unchanged(&out, None, &part));
    fs::write(&zip, "zip").unwrap();
    assert!(!unchanged(&out, Some(&zip), &part));
  }
}
