//! Less compiles through the build cache ([`super::depend`]): a source whose bytes, imports
//! (each file read, each path tried and not found before an import resolved from the root) and
//! options did not change is not compiled again, and when none changed, node is not even
//! started.

use std::path::Path;

use rustc_hash::FxHashMap;

use super::{
  depend::{self, Probe},
  less::{self, Job},
};
use crate::{
  cache::{Key, Store},
  diagnostic::Diagnostic,
  mp_path::MpPath,
};

const DOMAIN: &str = "less";

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
    match own.and_then(|own| depend::lookup(store, DOMAIN, &own, root)) {
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
    // Paths probed outside the root (`/app.less` read as a path of the machine before the
    // root) are not followed: lessc tried them only as the root's.
    let absent = c.absent.iter().filter(|p| p.starts_with(root) && !p.is_file());
    let probes =
      c.imports.iter().map(|p| (p.as_path(), Probe::Read)).chain(absent.map(|p| (p.as_path(), Probe::IsFile)));
    if let Some(own) = own
      && let Some(deps) = depend::deps(probes, root)
    {
      depend::remember(store, DOMAIN, &own, &deps, root, &c.css);
    }
    out.insert(job.output.clone(), c.css.clone());
  }
  Ok((out, reused))
}
