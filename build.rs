//! `WXPACK_BUILD_ID`: a hash of the sources and the lock file this binary was built from. It is
//! part of every cache key, so an entry written by another build of wxpack (a release, or a
//! commit in between two releases whose version number did not move) is never read back.

use std::{fs, path::Path};

fn main() {
  println!("cargo:rerun-if-changed=src");
  println!("cargo:rerun-if-changed=Cargo.lock");
  println!("cargo:rerun-if-changed=Cargo.toml");
  let mut files = Vec::new();
  collect(Path::new("src"), &mut files);
  files.sort();
  for name in ["Cargo.lock", "Cargo.toml"] {
    files.push(Path::new(name).to_path_buf());
  }
  let mut h = blake3::Hasher::new();
  for f in files {
    h.update(f.to_string_lossy().as_bytes());
    h.update(&[0]);
    h.update(&fs::read(&f).unwrap_or_default());
    h.update(&[0]);
  }
  println!("cargo:rustc-env=WXPACK_BUILD_ID={}", &h.finalize().to_hex()[..16]);
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
  let Ok(entries) = fs::read_dir(dir) else { return };
  for e in entries.flatten() {
    let p = e.path();
    if p.is_dir() {
      collect(&p, out);
    } else {
      out.push(p);
    }
  }
}
