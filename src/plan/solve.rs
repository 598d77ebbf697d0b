//! The budget solver: where files shared by several subpackages (and not by main) go.
//!
//! Kept once in main, a shared file costs main its size; copied into its k subpackages, it costs
//! nothing in main and (k - 1) times its size in total. So the best main-bytes-saved per extra
//! byte is 1 / (k - 1): files shared by two subpackages first, larger first among equals.
//! `shared = "auto"` copies in that order until main fits its budget minus the reserve, skipping
//! a file when a subpackage it would go to has no room; `copy` copies them all; `main` none.
//!
//! A file kept in main may only reference main files, so a shared file can be copied only once
//! every main-area file that references it has left main. Shared files that reference each
//! other in a cycle are copied together (one strongly connected component at a time).

use serde::Serialize;

use super::{Decision, SharedPolicy, place::Context, place::Placed, reach::Edges, units::UnitId};
use crate::{
  config::Budgets,
  graph::AssetId,
  index_vec::IndexVec,
  mp_path::MpPath,
  project::{PackageId, PackageKind},
};

/// A budget the solver could not meet, and what kept it from doing better.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Unmet {
  /// The package whose budget is not met (`main`).
  pub package: String,
  pub bytes: u64,
  pub budget: u64,
  pub over_by: u64,
  /// Shared files left in main, and why each was not copied.
  pub blocked: Vec<Blocked>,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Blocked {
  pub path: MpPath,
  pub bytes: u64,
  /// The subpackage that has no room for its copy, and by how much it would pass its budget;
  /// `None` when a file kept in main still references it.
  pub package: Option<String>,
  pub over_by: Option<u64>,
}

/// Shared units that are copied or kept together.
struct Group {
  units: Vec<UnitId>,
  bytes: u64,
  sharers: Vec<PackageId>,
  /// Main-area units outside the group that reference it.
  referrers: Vec<UnitId>,
}

pub fn meet_budgets(
  ctx: &Context,
  placed: &mut IndexVec<UnitId, Placed>,
  sizes: &IndexVec<AssetId, u64>,
  budgets: &Budgets,
  edges: &Edges,
) -> Vec<super::Unmet> {
  let policy = ctx.options.shared;
  if policy == SharedPolicy::Main {
    return Vec::new();
  }
  let unit_bytes =
    |u: UnitId| -> u64 { ctx.units.members(u).iter().filter(|&&f| (ctx.ships)(f)).map(|&f| sizes[f]).sum() };
  let path = |u: UnitId| &ctx.graph.assets[ctx.units.first(u)].path;
  let mut groups = groups(ctx, placed, edges, &unit_bytes);
  groups.sort_by(|a, b| {
    (a.sharers.len(), std::cmp::Reverse(a.bytes), path(a.units[0])).cmp(&(
      b.sharers.len(),
      std::cmp::Reverse(b.bytes),
      path(b.units[0]),
    ))
  });
  let packages = ctx.project.packages();
  let mut size: IndexVec<PackageId, u64> = IndexVec::from_elem(0, packages.len());
  for u in ctx.units.ids() {
    let p = &placed[u];
    let bytes = unit_bytes(u);
    if p.home {
      size[ctx.project.package_of(path(u))] += bytes;
    }
    for &c in &p.copies {
      size[c] += bytes;
    }
  }
  let limit = |p: PackageId| packages[p].budget(budgets).0;
  let target = budgets.main.0.saturating_sub(ctx.options.reserve.0);
  let mut copied = vec![false; groups.len()];
  loop {
    if policy == SharedPolicy::Auto && size[PackageId::MAIN] <= target {
      break;
    }
    let next = groups.iter().enumerate().position(|(i, g)| {
      !copied[i]
        && g.referrers.iter().all(|&r| !placed[r].home)
        && (policy == SharedPolicy::Copy || g.sharers.iter().all(|&p| size[p] + g.bytes <= limit(p)))
    });
    let Some(i) = next else { break };
    copied[i] = true;
    let g = &groups[i];
    size[PackageId::MAIN] -= g.bytes;
    for &p in &g.sharers {
      size[p] += g.bytes;
    }
    for &u in &g.units {
      let p = &mut placed[u];
      p.home = false;
      p.copies = [g.sharers.clone(), std::mem::take(&mut p.copies)].concat();
      p.decision = Decision::Copied;
    }
  }
  if policy != SharedPolicy::Auto || size[PackageId::MAIN] <= budgets.main.0 {
    return Vec::new();
  }
  let blocked = groups
    .iter()
    .zip(&copied)
    .filter(|(_, c)| !**c)
    .map(|(g, _)| {
      let full = g.sharers.iter().find(|&&p| size[p] + g.bytes > limit(p));
      let stuck = g.referrers.iter().any(|&r| placed[r].home);
      Blocked {
        path: path(g.units[0]).clone(),
        bytes: g.bytes,
        package: full.filter(|_| !stuck).map(|&p| packages[p].label()),
        over_by: full.filter(|_| !stuck).map(|&p| size[p] + g.bytes - limit(p)),
      }
    })
    .collect();
  vec![Unmet {
    package: "main".into(),
    bytes: size[PackageId::MAIN],
    budget: budgets.main.0,
    over_by: size[PackageId::MAIN] - budgets.main.0,
    blocked,
  }]
}

/// The shared units, grouped into strongly connected components of their references.
fn groups(
  ctx: &Context,
  placed: &IndexVec<UnitId, Placed>,
  edges: &Edges,
  unit_bytes: &dyn Fn(UnitId) -> u64,
) -> Vec<Group> {
  // The shared units, numbered densely for the component search.
  let shared: Vec<UnitId> = ctx.units.ids().filter(|&u| placed[u].decision == Decision::Shared).collect();
  let mut index: IndexVec<UnitId, Option<usize>> = IndexVec::from_elem(None, ctx.units.len());
  for (i, &u) in shared.iter().enumerate() {
    index[u] = Some(i);
  }
  // Unit-level references into shared units: (from unit, to shared index).
  let mut succ: Vec<Vec<usize>> = vec![Vec::new(); shared.len()];
  let mut into: Vec<Vec<UnitId>> = vec![Vec::new(); shared.len()];
  for (f, asset) in ctx.graph.assets.iter_enumerated() {
    let from = ctx.units.of(f);
    for dep in asset.deps.iter().filter(|d| edges.carries(d)) {
      let target = ctx.units.of(dep.target);
      let Some(to) = index[target].filter(|_| target != from) else { continue };
      into[to].push(from);
      if let Some(i) = index[from] {
        succ[i].push(to);
      }
    }
  }
  let main_area = |u: UnitId| ctx.project.package_of(&ctx.graph.assets[ctx.units.first(u)].path) == PackageId::MAIN;
  sccs(&succ)
    .into_iter()
    .map(|members| {
      let units: Vec<UnitId> = members.iter().map(|&i| shared[i]).collect();
      let mut referrers: Vec<UnitId> =
        members.iter().flat_map(|&i| into[i].iter().copied()).filter(|r| !units.contains(r) && main_area(*r)).collect();
      referrers.sort_unstable();
      referrers.dedup();
      let mut sharers: Vec<PackageId> = units.iter().flat_map(|&u| placed[u].sharers.iter().copied()).collect();
      sharers.sort_unstable();
      sharers.dedup();
      sharers.retain(|&p| ctx.kind(p) != PackageKind::Independent);
      Group { bytes: units.iter().map(|&u| unit_bytes(u)).sum(), units, sharers, referrers }
    })
    .collect()
}

/// Tarjan's strongly connected components, iteratively (no recursion depth limit).
fn sccs(succ: &[Vec<usize>]) -> Vec<Vec<usize>> {
  let n = succ.len();
  let (mut index, mut low, mut on_stack) = (vec![usize::MAX; n], vec![0; n], vec![false; n]);
  let (mut stack, mut out, mut next) = (Vec::new(), Vec::new(), 0);
  for start in 0..n {
    if index[start] != usize::MAX {
      continue;
    }
    let mut call: Vec<(usize, usize)> = vec![(start, 0)];
    while let Some(&(v, edge)) = call.last() {
      if edge == 0 && index[v] == usize::MAX {
        index[v] = next;
        low[v] = next;
        next += 1;
        stack.push(v);
        on_stack[v] = true;
      }
      if let Some(&w) = succ[v].get(edge) {
        if let Some(top) = call.last_mut() {
          top.1 += 1;
        }
        if index[w] == usize::MAX {
          call.push((w, 0));
        } else if on_stack[w] {
          low[v] = low[v].min(index[w]);
        }
        continue;
      }
      call.pop();
      if let Some(&(parent, _)) = call.last() {
        low[parent] = low[parent].min(low[v]);
      }
      if low[v] == index[v] {
        let mut component = Vec::new();
        while let Some(w) = stack.pop() {
          on_stack[w] = false;
          component.push(w);
          if w == v {
            break;
          }
        }
        component.sort_unstable();
        out.push(component);
      }
    }
  }
  out
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn components_of_a_cycle_and_a_chain() {
    let succ = vec![vec![1], vec![0, 2], vec![], vec![3]];
    let mut got = sccs(&succ);
    got.sort();
    assert_eq!(got, [vec![0, 1], vec![2], vec![3]]);
  }
}
