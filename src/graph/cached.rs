//! The per-file scans through the build cache: parsing is most of what a rebuild of an
//! unchanged project costs (a 1 MB vendor bundle takes tens of milliseconds), and what a scan
//! finds depends on the file's text and the scan alone. A scan that reported a problem is not
//! stored, so a file with an error is scanned every time and its message is the parser's own.

use serde::{Serialize, de::DeserializeOwned};

use crate::cache::{Key, Store};

/// `scan()` of `text`, or what it returned before for the same `kind` of scan and text.
/// `clean` says whether a result may be stored.
pub fn through<T: Serialize + DeserializeOwned>(
  store: &Store,
  kind: &str,
  text: &str,
  scan: impl FnOnce() -> T,
  clean: impl Fn(&T) -> bool,
) -> T {
  let key = Key::builder("scan").part(kind.as_bytes()).part(text.as_bytes()).finish();
  if let Some(found) = store.get(&key).and_then(|b| serde_json::from_slice::<T>(&b).ok()) {
    return found;
  }
  let found = scan();
  if clean(&found)
    && let Ok(json) = serde_json::to_vec(&found)
  {
    store.put(&key, &json);
  }
  found
}
