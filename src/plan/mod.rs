//! Plan stage: which package each file ships in, and at which path.
//!
//! Input: the project, its graph and the first transform pass (so budgets are weighed in shipped
//! bytes). Output: a [`PackagePlan`] with, per file, its [`Decision`] and its [`Instance`]s (the
//! places it ships, each with the reference rewrites it needs there). The steps, one file each:
//! - [`units`]: a component's four files move as one;
//! - [`pins`]: what computed paths may name stays where it is;
//! - [`reach`]: per file, the packages that load it synchronously;
//! - [`place`]: one decision per unit (stay, move, copy, keep shared, prune);
//! - [`solve`]: files shared by several subpackages, placed by budget;
//! - [`layout`]: output paths, and which copy each package sees ([`identical`] files of one
//!   package ship once);
//! - [`edits`]: every reference re-spelt for the new layout and checked against the
//!   platform's package rules ([`rules`] words the violations);
//! - [`settle`]: a placement that breaks a reference is undone, and the layout checked again;
//! - [`suggest`]: when main is still over budget, the pages whose move would free the most.

pub mod analysis;
pub mod edits;
pub mod identical;
pub mod layout;
pub mod pins;
pub mod place;
pub mod reach;
pub mod rules;
pub mod settle;
pub mod solve;
pub mod suggest;
pub mod units;

use serde::Serialize;

pub use crate::config::options::{Globs, PlanOptions, SharedPolicy};
pub use analysis::Analysis;
pub use layout::{Edit, Instance};
pub use pins::Pin;
use solve::Unmet;
use suggest::PageSuggestion;

use crate::{
  config::Budgets,
  diagnostic::{Code, Diagnostic},
  graph::{AssetId, Graph},
  index_vec::IndexVec,
  project::{PackageId, Project, app_json},
};

/// What the planner did with one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Decision {
  /// Ships where it is (or, when WeChat would not upload it, nowhere).
  Stay,
  /// Left main for the one subpackage that uses it.
  Moved,
  /// Ships in each package that uses it (independent subpackages always get their own copy).
  Copied,
  /// Used by several subpackages and kept once in main.
  Shared,
  /// Nothing uses it; it does not ship.
  Pruned,
  /// Byte-identical to another file of its package, which ships in its place.
  Identical,
}

/// The plan: per file its decision, why it is pinned, and where it ships.
#[derive(Debug)]
pub struct PackagePlan {
  pub decisions: IndexVec<AssetId, Decision>,
  pub pins: IndexVec<AssetId, Option<Pin>>,
  pub instances: IndexVec<AssetId, Vec<Instance>>,
  /// For an [`Identical`](Decision::Identical) file: the file that ships in its place, and in
  /// which package.
  pub same_as: IndexVec<AssetId, Option<identical::Same>>,
  pub folder: String,
  /// Constraints the budget solver could not meet.
  pub unmet: Vec<Unmet>,
  /// When main is still over budget: pages to move, most bytes freed first.
  pub suggestions: Vec<PageSuggestion>,
  /// Why some pruning is off, when it is.
  pub notes: Vec<String>,
  pub warnings: Vec<Diagnostic>,
}

impl PackagePlan {
  /// Places every file of `analysis`, weighing them by `sizes` (shipped bytes).
  pub fn compute(
    project: &Project,
    graph: &Graph,
    analysis: &Analysis,
    sizes: &IndexVec<AssetId, u64>,
    options: &PlanOptions,
    budgets: &Budgets,
  ) -> Result<Self, Vec<Diagnostic>> {
    let n = graph.assets.len();
    let edges = analysis.edges(graph);
    let pins = &analysis.pins;
    let ships = |f: AssetId| graph.assets[f].ships;
    let ctx = place::Context {
      project,
      graph,
      units: &analysis.units,
      reach: &analysis.reach,
      pins,
      pruned: &analysis.pruned,
      options,
      ships: &ships,
    };
    let mut placed = place::decide(&ctx);
    let unmet =
      if options.enabled { solve::meet_budgets(&ctx, &mut placed, sizes, budgets, &edges) } else { Vec::new() };
    let contents = identical::contents(&ctx);
    let settle::Settled { instances, same, warnings: kept } =
      settle::settle(&ctx, &mut placed, &edges, &options.folder, &contents)?;
    let same_as = IndexVec::from_fn(n, |f| same.get(&f).copied());
    let decisions = IndexVec::from_fn(n, |f| match same_as[f] {
      Some(_) => Decision::Identical,
      None => place::decision(&placed[analysis.units.of(f)], ships(f)),
    });
    let main_after: u64 = instances
      .iter_enumerated()
      .flat_map(|(f, inst)| inst.iter().filter(|i| i.package == PackageId::MAIN).map(move |_| sizes[f]))
      .sum();
    let suggestions = if main_after > budgets.main.0 {
      suggest::pages(project, graph, &instances, sizes, &edges, pins)
    } else {
      Vec::new()
    };
    let mut notes = Vec::new();
    if let Some(site) = &pins.assets_unprunable
      && options.prune_assets
    {
      notes.push(format!(
        "assets are not pruned: {}:{}:{} builds an image path from nothing static ({})",
        site.file, site.line, site.column, site.text
      ));
    }
    if let Some(Pin::AnyModule { at }) = pins.pinned.iter().flatten().find(|p| matches!(p, Pin::AnyModule { .. })) {
      notes.push(format!(
        "no JS file is moved or pruned: {}:{}:{} requires a path computed from nothing static ({}); give it a static start such as require('./locales/' + lang)",
        at.file, at.line, at.column, at.text
      ));
    }
    Ok(Self {
      decisions,
      pins: pins.pinned.clone(),
      instances,
      same_as,
      folder: options.folder.clone(),
      unmet,
      suggestions,
      notes,
      warnings: [independent_global_components(project), kept].concat(),
    })
  }
}

/// The package an app.json reference roots: pages and subpackage entries (and worker files)
/// their own; global components, tabBar icons, app.js and the rest main.
fn app_root_package(project: &Project, graph: &Graph, dep: &crate::graph::Dep) -> PackageId {
  use crate::graph::DepKind;
  match dep.kind {
    DepKind::Page | DepKind::AppFile => project.package_of(&graph.assets[dep.target].path),
    _ => PackageId::MAIN,
  }
}

/// Global `usingComponents` apply to independent pages too, which cannot load main-package code
/// (a known platform failure); a warning per independent subpackage.
fn independent_global_components(project: &Project) -> Vec<Diagnostic> {
  let globals = &project.app.using_components;
  if globals.is_empty() {
    return Vec::new();
  }
  let tags: Vec<&str> = globals.iter().map(|(t, _)| t.as_str()).collect();
  project
    .packages()
    .iter()
    .filter(|p| p.kind == crate::project::PackageKind::Independent)
    .map(|p| {
      let file = format!("{}{}", project.root_prefix, app_json::FILE);
      let src = &project.app.source;
      let span = app_json::root_span(&project.app.spans, p);
      let at = span
        .map_or_else(|| crate::diagnostic::Location::file(&file), |s| crate::diagnostic::Source::new(&file, src).at(s));
      Diagnostic::warning(
        Code::IndependentGlobals,
        format!(
          "independent subpackage {} inherits the global usingComponents {}, which live in the main package",
          p.root,
          tags.join(", ")
        ),
      )
      .at(at)
      .with_help("independent pages cannot load main-package components; declare them in the pages that use them")
    })
    .collect()
}
