//! The second pass, after the plan: every planned instance of a file gets its output. Most
//! take the first pass's as it is; an instance whose references the plan rewrote (or whose
//! helpers are now inlined or required from elsewhere) has its edits applied to the source and
//! goes through its minifier again. Then the shared helper modules each package needs are
//! written ([`sharing`]).

mod sharing;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::{Compile, Output, Outputs, cached, helper_modules, located, slimmed, wxss};
use crate::{
  cache::Store,
  config::MinifyConfig,
  diagnostic::{Code, Diagnostic},
  graph::{AssetId, AssetKind, Graph},
  mp_path::MpPath,
  plan::{Edit, Instance, PackagePlan},
  project::{PackageId, Project},
};

/// One file of the output project: an instance of a source file, or a module wxpack wrote (a
/// shared helper), and its bytes.
#[derive(Debug, Clone)]
pub struct Shipped {
  pub origin: Origin,
  pub kind: AssetKind,
  pub package: PackageId,
  /// Where it ships: its source path, or where the planner moved or copied it.
  pub path: MpPath,
  pub output: Output,
}

/// The second pass: each planned instance gets its first-pass output, or, when the planner
/// rewrote references in it, the output of its rewritten source. Sorted by path.
pub fn second_pass(
  project: &Project,
  graph: &Graph,
  plan: &PackagePlan,
  outputs: Outputs,
  config: &MinifyConfig,
  styles: &wxss::Styles,
  store: &Store,
) -> Result<Vec<Shipped>, Vec<Diagnostic>> {
  let css = wxss::Css::of(config);
  let helpers_of = |f: AssetId| outputs.get(f).map_or(&[][..], |o| o.helpers.as_slice());
  let sharing = sharing::Sharing::compute(project, &plan.instances, helpers_of, &outputs.helpers, config);
  let route = |f: AssetId, inst: &Instance| sharing.route(project, helpers_of(f), inst, config);
  // Files whose helpers change (inlined, or required from elsewhere) are compiled again.
  let helpers_moved = |f: AssetId, inst: &Instance| {
    let path = &graph.assets[f].path;
    let first =
      helper_modules::prefix(project, path, project.package_of(path), config).map(helper_modules::Route::all_shared);
    !helpers_of(f).is_empty() && route(f, inst) != first
  };
  let jobs: Vec<(AssetId, usize, &Instance)> = plan
    .instances
    .iter_enumerated()
    .flat_map(|(f, all)| all.iter().enumerate().map(move |(k, i)| (f, k, i)))
    .filter(|&(f, _, i)| !i.edits.is_empty() || helpers_moved(f, i))
    .collect();
  let results: Vec<Result<Redone, Diagnostic>> = jobs
    .par_iter()
    .map(|&(f, k, inst)| {
      let asset = &graph.assets[f];
      let src = project.read_text(&asset.path)?;
      let size_in = src.len() as u64;
      let compile = Compile::of(project, &asset.path, config);
      let route = route(f, inst);
      let (src, unused_css, fonts) = slimmed(styles, store, asset, apply(&src, &inst.edits).into_bytes());
      let helpers = route.as_ref().map(helper_modules::Route::shared);
      let mut out = cached::transformed(store, graph, asset, compile, helpers, config, css, src)
        .map_err(|d| located(project, asset, d))?;
      out.size_in = size_in;
      out.unused_css = unused_css;
      out.fonts = fonts;
      Ok(((f, k), out))
    })
    .collect();
  let mut errors = Vec::new();
  let mut redone: FxHashMap<(AssetId, usize), Output> = FxHashMap::default();
  for r in results {
    match r {
      Ok((key, out)) => {
        redone.insert(key, out);
      }
      Err(d) => errors.push(d),
    }
  }
  if !errors.is_empty() {
    return Err(errors);
  }
  let mut first = outputs.files;
  let mut shipped = Vec::new();
  for (f, all) in plan.instances.iter_enumerated() {
    for (k, inst) in all.iter().enumerate() {
      let output = match redone.remove(&(f, k)) {
        Some(o) => Some(o),
        // The last instance takes the first-pass output; earlier ones copy it.
        None if k + 1 == all.len() => first[f].take(),
        None => first[f].clone(),
      }
      .ok_or_else(|| vec![Diagnostic::error(Code::Internal, format!("no output for {}", inst.path))])?;
      shipped.push(Shipped {
        origin: Origin::Source(f),
        kind: graph.assets[f].kind,
        package: inst.package,
        path: inst.path.clone(),
        output,
      });
    }
  }
  let helpers = sharing.modules(project, &shipped, &outputs.helpers, config).map_err(|d| vec![d])?;
  shipped.extend(helpers);
  shipped.sort_by(|a, b| a.path.cmp(&b.path));
  Ok(shipped)
}

/// Where a shipped file comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
  Source(AssetId),
  /// A shared helper module wxpack wrote, by name (`_create_class`).
  Helper(&'static str),
}

impl Shipped {
  /// The source file, unless wxpack wrote this one.
  pub fn asset(&self) -> Option<AssetId> {
    match self.origin {
      Origin::Source(a) => Some(a),
      Origin::Helper(_) => None,
    }
  }
}

/// A rewritten instance's output, keyed by (file, instance).
type Redone = ((AssetId, usize), Output);

/// `src` with each edit's span replaced (edits are sorted and never overlap).
fn apply(src: &str, edits: &[Edit]) -> String {
  let mut out = String::with_capacity(src.len() + 64);
  let mut at = 0;
  for e in edits {
    out.push_str(&src[at..e.span.start as usize]);
    out.push_str(&e.text);
    at = e.span.end as usize;
  }
  out.push_str(&src[at..]);
  out
}
