//! Units: the files that must stay side by side. A page or component is up to four files with one
//! base path (`card.json`, `card.js`, `card.wxml`, `card.wxss`); the platform finds them by that
//! base, so the planner places them together: the union of their reach decides for all of them.
//! Every other file is a unit of its own.

use crate::{
  graph::{DepKind, Graph, resolve::COMPONENT_EXTS},
  mp_path::MpPath,
};

/// `of[file]` is the unit's representative file; `members(rep)` lists a unit's files.
pub struct Units {
  of: Vec<usize>,
  members: Vec<Vec<usize>>,
}

impl Units {
  pub fn compute(graph: &Graph) -> Self {
    let n = graph.assets.len();
    let mut parent: Vec<usize> = (0..n).collect();
    let mut bases: Vec<MpPath> = Vec::new();
    for asset in &graph.assets {
      for dep in asset.deps.iter().filter(|d| matches!(d.kind, DepKind::Component | DepKind::Page)) {
        bases.push(graph.assets[dep.target.index()].path.stem_path());
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
    let of: Vec<usize> = (0..n).map(|i| find(&mut parent, i)).collect();
    let mut members = vec![Vec::new(); n];
    for (i, &rep) in of.iter().enumerate() {
      members[rep].push(i);
    }
    Self { of, members }
  }

  pub fn of(&self, file: usize) -> usize {
    self.of[file]
  }

  /// The files of the unit whose representative is `rep` (empty for a non-representative).
  pub fn members(&self, rep: usize) -> &[usize] {
    &self.members[rep]
  }

  /// Representatives, in file order.
  pub fn reps(&self) -> impl Iterator<Item = usize> + '_ {
    (0..self.of.len()).filter(|&i| self.of[i] == i)
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
