//! Icon fonts embedded in WXSS, cut to the glyphs the app can show.
//!
//! Icon libraries embed their font in a stylesheet as a `data:` URL and ship every glyph,
//! while an app shows a few dozen. An icon is a private-use code point, which reaches an
//! element only through text that names it (see [`points`]): a `content` value of a rule that
//! ships (after the unused selectors are gone), or a literal or escape in any WXML, JS, WXS or
//! JSON file. [`Glyphs`] is that set, app-wide. Each embedded font (TrueType, OpenType, WOFF,
//! WOFF2) keeps every glyph that is not private use (any text can reach those) and the private
//! ones the app names; skera cuts it, skrifa checks that every code point kept draws the same
//! outline with the same advance, and it goes back into its own container ([`codec`]). A font
//! that is not smaller, that wxpack cannot read or cut with certainty, or that is not embedded
//! ships as it was, and the report says why.

mod codec;
mod cut;
pub mod points;

use std::panic::{AssertUnwindSafe, catch_unwind};

use base64::Engine;
use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};

pub use codec::Format;

use super::{
  data_url::url_body,
  protect::{Seen, spans},
};
use crate::cache::{Key, Store};

/// The private-use code points the app can show, app-wide.
#[derive(Debug, Default)]
pub struct Glyphs {
  shown: FxHashSet<u32>,
  /// `shown`, sorted, as a cache key part.
  key: Vec<u8>,
}

impl Glyphs {
  pub fn from_points(shown: FxHashSet<u32>) -> Self {
    let mut sorted: Vec<u32> = shown.iter().copied().collect();
    sorted.sort_unstable();
    let key = sorted.iter().flat_map(|cp| cp.to_le_bytes()).collect();
    Self { shown, key }
  }
}

pub(crate) fn has_font_face(sheet: &[u8]) -> bool {
  sheet.windows(10).any(|w| w.eq_ignore_ascii_case(b"@font-face"))
}

/// The code points a sheet's text names outside its URLs (a font's own base64 is not text).
pub(super) fn scan_sheet(sheet: &str, shown: &mut FxHashSet<u32>) {
  let mut at = 0;
  for (start, end, seen) in spans(sheet) {
    if seen == Seen::Url {
      points::scan(sheet.get(at..start).unwrap_or_default(), shown);
      at = end;
    }
  }
  points::scan(sheet.get(at..).unwrap_or_default(), shown);
}

/// Why a font ships as it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kept {
  /// Loaded from a server (`url(https://...)`): not in the package.
  Remote,
  /// A font file of the package, not embedded.
  File,
  /// The app names every icon it has.
  AllUsed,
  /// No glyph is an icon (a private-use code point): any text may show any of them.
  NoIcons,
  /// Not a font wxpack can read (bad base64, an unknown container, a broken table).
  Unreadable,
  /// It has a table wxpack does not cut (`table` names it).
  Table,
  /// Cut, it was not smaller.
  NotSmaller,
  /// The cut font would draw a kept character differently (a subsetter bug, caught).
  Changed,
  /// The subsetter failed on it.
  Fault,
}

impl Kept {
  pub fn says(self) -> &'static str {
    match self {
      Self::Remote => "loaded from a server",
      Self::File => "a font file, not embedded",
      Self::AllUsed => "every icon is used",
      Self::NoIcons => "a text font, not icons",
      Self::Unreadable => "not a font wxpack can read",
      Self::Table => "has a table wxpack does not cut",
      Self::NotSmaller => "not smaller cut",
      Self::Changed => "the cut would draw a kept icon differently",
      Self::Fault => "the subsetter failed on it",
    }
  }
}

/// One font of a stylesheet and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Font {
  /// The `font-family` of its `@font-face`.
  pub family: Option<String>,
  /// 1-based line of its `url(` in the sheet as wxpack read it.
  pub line: u32,
  pub format: Option<Format>,
  /// The URL's bytes in the sheet, before and after.
  pub bytes_in: u64,
  pub bytes_out: u64,
  pub glyphs_in: u32,
  pub glyphs_out: u32,
  pub kept: Option<Kept>,
  /// The table that kept it ([`Kept::Table`]).
  #[serde(skip_serializing_if = "Option::is_none")]
  pub table: Option<String>,
}

/// A sheet's fonts, and its text with the cut ones (`None`: no font was cut).
#[derive(Debug, Default)]
pub struct Embedded {
  pub text: Option<String>,
  pub fonts: Vec<Font>,
}

/// What became of one embedded font: the new payload (base64) or why it stays.
#[derive(Serialize, Deserialize)]
struct Outcome {
  payload: Option<String>,
  format: Option<Format>,
  glyphs_in: u32,
  glyphs_out: u32,
  kept: Option<Kept>,
  table: Option<String>,
}

/// `sheet`'s fonts, cut to `glyphs`.
pub fn subset(sheet: &str, glyphs: &Glyphs, store: &Store) -> Embedded {
  if !has_font_face(sheet.as_bytes()) {
    return Embedded::default();
  }
  let mut out = String::new();
  let mut at = 0;
  let mut fonts = Vec::new();
  let faces = font_faces(sheet);
  // Lines are counted on from the last URL (they come in order), not from the start each time.
  let (mut counted, mut line) = (0, 1u32);
  for (start, end, seen) in spans(sheet) {
    if seen != Seen::Url {
      continue;
    }
    let Some(url) = sheet.get(start..end) else { continue };
    let face = faces.iter().find(|&&(s, e)| s <= start && start < e).and_then(|&(s, e)| sheet.get(s..e));
    line += sheet.get(counted..start).map_or(0, |s| s.matches('\n').count()) as u32;
    counted = start;
    let entry = |kept: Kept| Font {
      family: face.and_then(family),
      line,
      format: None,
      bytes_in: url.len() as u64,
      bytes_out: url.len() as u64,
      glyphs_in: 0,
      glyphs_out: 0,
      kept: Some(kept),
      table: None,
    };
    let body = url_body(url).map(|(b, _)| b);
    let Some(payload) = body.and_then(base64_payload) else {
      let remote = body.is_some_and(|b| {
        ["http:", "https:", "//"].iter().any(|p| b.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p)))
      });
      let data = body.is_some_and(|b| b.get(..5).is_some_and(|h| h.eq_ignore_ascii_case("data:")));
      if face.is_some() {
        fonts.push(entry(if remote {
          Kept::Remote
        } else if data {
          Kept::Unreadable
        } else {
          Kept::File
        }));
      }
      continue;
    };
    // An image outside a `@font-face` is not worth decoding to find out.
    let image = body.is_some_and(|b| b.get(..11).is_some_and(|h| h.eq_ignore_ascii_case("data:image/")));
    if image && face.is_none() {
      continue;
    }
    let outcome = cut_cached(payload, glyphs, store);
    if outcome.format.is_none() && face.is_none() {
      continue; // an image, not a font
    }
    let mut font = Font {
      format: outcome.format,
      glyphs_in: outcome.glyphs_in,
      glyphs_out: outcome.glyphs_out,
      table: outcome.table.clone(),
      ..entry(Kept::AllUsed)
    };
    font.kept = outcome.kept;
    if let Some(new) = outcome.payload.filter(|p| p.len() < payload.len()) {
      // `payload` is a slice of `sheet`: its offset there is where the old bytes start.
      let payload_at = payload.as_ptr() as usize - sheet.as_ptr() as usize;
      let Some(before) = sheet.get(at..payload_at) else { continue };
      out.push_str(before);
      out.push_str(&new);
      at = payload_at + payload.len();
      font.bytes_out = (url.len() - payload.len() + new.len()) as u64;
    } else if font.kept.is_none() {
      font.kept = Some(Kept::NotSmaller);
      font.glyphs_out = font.glyphs_in;
    }
    fonts.push(font);
  }
  if at == 0 {
    return Embedded { text: None, fonts };
  }
  out.push_str(sheet.get(at..).unwrap_or_default());
  Embedded { text: Some(out), fonts }
}

/// Where each `@font-face` block of `sheet` is, from its `@` to its `}`.
fn font_faces(sheet: &str) -> Vec<(usize, usize)> {
  let lower = sheet.to_ascii_lowercase();
  lower.match_indices("@font-face").filter_map(|(i, _)| Some((i, i + sheet.get(i..)?.find('}')? + 1))).collect()
}

/// The family a `@font-face` block declares.
fn family(face: &str) -> Option<String> {
  let lower = face.to_ascii_lowercase();
  let at = lower.find("font-family")? + "font-family".len();
  let value = face.get(at..)?.trim_start().strip_prefix(':')?;
  let value = value.get(..value.find([';', '}']).unwrap_or(value.len()))?;
  let value = value.trim().trim_matches(['"', '\'']).trim();
  (!value.is_empty()).then(|| value.to_string())
}

/// A base64 `data:` URL's payload.
fn base64_payload(body: &str) -> Option<&str> {
  let comma = body.find(',')?;
  let header = body.get(..comma)?.to_ascii_lowercase();
  if !header.starts_with("data:") || !header.ends_with(";base64") || body.contains('\\') {
    return None;
  }
  body.get(comma + 1..)
}

/// A font's outcome, from the cache when this font was cut for the same glyphs before.
fn cut_cached(payload: &str, glyphs: &Glyphs, store: &Store) -> Outcome {
  let key = Key::builder("font-cut").part(payload.as_bytes()).part(&glyphs.key).finish();
  if let Some(o) = store.get(&key).and_then(|b| serde_json::from_slice(&b).ok()) {
    return o;
  }
  // wuff and skera assume well-formed fonts in places: a panic there keeps the font.
  let outcome = catch_unwind(AssertUnwindSafe(|| cut_payload(payload, &glyphs.shown))).unwrap_or(Outcome {
    payload: None,
    format: None,
    glyphs_in: 0,
    glyphs_out: 0,
    kept: Some(Kept::Fault),
    table: None,
  });
  if let Ok(json) = serde_json::to_vec(&outcome) {
    store.put(&key, &json);
  }
  outcome
}

fn cut_payload(payload: &str, shown: &FxHashSet<u32>) -> Outcome {
  let kept =
    |format, kept, table| Outcome { payload: None, format, glyphs_in: 0, glyphs_out: 0, kept: Some(kept), table };
  let compact: String = payload.chars().filter(|c| !c.is_ascii_whitespace()).collect();
  let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(&compact) else {
    return kept(None, Kept::Unreadable, None);
  };
  let Some(format) = Format::sniff(&bytes) else { return kept(None, Kept::Unreadable, None) };
  let Some(sfnt) = codec::decode(&bytes, format) else { return kept(Some(format), Kept::Unreadable, None) };
  let done = match cut::cut(&sfnt, shown) {
    Ok(done) => done,
    Err(cut::Why(reason, table)) => return kept(Some(format), reason, table),
  };
  let Some(encoded) = codec::encode(&done.sfnt, format) else { return kept(Some(format), Kept::Fault, None) };
  // Read back as a browser would, and checked again: the container is wxpack's own code.
  let same = codec::decode(&encoded, format).is_some_and(|back| codec::same_tables(&back, &done.sfnt));
  if !same {
    return kept(Some(format), Kept::Fault, None);
  }
  Outcome {
    payload: Some(base64::engine::general_purpose::STANDARD.encode(&encoded)),
    format: Some(format),
    glyphs_in: done.glyphs_in,
    glyphs_out: done.glyphs_out,
    kept: None,
    table: None,
  }
}

#[cfg(test)]
mod tests;
