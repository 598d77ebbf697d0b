//! The output a rebuild replaced, kept as a spare: the next rebuild after an edit turns it into
//! its new output by writing only what differs, then swaps it in. A rebuild then costs what
//! changed, not a link per file to fill a fresh folder and an unlink per file to remove the
//! replaced one (most of an edit's time on an app of a thousand files).
//!
//! The spare lives in the cache folder ([`place`]), which is beside OUT_DIR by default: a
//! rename moves it in and out. Where the cache is on another file system the rename fails, and
//! the build writes a fresh folder as it would without one. Files the spare shares with the
//! output in place are hard links to the same bytes, so no file is ever written where it is:
//! what differs is unlinked and written anew. Only what the spare's own record vouches for is
//! kept ([`record::held`], the test a no-op rebuild makes of the output in place).

use std::{
  fs,
  path::{Path, PathBuf},
};

use rustc_hash::FxHashSet;

use super::{MARKER, guard::resolved, record};
use crate::cache::SPARES;

/// Where the spare of `out_dir` is kept in the cache folder `cache`: named by a hash of the
/// output's resolved place, so outputs sharing a cache have one each.
pub fn place(cache: &Path, out_dir: &Path) -> PathBuf {
  let of = blake3::hash(resolved(out_dir).as_os_str().as_encoded_bytes());
  cache.join(SPARES).join(&of.to_hex()[..16])
}

/// Moves the spare to `dir` (where the build writes its output) if there is one. A rename: of
/// two builds, only one gets it.
pub fn claim(spare: &Path, dir: &Path) -> bool {
  if dir.exists() && fs::remove_dir_all(dir).is_err() {
    return false;
  }
  fs::rename(spare, dir).is_ok()
}

/// Readies `dir`, a claimed spare, for a build of `files_part`: every file in it but those its
/// record vouches for with the bytes wanted goes (the record too), and folders left empty;
/// returns the files that stay, which the writer then skips.
pub fn prune(dir: &Path, files_part: &str) -> Result<FxHashSet<String>, (PathBuf, std::io::Error)> {
  let record::Held { same, mut other } = record::held(dir, files_part);
  other.push(PathBuf::from(MARKER));
  let mut emptied: FxHashSet<&Path> = FxHashSet::default();
  for path in &other {
    match fs::remove_file(dir.join(path)) {
      Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err((dir.join(path), e)),
      _ => {}
    }
    emptied.extend(path.parent());
  }
  // Deepest first; a folder that still holds something stays, and so do its parents.
  let mut emptied: Vec<&Path> = emptied.into_iter().collect();
  emptied.sort_by_key(|p| std::cmp::Reverse(p.components().count()));
  for folder in emptied {
    for f in folder.ancestors().take_while(|f| !f.as_os_str().is_empty()) {
      if fs::remove_dir(dir.join(f)).is_err() {
        break;
      }
    }
  }
  Ok(same)
}

/// Keeps `old`, the output a swap set aside, as the spare; or removes it where it cannot be
/// kept (no cache, another file system, a spare already there).
pub fn keep(old: &Path, spare: Option<&Path>) {
  let kept = spare.is_some_and(|s| {
    !s.exists() && s.parent().is_some_and(|p| fs::create_dir_all(p).is_ok()) && fs::rename(old, s).is_ok()
  });
  if !kept {
    let _ = fs::remove_dir_all(old);
  }
}

#[cfg(test)]
mod tests;
