//! Sass compiles through the build cache, in the two steps Less's take (`super::less_cache`):
//! the entry under the source's own key (its bytes, the line DevTools puts in front of it)
//! lists every path the compile asked the file system about, root-relative, and the CSS is
//! stored under a key that adds each answer as it is now (a file's bytes, whether a file or a
//! folder is there). Editing an imported file, or creating one where a lookup found nothing,
//! changes the second key. A compile that asked about a path outside the root is not cached.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{
  Compiled,
  sass::{self, Probe},
};
use crate::{
  cache::{Key, Store},
  diagnostic::Diagnostic,
  mp_path::MpPath,
};

#[derive(Serialize, Deserialize)]
struct Dep {
  path: String,
  probe: Probe,
}

/// [`sass::compile`], through `store`; `true` with a result the cache held.
pub fn compile(
  root: &Path,
  file: &Path,
  c: &Compiled,
  prefix: Option<&str>,
  display: &(dyn Fn(&MpPath) -> String + Sync),
  store: &Store,
) -> Result<(String, bool), Diagnostic> {
  let own = std::fs::read(file).ok().map(|bytes| {
    let key = Key::builder("sass-deps").part(format!("{:?}", c.lang).as_bytes());
    key.part(prefix.unwrap_or_default().as_bytes()).part(c.from.as_str().as_bytes()).part(&bytes).finish()
  });
  let stored = own.and_then(|own| {
    let deps: Vec<Dep> = serde_json::from_slice(&store.get(&own)?).ok()?;
    String::from_utf8(store.get(&closure_key(&own, &deps, root)?)?).ok()
  });
  if let Some(css) = stored {
    return Ok((css, true));
  }
  let (css, probes) = sass::compile(root, file, c, prefix, display)?;
  if let Some(own) = own
    && let Some(deps) = deps_of(&probes, root)
    && let Some(key) = closure_key(&own, &deps, root)
    && let Ok(list) = serde_json::to_vec(&deps)
  {
    store.put(&key, css.as_bytes());
    store.put(&own, &list);
  }
  Ok((css, false))
}

/// The probes, root-relative and without repeats; `None` when one is outside the root.
fn deps_of(probes: &[(PathBuf, Probe)], root: &Path) -> Option<Vec<Dep>> {
  let mut deps: Vec<Dep> = Vec::new();
  for (at, probe) in probes {
    let path = at.strip_prefix(root).ok()?.to_str()?.to_string();
    if !deps.iter().any(|d| d.path == path && d.probe == *probe) {
      deps.push(Dep { path, probe: *probe });
    }
  }
  Some(deps)
}

/// The result's key: the source's own key and each probe's answer now. `None` when a file that
/// was read cannot be.
fn closure_key(own: &Key, deps: &[Dep], root: &Path) -> Option<Key> {
  let mut key = Key::builder("sass").key(own);
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
