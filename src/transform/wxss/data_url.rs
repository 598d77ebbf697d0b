//! SVG data URLs, written shorter with the same bytes.
//!
//! Icon sheets carry SVGs as `url("data:image/svg+xml,%3Csvg%20width%3D%2228%22...")`, where
//! every space, `=`, `/` and quote is a three-byte escape. A data URL's content is its text
//! percent-decoded, so writing `%20` as a space or `%3D` as `=` changes nothing the image
//! decoder reads: the decoded bytes stay the same, byte for byte (the URL is quoted then, and
//! the quote it uses stays escaped). Only characters DevTools' own output leaves unescaped in
//! such URLs (postcss-svgo's encoder) are decoded; `%`, `#`, `<`, `>`, `&`, control characters
//! and anything outside ASCII stay as written. DevTools rewrites the SVG itself with svgo;
//! wxpack does not touch the document.

use super::protect::{Seen, spans};

/// What a decoded escape may become inside a quoted URL: characters postcss-svgo leaves raw.
fn decodable(b: u8) -> bool {
  b.is_ascii_alphanumeric() || b" =:/,;()!$*+-.@_~'\"".contains(&b)
}

/// `sheet` with its SVG data URLs written shorter, or `None` when none gets shorter.
pub fn slim(sheet: &str) -> Option<String> {
  if !sheet.contains("svg") {
    return None;
  }
  let mut out = String::new();
  let mut at = 0;
  for (start, end, seen) in spans(sheet) {
    let Some(slim) = sheet.get(start..end).filter(|_| seen == Seen::Url).and_then(url) else { continue };
    out.push_str(sheet.get(at..start)?);
    out.push_str(&slim);
    at = end;
  }
  if at == 0 {
    return None;
  }
  out.push_str(sheet.get(at..)?);
  Some(out)
}

/// What a `url(...)` span holds, without its quotes, and whether it was quoted.
pub(super) fn url_body(text: &str) -> Option<(&str, bool)> {
  let inner = text.get(4..text.len().checked_sub(1)?)?.trim();
  match inner.as_bytes().first() {
    Some(b'"' | b'\'') => Some((inner.get(1..inner.len().checked_sub(1)?)?, true)),
    _ => Some((inner, false)),
  }
}

/// One `url(...)`, shorter, or `None`.
fn url(text: &str) -> Option<String> {
  let (body, was_quoted) = url_body(text)?;
  // An escape is a CSS escape first: such URLs stay as written.
  if body.contains('\\') || (!was_quoted && body.contains(['"', '\'', ' '])) {
    return None;
  }
  let comma = body.find(',')?;
  let header = &body[..comma];
  if !header.to_ascii_lowercase().starts_with("data:image/svg+xml") || header.to_ascii_lowercase().contains("base64") {
    return None;
  }
  let payload = &body[comma + 1..];
  let quote = quote_for(payload)?;
  let decoded = decode(payload, quote);
  // What the image decoder reads, checked rather than trusted.
  if content(&decoded) != content(payload) {
    return None;
  }
  let slim = format!("url({quote}{header},{decoded}{quote})");
  (slim.len() < text.len()).then_some(slim)
}

/// A data URL's content: its payload percent-decoded.
fn content(payload: &str) -> Vec<u8> {
  let b = payload.as_bytes();
  let (mut out, mut i) = (Vec::with_capacity(b.len()), 0);
  while let Some(&c) = b.get(i) {
    let hex = b.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
    match (c, hex) {
      (b'%', Some(v)) => {
        out.push(v);
        i += 3;
      }
      _ => {
        out.push(c);
        i += 1;
      }
    }
  }
  out
}

/// The quote the URL is written with: one the payload does not hold raw, the one it escapes
/// less (it stays escaped).
fn quote_for(payload: &str) -> Option<char> {
  let escaped = |hex: &str| payload.to_ascii_lowercase().matches(hex).count();
  ['\'', '"']
    .into_iter()
    .filter(|q| !payload.contains(*q))
    .min_by_key(|q| escaped(if *q == '"' { "%22" } else { "%27" }))
}

/// `payload` with every decodable escape but `quote`'s written as its character.
fn decode(payload: &str, quote: char) -> String {
  let bytes = payload.as_bytes();
  let mut out = String::with_capacity(payload.len());
  let mut i = 0;
  while i < bytes.len() {
    let hex =
      bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok()).and_then(|h| u8::from_str_radix(h, 16).ok());
    match hex {
      Some(b) if bytes[i] == b'%' && decodable(b) && char::from(b) != quote => {
        out.push(char::from(b));
        i += 3;
      }
      _ => {
        // Copy up to the next '%' at once: the payload is UTF-8 and so is every slice
        // between two ASCII bytes.
        let next = bytes[i + 1..].iter().position(|&c| c == b'%').map_or(bytes.len(), |p| i + 1 + p);
        out.push_str(payload.get(i..next).unwrap_or(""));
        i = next;
      }
    }
  }
  out
}

#[cfg(test)]
mod tests {
  use super::*;

  /// The content of a whole `url(...)`.
  fn of(url: &str) -> Vec<u8> {
    let body = url.trim_start_matches("url(").trim_end_matches(')').trim_matches(['"', '\'']);
    content(&body[body.find(',').unwrap() + 1..])
  }

  #[test]
  fn escapes_become_characters_and_the_content_stays_the_same() {
    let src =
      "url(\"data:image/svg+xml;charset=utf-8,%3Csvg%20width%3D%2228%22%20fill%3D%22%23ef473a%22%3E%3C%2Fsvg%3E\")";
    let out = url(src).unwrap();
    assert_eq!(out, "url('data:image/svg+xml;charset=utf-8,%3Csvg width=\"28\" fill=\"%23ef473a\"%3E%3C/svg%3E')");
    assert_eq!(of(&out), of(src));
    // Unquoted, as minified weui writes them.
    let src =
      "url(data:image/svg+xml,%3Csvg%20width%3D%221000%22%20xmlns%3D%22http%3A%2F%2Fwww.w3.org%2F2000%2Fsvg%22%3E)";
    let out = url(src).unwrap();
    assert_eq!(out, "url('data:image/svg+xml,%3Csvg width=\"1000\" xmlns=\"http://www.w3.org/2000/svg\"%3E')");
    assert_eq!(of(&out), of(src));
  }

  #[test]
  fn the_quote_in_use_stays_escaped() {
    // The payload holds a raw `'`: the URL keeps `"` and its `%22`s.
    let src = "url(\"data:image/svg+xml,%3Csvg a='b' c=%22d%22%20e%3D1%3E\")";
    let out = url(src).unwrap();
    assert_eq!(out, "url(\"data:image/svg+xml,%3Csvg a='b' c=%22d%22 e=1%3E\")");
    assert_eq!(of(&out), of(src));
  }

  #[test]
  fn what_is_not_a_text_svg_url_stays() {
    for src in [
      "url(\"data:image/svg+xml;base64,PHN2Zz4%3D\")",
      "url(\"data:image/png,%20%20%20%20\")",
      "url(\"/images/a%20b.svg\")",
      "url(\"data:image/svg+xml,%3Csvg a='1' b=\\\"2\\\"%3E\")",
    ] {
      assert_eq!(url(src), None, "{src}");
    }
    // `%`, `#`, `<`, `>`, `&` and non-ASCII stay escaped.
    let src = "url(\"data:image/svg+xml,%25%23%3C%3E%26%E4%BD%A0%20\")";
    assert_eq!(url(src).unwrap(), "url('data:image/svg+xml,%25%23%3C%3E%26%E4%BD%A0 ')");
  }

  #[test]
  fn a_sheet_is_rewritten_at_every_depth_and_again_is_unchanged() {
    let sheet = ".a{background:url(data:image/svg+xml,%3Csvg%20x%3D%221%22%3E)}@media (min-width:1px){.b{mask:url(\"data:image/svg+xml,%3Csvg%20y%3D%222%22%3E\") no-repeat}}.c{content:\"url(data:image/svg+xml,%20%20)\"}";
    let out = slim(sheet).unwrap();
    assert_eq!(
      out,
      ".a{background:url('data:image/svg+xml,%3Csvg x=\"1\"%3E')}@media (min-width:1px){.b{mask:url('data:image/svg+xml,%3Csvg y=\"2\"%3E') no-repeat}}.c{content:\"url(data:image/svg+xml,%20%20)\"}"
    );
    assert_eq!(slim(&out), None);
  }
}
