//! Shared helper modules: the helpers compiled JS needs (`_create_class`, `_ts_generator`, …),
//! one module per helper in each package's helper folder (`__wxpack__/helpers/`), required by the
//! files that use them, instead of a copy inlined into every such file.
//!
//! Each package has its own modules, so no file reaches into another package (independent
//! subpackages cannot). A module only pays when enough files of its package share it; a file
//! whose helpers do not pay is compiled again with them inline (see [`Sharing::compute`]).

pub mod ast;

use rustc_hash::{FxHashMap, FxHashSet};

use self::ast::Shared;
use super::{Origin, Output, Shipped, js};
use crate::{
  config::MinifyConfig,
  diagnostic::{Code, Diagnostic, Location},
  graph::AssetKind,
  mp_path::MpPath,
  plan::Instance,
  project::{PackageId, Project},
};

/// What a `var x = require("<prefix><name>.js")` and its `x._` uses add to a file, besides the
/// prefix and name: measured on minified output, rounded up.
const REQUIRE_BYTES: usize = 24;

/// What requiring `name` from `prefix` costs a file.
fn require_bytes(prefix: &str, name: &str) -> u64 {
  (prefix.len() + name.len() + REQUIRE_BYTES) as u64
}

/// How a file at `path` in `package` requires the shared helper modules: `../__wxpack__/helpers/`.
/// `None` when helpers are inlined.
pub fn prefix(project: &Project, path: &MpPath, package: PackageId, config: &MinifyConfig) -> Option<String> {
  let dir = project.packages()[package.index()].root.join(config.helpers_dir.as_ref()?.as_str()).ok()?;
  let spec = dir.join("_.js").ok()?.relative_from(&path.parent());
  Some(spec.strip_suffix("_.js").unwrap_or(&spec).to_string())
}

/// The module of each helper some file requires.
#[derive(Debug, Default)]
pub struct Modules(FxHashMap<&'static str, Vec<u8>>);

impl Modules {
  /// Writes the module of each of `names`, minified as JS is.
  pub fn of<'a>(names: impl Iterator<Item = &'a &'static str>, config: &MinifyConfig) -> Result<Self, Diagnostic> {
    let mut modules = FxHashMap::default();
    for &name in names {
      if !modules.contains_key(name) {
        let code = js::helper_module(name, config.js.then_some(config.js_options))
          .ok_or_else(|| Diagnostic::error(Code::Internal, format!("swc has no helper {name}")))?;
        modules.insert(name, code.into_bytes());
      }
    }
    Ok(Self(modules))
  }

  /// What the helper adds to a file that inlines it: its module without `exports._=`.
  pub fn inline_bytes(&self, name: &str) -> u64 {
    self.0.get(name).map_or(0, |m| m.len().saturating_sub("exports._=".len()) as u64)
  }

  /// What a file that requires `helpers` from `prefix` would gain by inlining them instead.
  pub fn inlined_minus_required(&self, helpers: &[&'static str], prefix: &str) -> u64 {
    let inline: u64 = helpers.iter().map(|h| self.inline_bytes(h)).sum();
    inline.saturating_sub(helpers.iter().map(|h| require_bytes(prefix, h)).sum())
  }
}

/// How one file gets its helpers (see [`Shared`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
  pub prefix: String,
  pub inline: Vec<&'static str>,
}

impl Route {
  /// The first pass requires every helper: which ones pay is known once all files are compiled.
  pub fn all_shared(prefix: String) -> Self {
    Self { prefix, inline: Vec::new() }
  }

  pub fn shared(&self) -> Shared<'_> {
    Shared { prefix: &self.prefix, inline: &self.inline }
  }
}

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
    instances: &[Vec<Instance>],
    helpers: impl Fn(usize) -> &'a [&'static str],
    modules: &Modules,
    config: &MinifyConfig,
  ) -> Self {
    let mut requires: FxHashMap<(PackageId, &'static str), (u64, u64)> = FxHashMap::default();
    for (f, all) in instances.iter().enumerate() {
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
      let root = &project.packages()[package.index()].root;
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
