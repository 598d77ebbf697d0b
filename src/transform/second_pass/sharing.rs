//! Which helpers ship as a shared module in which package, and the modules themselves.

use rustc_hash::{FxHashMap, FxHashSet};

use super::{Origin, Shipped};
use crate::{
  config::MinifyConfig,
  diagnostic::{Code, Diagnostic, Location},
  graph::{AssetId, AssetKind},
  index_vec::IndexVec,
  plan::Instance,
  project::{PackageId, Project},
  transform::{
    Output,
    helper_modules::{Modules, Route, prefix, require_bytes},
  },
};

/// Which helpers are shared in which package.
pub struct Sharing {
  pays: FxHashSet<(PackageId, &'static str)>,
}

impl Sharing {
  /// `helpers(f)`: the helpers the first pass of file `f` requires. A helper's module pays in a
  /// package when its users there, each inlining its own copy, would ship more than the module
  /// and their requires of it.
  pub fn compute<'a>(
    project: &Project,
    instances: &IndexVec<AssetId, Vec<Instance>>,
    helpers: impl Fn(AssetId) -> &'a [&'static str],
    modules: &Modules,
    config: &MinifyConfig,
  ) -> Self {
    let mut requires: FxHashMap<(PackageId, &'static str), (u64, u64)> = FxHashMap::default();
    for (f, all) in instances.iter_enumerated() {
      for inst in all {
        let Some(prefix) = prefix(project, &inst.path, inst.package, config) else { continue };
        for &h in helpers(f) {
          let (n, bytes) = requires.entry((inst.package, h)).or_default();
          *n += 1;
          *bytes += require_bytes(&prefix, h);
        }
      }
    }
    let pays = requires
      .into_iter()
      .filter(|&((_, name), (n, require_bytes))| {
        let module = modules.0.get(name).map_or(0, Vec::len) as u64;
        n * modules.inline_bytes(name) > module + require_bytes
      })
      .map(|(key, _)| key)
      .collect();
    Self { pays }
  }

  /// How `inst`, an instance of a file that uses `helpers`, gets them: those that pay in its
  /// package required, the others inline; `None` when none pays (all inline).
  pub fn route(
    &self,
    project: &Project,
    helpers: &[&'static str],
    inst: &Instance,
    config: &MinifyConfig,
  ) -> Option<Route> {
    let (shared, inline): (Vec<&'static str>, Vec<&'static str>) =
      helpers.iter().partition(|&&h| self.pays.contains(&(inst.package, h)));
    if shared.is_empty() {
      return None;
    }
    Some(Route { prefix: prefix(project, &inst.path, inst.package, config)?, inline })
  }

  /// The modules the shipped files require, per package.
  pub fn modules(
    &self,
    project: &Project,
    shipped: &[Shipped],
    modules: &Modules,
    config: &MinifyConfig,
  ) -> Result<Vec<Shipped>, Diagnostic> {
    let Some(dir) = &config.helpers_dir else { return Ok(Vec::new()) };
    let mut wanted: Vec<(PackageId, &'static str)> =
      shipped.iter().flat_map(|s| s.output.helpers.iter().map(|&h| (s.package, h))).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut out = Vec::with_capacity(wanted.len());
    for (package, name) in wanted {
      let root = &project.packages()[package].root;
      let path = root.join(dir.as_str()).and_then(|d| d.join(&format!("{name}.js")));
      let path = path.map_err(|_| Diagnostic::error(Code::Internal, format!("no path for the helper {name}")))?;
      if shipped.iter().any(|s| s.path == path) {
        let message = format!("wxpack would write the helper module {path}, which the output already has");
        return Err(
          Diagnostic::error(Code::InvalidToml, message)
            .at(Location::file(project.display(&path)))
            .with_help("set [plan] folder to a name the project does not use, or [js] shared_helpers = false"),
        );
      }
      let bytes = modules
        .0
        .get(name)
        .ok_or_else(|| Diagnostic::error(Code::Internal, format!("no module for the helper {name}")))?;
      let output = Output::plain(bytes.clone(), 0);
      out.push(Shipped { origin: Origin::Helper(name), kind: AssetKind::Js, package, path, output });
    }
    Ok(out)
  }
}
