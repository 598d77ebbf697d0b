//! The output layout: each shipped file's instances (a package and a path), and which instance
//! a package sees when it references a file.
//!
//! A file that stays keeps its path. A moved or copied file goes to
//! `<package root>/<folder>/<original path>`: files that move together keep their relative
//! paths to each other, so only references that cross the boundary need rewriting.

use rustc_hash::{FxHashMap, FxHashSet};

use super::{
  identical::{self, Contents},
  place::{Context, Placed},
  units::UnitId,
};
use crate::{
  diagnostic::{Code, Diagnostic, Location, Span},
  graph::{AssetId, resolve::Tree},
  index_vec::IndexVec,
  mp_path::MpPath,
  project::{PackageId, PackageKind},
};

/// One place a file ships.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instance {
  pub package: PackageId,
  pub path: MpPath,
  /// Reference rewrites this copy needs, by span of the source file, in order.
  pub edits: Vec<Edit>,
}

/// Replace the source bytes at `span` with `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
  pub span: Span,
  pub text: String,
}

pub struct Layout {
  pub instances: IndexVec<AssetId, Vec<Instance>>,
  paths: FxHashSet<MpPath>,
  aliases: Vec<(String, String)>,
  independent: IndexVec<PackageId, bool>,
  /// Byte-identical files that ship as another file of their package ([`identical`]).
  pub same: FxHashMap<AssetId, identical::Same>,
}

impl Tree for Layout {
  fn exists(&self, path: &MpPath) -> bool {
    self.paths.contains(path)
  }

  fn aliases(&self) -> &[(String, String)] {
    &self.aliases
  }
}

impl Layout {
  pub fn build(
    ctx: &Context,
    placed: &IndexVec<UnitId, Placed>,
    folder: &str,
    contents: &Contents,
  ) -> Result<Self, Diagnostic> {
    let packages = ctx.project.packages();
    let mut instances = IndexVec::from_elem(Vec::new(), ctx.graph.assets.len());
    let mut paths = FxHashSet::default();
    for (f, asset) in ctx.graph.assets.iter_enumerated() {
      if !(ctx.ships)(f) {
        continue;
      }
      let unit = &placed[ctx.units.of(f)];
      let mut add = |package: PackageId, path: MpPath| {
        paths.insert(path.clone());
        instances[f].push(Instance { package, path, edits: Vec::new() });
      };
      if unit.home {
        add(ctx.project.package_of(&asset.path), asset.path.clone());
      }
      for &p in &unit.copies {
        let root = &packages[p].root;
        let path = root.join(folder).and_then(|d| d.join(asset.path.as_str())).map_err(|_| folder_error(folder))?;
        if ctx.project.files.contains_key(&path) {
          return Err(
            Diagnostic::error(
              Code::InvalidToml,
              format!("wxpack would write {path}, which the source already has (plan.folder = {folder:?})"),
            )
            .at(Location::file(ctx.project.display(&path)))
            .with_help("set [plan] folder in wxpack.toml to a name the project does not use"),
          );
        }
        add(p, path);
      }
    }
    let packages_of = |f: AssetId| instances[f].iter().map(|i: &Instance| i.package).collect();
    let same = identical::find(ctx.graph, contents, packages_of);
    for &f in same.keys() {
      for i in std::mem::take(&mut instances[f]) {
        paths.remove(&i.path);
      }
    }
    Ok(Self {
      instances,
      paths,
      aliases: ctx.project.app.resolve_alias.clone(),
      independent: packages.iter().map(|p| p.kind == PackageKind::Independent).collect(),
      same,
    })
  }

  /// The instance of `target` that a file in package `from` uses: its own package's copy, else
  /// main's (not for an independent subpackage, unless loaded lazily), else, for a lazy
  /// reference, wherever it is. A file identical to another of its package is that file.
  pub fn visible(&self, target: AssetId, from: PackageId, lazy: bool) -> Option<&Instance> {
    let target = self.same.get(&target).map_or(target, |s| s.keeper);
    let all = &self.instances[target];
    all
      .iter()
      .find(|i| i.package == from)
      .or_else(|| all.iter().find(|i| i.package == PackageId::MAIN && (lazy || !self.independent[from])))
      .or_else(|| all.first().filter(|_| lazy))
  }
}

fn folder_error(folder: &str) -> Diagnostic {
  Diagnostic::error(Code::InvalidToml, format!("plan.folder {folder:?} is not a folder name"))
    .with_help("use a plain name such as \"__wxpack__\"")
}
