//! Unused WXSS rules, taken out of a sheet before it is minified.
//!
//! A selector can match only an element that has every class its compounds name outside
//! functional pseudo-classes (`.a .b:hover::after` needs `a` and `b`; `:not(.c)` and
//! `:host(.d)` need nothing). When one of those classes can be on no element of the app
//! ([`Classes::can_be`]), the selector matches nothing: it leaves its rule's selector list, and
//! a rule with no selector left goes, with an `@media` or `@supports` block left empty.
//! Everything else stays as written, byte for byte: at-rules other than those two groups
//! (`@keyframes`, `@font-face`), selectors with escapes, a block that is never closed, rules
//! nested deeper than [`DEPTH`]. The minifier then reads what is left.

pub mod at_rules;
mod classes;

pub use classes::Classes;
use cssparser::{ParseError, Parser, ParserInput, Token};
use serde::{Deserialize, Serialize};

use crate::cache::{Key, Store};

/// `@media`/`@supports` blocks read inside one another; deeper ones are kept whole.
const DEPTH: usize = 16;

/// A selector taken out, and the class no element can have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Removed {
  pub selector: String,
  pub class: String,
  /// 1-based, in the sheet as read.
  pub line: u32,
}

/// What one shipped sheet lost: the source bytes and the selectors.
#[derive(Debug, Clone, Default)]
pub struct Unused {
  pub bytes: u64,
  pub removed: Vec<Removed>,
}

/// A sheet with its unused selectors taken out.
#[derive(Debug)]
pub struct Pruned {
  pub text: String,
  pub removed: Vec<Removed>,
}

/// [`prune`] through the build cache. What a sheet loses depends on its text and on which of
/// the classes its selectors need can be on an element ([`ruled_out`]); the pruned text is
/// stored by the sheet's text and the classes ruled out.
pub fn prune_cached(store: &Store, src: &str, classes: &Classes) -> Option<Pruned> {
  let out = ruled_out(store, src, classes);
  if out.is_empty() {
    return None;
  }
  let key = Key::builder("wxss-unused").part(src.as_bytes()).part(out.join("\n").as_bytes()).finish();
  if let Some((text, removed)) = store.get_small(&key).and_then(|b| serde_json::from_slice(&b).ok()) {
    return Some(Pruned { text, removed });
  }
  let pruned = prune(src, classes)?;
  if let Ok(json) = serde_json::to_vec(&(&pruned.text, &pruned.removed)) {
    store.put_small(&key, &json);
  }
  Some(pruned)
}

/// The classes some selector of `src` needs that no element can have, sorted: what decides
/// what the sheet loses. The classes a sheet needs are stored by its text, so a sheet is parsed
/// for them once.
pub fn ruled_out(store: &Store, src: &str, classes: &Classes) -> Vec<String> {
  let key = Key::builder("wxss-classes").part(src.as_bytes()).finish();
  let needed: Vec<String> = match store.get_small(&key).and_then(|b| serde_json::from_slice(&b).ok()) {
    Some(needed) => needed,
    None => {
      let needed = needed_classes(src);
      if let Ok(json) = serde_json::to_vec(&needed) {
        store.put_small(&key, &json);
      }
      needed
    }
  };
  needed.into_iter().filter(|c| !classes.can_be(c)).collect()
}

/// Every class some selector of `src` needs, sorted (none for a sheet nothing is taken out of).
fn needed_classes(src: &str) -> Vec<String> {
  let mut walk = Walk::new(src, None);
  walk.run();
  walk.needed.into_iter().collect()
}

/// `src` without the selectors no element of the app can match; `None` when every one can.
pub fn prune(src: &str, classes: &Classes) -> Option<Pruned> {
  let mut walk = Walk::new(src, Some(classes));
  walk.run();
  if walk.edits.is_empty() {
    return None;
  }
  let mut text = String::with_capacity(src.len());
  let mut at = 0;
  for (start, end, with) in &walk.edits {
    text.push_str(src.get(at..*start)?);
    text.push_str(with);
    at = *end;
  }
  text.push_str(src.get(at..)?);
  Some(Pruned { text, removed: walk.removed })
}

struct Walk<'a> {
  src: &'a str,
  /// `None`: nothing is decided, every class a selector needs goes into `needed`.
  classes: Option<&'a Classes>,
  needed: std::collections::BTreeSet<String>,
  /// Byte ranges of `src` and their replacements, in order, never overlapping.
  edits: Vec<(usize, usize, String)>,
  removed: Vec<Removed>,
  /// The line of a byte offset, counted on from the last one asked (rules come in order).
  lines: (usize, u32),
}

/// What one block held: rules, and how many of them were taken out whole.
#[derive(Default)]
struct Held {
  statements: usize,
  gone: usize,
}

impl<'a> Walk<'a> {
  fn new(src: &'a str, classes: Option<&'a Classes>) -> Self {
    Self { src, classes, needed: Default::default(), edits: Vec::new(), removed: Vec::new(), lines: (0, 1) }
  }

  fn run(&mut self) {
    // DevTools reads what follows an unclosed `{` as inside it; nothing is taken out of that.
    if crate::nesting::scan(self.src, crate::nesting::Syntax::Css).unclosed_brace.is_some() {
      return;
    }
    let mut input = ParserInput::new(self.src);
    self.block(&mut Parser::new(&mut input), 0);
  }

  fn block<'i>(&mut self, p: &mut Parser<'i, '_>, depth: usize) -> Held {
    let mut held = Held::default();
    let mut start = p.position().byte_index();
    let mut at_rule: Option<String> = None;
    let mut blank = true;
    loop {
      let Ok(token) = p.next_including_whitespace_and_comments().cloned() else { break };
      match token {
        Token::WhiteSpace(_) | Token::Comment(_) if blank => start = p.position().byte_index(),
        Token::WhiteSpace(_) | Token::Comment(_) => {}
        Token::Semicolon | Token::CloseCurlyBracket => {
          held.statements += 1;
          (start, at_rule, blank) = (p.position().byte_index(), None, true);
        }
        Token::AtKeyword(name) if blank => {
          at_rule = Some(name.to_ascii_lowercase());
          blank = false;
        }
        Token::CurlyBracketBlock => {
          let prelude_end = p.position().byte_index() - 1;
          let edits_before = self.edits.len();
          let group = matches!(at_rule.as_deref(), Some("media" | "supports")) && depth < DEPTH;
          let mut inner = Held::default();
          let _ = p.parse_nested_block(|b| -> Result<(), ParseError<'i, ()>> {
            if group {
              inner = self.block(b, depth + 1);
            }
            while b.next_including_whitespace_and_comments().is_ok() {}
            Ok(())
          });
          let end = p.position().byte_index();
          held.statements += 1;
          if group && inner.statements > 0 && inner.gone == inner.statements {
            self.edits.truncate(edits_before);
            self.edits.push((start, end, String::new()));
            held.gone += 1;
          } else if at_rule.is_none() && self.rule(start, prelude_end, end) {
            held.gone += 1;
          }
          (start, at_rule, blank) = (end, None, true);
        }
        _ => blank = false,
      }
    }
    held
  }

  fn line(&mut self, at: usize) -> u32 {
    let (from, line) = self.lines;
    let more = self.src.get(from..at).map_or(0, |s| s.matches('\n').count()) as u32;
    self.lines = (at.max(from), line + more);
    self.lines.1
  }

  /// The style rule `start..end` whose selectors end at `prelude_end`; whether it went whole.
  fn rule(&mut self, start: usize, prelude_end: usize, end: usize) -> bool {
    let Some(prelude) = self.src.get(start..prelude_end) else { return false };
    if prelude.contains('\\') || prelude.trim().is_empty() {
      return false;
    }
    let selectors = split(prelude);
    let Some(classes) = self.classes else {
      self.needed.extend(selectors.iter().flat_map(|s| required(s)));
      return false;
    };
    let line = self.line(start);
    let mut live = Vec::new();
    let mut dead = Vec::new();
    for s in selectors {
      match required(s).into_iter().find(|c| !classes.can_be(c)) {
        Some(class) => dead.push(Removed { selector: s.trim().to_string(), class, line }),
        // Kept as written, whitespace too: a selector may end in a string the newline closes.
        None => live.push(s),
      }
    }
    if dead.is_empty() {
      return false;
    }
    self.removed.extend(dead);
    if live.is_empty() {
      self.edits.push((start, end, String::new()));
      return true;
    }
    self.edits.push((start, prelude_end, live.join(",")));
    false
  }
}

/// A selector list's top-level comma-separated parts.
fn split(prelude: &str) -> Vec<&str> {
  let mut input = ParserInput::new(prelude);
  let mut p = Parser::new(&mut input);
  let (mut parts, mut from) = (Vec::new(), 0);
  while let Ok(token) = p.next_including_whitespace_and_comments() {
    if matches!(token, Token::Comma) {
      let at = p.position().byte_index();
      parts.push(&prelude[from..at - 1]);
      from = at;
    }
  }
  parts.push(&prelude[from..]);
  parts
}

/// The classes a selector's compounds require, outside functional pseudo-classes and
/// attribute selectors (whose contents the tokenizer skips as blocks).
fn required(selector: &str) -> Vec<String> {
  let mut input = ParserInput::new(selector);
  let mut p = Parser::new(&mut input);
  let mut out = Vec::new();
  let mut dot = false;
  while let Ok(token) = p.next_including_whitespace_and_comments() {
    match token {
      Token::Delim('.') => dot = true,
      Token::Ident(name) if dot => {
        out.push(name.to_string());
        dot = false;
      }
      _ => dot = false,
    }
  }
  out
}

#[cfg(test)]
mod tests;
