//! What the planner knows before weighing anything: the units, the pins, every file's reach set,
//! and which files nothing uses. It runs before the first transform pass, so a file about to be
//! pruned is never minified.

use super::{
  PlanOptions, app_root_package, is_code,
  pins::{self, Pins},
  reach::{self, Edges, ReachSets},
  units::Units,
};
use crate::{
  graph::Graph,
  project::{PackageId, Project, app_json},
};

pub struct Analysis {
  pub units: Units,
  pub pins: Pins,
  pub reach: ReachSets,
  /// app.json: its references are the roots, not edges.
  opaque: Vec<bool>,
  /// `usingComponents` entries the JSON minifier drops pull nothing in.
  skip_unused: bool,
  /// `pruned[file]`: nothing uses it, and `[prune]` lets it go.
  pub pruned: Vec<bool>,
}

impl Analysis {
  pub fn compute(project: &Project, graph: &Graph, options: &PlanOptions, skip_unused: bool) -> Self {
    let n = graph.assets.len();
    let units = Units::compute(graph);
    let pins = pins::compute(project, graph, &options.pin, &options.keep);
    let home = |f: usize| project.package_of(&graph.assets[f].path);
    let mut opaque = vec![false; n];
    let mut roots = Vec::new();
    for (f, asset) in graph.assets.iter().enumerate() {
      if asset.path.as_str() == app_json::FILE {
        opaque[f] = true;
        roots.push((f, PackageId::MAIN));
        roots.extend(asset.deps.iter().map(|d| (d.target.index(), app_root_package(project, graph, d))));
      } else if pins.is_root(f) || asset.path.as_str() == "ext.json" {
        roots.push((f, home(f)));
      }
    }
    let reach =
      reach::compute(&Edges { graph, opaque: &opaque, skip_unused }, &units, project.packages().len(), &roots, home);
    let mut pruned = vec![false; n];
    if options.enabled {
      let ships = |f: usize| project.files.get(&graph.assets[f].path).is_some_and(|s| s.ships());
      let may_go = |f: usize| {
        let a = &graph.assets[f];
        if is_code(project, &a.path, a.kind) {
          options.prune_code
        } else {
          options.prune_assets && pins.assets_unprunable.is_none()
        }
      };
      for rep in units.reps() {
        let members = units.members(rep);
        if members.iter().all(|&f| reach.is_empty(f) && (!ships(f) || may_go(f))) {
          for &f in members.iter().filter(|&&f| ships(f)) {
            pruned[f] = true;
          }
        }
      }
    }
    Self { units, pins, reach, opaque, skip_unused, pruned }
  }

  /// The edges that carry reach.
  pub fn edges<'a>(&'a self, graph: &'a Graph) -> Edges<'a> {
    Edges { graph, opaque: &self.opaque, skip_unused: self.skip_unused }
  }
}
