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
//! kept ([`record::vouched`], the test a no-op rebuild makes of the output in place).

use std::{
  fs,
  path::{Path, PathBuf},
};

use rustc_hash::{FxHashMap, FxHashSet};

use super::{MARKER, OutFile, guard::resolved, record};
use crate::{cache::SPARES, diagnostic::Diagnostic};

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

/// Makes `dir`, a claimed spare, hold `files` and nothing else (the record, written after, is
/// the caller's): files its record vouches for with the bytes `files_part` wants stay, every
/// other file goes, the missing ones are written, folders left empty are removed.
pub fn update(
  dir: &Path,
  files: &[OutFile],
  files_part: &str,
  between: impl Fn() -> Result<(), Diagnostic>,
  io: impl Fn(&Path, &std::io::Error) -> Diagnostic,
) -> Result<(), Diagnostic> {
  let (vouched, others) = record::vouched(dir);
  let wanted: FxHashMap<&str, &str> = files_part.lines().filter_map(record::entry).map(|(h, _, p)| (p, h)).collect();
  let mut kept: FxHashSet<&str> = FxHashSet::default();
  let mut gone = others;
  for (path, hash) in &vouched {
    match path.to_str().and_then(|p| wanted.get_key_value(p)) {
      Some((p, h)) if *h == hash.as_str() => {
        kept.insert(p);
      }
      _ => gone.push(path.clone()),
    }
  }
  gone.push(PathBuf::from(MARKER));
  let mut emptied: FxHashSet<&Path> = FxHashSet::default();
  for path in &gone {
    match fs::remove_file(dir.join(path)) {
      Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io(&dir.join(path), &e)),
      _ => {}
    }
    emptied.extend(path.parent());
  }
  let mut made: FxHashSet<&Path> = FxHashSet::default();
  for f in files.iter().filter(|f| !kept.contains(f.path.as_str())) {
    between()?;
    let path = dir.join(&f.path);
    if let Some(parent) = Path::new(&f.path).parent()
      && made.insert(parent)
    {
      fs::create_dir_all(dir.join(parent)).map_err(|e| io(&dir.join(parent), &e))?;
    }
    fs::write(&path, &f.bytes).map_err(|e| io(&path, &e))?;
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
  Ok(())
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
