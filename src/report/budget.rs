//! Budgets: each package and the total against its limit. A violation makes the build exit 1.

use serde::Serialize;

use super::{PackageReport, Totals};

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Violation {
  /// A package name (`main` or a subpackage root), or `total`.
  pub scope: String,
  pub bytes: u64,
  pub budget: u64,
  pub over_by: u64,
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
