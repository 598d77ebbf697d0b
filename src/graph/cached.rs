//! The per-file scans through the build cache: parsing is most of what a rebuild of an
//! unchanged project costs (a 1 MB vendor bundle takes tens of milliseconds), and what a scan
//! finds depends on the file's text and the scan alone. So do the bracket depth checked before
//! parsing and the asset paths written outside every followed reference; they are stored with
//! the scan, so a file found in the cache is not walked at all. A scan that reported a problem
//! is not stored, so a file with an error is scanned every time and its message is the parser's
//! own.

use serde::{Deserialize, Serialize, de::DeserializeOwned};

use super::mention;
use crate::{
  cache::{Key, Store},
  diagnostic::Span,
  nesting::{self, Nesting, Syntax},
};

/// A scan, and what the same text decides around it.
#[derive(Serialize, Deserialize)]
pub struct Scanned<T> {
  pub scan: T,
  /// WXSS: the first `{` never closed ([`Nesting::unclosed_brace`]).
  pub unclosed_brace: Option<usize>,
  /// Asset paths written outside the references the scan follows ([`mention::find`]).
  pub mentions: Vec<Span>,
}

/// How one kind of file is scanned: its name in the cache key, its comment and string syntax
/// for the depth check (none: not checked), and the spans of the references a scan follows.
pub struct Scanner<'a, T> {
  pub kind: &'a str,
  pub syntax: Option<Syntax>,
  pub followed: fn(&T) -> Vec<Span>,
}

/// `scan()` of `text` with its depth and mentions, or what that returned before for the same
/// kind of scan and text; the depth found instead when the text nests past what wxpack reads.
/// `clean` says whether a result may be stored.
pub fn through<T: Serialize + DeserializeOwned>(
  store: &Store,
  scanner: &Scanner<T>,
  text: &str,
  scan: impl FnOnce() -> T,
  clean: impl Fn(&T) -> bool,
) -> Result<Scanned<T>, Nesting> {
  let key = Key::builder("scan").part(scanner.kind.as_bytes()).part(text.as_bytes()).finish();
  if let Some(found) = store.get_small(&key).and_then(|b| serde_json::from_slice::<Scanned<T>>(&b).ok()) {
    return Ok(found);
  }
  // The parsers recurse as deep as brackets nest; past what they can take on wxpack's stack
  // the file is refused where it gets that deep, not with a crash.
  let nested = scanner.syntax.map(|syntax| nesting::scan(text, syntax));
  if let Some(n) = nested.filter(|n| n.depth > nesting::READ) {
    return Err(n);
  }
  let scan = scan();
  let mentions = mention::find(text, &(scanner.followed)(&scan));
  let found = Scanned { unclosed_brace: nested.and_then(|n| n.unclosed_brace), mentions, scan };
  if clean(&found.scan)
    && let Ok(json) = serde_json::to_vec(&found)
  {
    store.put_small(&key, &json);
  }
  Ok(found)
}
