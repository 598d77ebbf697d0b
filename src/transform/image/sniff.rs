//! Image formats from their bytes, never from the file name: real projects ship JPEGs named
//! `.png`.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
  Png,
  Jpeg,
  Gif,
  Svg,
  Webp,
  Unknown,
}

impl Format {
  pub fn of(bytes: &[u8]) -> Self {
    match bytes {
      [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n', ..] => Format::Png,
      [0xff, 0xd8, 0xff, ..] => Format::Jpeg,
      [b'G', b'I', b'F', b'8', b'7' | b'9', b'a', ..] => Format::Gif,
      [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Format::Webp,
      _ if looks_like_svg(bytes) => Format::Svg,
      _ => Format::Unknown,
    }
  }

  /// The format a file extension promises.
  pub fn of_extension(ext: &str) -> Self {
    match ext.to_ascii_lowercase().as_str() {
      "png" => Format::Png,
      "jpg" | "jpeg" => Format::Jpeg,
      "gif" => Format::Gif,
      "svg" => Format::Svg,
      "webp" => Format::Webp,
      _ => Format::Unknown,
    }
  }
}

fn looks_like_svg(bytes: &[u8]) -> bool {
  let head = &bytes[..bytes.len().min(1024)];
  std::str::from_utf8(head).is_ok_and(|s| s.contains("<svg"))
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn sniffs_by_content() {
    assert_eq!(Format::of(b"\x89PNG\r\n\x1a\n...."), Format::Png);
    assert_eq!(Format::of(b"\xff\xd8\xff\xe0"), Format::Jpeg);
    assert_eq!(Format::of(b"GIF89a"), Format::Gif);
    assert_eq!(Format::of(b"<?xml version=\"1.0\"?><svg xmlns=\"\">"), Format::Svg);
    assert_eq!(Format::of(b"hello"), Format::Unknown);
  }
}
