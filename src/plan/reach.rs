//! Reach sets: for every file, the packages that load it through synchronous references.
//!
//! This is esbuild's `EntryBits` and rolldown's code-splitting bitset: one bit per package, set
//! by a worklist that pushes each file's bits along its edges until nothing changes. Lazy edges
//! (`require.async`, callback `require`, placeholder-backed components) carry no bits: their
//! targets load on demand. A lazy target that nothing reaches otherwise must still ship, so it
//! becomes a root of the package it sits in, and the walk runs again from there.

use super::units::Units;
use crate::{
  graph::{AssetId, Dep, Graph},
  index_vec::{Idx, IndexVec},
  project::PackageId,
};

/// A set of packages per file, stored flat: `words` u64s per file.
#[derive(Debug, Clone)]
pub struct ReachSets {
  words: usize,
  bits: Vec<u64>,
}

impl ReachSets {
  pub fn new(files: usize, packages: usize) -> Self {
    let words = packages.div_ceil(64).max(1);
    Self { words, bits: vec![0; files * words] }
  }

  fn row(&self, file: AssetId) -> &[u64] {
    let f = file.index();
    &self.bits[f * self.words..(f + 1) * self.words]
  }

  pub fn contains(&self, file: AssetId, p: PackageId) -> bool {
    self.row(file)[p.index() / 64] & (1 << (p.index() % 64)) != 0
  }

  pub fn is_empty(&self, file: AssetId) -> bool {
    self.row(file).iter().all(|&w| w == 0)
  }

  /// Adds `p`; true when it was not there.
  pub fn insert(&mut self, file: AssetId, p: PackageId) -> bool {
    let w = &mut self.bits[file.index() * self.words + p.index() / 64];
    let bit = 1 << (p.index() % 64);
    let new = *w & bit == 0;
    *w |= bit;
    new
  }

  /// `to |= from`; true when `to` grew.
  fn merge(&mut self, from: AssetId, to: AssetId) -> bool {
    let (from, to) = (from.index(), to.index());
    let mut grew = false;
    for i in 0..self.words {
      let (f, t) = (self.bits[from * self.words + i], self.bits[to * self.words + i]);
      if f | t != t {
        self.bits[to * self.words + i] = f | t;
        grew = true;
      }
    }
    grew
  }

  /// The packages in `file`'s set, in id order.
  pub fn packages(&self, file: AssetId) -> impl Iterator<Item = PackageId> + '_ {
    self
      .row(file)
      .iter()
      .enumerate()
      .flat_map(|(w, &bits)| (0..64).filter(move |b| bits & (1 << b) != 0).map(move |b| PackageId::new(w * 64 + b)))
  }
}

/// Which edges carry reach.
pub struct Edges<'a> {
  pub graph: &'a Graph,
  /// Files whose own references are not followed (app.json: its edges are the roots).
  pub opaque: &'a IndexVec<AssetId, bool>,
  /// Skip `usingComponents` entries the JSON minifier drops.
  pub skip_unused: bool,
}

impl Edges<'_> {
  /// A synchronous reference that ships: it loads its target with its referrer.
  pub fn carries(&self, dep: &Dep) -> bool {
    !(dep.lazy || (self.skip_unused && dep.unused))
  }
}

/// Propagates `roots` (file, package) along synchronous edges, then adds lazy-only targets as
/// roots of `home(target)` and repeats until nothing changes. A unit's files share one set: a
/// component whose script alone is required still ships its WXML, and what that WXML uses.
pub fn compute(
  edges: &Edges,
  units: &Units,
  packages: usize,
  roots: &[(AssetId, PackageId)],
  home: impl Fn(AssetId) -> PackageId,
) -> ReachSets {
  let graph = edges.graph;
  let mut sets = ReachSets::new(graph.assets.len(), packages);
  let mut work: Vec<AssetId> = Vec::new();
  for &(file, p) in roots {
    if sets.insert(file, p) {
      work.push(file);
    }
  }
  loop {
    while let Some(file) = work.pop() {
      for &mate in units.members(units.of(file)) {
        if mate != file && sets.merge(file, mate) {
          work.push(mate);
        }
      }
      if edges.opaque[file] {
        continue;
      }
      for dep in graph.assets[file].deps.iter().filter(|d| edges.carries(d)) {
        let to = dep.target;
        if sets.merge(file, to) {
          work.push(to);
        }
      }
    }
    // Lazy targets load on demand from wherever they are; those nothing else reaches stay home.
    for file in graph.assets.indices() {
      if sets.is_empty(file) || edges.opaque[file] {
        continue;
      }
      for dep in graph.assets[file].deps.iter().filter(|d| d.lazy) {
        let to = dep.target;
        if sets.is_empty(to) && sets.insert(to, home(to)) {
          work.push(to);
        }
      }
    }
    if work.is_empty() {
      return sets;
    }
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn sets_hold_many_packages() {
    let mut s = ReachSets::new(3, 130);
    let f = AssetId::new;
    assert!(s.insert(f(1), PackageId(0)));
    assert!(s.insert(f(1), PackageId(129)));
    assert!(!s.insert(f(1), PackageId(129)));
    assert!(s.merge(f(1), f(2)));
    assert!(!s.merge(f(1), f(2)));
    assert_eq!(s.packages(f(2)).collect::<Vec<_>>(), [PackageId(0), PackageId(129)]);
    assert!(s.is_empty(f(0)) && !s.contains(f(0), PackageId(0)));
  }
}
