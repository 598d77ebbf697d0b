//! Packages: the main package and each subpackage (normal, independent, or a worker subpackage).
//! A file belongs to the package whose root contains it, longest root first; everything else is
//! main (platform doc 1.4 and 12.1).

use serde::Serialize;

use crate::{config::Budgets, index_vec::IndexVec, mp_path::MpPath, size::ByteSize};

crate::define_idx!(
  /// Index into `Project::packages`. `PackageId::MAIN` is always 0.
  PackageId(u16)
);

impl PackageId {
  pub const MAIN: Self = Self(0);
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PackageKind {
  Main,
  Subpackage,
  Independent,
  /// `workers: {path, isSubpackage: true}`: the worker folder is its own subpackage.
  Worker,
}

#[derive(Debug, Clone)]
pub struct Package {
  pub id: PackageId,
  pub kind: PackageKind,
  /// The subpackage's `name`, used by preloadRule and budgets.
  pub name: Option<String>,
  /// The root folder; the mini program root for main.
  pub root: MpPath,
  /// Page paths (root-relative, without extension).
  pub pages: Vec<MpPath>,
  /// The subpackage `entry` file, run first when the package is injected.
  pub entry: Option<MpPath>,
  /// Plugin aliases declared for this package; their code counts here but is fetched from the
  /// provider, so its size is unknown to wxpack.
  pub plugins: Vec<String>,
}

impl Package {
  /// Its budget: a `[budget.packages]` entry by root or name, else the default for its kind.
  pub fn budget(&self, b: &Budgets) -> ByteSize {
    if self.kind == PackageKind::Main {
      return b.main;
    }
    b.packages
      .get(self.root.as_str())
      .or_else(|| self.name.as_ref().and_then(|n| b.packages.get(n)))
      .copied()
      .unwrap_or(b.subpackage)
  }

  /// The name reports use: `main`, else the subpackage root.
  pub fn label(&self) -> String {
    match self.kind {
      PackageKind::Main => "main".to_string(),
      _ => self.root.to_string(),
    }
  }
}

/// Assigns `path` to its package: the subpackage with the longest root containing it, else main.
pub fn package_of(packages: &IndexVec<PackageId, Package>, path: &MpPath) -> PackageId {
  packages
    .iter()
    .filter(|p| p.kind != PackageKind::Main && path.is_within(&p.root))
    .max_by_key(|p| p.root.as_str().len())
    .map_or(PackageId::MAIN, |p| p.id)
}
