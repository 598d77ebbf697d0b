//! Image recompression: lossless by default, pixel-identical, never larger; lossy only when
//! asked. Formats are sniffed from bytes. Every lossless result is decoded and compared with the
//! original pixel for pixel; a mismatch ships the original and is reported. Corrupt files and
//! images whose header promises more pixels than the budget (decompression bombs) ship unchanged
//! with a warning, without being decoded.

pub mod jpeg;
pub mod png;
pub mod sniff;
pub mod svg;

use std::io::Cursor;

use image::{DynamicImage, ImageReader, Limits};
use serde::{Deserialize, Serialize};

pub use sniff::Format;

use super::{Cause, Fallback};

pub use crate::config::ImageOptions;

/// What happened to one image.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Optimized {
  /// The new bytes, when they are smaller and safe; `None` ships the original.
  #[serde(skip)]
  pub bytes: Option<Vec<u8>>,
  /// The worst PSNR of a lossy result that shipped, in dB.
  pub psnr: Option<f64>,
  /// Why the original shipped although an optimization was tried, or what was skipped.
  pub fallback: Option<Fallback>,
  /// The image is not readable (corrupt, truncated, or over the pixel budget): a warning.
  pub unreadable: bool,
}

impl Optimized {
  fn note(cause: Cause, note: impl Into<String>) -> Self {
    Self { fallback: Some(Fallback::new(cause, note)), ..Self::default() }
  }

  fn unreadable(note: impl Into<String>) -> Self {
    Self { unreadable: true, ..Self::note(Cause::Unparsable, note) }
  }
}

pub fn optimize(bytes: &[u8], options: &ImageOptions) -> Optimized {
  let result = match Format::of(bytes) {
    Format::Png => raster(bytes, options, optimize_png),
    Format::Jpeg => raster(bytes, options, optimize_jpeg),
    Format::Svg => match std::str::from_utf8(bytes).ok().and_then(svg::minify) {
      Some(out) => Optimized { bytes: Some(out.into_bytes()), ..Optimized::default() },
      None => Optimized::note(Cause::Unparsable, "SVG markup too irregular to edit safely"),
    },
    // No well-kept crate optimizes GIF losslessly; WebP is not uploadable and never produced.
    Format::Gif | Format::Webp | Format::Unknown => Optimized::default(),
  };
  match result.bytes {
    Some(ref b) if b.len() < bytes.len() => result,
    _ => Optimized { bytes: None, ..result },
  }
}

type Optimizer = fn(&[u8], &DynamicImage, &ImageOptions) -> Optimized;

/// Checks the header against the pixel budget, decodes once, then runs `f`.
fn raster(bytes: &[u8], options: &ImageOptions, f: Optimizer) -> Optimized {
  let reader = || ImageReader::new(Cursor::new(bytes)).with_guessed_format();
  let dims = reader().map_err(|e| e.to_string()).and_then(|r| r.into_dimensions().map_err(|e| e.to_string()));
  let (w, h) = match dims {
    Ok(d) => d,
    Err(e) => return Optimized::unreadable(format!("cannot read the image header: {e}")),
  };
  if u64::from(w) * u64::from(h) > options.max_pixels {
    return Optimized::unreadable(format!(
      "declares {w}x{h} pixels, over the budget of {} (images.max_pixels)",
      options.max_pixels
    ));
  }
  match decode(bytes, options) {
    Ok(img) => f(bytes, &img, options),
    Err(e) => Optimized::unreadable(format!("cannot decode: {e}")),
  }
}

fn decode(bytes: &[u8], options: &ImageOptions) -> Result<DynamicImage, String> {
  let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|e| e.to_string())?;
  let mut limits = Limits::default();
  limits.max_alloc = Some(options.max_pixels.saturating_mul(8));
  reader.limits(limits);
  reader.decode().map_err(|e| e.to_string())
}

/// Pixel identity, at 16 bits per channel so no depth is lost in the comparison.
fn same_pixels(a: &DynamicImage, b: &[u8], options: &ImageOptions) -> bool {
  decode(b, options).is_ok_and(|b| {
    a.width() == b.width() && a.height() == b.height() && a.to_rgba16().as_raw() == b.to_rgba16().as_raw()
  })
}

fn optimize_png(bytes: &[u8], img: &DynamicImage, options: &ImageOptions) -> Optimized {
  let max = usize::try_from(options.max_pixels.saturating_mul(8)).unwrap_or(usize::MAX);
  let lossless = match png::lossless(bytes, options.png_level, options.keep_metadata, max) {
    Ok(out) if same_pixels(img, &out, options) => Some(out),
    Ok(_) => return Optimized::note(Cause::ToolFault, "oxipng changed pixels (a bug); shipped the original"),
    Err(e) => return Optimized::unreadable(format!("oxipng cannot read it: {e}")),
  };
  if options.png_lossy {
    match png::lossy(&img.to_rgba8(), options.png_level) {
      Ok((out, psnr)) if psnr >= options.png_min_psnr && lossless.as_ref().is_none_or(|l| out.len() < l.len()) => {
        return Optimized { bytes: Some(out), psnr: Some(psnr), ..Optimized::default() };
      }
      Ok((_, psnr)) if psnr < options.png_min_psnr => {
        return Optimized {
          bytes: lossless,
          fallback: Some(Fallback::new(
            Cause::BelowQuality,
            format!("palette PSNR {psnr:.1} dB is under images.png_min_psnr; kept lossless"),
          )),
          ..Optimized::default()
        };
      }
      _ => {}
    }
  }
  Optimized { bytes: lossless, ..Optimized::default() }
}

fn optimize_jpeg(bytes: &[u8], img: &DynamicImage, options: &ImageOptions) -> Optimized {
  let stripped = if options.keep_metadata { None } else { jpeg::strip(bytes) };
  let lossless = match stripped {
    Some(out) if same_pixels(img, &out, options) => Some(out),
    Some(_) => {
      return Optimized::note(Cause::ToolFault, "stripping segments changed pixels (a bug); shipped the original");
    }
    None => None,
  };
  if let Some(quality) = options.jpeg_quality {
    let mut encoded = Vec::new();
    let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut encoded, quality.clamp(1, 100));
    if img.to_rgb8().write_with_encoder(enc).is_ok() {
      // A naive re-encode drops Exif orientation (the photo would display rotated) and ICC.
      let out = jpeg::with_segments(&encoded, &jpeg::display_segments(bytes));
      let best = lossless.as_ref().map_or(bytes.len(), Vec::len);
      if out.len() < best {
        let psnr = decode(&out, options).ok().map(|d| png::psnr(img.to_rgb8().as_raw(), d.to_rgb8().as_raw()));
        return Optimized { bytes: Some(out), psnr, ..Optimized::default() };
      }
    }
  }
  Optimized { bytes: lossless, ..Optimized::default() }
}

#[cfg(test)]
mod tests {
  use super::*;

  use image::GenericImageView;

  fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/fixtures/images/images/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
  }

  fn pixels(b: &[u8]) -> Vec<u16> {
    image::load_from_memory(b).unwrap().to_rgba16().into_raw()
  }

  #[test]
  fn png_is_smaller_with_identical_pixels() {
    for name in ["photo-rgba.png", "big-photo.png", "tab-heavy.png", "named-jpg.jpg"] {
      let src = fixture(name);
      let out = optimize(&src, &ImageOptions::default()).bytes.unwrap_or_else(|| panic!("{name} not optimized"));
      assert!(out.len() < src.len(), "{name}");
      assert_eq!(pixels(&out), pixels(&src), "{name}");
    }
  }

  #[test]
  fn jpeg_keeps_orientation_and_pixels() {
    let src = fixture("rotated.jpg");
    let out = optimize(&src, &ImageOptions::default()).bytes.unwrap();
    assert!(out.len() < src.len());
    assert_eq!(pixels(&out), pixels(&src));
    let (segs, _) = jpeg_segments(&out);
    assert!(segs.iter().any(|s| jpeg::exif_orientation(s) == Some(6)), "orientation kept");
    assert!(!out.windows(9).any(|w| w == b"Photoshop"), "Photoshop data dropped");
    assert!(!out.windows(10).any(|w| w == b"CreatorToo"), "XMP dropped");
  }

  fn jpeg_segments(b: &[u8]) -> (Vec<Vec<u8>>, usize) {
    let mut i = 2;
    let mut v = Vec::new();
    while b[i + 1] != 0xda {
      let len = usize::from(u16::from_be_bytes([b[i + 2], b[i + 3]]));
      v.push(b[i..i + 2 + len].to_vec());
      i += 2 + len;
    }
    (v, i)
  }

  #[test]
  fn jpeg_reencode_keeps_orientation() {
    let src = fixture("rotated.jpg");
    let opts = ImageOptions { jpeg_quality: Some(40), ..ImageOptions::default() };
    let out = optimize(&src, &opts).bytes.expect("quality 40 is smaller than the original's 85");
    let (segs, _) = jpeg_segments(&out);
    assert!(segs.iter().any(|s| jpeg::exif_orientation(s) == Some(6)));
    assert_eq!(image::load_from_memory(&out).unwrap().dimensions(), (80, 60));
  }

  #[test]
  fn lossy_png_respects_the_psnr_floor() {
    let src = fixture("photo-rgba.png");
    let on = optimize(&src, &ImageOptions { png_lossy: true, png_min_psnr: 20.0, ..ImageOptions::default() });
    assert!(on.psnr.unwrap() >= 20.0);
    let lossless = optimize(&src, &ImageOptions::default()).bytes.unwrap();
    assert!(on.bytes.unwrap().len() < lossless.len());
    let strict = optimize(&src, &ImageOptions { png_lossy: true, png_min_psnr: 99.0, ..ImageOptions::default() });
    assert_eq!(strict.bytes.map(|b| pixels(&b)), Some(pixels(&src)), "under the floor: lossless only");
  }

  #[test]
  fn bad_images_are_left_alone() {
    for name in ["truncated.png", "bomb.png"] {
      let r = optimize(&fixture(name), &ImageOptions::default());
      assert!(r.bytes.is_none() && r.unreadable, "{name}: {r:?}");
    }
    assert!(optimize(&fixture("bomb.png"), &ImageOptions::default()).fallback.unwrap().reason.contains("60000x60000"));
    assert!(optimize(&fixture("spinner.gif"), &ImageOptions::default()).bytes.is_none());
  }

  #[test]
  fn svg_loses_editor_data() {
    let src = fixture("star.svg");
    let out = String::from_utf8(optimize(&src, &ImageOptions::default()).bytes.unwrap()).unwrap();
    assert!(out.contains("viewBox=\"0 0 48 48\"") && !out.contains("inkscape") && !out.contains("metadata"), "{out}");
    assert!(out.contains("<text x=\"24\" y=\"46\" font-size=\"4\">  a  star  </text>"), "{out}");
  }
}
