//! A content-addressed cache of image results, so an unchanged image is never recompressed
//! twice: the key hashes the options' fingerprint and the bytes (blake3). Entries are a result
//! file (`<key>.meta`, JSON) and, when the image got smaller, its bytes (`<key>.bin`); neither
//! suffix is on WeChat's upload whitelist, so a cache inside a project is never uploaded by
//! DevTools. The cache is a speed-up only: any read or write failure is ignored, and entries
//! are written atomically. The result file records the length and hash of the bytes, checked
//! on every read: a truncated, emptied or altered entry is a miss (counted, so `-v` says so),
//! and the image is optimized again and the entry rewritten.

use std::{
  fs,
  path::{Path, PathBuf},
  sync::atomic::{AtomicUsize, Ordering},
};

use serde::{Deserialize, Serialize};

use super::Optimized;

/// The shape of a stored result; part of every key, so entries another shape wrote are misses.
pub const FORMAT: u32 = 2;

pub struct Cache {
  dir: Option<PathBuf>,
  bad: AtomicUsize,
}

/// A result file: the result, and what its bytes file must hold when the image got smaller.
/// (Not flattened: serde's flatten cannot read the PSNR back as a number.)
#[derive(Serialize, Deserialize)]
struct Meta {
  result: Optimized,
  bytes: Option<Check>,
}

#[derive(Serialize, Deserialize, PartialEq, Eq)]
struct Check {
  len: u64,
  blake3: String,
}

impl Check {
  fn of(bytes: &[u8]) -> Self {
    Self { len: bytes.len() as u64, blake3: blake3::hash(bytes).to_hex().to_string() }
  }
}

impl Cache {
  /// `None` disables caching.
  pub fn new(dir: Option<&Path>) -> Self {
    Self { dir: dir.and_then(|d| fs::create_dir_all(d).ok().map(|()| d.to_path_buf())), bad: AtomicUsize::new(0) }
  }

  pub fn key(bytes: &[u8], fingerprint: &str) -> String {
    let mut h = blake3::Hasher::new();
    // The entry format: entries of an earlier one are never looked up.
    h.update(b"entry-v2\0");
    h.update(fingerprint.as_bytes());
    h.update(&[0]);
    h.update(bytes);
    h.finalize().to_hex().to_string()
  }

  /// The stored result for `key`, if there is a whole one.
  pub fn get(&self, key: &str) -> Option<Optimized> {
    let dir = self.dir.as_ref()?;
    let meta = fs::read(dir.join(format!("{key}.meta"))).ok()?;
    let entry = self.check(dir, key, &meta);
    if entry.is_none() {
      self.bad.fetch_add(1, Ordering::Relaxed);
    }
    entry
  }

  fn check(&self, dir: &Path, key: &str, meta: &[u8]) -> Option<Optimized> {
    let Meta { mut result, bytes } = serde_json::from_slice(meta).ok()?;
    if let Some(check) = bytes {
      let data = fs::read(dir.join(format!("{key}.bin"))).ok()?;
      if Check::of(&data) != check {
        return None;
      }
      result.bytes = Some(data);
    }
    Some(result)
  }

  /// How many entries were found damaged (and ignored) so far.
  pub fn bad(&self) -> usize {
    self.bad.load(Ordering::Relaxed)
  }

  pub fn put(&self, key: &str, result: &Optimized) {
    let Some(dir) = &self.dir else { return };
    let write = |name: String, data: &[u8]| {
      // Unique per process and call: two builds sharing the cache (or two copies of one image
      // in a build) never write the same temporary file.
      static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
      let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
      let tmp = dir.join(format!("{name}.tmp-{}-{n}", std::process::id()));
      if fs::write(&tmp, data).is_ok() {
        let _ = fs::rename(&tmp, dir.join(name));
      }
    };
    // The bytes first: a result file never names bytes that are not there yet.
    if let Some(bytes) = &result.bytes {
      write(format!("{key}.bin"), bytes);
    }
    let meta = Meta { result: result.clone(), bytes: result.bytes.as_deref().map(Check::of) };
    if let Ok(json) = serde_json::to_vec(&meta) {
      write(format!("{key}.meta"), &json);
    }
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn a_damaged_entry_is_a_miss() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::new(Some(dir.path()));
    let result = Optimized { bytes: Some(vec![1, 2, 3, 4]), psnr: Some(31.25), ..Optimized::default() };
    cache.put("k", &result);
    assert_eq!(cache.get("k"), Some(result.clone()));
    let bin = dir.path().join("k.bin");
    for damaged in [&[1u8, 2][..], &[], &[1, 2, 3, 5]] {
      fs::write(&bin, damaged).unwrap();
      assert_eq!(cache.get("k"), None, "{damaged:?}");
    }
    fs::remove_file(&bin).unwrap();
    assert_eq!(cache.get("k"), None);
    fs::write(dir.path().join("k.meta"), "").unwrap();
    assert_eq!(cache.get("k"), None);
    assert_eq!(cache.bad(), 5);
    // Rewritten, it is whole again; an absent entry is a plain miss.
    cache.put("k", &result);
    assert_eq!(cache.get("k"), Some(result));
    assert_eq!(cache.get("other"), None);
    assert_eq!(cache.bad(), 5);
  }
}
