//! The build cache for compilers whose result depends on files they find as they go (Less's and
//! Sass's imports). What a compile read and asked about is learnt from the compile itself, so a
//! lookup takes two steps, as ccache's "depend mode" does: the entry under the source's own key
//! lists those paths (root-relative) with what was asked of each, and the result is stored under
//! a key that adds each answer as it is now (a file's bytes, whether a file or folder is there).
//! Editing an imported file, or creating one where a lookup found nothing, changes the second
//! key. A compile that touched a path outside the root is not cached.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::cache::{Key, Store};

/// What a compile asked of the file system: its result depends on each answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Probe {
  /// The file's bytes.
  Read,
  /// Whether a file is there.
  IsFile,
  /// Whether a folder is there.
  IsDir,
}

/// A path a result depends on, relative to the mini program root.
#[derive(Serialize, Deserialize)]
pub struct Dep {
  path: String,
  probe: Probe,
}

/// `probes` root-relative and without repeats; `None` when one is outside the root.
pub fn deps<'a>(probes: impl IntoIterator<Item = (&'a Path, Probe)>, root: &Path) -> Option<Vec<Dep>> {
  let mut deps: Vec<Dep> = Vec::new();
  for (at, probe) in probes {
    let path = at.strip_prefix(root).ok()?.to_str()?.to_string();
    if !deps.iter().any(|d| d.path == path && d.probe == probe) {
      deps.push(Dep { path, probe });
    }
  }
  Some(deps)
}

/// The result stored for the source keyed `own` (a `domain` result), if every path it depends
/// on answers as it did.
pub fn lookup(store: &Store, domain: &str, own: &Key, root: &Path) -> Option<String> {
  let deps: Vec<Dep> = serde_json::from_slice(&store.get(own)?).ok()?;
  String::from_utf8(store.get(&closure_key(domain, own, &deps, root)?)?).ok()
}

/// Stores `result` of the source keyed `own`, which depends on `deps`.
pub fn remember(store: &Store, domain: &str, own: &Key, deps: &[Dep], root: &Path, result: &str) {
  if let Some(key) = closure_key(domain, own, deps, root)
    && let Ok(list) = serde_json::to_vec(deps)
  {
    store.put(&key, result.as_bytes());
    store.put(own, &list);
  }
}

/// The result's key: the source's own key and each path's answer now. `None` when a file that
/// was read cannot be.
fn closure_key(domain: &str, own: &Key, deps: &[Dep], root: &Path) -> Option<Key> {
  let mut key = Key::builder(domain).key(own);
  for d in deps {
    let at = root.join(&d.path);
    key = key.part(d.path.as_bytes());
    key = match d.probe {
      Probe::Read => key.part(&std::fs::read(&at).ok()?),
      Probe::IsFile => key.part(&[u8::from(at.is_file())]),
      Probe::IsDir => key.part(&[u8::from(at.is_dir())]),
    };
  }
  Some(key.finish())
}
