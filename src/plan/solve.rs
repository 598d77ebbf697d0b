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

use super::{Decision, SharedPolicy, place::Context, place::Placed, reach::Edges};
use crate::{
  config::Budgets,
  mp_path::MpPath,
  project::{PackageId, PackageKind},
};

/// A budget the solver could not meet, and what kept it from doing better.
#[derive(Debug, Clone, Serialize)]
pub struct Unmet {
  /// The package whose budget is not met (`main`).
  pub package: String,
  pub bytes: u64,
  pub budget: u64,
  pub over_by: u64,
  /// Shared files left in main, and why each was not copied.
  pub blocked: Vec<Blocked>,
}

#[derive(Debug, Clone, Serialize)]
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
  reps: Vec<usize>,
  bytes: u64,
  sharers: Vec<PackageId>,
  /// Main-area units outside the group that reference it.
  referrers: Vec<usize>,
}

pub fn run(ctx: &Context, placed: &mut [Placed], sizes: &[u64], budgets: &Budgets, edges: &Edges) -> Vec<super::Unmet> {
  let policy = ctx.options.shared;
  if policy == SharedPolicy::Main {
    return Vec::new();
  }
  let unit_bytes =
    |rep: usize| -> u64 { ctx.units.members(rep).iter().filter(|&&f| (ctx.ships)(f)).map(|&f| sizes[f]).sum() };
  let mut groups = groups(ctx, placed, edges, &unit_bytes);
  groups.sort_by(|a, b| {
    (a.sharers.len(), std::cmp::Reverse(a.bytes), &ctx.graph.assets[a.reps[0]].path).cmp(&(
      b.sharers.len(),
      std::cmp::Reverse(b.bytes),
      &ctx.graph.assets[b.reps[0]].path,
    ))
  });
  let packages = ctx.project.packages();
  let mut size = vec![0u64; packages.len()];
  for rep in ctx.units.reps() {
    let p = &placed[rep];
    let bytes = unit_bytes(rep);
    if p.home {
      size[ctx.project.package_of(&ctx.graph.assets[rep].path).index()] += bytes;
    }
    for c in &p.copies {
      size[c.index()] += bytes;
    }
  }
  let limit = |p: PackageId| packages[p.index()].budget(budgets).0;
  let target = budgets.main.0.saturating_sub(ctx.options.reserve.0);
  let mut copied = vec![false; groups.len()];
  loop {
    if policy == SharedPolicy::Auto && size[0] <= target {
      break;
    }
    let next = groups.iter().enumerate().position(|(i, g)| {
      !copied[i]
        && g.referrers.iter().all(|&r| !placed[r].home)
        && (policy == SharedPolicy::Copy || g.sharers.iter().all(|&p| size[p.index()] + g.bytes <= limit(p)))
    });
    let Some(i) = next else { break };
    copied[i] = true;
    let g = &groups[i];
    size[0] -= g.bytes;
    for &p in &g.sharers {
      size[p.index()] += g.bytes;
    }
    for &rep in &g.reps {
      let p = &mut placed[rep];
      p.home = false;
      p.copies = [g.sharers.clone(), std::mem::take(&mut p.copies)].concat();
      p.decision = Decision::Copied;
    }
  }
  if policy != SharedPolicy::Auto || size[0] <= budgets.main.0 {
    return Vec::new();
  }
  let blocked = groups
    .iter()
    .zip(&copied)
    .filter(|(_, c)| !**c)
    .map(|(g, _)| {
      let full = g.sharers.iter().find(|&&p| size[p.index()] + g.bytes > limit(p));
      let stuck = g.referrers.iter().any(|&r| placed[r].home);
      Blocked {
        path: ctx.graph.assets[g.reps[0]].path.clone(),
        bytes: g.bytes,
        package: full.filter(|_| !stuck).map(|&p| packages[p.index()].label()),
        over_by: full.filter(|_| !stuck).map(|&p| size[p.index()] + g.bytes - limit(p)),
      }
    })
    .collect();
  vec![Unmet {
    package: "main".into(),
    bytes: size[0],
    budget: budgets.main.0,
    over_by: size[0] - budgets.main.0,
    blocked,
  }]
}

/// The shared units, grouped into strongly connected components of their references.
fn groups(ctx: &Context, placed: &[Placed], edges: &Edges, unit_bytes: &dyn Fn(usize) -> u64) -> Vec<Group> {
  let reps: Vec<usize> = ctx.units.reps().filter(|&r| placed[r].decision == Decision::Shared).collect();
  let mut index = vec![usize::MAX; ctx.graph.assets.len()];
  for (i, &r) in reps.iter().enumerate() {
    index[r] = i;
  }
  // Unit-level references into shared units: (from unit, to shared index).
  let mut succ: Vec<Vec<usize>> = vec![Vec::new(); reps.len()];
  let mut into: Vec<Vec<usize>> = vec![Vec::new(); reps.len()];
  for (f, asset) in ctx.graph.assets.iter().enumerate() {
    let from = ctx.units.of(f);
    for dep in asset.deps.iter().filter(|d| edges.carries(d)) {
      let to = index[ctx.units.of(dep.target.index())];
      if to == usize::MAX || ctx.units.of(dep.target.index()) == from {
        continue;
      }
      into[to].push(from);
      if index[from] != usize::MAX {
        succ[index[from]].push(to);
      }
    }
  }
  let main_area = |rep: usize| ctx.project.package_of(&ctx.graph.assets[rep].path) == PackageId::MAIN;
  sccs(&succ)
    .into_iter()
    .map(|members| {
      let group_reps: Vec<usize> = members.iter().map(|&i| reps[i]).collect();
      let mut referrers: Vec<usize> = members
        .iter()
        .flat_map(|&i| into[i].iter().copied())
        .filter(|r| !group_reps.contains(r) && main_area(*r))
        .collect();
      referrers.sort_unstable();
      referrers.dedup();
      let mut sharers: Vec<PackageId> = group_reps.iter().flat_map(|&r| placed[r].sharers.iter().copied()).collect();
      sharers.sort_unstable();
      sharers.dedup();
      sharers.retain(|&p| ctx.kind(p) != PackageKind::Independent);
      Group { bytes: group_reps.iter().map(|&r| unit_bytes(r)).sum(), reps: group_reps, sharers, referrers }
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
