//! Putting the output in place so that at every instant either the previous output or the new
//! one is there, whole.
//!
//! The new output is written into a hidden sibling folder (`.OUT.wxpack-tmp-PID`); the previous
//! one is renamed aside (`.OUT.wxpack-old-PID`), the new one renamed in, and the old one removed.
//! A build killed between those steps leaves a sibling behind: the next build of the same
//! OUT_DIR finds it first ([`recover`]), puts the old output back if no output is in place, and
//! removes the rest. A zip inside OUT_DIR is written into the new output before the swap;
//! anything else (a zip elsewhere, the reports) is written to a temporary name beside it and
//! renamed ([`file`]). The output a swap sets aside is kept in the cache as the next build's
//! starting point ([`spare`]), not removed.

use std::{
  fs,
  path::{Path, PathBuf},
};

use super::{MARKER, OutFile, guard::resolved, record, spare, zip};
use crate::{
  diagnostic::{Code, Diagnostic, Location},
  interrupt,
  project::files::{OLD, TMP, parse_sibling},
};

/// Whether a build wrote its output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
  All,
  /// The output in place was already this build's ([`record::unchanged`]).
  Nothing,
}

/// Writes `files` to `out_dir`, and the zip of them to `zip_path`, all or nothing; or nothing at
/// all when the output in place is already what it would write.
/// `record` is their [`record::files_part`].
pub fn tree(
  out_dir: &Path,
  zip_path: Option<&Path>,
  files: &[OutFile],
  record: &str,
  spare: Option<&Path>,
) -> Result<Written, Diagnostic> {
  if record::unchanged(out_dir, zip_path, record) {
    return Ok(Written::Nothing);
  }
  let _writing = interrupt::Writing::start();
  let tmp = sibling(out_dir, TMP);
  // A zip inside OUT_DIR goes in with the rest; one elsewhere waits beside its place.
  let out = resolved(out_dir);
  let zip_inside = zip_path.and_then(|z| resolved(z).strip_prefix(&out).ok().map(|rel| tmp.join(rel)));
  let zip_beside = zip_path.filter(|_| zip_inside.is_none()).map(|z| (sibling(z, TMP), z));
  // The output replaced last time, made this one by what differs; or a fresh folder.
  let written = if spare.is_some_and(|s| spare::claim(s, &tmp)) {
    let kept = spare::prune(&tmp, record).map_err(|(path, e)| io(&path, &e));
    kept.and_then(|kept| write_files(&tmp, files, |f, _| kept.contains(&f.path)))
  } else {
    let same = record::held(out_dir, record).same;
    let link = |f: &OutFile, at: &Path| same.contains(&f.path) && fs::hard_link(out_dir.join(&f.path), at).is_ok();
    fresh_folder(&tmp).and_then(|()| write_files(&tmp, files, link))
  };
  let result = written
    .and_then(|()| match (&zip_inside, &zip_beside) {
      // zip::write makes the zip's folder.
      (Some(at), _) | (None, Some((at, _))) => {
        zip::write(at, files)?;
        Ok(fs::metadata(at).map(|m| m.len()).ok())
      }
      (None, None) => Ok(None),
    })
    .and_then(|zip_len| {
      // Last: the record is never older than a file it lists.
      let zip = zip_path.zip(zip_len);
      fs::write(tmp.join(MARKER), record::text(record, zip)).map_err(|e| io(&tmp, &e))
    })
    .and_then(|()| stop_point())
    .and_then(|()| swap(&tmp, out_dir, spare))
    .and_then(|()| match &zip_beside {
      Some((from, to)) => fs::rename(from, to).map_err(|e| io(to, &e)),
      None => Ok(()),
    })
    .map(|()| Written::All);
  if result.is_err() {
    let _ = fs::remove_dir_all(&tmp);
    if let Some((z, _)) = &zip_beside {
      let _ = fs::remove_file(z);
    }
  }
  result
}

/// Writes one file (a report) whole: to a temporary name beside it, then renamed.
pub fn file(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
  let tmp = sibling(path, TMP);
  let result = fs::write(&tmp, bytes).and_then(|()| fs::rename(&tmp, path)).map_err(|e| io(path, &e));
  if result.is_err() {
    let _ = fs::remove_file(&tmp);
  }
  result
}

/// What a build killed before it finished left beside `path` (OUT_DIR, or the zip): the
/// previous output is put back when none is in place, the rest removed. Siblings of a build
/// still running are left alone.
pub fn recover(path: &Path) {
  let mut left = leftovers(path);
  left.sort_by_key(|l| std::cmp::Reverse(l.modified));
  if !path.exists()
    && let Some(i) = left.iter().position(|l| l.tag == OLD && l.path.join(MARKER).is_file())
  {
    let old = left.remove(i);
    let _ = fs::rename(&old.path, path);
  }
  for l in left {
    let _ = if l.path.is_dir() { fs::remove_dir_all(&l.path) } else { fs::remove_file(&l.path) };
  }
}

struct Leftover {
  path: PathBuf,
  tag: &'static str,
  modified: Option<std::time::SystemTime>,
}

fn leftovers(path: &Path) -> Vec<Leftover> {
  let (Some(parent), Some(name)) = (path.parent(), path.file_name().and_then(|n| n.to_str())) else {
    return Vec::new();
  };
  let parent = if parent.as_os_str().is_empty() { Path::new(".") } else { parent };
  let Ok(entries) = fs::read_dir(parent) else { return Vec::new() };
  entries
    .filter_map(Result::ok)
    .filter_map(|e| {
      let entry_name = e.file_name().into_string().ok()?;
      let (of, tag, pid) = parse_sibling(&entry_name)?;
      (of == name && !alive(pid)).then(|| Leftover {
        path: e.path(),
        tag,
        modified: e.metadata().and_then(|m| m.modified()).ok(),
      })
    })
    .collect()
}

/// Whether the process that wrote a sibling still runs (then it is its own, not a leftover).
/// Where that cannot be known cheaply, only this process counts.
fn alive(pid: u32) -> bool {
  pid == std::process::id() || (cfg!(target_os = "linux") && Path::new("/proc").join(pid.to_string()).exists())
}

/// Between two files: a stop asked for ends the write here.
fn stop_point() -> Result<(), Diagnostic> {
  if interrupt::requested() {
    return Err(
      Diagnostic::error(Code::Interrupted, "interrupted; the previous output is left as it was")
        .with_help("run the build again"),
    );
  }
  Ok(())
}

/// `dir`, empty.
fn fresh_folder(dir: &Path) -> Result<(), Diagnostic> {
  if dir.exists() {
    fs::remove_dir_all(dir).map_err(|e| io(dir, &e))?;
  }
  fs::create_dir_all(dir).map_err(|e| io(dir, &e))
}

/// Writes `files` into `dir`, but those `there` says are there already: kept from the output
/// the build starts from, or hard links to the same bytes in the output in place (a link that
/// cannot be made, on another file system or one without links, is a write). A rebuild after
/// one edit then writes one file's bytes, not every file's.
fn write_files(dir: &Path, files: &[OutFile], there: impl Fn(&OutFile, &Path) -> bool) -> Result<(), Diagnostic> {
  // Each folder made once: most files share theirs with the file before.
  let mut made: rustc_hash::FxHashSet<&Path> = rustc_hash::FxHashSet::default();
  for f in files {
    stop_point()?;
    let path = dir.join(&f.path);
    if let Some(parent) = Path::new(&f.path).parent()
      && made.insert(parent)
    {
      parent_dir(&path)?;
    }
    if !there(f, &path) {
      fs::write(&path, &f.bytes).map_err(|e| io(&path, &e))?;
    }
  }
  Ok(())
}

fn parent_dir(path: &Path) -> Result<(), Diagnostic> {
  match path.parent() {
    Some(parent) => fs::create_dir_all(parent).map_err(|e| io(parent, &e)),
    None => Ok(()),
  }
}

/// Moves `tmp` to `out_dir`, replacing a previous output only after the new one is complete.
fn swap(tmp: &Path, out_dir: &Path, spare: Option<&Path>) -> Result<(), Diagnostic> {
  if !out_dir.exists() {
    parent_dir(out_dir)?;
    return fs::rename(tmp, out_dir).map_err(|e| io(out_dir, &e));
  }
  // Where the system can exchange two folders in one step, no instant is without an output.
  if exchange(tmp, out_dir) {
    spare::keep(tmp, spare);
    return Ok(());
  }
  let old = sibling(out_dir, OLD);
  let _ = fs::remove_dir_all(&old);
  fs::rename(out_dir, &old).map_err(|e| io(out_dir, &e))?;
  if let Err(e) = fs::rename(tmp, out_dir) {
    let _ = fs::rename(&old, out_dir);
    return Err(io(out_dir, &e));
  }
  spare::keep(&old, spare);
  Ok(())
}

/// Swaps `a` and `b` atomically (Linux 3.15+, on file systems that support it); `false` where
/// that is not possible, and nothing changed.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
  use rustix::fs::{CWD, RenameFlags, renameat_with};
  renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).is_ok()
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> bool {
  false
}

/// `.NAME.wxpack-TAG-PID` beside `path`, on the same file system so renames are atomic.
fn sibling(path: &Path, tag: &str) -> PathBuf {
  let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "out".into());
  path.with_file_name(format!(".{name}.wxpack-{tag}-{}", std::process::id()))
}

fn io(path: &Path, e: &std::io::Error) -> Diagnostic {
  Diagnostic::error(Code::Io, format!("cannot write: {e}"))
    .at(Location::file(path.display().to_string()))
    .with_help("check that the output folder is writable and the disk has room")
}

#[cfg(test)]
mod tests {
  use super::*;
  use crate::project::files::is_leftover_name;

  #[test]
  fn sibling_names_round_trip() {
    let s = sibling(Path::new("/a/dist"), OLD);
    let name = s.file_name().unwrap().to_str().unwrap();
    assert_eq!(parse_sibling(name), Some(("dist", OLD, std::process::id())));
    assert_eq!(parse_sibling(".app.zip.wxpack-tmp-12"), Some(("app.zip", TMP, 12)));
    assert!(
      !is_leftover_name(".dist.wxpack-new-12") && !is_leftover_name("dist") && !is_leftover_name(".x.wxpack-tmp-")
    );
  }

  #[test]
  fn recovery_restores_the_old_output_when_none_is_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("dist");
    // A dead writer's siblings: PIDs above the kernel's limit are never alive.
    let old = dir.path().join(".dist.wxpack-old-99999999");
    let tmp = dir.path().join(".dist.wxpack-tmp-99999999");
    fs::create_dir_all(&old).unwrap();
    fs::write(old.join(MARKER), "").unwrap();
    fs::write(old.join("a.js"), "old").unwrap();
    fs::create_dir_all(&tmp).unwrap();
    recover(&out);
    assert_eq!(fs::read_to_string(out.join("a.js")).unwrap(), "old");
    assert!(!old.exists() && !tmp.exists());
    // With an output in place, leftovers only go.
    fs::create_dir_all(&tmp).unwrap();
    fs::create_dir_all(&old).unwrap();
    recover(&out);
    assert!(out.join("a.js").is_file() && !old.exists() && !tmp.exists());
  }
}
