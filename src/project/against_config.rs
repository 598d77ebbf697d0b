//! What wxpack.toml says about the project, checked once app.json is read and before any other
//! file is: budgets for subpackages that do not exist, startup pages that are not declared.

use super::{Package, PackageId, PackageKind, Project};
use crate::{
  config::Config,
  diagnostic::{Code, Diagnostic},
  index_vec::IndexVec,
  mp_path::MpPath,
};

/// The warnings and the errors of [`check`].
pub struct Checked {
  pub warnings: Vec<Diagnostic>,
  pub errors: Vec<Diagnostic>,
}

pub fn check(config: &Config, project: &Project) -> Checked {
  Checked {
    warnings: unknown_budget_keys(&config.budgets, project.packages()),
    errors: undeclared_startup_pages(config, project.packages()),
  }
}

/// A warning for each `[budget.packages]` key that is neither the root nor the name of a
/// subpackage of `packages`: that budget would silently never apply.
fn unknown_budget_keys(budgets: &crate::config::Budgets, packages: &IndexVec<PackageId, Package>) -> Vec<Diagnostic> {
  let subpackages = || packages.iter().filter(|p| p.kind != PackageKind::Main);
  let known = |key: &str| subpackages().any(|p| p.root.as_str() == key || p.name.as_deref() == Some(key));
  let names: Vec<String> =
    subpackages().map(|p| p.name.clone().unwrap_or_else(|| p.root.as_str().to_string())).collect();
  budgets
    .packages
    .keys()
    .filter(|k| !known(k))
    .map(|k| {
      let d = Diagnostic::warning(Code::UnknownPackage, format!("[budget.packages] {k:?} names no subpackage"));
      let d = match budgets.written_at.get(k) {
        Some(at) => d.at(at.clone()),
        None => d,
      };
      d.with_help(if names.is_empty() {
        "the project has no subpackages; remove the key".to_string()
      } else {
        format!("use a subpackage root or name: {}", names.join(", "))
      })
    })
    .collect()
}

/// `startup.pages` must name declared pages, each error at its string in wxpack.toml.
fn undeclared_startup_pages(config: &Config, packages: &IndexVec<PackageId, Package>) -> Vec<Diagnostic> {
  let startup = &config.manifest.startup;
  let declared: Vec<&MpPath> = packages.iter().flat_map(|p| &p.pages).collect();
  startup
    .pages
    .iter()
    .enumerate()
    .filter(|(_, p)| MpPath::new(p).map_or(true, |m| !declared.contains(&&m)))
    .map(|(i, p)| {
      let d =
        Diagnostic::error(Code::InvalidToml, format!("startup.pages names {p:?}, which app.json does not declare"))
          .with_help("list page routes as app.json writes them, such as \"pages/index/index\"");
      match startup.pages_at.get(i) {
        Some(at) => d.at(at.clone()),
        None => d,
      }
    })
    .collect()
}
