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
  let mut run_start = None;
  for (i, c) in text.char_indices() {
    if private(c as u32) {
      out.insert(c as u32);
    }
    match (c.is_ascii_alphanumeric(), run_start) {
      (true, None) => run_start = Some(i),
      (false, Some(s)) => {
        run(&text[s..i], out);
        run_start = None;
      }
      _ => {}
    }
  }
  if let Some(s) = run_start {
    run(&text[s..], out);
  }
}

/// One run of ASCII letters and digits, read as each spelling of a number.
fn run(word: &str, out: &mut FxHashSet<u32>) {
  if word.len() > 10 {
    return;
  }
  let lower = word.to_ascii_lowercase();
  let hex_forms = [Some(lower.as_str()), lower.strip_prefix('u'), lower.strip_prefix('x'), lower.strip_prefix("0x")];
  for hex in hex_forms.into_iter().flatten() {
    if (4..=6).contains(&hex.len())
      && let Ok(cp) = u32::from_str_radix(hex, 16)
      && private(cp)
    {
      out.insert(cp);
    }
  }
  if let Ok(cp) = lower.parse::<u32>()
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
    assert!(points("face beef e60 cafe 12345 deadbeef \\4e00 \\2713 ABCD").is_empty());
  }
}
