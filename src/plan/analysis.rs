//! What the planner knows before weighing anything: the units, the pins, every file's reach set,
//! and which files nothing uses. It runs before the first transform pass, so a file about to be
//! pruned is never minified.

use super::{
  PlanOptions, app_root_package,
  pins::{self, Pins},
  reach::{self, Edges, ReachSets},
  units::Units,
};
use crate::{
  graph::{AssetId, Graph},
  index_vec::IndexVec,
  project::{PackageId, Project},
};

pub struct Analysis {
  pub units: Units,
  pub pins: Pins,
  pub reach: ReachSets,
  /// app.json: its references are the roots, not edges.
  opaque: IndexVec<AssetId, bool>,
  /// `usingComponents` entries the JSON minifier drops pull nothing in.
  skip_unused: bool,
  /// `pruned[file]`: nothing uses it, and `[prune]` lets it go.
  pub pruned: IndexVec<AssetId, bool>,
}

impl Analysis {
  pub fn compute(project: &Project, graph: &Graph, options: &PlanOptions, skip_unused: bool) -> Self {
    let n = graph.assets.len();
    let units = Units::compute(graph);
    let pins = pins::compute(project, graph, &options.pin, &options.keep);
    let home = |f: AssetId| project.package_of(&graph.assets[f].path);
    let mut opaque = IndexVec::from_elem(false, n);
    let mut roots = Vec::new();
    for (f, asset) in graph.assets.iter_enumerated() {
      if project.app_file == Some(f) {
        opaque[f] = true;
        roots.push((f, PackageId::MAIN));
        roots.extend(asset.deps.iter().map(|d| (d.target, app_root_package(project, graph, d))));
      } else if pins.is_root(f) || asset.path.as_str() == "ext.json" {
        roots.push((f, home(f)));
      }
    }
    let ships = |f: AssetId| graph.assets[f].ships;
    let may_go = |f: AssetId| {
      let a = &graph.assets[f];
      // DevTools' unused-file filter counts every JSON file as code, data JSON included.
      if a.kind.is_code() { options.prune_code } else { options.prune_assets && pins.assets_unprunable.is_none() }
    };
    let edges = Edges { graph, opaque: &opaque, skip_unused };
    // A file nothing reaches that still ships (`prune.code = false`, an asset) is loaded from
    // where it sits, so what it uses must ship beside it: it becomes a root of its package, and
    // the walk runs again until no such file is left.
    loop {
      let reach = reach::compute(&edges, &units, project.packages().len(), &roots, home);
      let mut pruned = IndexVec::from_elem(false, n);
      let mut kept = Vec::new();
      for unit in units.ids() {
        let members = units.members(unit);
        if !members.iter().all(|&f| reach.is_empty(f)) {
          continue;
        }
        if options.enabled && members.iter().all(|&f| !ships(f) || may_go(f)) {
          for &f in members.iter().filter(|&&f| ships(f)) {
            pruned[f] = true;
          }
        } else {
          let uses = |f: AssetId| ships(f) && graph.assets[f].deps.iter().any(|d| edges.carries(d));
          kept.extend(members.iter().copied().filter(|&f| uses(f)).map(|f| (f, home(f))));
        }
      }
      if kept.is_empty() {
        return Self { units, pins, reach, opaque, skip_unused, pruned };
      }
      roots.extend(kept);
    }
  }

  /// The edges that carry reach.
  pub fn edges<'a>(&'a self, graph: &'a Graph) -> Edges<'a> {
    Edges { graph, opaque: &self.opaque, skip_unused: self.skip_unused }
  }
}
