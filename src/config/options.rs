//! The options of each stage, as the configuration validated them. They live here, below every
//! stage, so that the configuration depends on no stage and each stage only on what runs
//! before it.

use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use super::file::ImagesFile;
pub use super::file::SharedPolicy;
use crate::{
  diagnostic::{Code, Diagnostic, Location},
  mp_path::MpPath,
  size::ByteSize,
};

/// `[plan]` and `[prune]` of wxpack.toml.
#[derive(Debug, Clone)]
pub struct PlanOptions {
  /// Off: every file ships where it is (`--no-plan`); the rules are still checked.
  pub enabled: bool,
  pub shared: SharedPolicy,
  /// Room `shared = "auto"` leaves in main below its budget.
  pub reserve: ByteSize,
  /// Moved and copied files go to `<root>/<folder>/<original path>`.
  pub folder: String,
  /// Files that never move or get copied.
  pub pin: Globs,
  pub prune_code: bool,
  pub prune_assets: bool,
  /// Files that always ship, with what they reference.
  pub keep: Globs,
}

impl Default for PlanOptions {
  fn default() -> Self {
    Self {
      enabled: true,
      shared: SharedPolicy::Auto,
      reserve: ByteSize(0),
      folder: "__wxpack__".into(),
      pin: Globs::default(),
      prune_code: true,
      prune_assets: false,
      keep: Globs::default(),
    }
  }
}

/// Glob patterns over root-relative paths (`*` stays within a folder, `**` crosses folders).
#[derive(Debug, Clone, Default)]
pub struct Globs {
  pub patterns: Vec<String>,
  set: GlobSet,
}

impl Globs {
  /// The set of `patterns`, or why not and, when one pattern is to blame, its index.
  pub fn new(patterns: Vec<String>) -> Result<Self, (Option<usize>, String)> {
    let mut b = GlobSetBuilder::new();
    for (i, p) in patterns.iter().enumerate() {
      let glob = GlobBuilder::new(p.trim_start_matches('/')).literal_separator(true).build();
      b.add(glob.map_err(|e| (Some(i), format!("invalid glob {p:?}: {e}")))?);
    }
    Ok(Self { set: b.build().map_err(|e| (None, e.to_string()))?, patterns })
  }

  pub fn is_match(&self, path: &MpPath) -> bool {
    !self.patterns.is_empty() && self.set.is_match(path.as_str())
  }
}

/// `[images]` in wxpack.toml.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageOptions {
  pub enabled: bool,
  /// oxipng preset, 0 (fast) to 6 (slow).
  pub png_level: u8,
  /// Keep every PNG chunk and JPEG segment (else only those that do not affect display go).
  pub keep_metadata: bool,
  /// Re-encode JPEGs at this quality (1 to 100), keeping the result only if smaller.
  pub jpeg_quality: Option<u8>,
  /// Quantize PNGs to a palette, accepted only at or above `png_min_psnr` dB.
  pub png_lossy: bool,
  pub png_min_psnr: f64,
  /// The most pixels (width x height) an image may declare before it is left alone.
  pub max_pixels: u64,
}

impl Default for ImageOptions {
  fn default() -> Self {
    Self {
      enabled: true,
      png_level: 2,
      keep_metadata: false,
      jpeg_quality: None,
      png_lossy: false,
      png_min_psnr: 40.0,
      max_pixels: 40_000_000,
    }
  }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsOptions {
  pub drop_console: bool,
  pub drop_debugger: bool,
  pub mangle: bool,
}

impl Default for JsOptions {
  fn default() -> Self {
    Self { drop_console: false, drop_debugger: true, mangle: true }
  }
}

/// Image recompression.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageConfig {
  pub options: ImageOptions,
  /// Image results go into the build cache (`[images] cache`, on by default).
  pub cached: bool,
}

/// The build cache (`[cache]`): what a rebuild reuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheConfig {
  /// `None`: no cache (`--no-cache`, `[cache] enabled = false`).
  pub dir: Option<PathBuf>,
  /// Past this, the entries written longest ago are removed at the end of a build.
  pub max_size: u64,
}

impl CacheConfig {
  /// `.wxpack-cache` beside OUT_DIR, never inside the output itself.
  pub fn default_dir(out_dir: &Path) -> PathBuf {
    out_dir.parent().unwrap_or(Path::new(".")).join(".wxpack-cache")
  }

  /// 1 GiB: a few hundred builds' worth of results of a large app.
  pub const DEFAULT_MAX_SIZE: u64 = 1 << 30;
}

pub(super) fn images_config(
  f: &ImagesFile,
  no_minify: bool,
  at: impl Fn(std::ops::Range<usize>) -> Location,
) -> Result<ImageConfig, Diagnostic> {
  let d = ImageOptions::default();
  let bad = |m: &str, span: std::ops::Range<usize>| {
    Diagnostic::error(Code::InvalidToml, m.to_string()).at(at(span)).with_help("see [images] in docs/configuration.md")
  };
  if let Some(l) = f.png_level.as_ref().filter(|l| *l.get_ref() > 6) {
    return Err(bad("images.png_level must be 0 to 6", l.span()));
  }
  if let Some(q) = f.jpeg_quality.as_ref().filter(|q| *q.get_ref() == 0 || *q.get_ref() > 100) {
    return Err(bad("images.jpeg_quality must be 1 to 100", q.span()));
  }
  let options = ImageOptions {
    enabled: !no_minify && f.enabled.unwrap_or(true),
    png_level: f.png_level.as_ref().map_or(d.png_level, |l| *l.get_ref()),
    keep_metadata: f.keep_metadata.unwrap_or(d.keep_metadata),
    jpeg_quality: f.jpeg_quality.as_ref().map(|q| *q.get_ref()),
    png_lossy: f.png_lossy.unwrap_or(d.png_lossy),
    png_min_psnr: f.png_min_psnr.unwrap_or(d.png_min_psnr),
    max_pixels: f.max_pixels.unwrap_or(d.max_pixels),
  };
  Ok(ImageConfig { options, cached: f.cache.unwrap_or(true) })
}
