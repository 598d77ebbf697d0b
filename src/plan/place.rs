//! One decision per unit, from where it sits and which packages reach it:
//! - inside a subpackage root, or reached from main, or pinned: it stays;
//! - outside every root and reached by exactly one normal subpackage: it moves there;
//! - reached by several normal subpackages (not main): shared, for [`super::solve`] to place;
//! - reached by an independent subpackage from outside its root: that package gets a copy;
//! - reached by nothing: code is pruned (`prune.code`), assets only with `prune.assets`.

use super::{
  Decision, PlanOptions,
  pins::{Pin, Pins},
  reach::ReachSets,
  units::{UnitId, Units},
};
use crate::{
  graph::AssetId,
  graph::Graph,
  index_vec::IndexVec,
  project::{PackageId, PackageKind, Project},
};

/// What the planner needs from the earlier steps.
pub struct Context<'a> {
  pub project: &'a Project,
  pub graph: &'a Graph,
  pub units: &'a Units,
  pub reach: &'a ReachSets,
  pub pins: &'a Pins,
  /// Files nothing uses that do not ship ([`super::Analysis::pruned`]).
  pub pruned: &'a IndexVec<AssetId, bool>,
  pub options: &'a PlanOptions,
  /// WeChat uploads the file (suffix whitelist, packOptions).
  pub ships: &'a (dyn Fn(AssetId) -> bool + Sync),
}

impl Context<'_> {
  pub fn kind(&self, p: PackageId) -> PackageKind {
    self.project.packages()[p].kind
  }

  /// The packages that reach any file of `unit`.
  pub fn unit_reach(&self, unit: UnitId) -> Vec<PackageId> {
    let mut all: Vec<PackageId> = self.units.members(unit).iter().flat_map(|&f| self.reach.packages(f)).collect();
    all.sort_unstable();
    all.dedup();
    all
  }
}

/// Where a unit ships: at its own path (`home`), and/or as a copy under each listed package's
/// root.
#[derive(Debug, Clone)]
pub struct Placed {
  pub home: bool,
  pub copies: Vec<PackageId>,
  pub decision: Decision,
  /// The normal subpackages that share it, when it is a candidate for the budget solver.
  pub sharers: Vec<PackageId>,
}

impl Default for Placed {
  fn default() -> Self {
    Self { home: true, copies: Vec::new(), decision: Decision::Stay, sharers: Vec::new() }
  }
}

/// `--no-plan`: every file ships where it is.
pub fn decide(ctx: &Context) -> IndexVec<UnitId, Placed> {
  IndexVec::from_fn(ctx.units.len(), |u| if ctx.options.enabled { unit(ctx, u) } else { Placed::default() })
}

fn unit(ctx: &Context, id: UnitId) -> Placed {
  let members = ctx.units.members(id);
  let reach = ctx.unit_reach(id);
  let first = ctx.units.first(id);
  let location = ctx.project.package_of(&ctx.graph.assets[first].path);
  if ctx.pruned[first] {
    return Placed { home: false, decision: Decision::Pruned, ..Placed::default() };
  }
  if reach.is_empty() {
    return Placed::default(); // an asset nothing uses, kept
  }
  let independent: Vec<PackageId> =
    reach.iter().copied().filter(|&p| p != location && ctx.kind(p) == PackageKind::Independent).collect();
  if location != PackageId::MAIN {
    return Placed::default(); // the rules check reports a subpackage file used from elsewhere
  }
  let pins: Vec<&Pin> = members.iter().filter_map(|&f| ctx.pins.pinned[f].as_ref()).collect();
  if reach.contains(&PackageId::MAIN) || !pins.is_empty() {
    // A pinned file stays; an independent subpackage may still get a copy, unless the file
    // holds a relative computed path (the copy would name other files) or the config forbids it.
    let copies = if pins.iter().any(|p| {
      matches!(p, Pin::Config | Pin::HoldsComputed { .. } | Pin::HoldsMention { .. } | Pin::RendersTemplate { .. })
    }) {
      Vec::new()
    } else {
      independent
    };
    let decision = if copies.is_empty() { Decision::Stay } else { Decision::Copied };
    return Placed { copies, decision, ..Placed::default() };
  }
  let normal: Vec<PackageId> = reach.iter().copied().filter(|p| !independent.contains(p)).collect();
  match normal.as_slice() {
    [] => Placed { home: false, copies: independent, decision: Decision::Copied, sharers: Vec::new() },
    [one] => {
      let decision = if independent.is_empty() { Decision::Moved } else { Decision::Copied };
      Placed { home: false, copies: [vec![*one], independent].concat(), decision, sharers: Vec::new() }
    }
    _ => Placed { home: true, copies: independent, decision: Decision::Shared, sharers: normal },
  }
}

/// A file's decision; a file WeChat would not upload always "stays" (it ships nowhere).
pub fn decision(unit: &Placed, ships: bool) -> Decision {
  if ships { unit.decision } else { Decision::Stay }
}
