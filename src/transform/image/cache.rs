//! A content-addressed cache of image results, so an unchanged image is never recompressed
//! twice: the key hashes the options' fingerprint and the bytes (blake3). Entries are a result
//! file (`<key>.meta`, JSON) and, when the image got smaller, its bytes (`<key>.bin`); neither
//! suffix is on WeChat's upload whitelist, so a cache inside a project is never uploaded by
//! DevTools. The cache is a speed-up only: any read or write failure is ignored, and entries
//! are written atomically.

use std::{
  fs,
  path::{Path, PathBuf},
};

use super::Optimized;

pub struct Cache {
  dir: Option<PathBuf>,
}

impl Cache {
  /// `None` disables caching.
  pub fn new(dir: Option<&Path>) -> Self {
    Self { dir: dir.and_then(|d| fs::create_dir_all(d).ok().map(|()| d.to_path_buf())) }
  }

  pub fn key(bytes: &[u8], fingerprint: &str) -> String {
    let mut h = blake3::Hasher::new();
    h.update(fingerprint.as_bytes());
    h.update(&[0]);
    h.update(bytes);
    h.finalize().to_hex().to_string()
  }

  pub fn get(&self, key: &str) -> Option<Optimized> {
    let dir = self.dir.as_ref()?;
    let mut result: Optimized = serde_json::from_slice(&fs::read(dir.join(format!("{key}.meta"))).ok()?).ok()?;
    let bin = dir.join(format!("{key}.bin"));
    if bin.exists() {
      result.bytes = Some(fs::read(bin).ok()?);
    }
    Some(result)
  }

  pub fn put(&self, key: &str, result: &Optimized) {
    let Some(dir) = &self.dir else { return };
    let write = |name: String, data: &[u8]| {
      let tmp = dir.join(format!("{name}.tmp-{}", std::process::id()));
      if fs::write(&tmp, data).is_ok() {
        let _ = fs::rename(&tmp, dir.join(name));
      }
    };
    if let Some(bytes) = &result.bytes {
      write(format!("{key}.bin"), bytes);
    }
    if let Ok(json) = serde_json::to_vec(result) {
      write(format!("{key}.meta"), &json);
    }
  }
}
