//! Image recompression against `oxipng -o 2` and `pngquant`, and the cache's effect, on the
//! raster images of the fixtures (the fetch.sh libraries ship no PNG or JPEG). Prints a table.
//!
//!   cargo bench --bench images
//!
//! The peers are installed when missing (`cargo install oxipng`, `apt-get install pngquant`);
//! a peer that still cannot run is listed as not installed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use wxpack_corpus as corpus_app;

use std::{
  fs,
  path::{Path, PathBuf},
  process::Command,
  time::Instant,
};

use wxpack::transform::image::{ImageOptions, optimize};

/// The fixtures' images of one extension, without the deliberately broken ones.
fn images(ext: &str) -> Vec<PathBuf> {
  let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
  let broken = |p: &PathBuf| ["bomb", "truncated"].iter().any(|b| p.to_string_lossy().contains(b));
  corpus_app::files_with_ext(&root, ext).into_iter().filter(|p| !broken(p)).collect()
}

fn row(name: &str, files: usize, bytes_in: u64, bytes_out: u64, ms: f64) {
  let saved = (bytes_in - bytes_out.min(bytes_in)) as f64 * 100.0 / bytes_in as f64;
  println!("| {name} | {files} | {bytes_in} | {bytes_out} | {saved:.1}% | {ms:.0} ms |");
}

fn wxpack(name: &str, files: &[PathBuf], options: &ImageOptions) {
  let data: Vec<Vec<u8>> = files.iter().map(|p| fs::read(p).unwrap()).collect();
  let start = Instant::now();
  let out: u64 = data.iter().map(|d| optimize(d, options).bytes.map_or(d.len(), |b| b.len()) as u64).sum();
  row(name, files.len(), data.iter().map(|d| d.len() as u64).sum(), out, start.elapsed().as_secs_f64() * 1000.0);
}

/// Runs `cmd` on copies of `files` in a temp folder; reads back the sizes.
fn peer(name: &str, files: &[PathBuf], cmd: &str, args: &[&str], output: impl Fn(&Path) -> PathBuf) {
  if Command::new(cmd).arg("--version").output().is_err() {
    println!("| {name} | (not installed) | | | | |");
    return;
  }
  let tmp = tempfile::tempdir().unwrap();
  let copies: Vec<PathBuf> = files
    .iter()
    .enumerate()
    .map(|(i, f)| {
      let c = tmp.path().join(format!("{i}.png"));
      fs::copy(f, &c).unwrap();
      c
    })
    .collect();
  let bytes_in = copies.iter().map(|c| fs::metadata(c).unwrap().len()).sum();
  let start = Instant::now();
  for c in &copies {
    let _ = Command::new(cmd).args(args).arg(c).output();
  }
  let ms = start.elapsed().as_secs_f64() * 1000.0;
  let bytes_out =
    copies.iter().map(|c| fs::metadata(output(c)).map_or_else(|_| fs::metadata(c).unwrap().len(), |m| m.len())).sum();
  row(name, files.len(), bytes_in, bytes_out, ms);
}

/// Two CLI builds of the images fixture sharing a fresh cache; the image work is the transform
/// stage, whose time `--verbose` prints.
fn cached_builds() {
  let tmp = tempfile::tempdir().unwrap();
  let cfg = tmp.path().join("wxpack.toml");
  fs::write(&cfg, format!("[images]\ncache_dir = {:?}\n", tmp.path().join("cache"))).unwrap();
  let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/images");
  let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/wxpack");
  let mut runs = Vec::new();
  for out in ["cold", "warm"] {
    let start = Instant::now();
    let o = Command::new(&bin)
      .args(["build", project.to_str().unwrap(), "--config", cfg.to_str().unwrap(), "-v", "-o"])
      .arg(tmp.path().join(out))
      .output()
      .unwrap();
    assert!(o.status.success());
    let total = start.elapsed().as_secs_f64() * 1000.0;
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    let transform: f64 =
      stderr.lines().find_map(|l| l.trim().strip_prefix("transform: ")?.strip_suffix(" ms")?.parse().ok()).unwrap();
    runs.push((total, transform));
  }
  println!(
    "\nwxpack build fixtures/images: transform stage {:.1} ms cold, {:.2} ms with the cache ({:.0}x); whole CLI run {:.0} ms, then {:.0} ms",
    runs[0].1,
    runs[1].1,
    runs[0].1 / runs[1].1,
    runs[0].0,
    runs[1].0
  );
}

/// Installs the peers when they are missing: oxipng from crates.io, pngquant from Debian.
fn install_peers() {
  if Command::new("oxipng").arg("--version").output().is_err() {
    let _ = Command::new("cargo").args(["install", "oxipng", "--locked", "--version", "10.2.1"]).status();
  }
  if Command::new("pngquant").arg("--version").output().is_err() {
    let _ = Command::new("apt-get").args(["install", "-y", "pngquant"]).status();
  }
}

fn main() {
  install_peers();
  let pngs = images("png");
  let jpgs = images("jpg");
  println!("| tool | files | bytes in | bytes out | saved | time (1 thread each) |");
  println!("|---|---|---|---|---|---|");
  wxpack("wxpack png, lossless (oxipng preset 2, pixels verified)", &pngs, &ImageOptions::default());
  peer("oxipng -o 2 --strip safe", &pngs, "oxipng", &["-o", "2", "--strip", "safe", "-q"], Path::to_path_buf);
  wxpack(
    "wxpack png, lossy (png_lossy, PSNR >= 40)",
    &pngs,
    &ImageOptions { png_lossy: true, ..ImageOptions::default() },
  );
  peer("pngquant --quality 80-100", &pngs, "pngquant", &["--quality", "80-100", "--force", "--ext", ".q.png"], |c| {
    c.with_extension("q.png")
  });
  wxpack("wxpack .jpg files, lossless (JPEG metadata; one is a PNG)", &jpgs, &ImageOptions::default());
  cached_builds();
}
