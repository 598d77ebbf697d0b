//! Less compiles through the build cache: a source whose bytes, import closure and options did
//! not change is not compiled again, and when none changed, node is not even started.
//!
//! A result depends on more than its source: on every file it imported and on the paths tried
//! (and not found) before an import resolved from the root. Both are learnt from the compile
//! that produced it, so the lookup takes two steps, as ccache's "depend mode" does: the entry
//! under the source's own key lists those files (root-relative), and the result is stored under
//! a key that adds each listed file's current bytes (or its absence). Editing an imported file,
//! or creating one where a lookup used to fail, changes the second key.

use std::path::Path;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::less::{self, Job};
use crate::{
  cache::{Key, Store},
  diagnostic::Diagnostic,
  mp_path::MpPath,
};

/// A file the result depends on, relative to the mini program root.
#[derive(Serialize, Deserialize)]
struct Dep {
  path: String,
  /// `false`: the result depends on there being no file here.
  present: bool,
}

/// [`less::compile_all`], through `store`; with how many results the cache held.
pub fn compile_all(
  project_dir: &Path,
  root: &Path,
  sources: &[Job<'_>],
  global_vars: &serde_json::Map<String, serde_json::Value>,
  display: &(dyn Fn(&MpPath) -> String + Sync),
  store: &Store,
) -> Result<(FxHashMap<MpPath, String>, usize), Vec<Diagnostic>> {
  let package = less::find_less_package(project_dir);
  let version = package
    .as_ref()
    .and_then(|p| std::fs::read(p.join("package.json")).ok())
    .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
    .and_then(|v| Some(v.get("version")?.as_str()?.to_string()));
  // Without a version to key on (no package found), nothing is cached.
  let Some(version) = version else {
    let out = less::compile_all(package.as_deref(), root, sources, global_vars, display)?;
    return Ok((out.into_iter().map(|(p, c)| (p, c.css)).collect(), 0));
  };
  let vars = serde_json::to_string(global_vars).unwrap_or_default();
  let own_key = |job: &Job| -> Option<Key> {
    let bytes = std::fs::read(job.file).ok()?;
    let prefix = job.prefix.as_deref().unwrap_or_default();
    let key = Key::builder("less-deps").part(version.as_bytes()).part(vars.as_bytes()).part(prefix.as_bytes());
    Some(key.part(job.from.as_str().as_bytes()).part(&bytes).finish())
  };
  let mut out = FxHashMap::default();
  let mut misses = Vec::new();
  for job in sources {
    let own = own_key(job);
    let stored = own.and_then(|own| {
      let deps: Vec<Dep> = serde_json::from_slice(&store.get(&own)?).ok()?;
      let css = store.get(&closure_key(&own, &deps, root)?)?;
      String::from_utf8(css).ok()
    });
    match stored {
      Some(css) => {
        out.insert(job.output.clone(), css);
      }
      None => misses.push((job, own)),
    }
  }
  let reused = out.len();
  if misses.is_empty() {
    return Ok((out, reused));
  }
  let jobs: Vec<Job> = misses.iter().map(|(j, _)| (*j).clone()).collect();
  let compiled = less::compile_all(package.as_deref(), root, &jobs, global_vars, display)?;
  for (job, own) in misses {
    let Some(c) = compiled.get(job.output) else { continue };
    if let Some(own) = own
      && let Some(deps) = deps_of(c, root)
      && let Some(key) = closure_key(&own, &deps, root)
      && let Ok(list) = serde_json::to_vec(&deps)
    {
      store.put(&key, c.css.as_bytes());
      store.put(&own, &list);
    }
    out.insert(job.output.clone(), c.css.clone());
  }
  Ok((out, reused))
}

/// What a compile read and probed, root-relative; `None` when it read a file outside the root
/// (a package elsewhere on disk): such a result is not cached. Paths probed outside the root
/// (`/app.less` read as a path of the machine before the root) are not followed.
fn deps_of(c: &less::Css, root: &Path) -> Option<Vec<Dep>> {
  let rel = |p: &Path| Some(p.strip_prefix(root).ok()?.to_str()?.to_string());
  let present = c.imports.iter().map(|p| Some(Dep { path: rel(p)?, present: true }));
  let absent =
    c.absent.iter().filter(|p| !p.exists()).filter_map(|p| Some(Some(Dep { path: rel(p)?, present: false })));
  present.chain(absent).collect()
}

/// The result's key: the source's own key and, for each dependency, its bytes now (or that it
/// is still absent). `None` when one that was read is gone.
fn closure_key(own: &Key, deps: &[Dep], root: &Path) -> Option<Key> {
  let mut key = Key::builder("less").key(own);
  for d in deps {
    let at = root.join(&d.path);
    key = key.part(d.path.as_bytes());
    key = if d.present { key.part(&std::fs::read(&at).ok()?) } else { key.part(&[u8::from(at.exists())]) };
  }
  Some(key.finish())
}
