//! `wxpack diff BASE.json HEAD.json`: what changed in size between two `--json` reports, per
//! package and per file, and whether HEAD passes a growth limit or a budget.
//!
//! Files are matched by their source path (`source` when the planner moved or copied a file,
//! else `path`), so a file the planner moved into a subpackage is one file that moved, not one
//! removed and one added. A file's size is the sum of its shipped copies.

pub mod read;
pub mod render;

use std::collections::BTreeMap;

use serde::Serialize;

pub use crate::config::growth::{Growth, GrowthLimits};
use read::Snapshot;

/// How many changed files the text and markdown forms list (the JSON form lists them all).
pub const SHOWN: usize = 15;

#[derive(Debug, Serialize)]
pub struct Diff {
  pub base: String,
  pub head: String,
  /// main first, then HEAD's subpackages in order, then those only BASE has.
  pub packages: Vec<PackageDelta>,
  pub total: PackageDelta,
  /// Every file whose size or packages changed, largest change first.
  pub files: Vec<FileChange>,
  /// Why the comparison fails (exit 1); empty when it passes.
  pub breaches: Vec<Breach>,
}

#[derive(Debug, Serialize)]
pub struct PackageDelta {
  /// `main`, a subpackage root, or `total`.
  pub name: String,
  #[serde(skip_serializing_if = "Option::is_none")]
  pub alias: Option<String>,
  /// `None`: the package is not in that report.
  pub before: Option<u64>,
  pub after: Option<u64>,
  pub delta: i64,
  /// Growth in percent of `before`; `None` when `before` is absent or 0.
  pub percent: Option<f64>,
  /// HEAD's budget for it.
  pub budget: Option<u64>,
  /// The `--max-growth` limit that applies, as written.
  #[serde(skip_serializing_if = "Option::is_none")]
  pub limit: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
  Added,
  Removed,
  Moved,
  Grew,
  Shrank,
}

#[derive(Debug, Serialize)]
pub struct FileChange {
  /// The source path.
  pub path: String,
  pub kind: String,
  pub change: Change,
  pub before: u64,
  pub after: u64,
  pub delta: i64,
  /// The packages it ships in, before and after.
  pub packages_before: Vec<String>,
  pub packages_after: Vec<String>,
}

#[derive(Debug, Serialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum Breach {
  /// It grew past its `--max-growth` limit.
  Growth { package: String, grew: u64, limit: String },
  /// HEAD passes its budget.
  OverBudget { package: String, bytes: u64, budget: u64 },
}

impl Diff {
  pub fn compute(base_name: &str, base: &Snapshot, head_name: &str, head: &Snapshot, limits: &GrowthLimits) -> Self {
    let mut breaches = Vec::new();
    let packages = packages(base, head, limits, &mut breaches);
    let t = (&base.total, &head.total);
    let limit = limits.limit(&["total"]);
    let over = t.1.over_by.is_some() || t.1.bytes_out > t.1.budget;
    let total = delta("total", None, Some(t.0.bytes_out), Some(t.1.bytes_out), Some(t.1.budget), limit);
    breaches.extend(check(&total, limit, over));
    Diff { base: base_name.into(), head: head_name.into(), packages, total, files: files(base, head), breaches }
  }

  /// Nothing grew, shrank or moved.
  pub fn is_unchanged(&self) -> bool {
    self.files.is_empty()
      && self.total.delta == 0
      && self.packages.iter().all(|p| p.delta == 0 && p.before.is_some() && p.after.is_some())
  }

  pub fn passes(&self) -> bool {
    self.breaches.is_empty()
  }
}

fn packages(base: &Snapshot, head: &Snapshot, limits: &GrowthLimits, breaches: &mut Vec<Breach>) -> Vec<PackageDelta> {
  let mut names: Vec<&str> = head.packages.iter().map(|p| p.name.as_str()).collect();
  names.extend(base.packages.iter().map(|p| p.name.as_str()).filter(|n| !head.packages.iter().any(|p| p.name == *n)));
  names
    .into_iter()
    .map(|name| {
      let b = base.packages.iter().find(|p| p.name == name);
      let h = head.packages.iter().find(|p| p.name == name);
      let alias = h.or(b).and_then(|p| p.alias.clone());
      let keys: Vec<&str> = std::iter::once(name).chain(alias.as_deref()).collect();
      let limit = limits.limit(&keys);
      let (before, after) = (b.map(|p| p.bytes_out), h.map(|p| p.bytes_out));
      let d = delta(name, alias, before, after, h.map(|p| p.budget), limit);
      breaches.extend(check(&d, limit, h.is_some_and(|h| h.over_by.is_some() || h.bytes_out > h.budget)));
      d
    })
    .collect()
}

/// What a package (or the total) breaks in HEAD: its growth limit, and (`over`) its budget.
fn check(d: &PackageDelta, limit: Option<Growth>, over: bool) -> Vec<Breach> {
  let mut out = Vec::new();
  if let (Some(g), Some(after)) = (limit, d.after) {
    let before = d.before.unwrap_or(0);
    if g.exceeded(before, after) {
      out.push(Breach::Growth { package: d.name.clone(), grew: after.saturating_sub(before), limit: g.to_string() });
    }
  }
  if over && let (Some(bytes), Some(budget)) = (d.after, d.budget) {
    out.push(Breach::OverBudget { package: d.name.clone(), bytes, budget });
  }
  out
}

fn delta(
  name: &str,
  alias: Option<String>,
  before: Option<u64>,
  after: Option<u64>,
  budget: Option<u64>,
  limit: Option<Growth>,
) -> PackageDelta {
  let (b, a) = (before.unwrap_or(0), after.unwrap_or(0));
  PackageDelta {
    name: name.into(),
    alias,
    before,
    after,
    delta: signed(a) - signed(b),
    percent: (b > 0).then(|| (a as f64 - b as f64) * 100.0 / b as f64),
    budget,
    limit: limit.map(|g| g.to_string()),
  }
}

fn signed(n: u64) -> i64 {
  i64::try_from(n).unwrap_or(i64::MAX)
}

/// Per source file: (kind, bytes, packages) in one report.
fn by_origin(s: &Snapshot) -> BTreeMap<&str, (&str, u64, Vec<String>)> {
  let mut out: BTreeMap<&str, (&str, u64, Vec<String>)> = BTreeMap::new();
  for f in &s.files {
    let e = out.entry(f.origin()).or_insert_with(|| (f.kind.as_str(), 0, Vec::new()));
    e.1 += f.bytes_out;
    if !e.2.contains(&f.package) {
      e.2.push(f.package.clone());
    }
  }
  for e in out.values_mut() {
    e.2.sort();
  }
  out
}

fn files(base: &Snapshot, head: &Snapshot) -> Vec<FileChange> {
  let (before, after) = (by_origin(base), by_origin(head));
  let mut paths: Vec<&str> = before.keys().chain(after.keys()).copied().collect();
  paths.sort_unstable();
  paths.dedup();
  let mut out: Vec<FileChange> = paths
    .into_iter()
    .filter_map(|path| {
      let (b, a) = (before.get(path), after.get(path));
      let change = match (b, a) {
        (None, Some(_)) => Change::Added,
        (Some(_), None) => Change::Removed,
        (Some(b), Some(a)) if b.2 != a.2 => Change::Moved,
        (Some(b), Some(a)) if a.1 > b.1 => Change::Grew,
        (Some(b), Some(a)) if a.1 < b.1 => Change::Shrank,
        _ => return None,
      };
      let kind = a.or(b).map_or("", |e| e.0).to_string();
      let (bb, ab) = (b.map_or(0, |e| e.1), a.map_or(0, |e| e.1));
      Some(FileChange {
        path: path.to_string(),
        kind,
        change,
        before: bb,
        after: ab,
        delta: signed(ab) - signed(bb),
        packages_before: b.map(|e| e.2.clone()).unwrap_or_default(),
        packages_after: a.map(|e| e.2.clone()).unwrap_or_default(),
      })
    })
    .collect();
  out.sort_by(|x, y| y.delta.unsigned_abs().cmp(&x.delta.unsigned_abs()).then_with(|| x.path.cmp(&y.path)));
  out
}

#[cfg(test)]
mod tests;
