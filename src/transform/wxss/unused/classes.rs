//! Every class name an element of the app could carry, bounded from above by the app's own text.
//!
//! A class reaches an element from a `class` (or `hover-class`, external-class) attribute, and
//! what the attribute holds is static text or a mustache whose value comes from strings in JS,
//! WXS, WXML or JSON (`setData`, a component property a parent passes down, a WXS `bem()`
//! helper). So a class can be produced only if the app's text names it whole, or names the
//! pieces it is assembled from. Read as words (runs of `[A-Za-z0-9_-]`), a class `C` can be on
//! an element when any of these holds, which is what PurgeCSS's word extraction checks and more:
//! - `C` is a word somewhere;
//! - a word ends where text is joined on (`icon-` in `'icon-' + name`, `btn` in `btn{{type}}`,
//!   `` `tag-${t}` ``), and `C` starts with it: anything may follow it;
//! - a word starts where text was joined on (`-active` in `{{name}}-active`), and `C` ends
//!   with it;
//! - `C` is words and `-`/`_` runs laid end to end (`van-button--plain` from code that joins
//!   `'van'`, `'button'` and `'plain'` with `'-'` and `'--'`, or `[a, b].join('-')`): a piece
//!   of a word alone is not enough (colorUI's `cicon-dashboard` goes when `dashboard` is no
//!   word of the app, though `cicon-add` is);
//! - the platform puts it there: the default `hover-class`es and placeholder classes, the
//!   `wx-` classes inside built-in components, the editor's `ql-` classes, the `weui-` classes
//!   of the extended library, and `[wxss] keep`.
//!
//! What this cannot see is a class that comes only from outside the app (a server's response,
//! storage); such classes are what `[wxss] keep` is for.

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use crate::{
  graph::{AssetKind, Graph},
  project::Project,
};

/// Classes the platform puts on elements itself.
const PLATFORM: [&str; 4] = ["button-hover", "navigator-hover", "input-placeholder", "textarea-placeholder"];
const PLATFORM_PREFIXES: [&str; 2] = ["wx-", "ql-"];

#[derive(Debug, Default)]
pub struct Classes {
  words: FxHashSet<Box<str>>,
  prefixes: FxHashSet<Box<str>>,
  suffixes: FxHashSet<Box<str>>,
  /// `[wxss] keep` patterns (`*` matches any run of characters).
  keep: Vec<String>,
}

impl Classes {
  /// The classes `project`'s JS, WXS, WXML and JSON files can produce, plus `keep`.
  pub fn of(project: &Project, graph: &Graph, keep: &[String]) -> Self {
    let texts = |kind: AssetKind| matches!(kind, AssetKind::Js | AssetKind::Wxml | AssetKind::Wxs | AssetKind::Json);
    // Folded per thread, not per file: merging a set per file would hash every word twice.
    let mut all = graph
      .assets
      .as_raw()
      .par_iter()
      .filter(|a| a.ships && texts(a.kind))
      .filter_map(|a| Some((a.kind, project.read_bytes(&a.path).ok()?)))
      .fold(Self::default, |mut c, (kind, bytes)| {
        c.add_text(&bytes, kind == AssetKind::Wxml);
        c
      })
      .reduce(Self::default, |mut a, b| {
        a.merge(b);
        a
      });
    all.keep = keep.to_vec();
    if project.app.extended_libs.iter().any(|l| l.starts_with("weui")) {
      all.prefixes.insert("weui-".into());
    }
    all
  }

  /// The words and joined-on ends of one text; `mustache`: WXML, whose `}}` ends a
  /// binding (in a script it ends two blocks).
  pub fn from_text(text: &[u8], mustache: bool) -> Self {
    let mut c = Self::default();
    c.add_text(text, mustache);
    c
  }

  fn add_text(&mut self, text: &[u8], mustache: bool) {
    let c = self;
    let word_byte = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
    let mut i = 0;
    while i < text.len() {
      if !word_byte(text[i]) {
        i += 1;
        continue;
      }
      let start = i;
      while i < text.len() && word_byte(text[i]) {
        i += 1;
      }
      let Ok(word) = std::str::from_utf8(&text[start..i]) else { continue };
      let prefix = word.ends_with(['-', '_']) || joined_after(&text[i..]);
      if prefix && !c.prefixes.contains(word) {
        c.prefixes.insert(word.into());
      }
      let suffix = word.starts_with(['-', '_']) || joined_before(&text[..start], mustache);
      if suffix && !c.suffixes.contains(word) {
        c.suffixes.insert(word.into());
      }
      if !c.words.contains(word) {
        c.words.insert(word.into());
      }
    }
  }

  fn merge(&mut self, mut other: Self) {
    if other.words.len() > self.words.len() {
      std::mem::swap(self, &mut other);
    }
    self.words.extend(other.words);
    self.prefixes.extend(other.prefixes);
    self.suffixes.extend(other.suffixes);
  }

  /// Whether some element of the app could carry `class`, and if not, nothing of the above
  /// holds. A class with characters outside `[A-Za-z0-9_-]` is never ruled out.
  pub fn can_be(&self, class: &str) -> bool {
    if class.is_empty() || !class.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
      return true;
    }
    self.words.contains(class)
      || PLATFORM.contains(&class)
      || PLATFORM_PREFIXES.iter().any(|p| class.starts_with(p))
      || self.prefixes.iter().any(|p| class.starts_with(&**p))
      || self.suffixes.iter().any(|s| class.ends_with(&**s))
      || self.joined_words(class)
      || self.keep.iter().any(|k| matches(k, class))
  }

  /// Whether `class` is words of the app and runs of `-` and `_` laid end to end, cut only where
  /// a run starts or ends: `van-button--plain` as `van`, `-`, `button`, `--`, `plain`, or as
  /// `van-`, `button`, `--plain`; `t-icon-add` as `t`, `-icon` (a word of `${prefix}-icon`),
  /// `-`, `add`.
  fn joined_words(&self, class: &str) -> bool {
    let b = class.as_bytes();
    let sep = |i: usize| b[i] == b'-' || b[i] == b'_';
    let cuts: Vec<usize> =
      std::iter::once(0).chain((1..b.len()).filter(|&i| sep(i - 1) != sep(i))).chain([b.len()]).collect();
    if cuts.len() < 3 || cuts.len() > MAX_CUTS {
      return false;
    }
    // reach[k]: `class[..cuts[k]]` is laid out so.
    let mut reach = vec![false; cuts.len()];
    reach[0] = true;
    for from in 0..cuts.len() {
      if !reach[from] {
        continue;
      }
      for to in from + 1..cuts.len() {
        let piece = &class[cuts[from]..cuts[to]];
        if piece.bytes().all(|c| c == b'-' || c == b'_') || self.words.contains(piece) {
          reach[to] = true;
        }
      }
    }
    reach[cuts.len() - 1]
  }
}

/// A class with more places to cut than this is not tried as joined words.
const MAX_CUTS: usize = 26;

/// Text joined on after a word: a mustache or template slot, or the end of a string literal
/// followed by `+` or by `.concat(` (what Babel and swc write for a template literal lowered to
/// ES5).
fn joined_after(rest: &[u8]) -> bool {
  if rest.starts_with(b"{{") || rest.starts_with(b"${") {
    return true;
  }
  match rest.split_first() {
    Some((b'\'' | b'"' | b'`', after)) => {
      after.starts_with(b".concat(") || after.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'+')
    }
    _ => false,
  }
}

/// Text joined on before a word: the end of a mustache or template slot, or `+` (`+=`) and the
/// start of a string literal, or a string literal passed to `.concat(`.
fn joined_before(before: &[u8], mustache: bool) -> bool {
  if mustache && before.ends_with(b"}}") {
    return true;
  }
  if before.ends_with(b"}") {
    return closes_template_slot(before);
  }
  let Some((b'\'' | b'"' | b'`', rest)) = before.split_last() else { return false };
  let mut code = rest.iter().rev().skip_while(|b| b.is_ascii_whitespace());
  match code.next() {
    Some(b'+') => true,
    Some(b'=') => code.next() == Some(&b'+'),
    Some(b',' | b'(') => in_concat_call(rest),
    _ => false,
  }
}

/// Whether `before` ends inside the arguments of a `.concat(` call: one starts within
/// [`SLOT`] bytes back and no `)` or `;` closes it before the end.
fn in_concat_call(before: &[u8]) -> bool {
  let from = before.len().saturating_sub(SLOT);
  let window = &before[from..];
  let Some(at) = window.windows(8).rposition(|w| w == b".concat(") else { return false };
  !window[at + 8..].iter().any(|&b| b == b')' || b == b';')
}

/// Whether the `}` that `before` ends with closes a template literal's `${`: the `{` it
/// matches, looked for over [`SLOT`] bytes back (a code block's `}` matches a `{` after `)`,
/// `=>` or a name, and minified code has many).
fn closes_template_slot(before: &[u8]) -> bool {
  let mut depth = 0usize;
  let from = before.len().saturating_sub(SLOT);
  for i in (from..before.len()).rev() {
    match before[i] {
      b'}' => depth += 1,
      b'{' => {
        depth -= 1;
        if depth == 0 {
          return i > 0 && before[i - 1] == b'$';
        }
      }
      _ => {}
    }
  }
  false
}

/// How far back a template slot's `${` is looked for.
const SLOT: usize = 512;

/// `pattern` with `*` for any run of characters, against the whole of `name`.
fn matches(pattern: &str, name: &str) -> bool {
  let mut pieces = pattern.split('*');
  let first = pieces.next().unwrap_or("");
  let Some(mut rest) = name.strip_prefix(first) else { return false };
  let pieces: Vec<&str> = pieces.collect();
  let Some((last, middle)) = pieces.split_last() else { return rest.is_empty() };
  for piece in middle {
    match rest.find(piece) {
      Some(at) => rest = &rest[at + piece.len()..],
      None => return false,
    }
  }
  rest.ends_with(last)
}

#[cfg(test)]
mod tests {
  use super::*;

  fn of(text: &str) -> Classes {
    Classes::from_text(text.as_bytes(), true)
  }

  #[test]
  fn whole_words_from_any_text() {
    let c = of(r#"<view class="card {{on ? 'card-on' : ''}}"/> this.setData({cls: "big"})"#);
    for class in ["card", "card-on", "big"] {
      assert!(c.can_be(class), "{class}");
    }
    assert!(!c.can_be("cardx") && !c.can_be("small"));
  }

  #[test]
  fn joined_prefixes_and_suffixes_keep_what_they_could_make() {
    let c = of(
      r#"<i class="icon-{{name}} btn{{type}} {{size}}-tag"/> x = "lab" + y; `tag-${t}`; z = w + 'mark'; `${a({})}dot`"#,
    );
    for class in ["icon-home", "btnprimary", "large-tag", "label", "tag-new", "bookmark", "reddot"] {
      assert!(c.can_be(class), "{class}");
    }
    assert!(!c.can_be("home") && !c.can_be("primarybtn") && !c.can_be("tagx"));
    // Template literals lowered to ES5, and `+=`.
    let c =
      Classes::from_text(br#"a = "btn".concat(t); b = "".concat(s, "Active"); c += 'Wide'; d = ['x', 'y']"#, false);
    assert!(c.can_be("btnPrimary") && c.can_be("bigActive") && c.can_be("fullWide"));
    assert!(!c.can_be("ay") && !c.can_be("yx-z"));
    // A code block's `}` before a name joins nothing.
    let c = Classes::from_text(b"if(a){b()}else{if(c){d()}}e.exports=1", false);
    assert!(!c.can_be("house") && !c.can_be("xe"));
  }

  #[test]
  fn classes_assembled_from_words() {
    let c = of("var b = ['van', 'button', 'plain'].join('-'); var d = 'big-box'; t = a.join('_')");
    assert!(c.can_be("van-button--plain") && c.can_be("button_van") && c.can_be("van-big-box"));
    assert!(c.can_be("big-box__button"));
    // A piece must be a whole word: `big` alone is only part of one.
    assert!(!c.can_be("van-cell") && !c.can_be("big-van") && !c.can_be("box-van"));
    // Words with separators at their ends join too (`-icon` from `${prefix}-icon`).
    let c = of("const n = `${p}-icon`; p = 't'; name = 'add'");
    assert!(c.can_be("t-icon-add") && c.can_be("t-icon"));
    assert!(!c.can_be("t-icon-barcode") && !c.can_be("z-add"));
    // `-icon` was joined onto something: whatever ends with it may be on an element.
    assert!(c.can_be("x-icon"));
  }

  #[test]
  fn the_platform_and_keep() {
    let mut c = of("");
    assert!(c.can_be("button-hover") && c.can_be("wx-checkbox-input") && c.can_be("ql-editor"));
    assert!(c.can_be("a\\:b") && c.can_be("类"));
    assert!(!c.can_be("foo-bar"));
    c.keep = vec!["foo-*".into(), "*-x".into(), "a*b*c".into()];
    assert!(c.can_be("foo-bar") && c.can_be("y-x") && c.can_be("aXbYc"));
    assert!(!c.can_be("bar") && !c.can_be("ab"));
  }
}
