//! Where each value of a JSON file is written. serde_json reads the file (and refuses what
//! DevTools refuses) but keeps no positions; this index, built from jsonc-parser's syntax tree of
//! the same text, gives each value's path its span, so a message or a planner edit points at the
//! value serde read, however it is escaped and however often its text repeats.

use jsonc_parser::{
  CollectOptions, ParseOptions,
  ast::{self, ObjectPropName},
  common::Ranged,
};

use crate::diagnostic::Span;

/// One step of a value's path: an object key or an array index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
  Key(String),
  Index(usize),
}

/// A value written in the file.
#[derive(Debug, Clone)]
struct Entry {
  path: Vec<Seg>,
  /// The key naming it, inside its quotes (none for an array element or the top value).
  key: Option<Span>,
  /// The value; a string's inside its quotes.
  value: Span,
  /// A string's value, escapes decoded.
  string: Option<String>,
}

/// Every value of one JSON text with its path and span, in the order they are written. A key
/// written twice in an object has two entries (serde keeps the last).
#[derive(Debug, Clone, Default)]
pub struct JsonSpans {
  entries: Vec<Entry>,
}

/// The deepest nesting indexed: serde_json refuses deeper text, and the walk stays bounded.
const MAX_DEPTH: usize = 128;

impl JsonSpans {
  /// The index of `text`, which serde_json has already read (an unreadable text gives an
  /// empty index, and every lookup then finds nothing).
  pub fn of(text: &str) -> Self {
    // A BOM (which serde is given past) becomes three spaces, so offsets stay the file's.
    let unmarked;
    let text = match text.strip_prefix('\u{feff}') {
      Some(rest) => {
        unmarked = format!("   {rest}");
        unmarked.as_str()
      }
      None => text,
    };
    let options = CollectOptions { comments: jsonc_parser::CommentCollectionStrategy::Off, tokens: false };
    let Ok(parsed) = jsonc_parser::parse_to_ast(text, &options, &ParseOptions::default()) else {
      return Self::default();
    };
    let mut index = Self::default();
    if let Some(value) = &parsed.value {
      index.walk(value, &mut Vec::new(), None);
    }
    index
  }

  fn walk(&mut self, value: &ast::Value, path: &mut Vec<Seg>, key: Option<Span>) {
    if path.len() > MAX_DEPTH {
      return;
    }
    let (span, string) = match value {
      ast::Value::StringLit(s) => (inside_quotes(s.range()), Some(s.value.to_string())),
      other => (Span::new(other.start(), other.end()), None),
    };
    self.entries.push(Entry { path: path.clone(), key, value: span, string });
    match value {
      ast::Value::Object(o) => {
        for prop in &o.properties {
          let (name, range) = match &prop.name {
            ObjectPropName::String(s) => (s.value.to_string(), inside_quotes(s.range())),
            ObjectPropName::Word(w) => (w.value.to_string(), Span::new(w.start(), w.end())),
          };
          path.push(Seg::Key(name));
          self.walk(&prop.value, path, Some(range));
          path.pop();
        }
      }
      ast::Value::Array(a) => {
        for (i, element) in a.elements.iter().enumerate() {
          path.push(Seg::Index(i));
          self.walk(element, path, None);
          path.pop();
        }
      }
      _ => {}
    }
  }

  /// The spans of the values at `path` (keys; array indexes as their digits), in file order.
  pub fn values<'a>(&'a self, path: &'a [&str]) -> impl Iterator<Item = Span> + 'a {
    self.at(path).map(|e| e.value)
  }

  /// The first value at `path`.
  pub fn value(&self, path: &[&str]) -> Option<Span> {
    self.values(path).next()
  }

  /// The key of the first value at `path`.
  pub fn key(&self, path: &[&str]) -> Option<Span> {
    self.at(path).find_map(|e| e.key)
  }

  /// The spans of the strings at `path` that read as `value`: each spelling of one reference.
  pub fn strings<'a>(&'a self, path: &'a [&str], value: &'a str) -> impl Iterator<Item = Span> + 'a {
    self.at(path).filter(move |e| e.string.as_deref() == Some(value)).map(|e| e.value)
  }

  /// The string at `path`, decoded.
  pub fn string_at(&self, path: &[Seg]) -> Option<&str> {
    self.entries.iter().find(|e| e.path == path).and_then(|e| e.string.as_deref())
  }

  /// The first string that reads as `value` and whose path `wanted` accepts.
  pub fn find_where(&self, value: &str, wanted: impl Fn(&[Seg]) -> bool) -> Option<Span> {
    self.entries.iter().find(|e| e.string.as_deref() == Some(value) && wanted(&e.path)).map(|e| e.value)
  }

  /// Every string whose path `wanted` accepts, decoded, with its span, in file order.
  pub fn strings_where<'a>(
    &'a self,
    wanted: impl Fn(&[Seg]) -> bool + 'a,
  ) -> impl Iterator<Item = (Span, &'a str)> + 'a {
    self.entries.iter().filter(move |e| wanted(&e.path)).filter_map(|e| Some((e.value, e.string.as_deref()?)))
  }

  /// The first value whose path `wanted` accepts.
  pub fn value_where(&self, wanted: impl Fn(&[Seg]) -> bool) -> Option<Span> {
    self.entries.iter().find(|e| wanted(&e.path)).map(|e| e.value)
  }

  /// The first string or key that reads as `text` under a key named `under` (the first in the
  /// file when none is under it, or without `under`): where a message about a value names it.
  pub fn find(&self, text: &str, under: Option<&str>) -> Option<Span> {
    let hit = |e: &Entry| {
      let key = matches!(e.path.last(), Some(Seg::Key(k)) if k == text).then_some(e.key).flatten();
      key.or_else(|| (e.string.as_deref() == Some(text)).then_some(e.value))
    };
    let within = |e: &&Entry| under.is_some_and(|k| e.path.iter().any(|s| matches!(s, Seg::Key(n) if n == k)));
    self.entries.iter().filter(within).find_map(hit).or_else(|| self.entries.iter().find_map(hit))
  }

  /// The key span of the first value named `key`, at any depth.
  pub fn any_key(&self, key: &str) -> Option<Span> {
    self.entries.iter().find(|e| matches!(e.path.last(), Some(Seg::Key(n)) if n == key)).and_then(|e| e.key)
  }

  fn at<'a>(&'a self, path: &'a [&str]) -> impl Iterator<Item = &'a Entry> + 'a {
    self.entries.iter().filter(move |e| {
      e.path.len() == path.len()
        && e.path.iter().zip(path).all(|(s, want)| match s {
          Seg::Key(k) => k == want,
          Seg::Index(i) => want.parse() == Ok(*i),
        })
    })
  }
}

/// A string literal's span without its quotes.
fn inside_quotes(range: jsonc_parser::common::Range) -> Span {
  Span::new(range.start + 1, range.end.saturating_sub(1).max(range.start + 1))
}

#[cfg(test)]
mod tests {
  use super::*;

  fn text(src: &str, s: Span) -> &str {
    &src[s.start as usize..s.end as usize]
  }

  #[test]
  fn values_are_found_by_path_whatever_their_spelling() {
    let src = r#"{"a": {"b": "\/x\/y", "c": [1, "z"]}, "d": "\/x\/y"}"#;
    let spans = JsonSpans::of(src);
    assert_eq!(text(src, spans.value(&["a", "b"]).unwrap()), r"\/x\/y");
    assert_eq!(text(src, spans.value(&["a", "c", "1"]).unwrap()), "z");
    assert_eq!(text(src, spans.key(&["a", "c"]).unwrap()), "c");
    // The same value under another key is another place.
    assert_eq!(text(src, spans.find("/x/y", Some("d")).unwrap()), r"\/x\/y");
    assert!(spans.find("/x/y", Some("d")).unwrap().start > spans.value(&["a", "b"]).unwrap().start);
    // Keys are found too, and a key that is nowhere leaves the search unscoped.
    assert_eq!(text(src, spans.find("c", None).unwrap()), "c");
    assert_eq!(text(src, spans.find("z", Some("nowhere")).unwrap()), "z");
  }

  #[test]
  fn a_key_written_twice_is_two_places() {
    let src = "{\"u\": {\"l\": \"/d/l\",\n \"l\": \"/d/l\", \"m\": \"/d/l\"}}";
    let spans = JsonSpans::of(src);
    assert_eq!(spans.strings(&["u", "l"], "/d/l").count(), 2);
    assert_eq!(spans.strings(&["u", "m"], "/d/l").count(), 1);
  }

  #[test]
  fn a_bom_keeps_offsets() {
    let src = "\u{feff}{\"a\": \"b\"}";
    assert_eq!(text(src, JsonSpans::of(src).value(&["a"]).unwrap()), "b");
  }

  #[test]
  fn unreadable_or_deep_text_is_an_empty_index() {
    assert!(JsonSpans::of("{").value(&[]).is_none());
    let deep = format!("{}{}", "[".repeat(300), "]".repeat(300));
    let spans = JsonSpans::of(&deep);
    assert!(spans.value(&[]).is_some());
  }
}
