//! The JS and WXS scans through the build cache: parsing is most of what a rebuild of an
//! unchanged project costs (a 1 MB vendor bundle takes tens of milliseconds), and what it finds
//! depends on the text alone. A file that does not parse is scanned every time, so its error is
//! always the parser's own.

use super::{JsScan, scan_js, scan_wxs};
use crate::{
  cache::{Key, Store},
  diagnostic::Source,
};

/// Which scan: JS (TypeScript or not) or WXS.
#[derive(Debug, Clone, Copy)]
pub enum Dialect {
  Js { typescript: bool },
  Wxs,
}

pub fn scan(source: &Source, dialect: Dialect, store: &Store) -> JsScan {
  let key = Key::builder("scan-js").part(format!("{dialect:?}").as_bytes()).part(source.text().as_bytes()).finish();
  if let Some(found) = store.get(&key).and_then(|b| serde_json::from_slice::<JsScan>(&b).ok()) {
    return found;
  }
  let found = match dialect {
    Dialect::Js { typescript } => scan_js(source, typescript),
    Dialect::Wxs => scan_wxs(source),
  };
  if found.error.is_none()
    && let Ok(json) = serde_json::to_vec(&found)
  {
    store.put(&key, &json);
  }
  found
}
