//! The private-use code points a text can put on screen.
//!
//! An icon font maps its icons to private-use code points (U+E000-U+F8FF, planes 15 and 16),
//! which mean nothing to any other font: such a character reaches an element only through text
//! that names it. A text names one by the character itself, or by spelling its number: `\e601`
//! (CSS), `\ue601` and `\u{e601}` (JS, WXS), `&#xe601;` and `&#58881;` (WXML), `0xe601`,
//! `58881` and `'e601'` (a table a script turns into a character with `String.fromCharCode` or
//! `parseInt`). Every run of letters and digits is read each of those ways, so a spelling this
//! does not know still counts whenever its digits stand alone; reading too many keeps a glyph,
//! never loses one.

use rustc_hash::FxHashSet;

/// Whether a code point is private use: meaningful only to the font that maps it.
pub fn private(cp: u32) -> bool {
  (0xE000..=0xF8FF).contains(&cp) || (0xF0000..=0x10FFFD).contains(&cp)
}

/// Adds every private-use code point `text` names to `out`.
pub fn scan(text: &str, out: &mut FxHashSet<u32>) {
  let bytes = text.as_bytes();
  let mut run_start = None;
  for (i, &b) in bytes.iter().enumerate() {
    // A private-use character is encoded from one of these lead bytes (U+E000-U+FFFF from
    // 0xEE/0xEF, planes 15 and 16 from 0xF3/0xF4); a lead byte is a character boundary.
    if matches!(b, 0xEE | 0xEF | 0xF3 | 0xF4)
      && let Some(c) = text.get(i..).and_then(|t| t.chars().next())
      && private(c as u32)
    {
      out.insert(c as u32);
    }
    match (b.is_ascii_alphanumeric(), run_start) {
      (true, None) => run_start = Some(i),
      (false, Some(s)) => {
        run(&bytes[s..i], out);
        run_start = None;
      }
      _ => {}
    }
  }
  if let Some(s) = run_start {
    run(&bytes[s..], out);
  }
}

/// One run of ASCII letters and digits, read as each spelling of a number.
fn run(word: &[u8], out: &mut FxHashSet<u32>) {
  // The longest spelling is `0x` and six digits; the shortest four hex digits.
  if !(4..=8).contains(&word.len()) {
    return;
  }
  let hex = |digits: &[u8]| {
    if (4..=6).contains(&digits.len())
      && digits.iter().all(u8::is_ascii_hexdigit)
      && let Some(cp) = std::str::from_utf8(digits).ok().and_then(|d| u32::from_str_radix(d, 16).ok())
      && private(cp)
    {
      Some(cp)
    } else {
      None
    }
  };
  let lower = |b: u8| b.to_ascii_lowercase();
  let forms = [
    Some(word),
    word.strip_prefix(b"u").or_else(|| word.strip_prefix(b"U")),
    word.strip_prefix(b"x").or_else(|| word.strip_prefix(b"X")),
    (word.len() > 2 && word[0] == b'0' && lower(word[1]) == b'x').then(|| &word[2..]),
  ];
  out.extend(forms.into_iter().flatten().filter_map(hex));
  if word.iter().all(u8::is_ascii_digit)
    && let Some(cp) = std::str::from_utf8(word).ok().and_then(|d| d.parse::<u32>().ok())
    && private(cp)
  {
    out.insert(cp);
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  fn points(text: &str) -> Vec<u32> {
    let mut out = FxHashSet::default();
    scan(text, &mut out);
    let mut v: Vec<u32> = out.into_iter().collect();
    v.sort_unstable();
    v
  }

  #[test]
  fn every_spelling_counts() {
    assert_eq!(points(r#".a:before { content: "\e601"; }"#), [0xE601]);
    assert_eq!(points(r#"var s = "\ue602" + "\u{e603}";"#), [0xE602, 0xE603]);
    assert_eq!(points("<text>&#xe604;&#58885;</text>"), [0xE604, 0xE605]);
    assert_eq!(points("String.fromCharCode(0xE606)"), [0xE606]);
    assert_eq!(points("{icon: 'e607'}"), [0xE607]);
    assert_eq!(points("<text>\u{e608}</text>"), [0xE608]);
    assert_eq!(points("\\U0F0001 \\f0002"), [0xF0001, 0xF0002]);
  }

  #[test]
  fn other_words_and_code_points_do_not() {
    assert!(points("face beef e60 cafe 12345 deadbeef \\4e00 \\2713 ABCD 0xe6011 ue6010000").is_empty());
  }
}
