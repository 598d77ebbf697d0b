//! Budgets: each package and the total against its limit. A violation makes the build exit 1.

use serde::Serialize;

use super::{PackageReport, Totals};
use crate::{
  config::Budgets,
  project::{Package, PackageKind},
  size::ByteSize,
};

#[derive(Debug, Clone, Serialize)]
pub struct Violation {
  /// A package name (`main` or a subpackage root), or `total`.
  pub scope: String,
  pub bytes: u64,
  pub budget: u64,
  pub over_by: u64,
}

/// The budget for `p`: a `[budget.packages]` entry by root or name, else the default for its kind.
pub fn for_package(b: &Budgets, p: &Package) -> ByteSize {
  if p.kind == PackageKind::Main {
    return b.main;
  }
  b.packages
    .get(p.root.as_str())
    .or_else(|| p.name.as_ref().and_then(|n| b.packages.get(n)))
    .copied()
    .unwrap_or(b.subpackage)
}

pub fn check(packages: &[PackageReport], total: &Totals) -> Vec<Violation> {
  let mut v: Vec<Violation> = packages
    .iter()
    .filter_map(|p| {
      p.over_by.map(|over_by| Violation { scope: p.name.clone(), bytes: p.bytes_out, budget: p.budget, over_by })
    })
    .collect();
  if let Some(over_by) = total.over_by {
    v.push(Violation { scope: "total".into(), bytes: total.bytes_out, budget: total.budget, over_by });
  }
  v
}
