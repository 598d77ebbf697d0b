//! PNG: lossless recompression with oxipng used as a library (the `image` crate's own PNG
//! encoder makes real icons larger), and opt-in palette quantization with NeuQuant
//! (color_quant; imagequant is GPL-3), accepted only above a PSNR floor.

use std::time::Duration;

use image::RgbaImage;
use oxipng::{Options, StripChunks};

/// Recompresses losslessly. `keep_metadata`: keep every ancillary chunk; otherwise only those
/// that cannot change how the image displays are removed (gamma and colour profiles stay).
pub fn lossless(bytes: &[u8], level: u8, keep_metadata: bool, max_bytes: usize) -> Result<Vec<u8>, String> {
  let mut opts = Options::from_preset(level);
  opts.strip = if keep_metadata { StripChunks::None } else { StripChunks::Safe };
  // Changing the colour under fully transparent pixels would break pixel identity.
  opts.optimize_alpha = false;
  opts.timeout = Some(Duration::from_secs(60));
  opts.max_decompressed_size = Some(max_bytes);
  oxipng::optimize_from_memory(bytes, &opts).map_err(|e| e.to_string())
}

/// Quantizes to at most 256 colours (with alpha), encodes an indexed PNG, and recompresses it.
/// Returns the PNG and its PSNR against `original`.
pub fn lossy(original: &RgbaImage, level: u8) -> Result<(Vec<u8>, f64), String> {
  let nq = color_quant::NeuQuant::new(10, 256, original.as_raw());
  let palette = nq.color_map_rgba();
  let indices: Vec<u8> = original.pixels().map(|p| u8::try_from(nq.index_of(&p.0)).unwrap_or(u8::MAX)).collect();
  let quantized: Vec<u8> =
    indices.iter().flat_map(|&i| palette[usize::from(i) * 4..usize::from(i) * 4 + 4].iter().copied()).collect();
  let value = psnr(original.as_raw(), &quantized);
  let mut encoded = Vec::new();
  {
    let mut enc = png::Encoder::new(&mut encoded, original.width(), original.height());
    enc.set_color(png::ColorType::Indexed);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_palette(palette.chunks(4).flat_map(|c| c[..3].iter().copied()).collect::<Vec<u8>>());
    enc.set_trns(palette.chunks(4).map(|c| c[3]).collect::<Vec<u8>>());
    let mut w = enc.write_header().map_err(|e| e.to_string())?;
    w.write_image_data(&indices).map_err(|e| e.to_string())?;
  }
  let recompressed = lossless(&encoded, level, false, usize::MAX).unwrap_or(encoded);
  Ok((recompressed, value))
}

/// Peak signal-to-noise ratio over all channels, in dB (infinite when identical).
pub fn psnr(a: &[u8], b: &[u8]) -> f64 {
  if a.len() != b.len() || a.is_empty() {
    return 0.0;
  }
  let se: f64 = a.iter().zip(b).map(|(&x, &y)| (f64::from(x) - f64::from(y)).powi(2)).sum();
  let mse = se / a.len() as f64;
  if mse == 0.0 { f64::INFINITY } else { 10.0 * (255.0_f64 * 255.0 / mse).log10() }
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn psnr_of_identical_and_different() {
    assert!(psnr(&[1, 2, 3], &[1, 2, 3]).is_infinite());
    let p = psnr(&[0; 100], &[1; 100]);
    assert!((p - 48.13).abs() < 0.01, "{p}");
  }
}
