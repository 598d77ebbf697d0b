//! Units: the files that must stay side by side. A page or component is up to four files with one
//! base path (`card.json`, `card.js`, `card.wxml`, `card.wxss`); the platform finds them by that
//! base, so the planner places them together: the union of their reach decides for all of them.
//! Every other file is a unit of its own.

use crate::{
  graph::{AssetId, DepKind, Graph, resolve::COMPONENT_EXTS},
  index_vec::IndexVec,
  mp_path::MpPath,
};

crate::define_idx!(
  /// A unit, numbered in the order of its first file.
  UnitId(u32)
);

/// `of[file]` is the file's unit; `members[unit]` its files, in file order.
pub struct Units {
  of: IndexVec<AssetId, UnitId>,
  members: IndexVec<UnitId, Vec<AssetId>>,
}

impl Units {
  pub fn compute(graph: &Graph) -> Self {
    let n = graph.assets.len();
    let mut parent: Vec<usize> = (0..n).collect();
    let mut bases: Vec<MpPath> = Vec::new();
    for asset in &graph.assets {
      for dep in asset.deps.iter().filter(|d| matches!(d.kind, DepKind::Component | DepKind::Page)) {
        bases.push(graph.assets[dep.target].path.stem_path());
      }
    }
    bases.sort_unstable();
    bases.dedup();
    for base in &bases {
      let files: Vec<usize> =
        COMPONENT_EXTS.iter().filter_map(|e| graph.by_path.get(&base.with_suffix(e))).map(|id| id.index()).collect();
      for pair in files.windows(2) {
        union(&mut parent, pair[0], pair[1]);
      }
    }
    // A representative is its set's smallest file, so units come in the order of their first.
    let mut unit_of_rep: Vec<Option<UnitId>> = vec![None; n];
    let mut of = IndexVec::with_capacity(n);
    let mut members: IndexVec<UnitId, Vec<AssetId>> = IndexVec::new();
    for f in graph.assets.indices() {
      let rep = find(&mut parent, f.index());
      let unit = *unit_of_rep[rep].get_or_insert_with(|| members.push(Vec::new()));
      members[unit].push(f);
      of.push(unit);
    }
    Self { of, members }
  }

  pub fn of(&self, file: AssetId) -> UnitId {
    self.of[file]
  }

  /// The unit's files, in file order.
  pub fn members(&self, unit: UnitId) -> &[AssetId] {
    &self.members[unit]
  }

  /// The unit's first file: the one that names it in messages and breaks ties in sorting.
  pub fn first(&self, unit: UnitId) -> AssetId {
    self.members[unit][0]
  }

  pub fn len(&self) -> usize {
    self.members.len()
  }

  pub fn is_empty(&self) -> bool {
    self.members.is_empty()
  }

  pub fn ids(&self) -> impl Iterator<Item = UnitId> + use<> {
    self.members.indices()
  }
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
  while parent[i] != i {
    parent[i] = parent[parent[i]];
    i = parent[i];
  }
  i
}

/// Joins two sets; the smaller index represents both, so representatives are deterministic.
fn union(parent: &mut [usize], a: usize, b: usize) {
  let (ra, rb) = (find(parent, a), find(parent, b));
  if ra != rb {
    let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
    parent[hi] = lo;
  }
}
