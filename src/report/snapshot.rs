//! The report as `wxpack diff` reads it, made in memory for `--baseline` (rather than printed as
//! JSON and read back).

use super::Report;
use crate::diff::read::{FileIn, PackageIn, Snapshot, TotalIn};

impl Report {
  /// What a comparison needs of this report: the same values `wxpack diff` reads from its JSON.
  pub fn snapshot(&self) -> Snapshot {
    Snapshot {
      schema_version: self.schema_version,
      packages: self
        .packages
        .iter()
        .map(|p| PackageIn {
          name: p.name.clone(),
          alias: p.alias.clone(),
          bytes_out: p.bytes_out,
          budget: p.budget,
          over_by: p.over_by,
        })
        .collect(),
      total: TotalIn { bytes_out: self.total.bytes_out, budget: self.total.budget, over_by: self.total.over_by },
      files: self
        .files
        .iter()
        .map(|f| FileIn {
          path: f.path.to_string(),
          source: f.source.as_ref().map(ToString::to_string),
          package: f.package.clone(),
          kind: f.kind.as_str().to_string(),
          bytes_out: f.bytes_out,
        })
        .collect(),
    }
  }
}
