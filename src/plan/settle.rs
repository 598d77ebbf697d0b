//! Settles the plan: a placement stands only if every reference still resolves in it.
//!
//! [`super::place`] decides from reach sets, which say where each file's users are, and
//! [`super::solve`] copies shared files while no main file uses them; together they respect the
//! package rules by construction. What they cannot see shows only on the output layout: a
//! reference the rewrite cannot re-spell, a rule a placement still breaks. Each such reference
//! puts both its ends back where the source has them, with every moved file they use (a file
//! that stays pins what it uses), and the layout is checked again. A reference that breaks in the
//! source layout too is the project's own, the one `--no-plan` reports: a package rule broken
//! (DevTools compiles it; a warning, an error under `--strict`) ships as written, anything else
//! stops the build.

use rustc_hash::FxHashMap;

use super::{
  Decision,
  edits::{self, Problem},
  identical::Contents,
  layout::{Instance, Layout},
  place::{Context, Placed},
  reach::Edges,
  units::UnitId,
};
use crate::{
  diagnostic::{Code, Diagnostic},
  graph::AssetId,
  index_vec::IndexVec,
  project::PackageKind,
};

pub struct Settled {
  pub instances: IndexVec<AssetId, Vec<Instance>>,
  /// Duplicates and the file each ships as.
  pub same: FxHashMap<AssetId, super::identical::Same>,
  /// One per placement undone, and one per package rule the source breaks.
  pub warnings: Vec<Diagnostic>,
}

pub fn settle(
  ctx: &Context,
  placed: &mut IndexVec<UnitId, Placed>,
  edges: &Edges,
  folder: &str,
  contents: &Contents,
) -> Result<Settled, Vec<Diagnostic>> {
  let mut warnings = Vec::new();
  loop {
    let layout = Layout::build(ctx, placed, folder, contents).map_err(|d| vec![d])?;
    let same = layout.same.clone();
    let (instances, problems) = edits::instances(ctx, layout, edges.skip_unused);
    if problems.is_empty() {
      return Ok(Settled { instances, same, warnings });
    }
    let before = warnings.len();
    for p in &problems {
      let restored = restore(ctx, placed, edges, &[p.file, p.target]);
      if restored > 0 {
        warnings.push(warning(ctx, p, restored));
      }
    }
    if warnings.len() == before {
      // Nothing left to undo: every problem is the source's own.
      let (rules, errors): (Vec<_>, Vec<_>) = problems.into_iter().map(|p| p.diagnostic).partition(|d| !d.is_error());
      if !errors.is_empty() {
        return Err(errors);
      }
      warnings.extend(rules);
      return Ok(Settled { instances, same, warnings });
    }
  }
}

/// Puts the units of `files`, and every moved unit they use, back at their source paths
/// (independent subpackages keep their copies: they cannot load main's). Pruned units stay
/// pruned: the analysis prunes only what no shipped file uses. Returns how many units moved back.
fn restore(ctx: &Context, placed: &mut IndexVec<UnitId, Placed>, edges: &Edges, files: &[AssetId]) -> usize {
  let mut work: Vec<UnitId> = files.iter().map(|&f| ctx.units.of(f)).collect();
  let mut seen = IndexVec::from_elem(false, placed.len());
  let mut restored = 0;
  while let Some(id) = work.pop() {
    if std::mem::replace(&mut seen[id], true) || placed[id].decision == Decision::Pruned {
      continue;
    }
    let unit = &mut placed[id];
    if !unit.home {
      unit.home = true;
      unit.copies.retain(|&p| ctx.kind(p) == PackageKind::Independent);
      unit.decision = if unit.copies.is_empty() { Decision::Stay } else { Decision::Copied };
      unit.sharers.clear();
      restored += 1;
    }
    for &f in ctx.units.members(id) {
      for dep in ctx.graph.assets[f].deps.iter().filter(|d| edges.carries(d)) {
        let to = ctx.units.of(dep.target);
        if !placed[to].home {
          work.push(to);
        }
      }
    }
  }
  restored
}

fn warning(ctx: &Context, p: &Problem, restored: usize) -> Diagnostic {
  let target = &ctx.graph.assets[p.target].path;
  let others = match restored {
    1 => String::new(),
    2 => " and 1 file it uses".to_string(),
    n => format!(" and {} files it uses", n - 1),
  };
  let mut d = Diagnostic::warning(
    Code::PlanKept,
    format!(
      "kept {target}{others} where the source has it: the planned layout broke a reference ({})",
      p.diagnostic.message
    ),
  )
  .with_help("the output is correct, only larger than planned; this is a wxpack bug, please report it");
  d.location = p.diagnostic.location.clone();
  d
}
