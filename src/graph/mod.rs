//! Scan stage: follows every reference from app.json outward and records the dependency graph.
//!
//! Input: a loaded [`Project`]. Output: a [`Graph`] with one [`Asset`] per file under the root
//! (in path order, so ids are deterministic), the resolved [`Dep`]s of every reached file, and a
//! side table saying which files something reaches. Files are scanned breadth-first, each level
//! in parallel; a file is scanned once whoever references it.

pub mod asset;
pub mod mention;
pub mod resolve;
pub mod scan_js;
pub mod scan_json;
pub mod scan_wxml;
pub mod scan_wxss;
mod usage;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

pub use asset::{
  Asset, AssetId, AssetKind, Dep, DepKind, DynamicKind, DynamicRef, Mention, NavRef, Navigation, Ref, Unanalysable,
};
use resolve::{Resolved, resolve};

use crate::{
  diagnostic::{Code, Diagnostic, Location, Span, json_string_span},
  mp_path::MpPath,
  progress::Progress,
  project::{PackageId, Project, app_json, compile::Lang},
};

#[derive(Debug)]
pub struct Graph {
  pub assets: Vec<Asset>,
  pub by_path: FxHashMap<MpPath, AssetId>,
  /// `reached[id]`: some chain of references from app.json leads to the file.
  pub reached: Vec<bool>,
  pub unanalysable: Vec<Unanalysable>,
  /// Asset paths written outside any followed reference (see [`mention`]).
  pub mentions: Vec<Mention>,
  /// Pages each file can open (`wx.navigateTo`, `<navigator>`), in file order.
  pub navigations: Vec<Navigation>,
  /// For page and component JSON: the `usingComponents` tags its WXML never uses (their deps are
  /// marked [`Dep::unused`]). Absent when that cannot be known.
  pub unused_tags: FxHashMap<AssetId, Vec<String>>,
  pub warnings: Vec<Diagnostic>,
}

/// What scanning one file produced, before merging into the graph.
#[derive(Default)]
struct FileScan {
  deps: Vec<(Ref, Vec<MpPath>)>,
  unanalysable: Vec<Unanalysable>,
  mentions: Vec<Mention>,
  navigations: Vec<Navigation>,
  diagnostics: Vec<Diagnostic>,
  usage: usage::FileUsage,
}

impl Graph {
  pub fn get(&self, path: &MpPath) -> Option<&Asset> {
    self.by_path.get(path).map(|id| &self.assets[id.index()])
  }

  /// Builds the graph. Errors (bad syntax, paths escaping the root, and unresolved references
  /// when `strict`) stop the build; everything else becomes a warning.
  /// With `keep_going`, a file with a syntax error is a warning and ships unchanged.
  pub fn scan(project: &Project, strict: bool, keep_going: bool, progress: &Progress) -> Result<Self, Vec<Diagnostic>> {
    let assets: Vec<Asset> = project
      .files
      .keys()
      .enumerate()
      .map(|(i, path)| Asset {
        id: AssetId(u32::try_from(i).unwrap_or(u32::MAX)),
        path: path.clone(),
        kind: AssetKind::of(path),
        deps: Vec::new(),
      })
      .collect();
    let by_path: FxHashMap<MpPath, AssetId> = assets.iter().map(|a| (a.path.clone(), a.id)).collect();
    let mut graph = Graph {
      reached: vec![false; assets.len()],
      assets,
      by_path,
      unanalysable: Vec::new(),
      mentions: Vec::new(),
      navigations: Vec::new(),
      unused_tags: FxHashMap::default(),
      warnings: Vec::new(),
    };
    let mut usage = usage::Usage::default();
    let app = MpPath::root().join(app_json::FILE).unwrap_or_else(|_| MpPath::root());
    let Some(&app_id) = graph.by_path.get(&app) else {
      return Err(vec![
        Diagnostic::error(Code::Io, "app.json is not in the file list").at(Location::file(project.display(&app))),
      ]);
    };
    graph.reached[app_id.index()] = true;
    let mut errors = Vec::new();
    let mut frontier = vec![app_id];
    while !frontier.is_empty() {
      let scans: Vec<(AssetId, FileScan)> = frontier
        .par_iter()
        .map(|&id| {
          let scan = scan_file(project, &graph.assets[id.index()], strict);
          progress.inc();
          (id, scan)
        })
        .collect();
      let mut next = Vec::new();
      for (id, scan) in scans {
        for mut d in scan.diagnostics {
          if keep_going && d.code == Code::Syntax {
            d.severity = crate::diagnostic::Severity::Warning;
            d.help = Some("shipped unchanged (--keep-going)".into());
          }
          if d.is_error() { errors.push(d) } else { graph.warnings.push(d) }
        }
        graph.unanalysable.extend(scan.unanalysable);
        graph.mentions.extend(scan.mentions);
        graph.navigations.extend(scan.navigations);
        usage.add(id, scan.usage);
        graph.link(project, id, scan.deps, Some(&mut next), &mut usage);
      }
      next.sort_unstable();
      next.dedup();
      frontier = next;
    }
    // Files nothing reaches are scanned too, quietly: one that `prune.keep` or a pin ships needs
    // its references to resolve like any other, but its problems are not the build's.
    let rest: Vec<AssetId> = graph
      .assets
      .iter()
      .filter(|a| !graph.reached[a.id.index()] && project.files.get(&a.path).is_some_and(|f| f.ships()))
      .map(|a| a.id)
      .collect();
    let scans: Vec<(AssetId, FileScan)> =
      rest.par_iter().map(|&id| (id, scan_file(project, &graph.assets[id.index()], false))).collect();
    for (id, scan) in scans {
      graph.unanalysable.extend(scan.unanalysable);
      graph.mentions.extend(scan.mentions);
      graph.navigations.extend(scan.navigations);
      usage.add(id, scan.usage);
      graph.link(project, id, scan.deps, None, &mut usage);
    }
    usage.mark_unused(&mut graph);
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
    let from_pkg = project.package_of(&self.assets[from.index()].path);
    for (r, targets) in deps {
      let first = self.assets[from.index()].deps.len();
      for path in targets {
        let Some(&target) = self.by_path.get(&path) else { continue };
        // A placeholder makes a component reference asynchronous when it crosses into another
        // subpackage (or from main into one); a component in the main package is there anyway.
        let to_pkg = project.package_of(&path);
        let lazy = r.lazy || (r.placeholder && to_pkg != from_pkg && to_pkg != PackageId::MAIN);
        self.assets[from.index()].deps.push(Dep { target, kind: r.kind, lazy, span: r.span, unused: false });
        if let Some(next) = next.as_deref_mut()
          && !self.reached[target.index()]
        {
          self.reached[target.index()] = true;
          next.push(target);
        }
      }
      if let Some(tag) = r.tag {
        usage.add_tag_deps(from, tag, first..self.assets[from.index()].deps.len());
      }
    }
  }
}

fn scan_file(project: &Project, asset: &Asset, strict: bool) -> FileScan {
  let display = project.display(&asset.path);
  let is_app_json = asset.path.as_str() == app_json::FILE;
  let scannable = is_app_json
    || matches!(asset.kind, AssetKind::Wxml | AssetKind::Wxss | AssetKind::Wxs)
    || (asset.kind == AssetKind::Js && asset.path.extension() == Some("js"))
    || (asset.kind == AssetKind::Json && project.exists(&asset.path.stem_path().with_suffix(".wxml")));
  if !scannable {
    return FileScan::default();
  }
  let src = match project.read_text(&asset.path) {
    Ok(s) => s,
    Err(d) => return FileScan { diagnostics: vec![d], ..FileScan::default() },
  };
  let mut out = FileScan::default();
  let mut navigations = Vec::new();
  let (refs, dynamic) = if is_app_json {
    (app_refs(project), Vec::new())
  } else {
    match asset.kind {
      AssetKind::Js | AssetKind::Wxs => {
        let s = if asset.kind == AssetKind::Js {
          let ts = project
            .files
            .get(&asset.path)
            .and_then(|f| f.compiled.as_ref())
            .is_some_and(|c| c.lang == Lang::TypeScript);
          scan_js::scan_js(&display, &src, ts)
        } else {
          scan_js::scan_wxs(&display, &src)
        };
        out.diagnostics.extend(s.error);
        navigations = s.navigations;
        (s.refs, s.dynamic)
      }
      AssetKind::Wxml => {
        let s = scan_wxml::scan_wxml(&display, &src);
        out.diagnostics.extend(s.errors);
        out.usage.tags = Some(s.tags);
        navigations = s.navigations;
        (s.refs, s.dynamic)
      }
      AssetKind::Wxss => (scan_wxss::scan_wxss(&display, &src), Vec::new()),
      _ => match scan_json::scan_component_json(&display, &src) {
        Ok(json) => {
          out.usage.placeholder_tags = json.placeholder_tags;
          (json.refs, Vec::new())
        }
        Err(d) => {
          out.diagnostics.push(d);
          (Vec::new(), Vec::new())
        }
      },
    }
  };
  let shorten =
    |span: Span| -> String { src.get(span.start as usize..span.end as usize).unwrap_or("").chars().take(80).collect() };
  for d in dynamic {
    let loc = Location::of_span(&display, &src, d.span);
    out.unanalysable.push(Unanalysable {
      file: asset.path.clone(),
      line: loc.line,
      column: loc.column,
      text: shorten(d.span),
      kind: d.kind,
      prefix: d.prefix,
    });
  }
  for n in navigations {
    let loc = Location::of_span(&display, &src, n.span);
    out.navigations.push(Navigation { file: asset.path.clone(), line: loc.line, column: loc.column, url: n.url });
  }
  let followed: Vec<Span> = refs.iter().map(|r| r.span).collect();
  out.usage.declared_tags = refs.iter().filter_map(|r| r.tag.clone()).collect();
  // JSON here is app.json or a page/component config: every path in it is structured and followed.
  let mentions = if asset.kind == AssetKind::Json { Vec::new() } else { mention::find(&src, &followed) };
  for span in mentions {
    let loc = Location::of_span(&display, &src, span);
    out.mentions.push(Mention { file: asset.path.clone(), line: loc.line, column: loc.column, text: shorten(span) });
  }
  for r in refs {
    match resolve(project, &asset.path, &r) {
      Resolved::Files(files) => out.deps.push((r, files)),
      Resolved::External => {}
      Resolved::Missing(tried) => out.diagnostics.push(unresolved(&display, &src, &r, &tried, strict)),
      Resolved::Escapes => out.diagnostics.push(
        Diagnostic::error(Code::EscapesRoot, format!("{:?} points outside the mini program root", r.spec))
          .at(Location::of_span(&display, &src, r.span))
          .with_help("references may not climb above miniprogramRoot; fix the number of ../"),
      ),
    }
  }
  out
}

fn unresolved(display: &str, src: &str, r: &Ref, tried: &[MpPath], strict: bool) -> Diagnostic {
  let message = format!("cannot resolve {:?}", r.spec);
  let d =
    if strict { Diagnostic::error(Code::Unresolved, message) } else { Diagnostic::warning(Code::Unresolved, message) };
  let tried: Vec<&str> = tried.iter().take(4).map(MpPath::as_str).collect();
  let loc = if r.span == Span::default() { Location::file(display) } else { Location::of_span(display, src, r.span) };
  d.at(loc).with_help(format!("looked for {}", tried.join(", ")))
}

/// app.json's references: pages, global components, tabBar, sitemap, theme, workers, entries.
fn app_refs(project: &Project) -> Vec<Ref> {
  let app = &project.app;
  let src = &app.source;
  let span = |v: &str, key: Option<&str>| json_string_span(src, v, key).unwrap_or_default();
  let mut refs = Vec::new();
  // app.js is required (a missing one is reported as unresolved); app.wxss is optional.
  refs.push(Ref::new("app.js", DepKind::AppFile, Span::default()));
  if project.files.keys().any(|p| p.as_str() == "app.wxss") {
    refs.push(Ref::new("app.wxss", DepKind::AppFile, Span::default()));
  }
  for package in project.packages() {
    for page in &package.pages {
      let written = page.strip_dir(&package.root).unwrap_or(page.as_str());
      refs.push(Ref::new(page.as_str(), DepKind::Page, span(written, None)));
    }
    if let Some(entry) = &package.entry {
      refs.push(Ref::new(entry.as_str(), DepKind::AppFile, span(entry.file_name(), Some("entry"))));
    }
  }
  for (tag, spec) in &app.using_components {
    refs.push(Ref::new(spec.as_str(), DepKind::Component, span(spec, Some(tag))));
  }
  if let Some(tab) = &app.tab_bar {
    refs.extend(
      tab.icons.iter().map(|i| Ref::new(format!("/{}", i.trim_start_matches('/')), DepKind::Src, span(i, None))),
    );
    if tab.custom {
      refs.push(Ref::new("/custom-tab-bar/index", DepKind::Component, span("custom", None)));
    }
  }
  let sitemap = app.sitemap.clone().or_else(|| MpPath::new("sitemap.json").ok().filter(|p| project.exists(p)));
  for file in sitemap.iter().chain(&app.theme) {
    refs.push(Ref::new(file.as_str(), DepKind::AppFile, span(file.as_str(), None)));
  }
  if let Some(workers) = &app.workers {
    let at = span(workers.path.as_str(), None);
    refs.extend(
      project
        .files
        .keys()
        .filter(|p| p.is_within(&workers.path) && p.extension() == Some("js"))
        .map(|p| Ref::new(p.as_str(), DepKind::AppFile, at)),
    );
  }
  refs
}
