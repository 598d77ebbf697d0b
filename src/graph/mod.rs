//! Scan stage: follows every reference from app.json outward and records the dependency graph.
//!
//! Input: a loaded [`Project`]. Output: a [`Graph`] with one [`Asset`] per file under the root
//! (in path order, so ids are deterministic), the resolved [`Dep`]s of every reached file, and a
//! side table saying which files something reaches. Files are scanned breadth-first, each level
//! in parallel; a file is scanned once whoever references it.

pub mod asset;
mod cached;
pub mod context;
pub mod mention;
mod npm_loader;
pub mod resolve;
pub mod scan_app;
mod scan_file;
pub mod scan_js;
pub mod scan_json;
pub mod scan_wxml;
pub mod scan_wxss;
mod stray_css;
mod usage;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

pub use asset::{
  Asset, AssetId, AssetKind, Dep, DepKind, DynamicKind, DynamicRef, Mention, NavRef, Navigation, Ref, Site,
  Unanalysable,
};
use scan_file::scan_file;

use crate::{
  cache::Store,
  diagnostic::{Code, Diagnostic, Location, Policy},
  index_vec::IndexVec,
  mp_path::MpPath,
  progress::Progress,
  project::{PackageId, Project, app_json},
};

#[derive(Debug)]
pub struct Graph {
  pub assets: IndexVec<AssetId, Asset>,
  pub by_path: FxHashMap<MpPath, AssetId>,
  /// `reached[id]`: some chain of references from app.json leads to the file.
  pub reached: IndexVec<AssetId, bool>,
  pub unanalysable: Vec<Unanalysable>,
  /// Asset paths written outside any followed reference (see [`mention`]).
  pub mentions: Vec<Mention>,
  /// Pages each file can open (`wx.navigateTo`, `<navigator>`), in file order.
  pub navigations: Vec<Navigation>,
  /// Uses of the platform APIs app.json must declare (`wx.getLocation`); `text` is the API.
  pub apis: Vec<Site>,
  /// `requirePlugin('NAME')` calls; `text` is the NAME.
  pub plugins: Vec<Site>,
  /// For page and component JSON: the `usingComponents` tags its WXML never uses (their deps are
  /// marked [`Dep::unused`]). Absent when that cannot be known.
  pub unused_tags: FxHashMap<AssetId, Vec<String>>,
  /// Relative media paths in templates, resolved against the pages that render them.
  pub contextual: Vec<context::ContextRef>,
  pub warnings: Vec<Diagnostic>,
}

/// What scanning one file produced, before merging into the graph.
#[derive(Default)]
struct FileScan {
  deps: Vec<(Ref, Vec<MpPath>)>,
  unanalysable: Vec<Unanalysable>,
  mentions: Vec<Mention>,
  navigations: Vec<Navigation>,
  apis: Vec<Site>,
  plugins: Vec<Site>,
  diagnostics: Vec<Diagnostic>,
  /// WXML `src` paths that do not resolve from the file itself: a template's, maybe.
  deferred: Vec<(Ref, Location)>,
  usage: usage::FileUsage,
}

impl Graph {
  pub fn get(&self, path: &MpPath) -> Option<&Asset> {
    self.by_path.get(path).map(|id| &self.assets[*id])
  }

  /// Builds the graph. Errors (bad syntax, paths the compilers cannot resolve above the root)
  /// stop the build; everything else is a warning; `policy` (`--strict`, `--keep-going`) then
  /// decides, once, which of them stop it.
  pub fn scan(project: &Project, policy: Policy, progress: &Progress) -> Result<Self, Vec<Diagnostic>> {
    Self::scan_cached(project, policy, progress, &Store::none())
  }

  /// [`Graph::scan`], with the JS and WXS parses through the build cache.
  pub fn scan_cached(
    project: &Project,
    policy: Policy,
    progress: &Progress,
    store: &Store,
  ) -> Result<Self, Vec<Diagnostic>> {
    let mut assets: IndexVec<AssetId, Asset> = IndexVec::new();
    // One asset per file of the load stage's table, under the same id.
    for (id, path, file) in project.files.iter_enumerated() {
      let pushed =
        assets.push(Asset { id, path: path.clone(), kind: AssetKind::of(path), ships: file.ships(), deps: Vec::new() });
      debug_assert_eq!(pushed, id);
    }
    let by_path: FxHashMap<MpPath, AssetId> = assets.iter().map(|a| (a.path.clone(), a.id)).collect();
    let mut graph = Graph {
      reached: IndexVec::from_elem(false, assets.len()),
      assets,
      by_path,
      unanalysable: Vec::new(),
      mentions: Vec::new(),
      navigations: Vec::new(),
      apis: Vec::new(),
      plugins: Vec::new(),
      unused_tags: FxHashMap::default(),
      contextual: Vec::new(),
      warnings: Vec::new(),
    };
    let mut usage = usage::Usage::default();
    let app = MpPath::root().join(app_json::FILE).unwrap_or_else(|_| MpPath::root());
    let Some(&app_id) = graph.by_path.get(&app) else {
      return Err(vec![
        Diagnostic::error(Code::Io, "app.json is not in the file list").at(Location::file(project.display(&app))),
      ]);
    };
    graph.reached[app_id] = true;
    // Every message of the stage, sorted into errors and warnings once, at its end.
    let mut messages = Vec::new();
    let mut deferred = Vec::new();
    let mut frontier = vec![app_id];
    while !frontier.is_empty() {
      let scans: Vec<(AssetId, FileScan)> = frontier
        .par_iter()
        .map(|&id| {
          let scan = scan_file(project, &graph.assets[id], store);
          progress.inc();
          (id, scan)
        })
        .collect();
      let mut next = Vec::new();
      for (id, scan) in scans {
        messages.extend(scan.diagnostics);
        graph.unanalysable.extend(scan.unanalysable);
        graph.mentions.extend(scan.mentions);
        graph.navigations.extend(scan.navigations);
        graph.apis.extend(scan.apis);
        graph.plugins.extend(scan.plugins);
        deferred.extend(scan.deferred.into_iter().map(|(r, location)| context::Deferred { file: id, r, location }));
        usage.add(id, scan.usage);
        graph.link(project, id, scan.deps, Some(&mut next), &mut usage);
      }
      next.sort_unstable();
      next.dedup();
      frontier = next;
    }
    // Files nothing reaches are scanned too, quietly: one that `prune.keep` or a pin ships needs
    // its references to resolve like any other, but its problems are not the build's.
    let rest: Vec<AssetId> = graph.assets.iter().filter(|a| !graph.reached[a.id] && a.ships).map(|a| a.id).collect();
    let scans: Vec<(AssetId, FileScan)> =
      rest.par_iter().map(|&id| (id, scan_file(project, &graph.assets[id], store))).collect();
    for (id, scan) in scans {
      graph.unanalysable.extend(scan.unanalysable);
      graph.mentions.extend(scan.mentions);
      graph.navigations.extend(scan.navigations);
      usage.add(id, scan.usage);
      graph.link(project, id, scan.deps, None, &mut usage);
    }
    messages.extend(context::resolve_deferred(project, &mut graph, deferred));
    usage.mark_unused(&mut graph);
    messages.extend(stray_css::check(project, &graph));
    let (errors, warnings) = policy.split(messages);
    graph.warnings = warnings;
    if errors.is_empty() { Ok(graph) } else { Err(errors) }
  }

  fn link(
    &mut self,
    project: &Project,
    from: AssetId,
    deps: Vec<(Ref, Vec<MpPath>)>,
    mut next: Option<&mut Vec<AssetId>>,
    usage: &mut usage::Usage,
  ) {
    let from_pkg = project.package_of(&self.assets[from].path);
    for (r, targets) in deps {
      let first = self.assets[from].deps.len();
      for path in targets {
        let Some(&target) = self.by_path.get(&path) else { continue };
        // A placeholder makes a component reference asynchronous when it crosses into another
        // subpackage (or from main into one); a component in the main package is there anyway.
        let to_pkg = project.package_of(&path);
        let lazy = r.lazy || (r.placeholder && to_pkg != from_pkg && to_pkg != PackageId::MAIN);
        self.assets[from].deps.push(Dep {
          target,
          kind: r.kind,
          lazy,
          span: r.span,
          written: r.written.clone(),
          quote: r.quote,
          unused: false,
        });
        if let Some(next) = next.as_deref_mut()
          && !self.reached[target]
        {
          self.reached[target] = true;
          next.push(target);
        }
      }
      if let Some(tag) = r.tag {
        usage.add_tag_deps(from, tag, first..self.assets[from].deps.len());
      }
    }
  }
}
