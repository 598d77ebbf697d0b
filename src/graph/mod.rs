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
use resolve::{Resolved, resolve};

use crate::{
  cache::Store,
  diagnostic::{Code, Diagnostic, Location, Policy, Severity, Source, Span},
  index_vec::IndexVec,
  mp_path::MpPath,
  nesting,
  progress::Progress,
  project::{PackageId, Project, app_json, compile::Lang},
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

fn scan_file(project: &Project, asset: &Asset, store: &Store) -> FileScan {
  let display = project.display(&asset.path);
  let is_app_json = project.app_file == Some(asset.id);
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
  let source = Source::new(&display, &src);
  let mut out = FileScan::default();
  // The parsers recurse as deep as brackets nest; past what they can take on wxpack's stack
  // the file is refused where it gets that deep, not with a crash.
  let syntax = match asset.kind {
    AssetKind::Js | AssetKind::Wxs => Some(nesting::Syntax::Js),
    AssetKind::Wxss => Some(nesting::Syntax::Css),
    _ => None,
  };
  let nested = syntax.map(|syntax| nesting::scan(&src, syntax));
  if let Some(nesting::Nesting { depth, deepest_at: at, .. }) = nested
    && depth > nesting::READ
  {
    let d = Diagnostic::error(
      Code::Syntax,
      format!("brackets nest {depth} levels deep; wxpack reads up to {}", nesting::READ),
    )
    .at(source.at(Span::new(at, at + 1)))
    .with_help("generate flatter code (split the expression, use a table instead of nested calls)");
    return FileScan { diagnostics: vec![d], ..FileScan::default() };
  }
  let mut navigations = Vec::new();
  let mut routes = Vec::new();
  let (refs, dynamic) = if is_app_json {
    let (refs, warnings) = scan_app::app_refs(project);
    out.diagnostics.extend(warnings);
    (refs, Vec::new())
  } else {
    match asset.kind {
      AssetKind::Js | AssetKind::Wxs => {
        let s = script_scan(project, asset, &source, store);
        out.diagnostics.extend(s.error);
        navigations = s.navigations;
        routes = s.routes;
        (s.refs, s.dynamic)
      }
      AssetKind::Wxml => {
        let s = cached::through(store, "wxml", &src, || scan_wxml::scan_wxml(&source), |s| s.errors.is_empty());
        out.diagnostics.extend(s.errors);
        out.usage.tags = Some(s.tags);
        navigations = s.navigations;
        routes = s.routes;
        (s.refs, s.dynamic)
      }
      AssetKind::Wxss => {
        // DevTools compiles such a sheet; the rules after the brace are read as nested in it.
        if let Some(at) = nested.and_then(|n| n.unclosed_brace) {
          out.diagnostics.push(
            Diagnostic::warning(Code::Syntax, "this `{` is never closed; the rules after it are inside it")
              .at(source.at(Span::new(at, at + 1)))
              .with_help("close the block with `}`"),
          );
        }
        (cached::through(store, "wxss", &src, || scan_wxss::scan_wxss(&source), |_| true), Vec::new())
      }
      _ => match scan_json::scan_component_json(&source) {
        Ok(json) => {
          out.diagnostics.extend(json.warnings);
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
    let loc = source.at(d.span);
    out.unanalysable.push(Unanalysable {
      at: Site { file: asset.path.clone(), line: loc.line, column: loc.column, text: shorten(d.span) },
      kind: d.kind,
      prefix: d.prefix,
    });
  }
  // A literal counts only when it is a declared page, written from the root (with or without the
  // leading `/`) or relative to this file; it is kept root-relative.
  let declared = |p: &MpPath| project.packages().iter().any(|pkg| pkg.pages.contains(p));
  let routes = routes.into_iter().filter_map(|n| {
    let page = if resolve::is_relative(&n.url) { asset.path.resolve(&n.url) } else { MpPath::new(&n.url) };
    page.ok().filter(declared).map(|p| NavRef { url: format!("/{p}"), span: n.span })
  });
  let all = navigations.into_iter().map(|n| (n, false)).chain(routes.map(|n| (n, true)));
  for (n, literal) in all {
    let loc = source.at(n.span);
    out.navigations.push(Navigation {
      at: Site { file: asset.path.clone(), line: loc.line, column: loc.column, text: n.url },
      literal,
    });
  }
  let followed: Vec<Span> = refs.iter().map(|r| r.span).collect();
  out.usage.declared_tags = refs.iter().filter_map(|r| r.tag.clone()).collect();
  // JSON here is app.json or a page/component config: every path in it is structured and followed.
  let mentions = if asset.kind == AssetKind::Json { Vec::new() } else { mention::find(&src, &followed) };
  for span in mentions {
    let loc = source.at(span);
    let at = Site { file: asset.path.clone(), line: loc.line, column: loc.column, text: shorten(span) };
    out.mentions.push(Mention { at });
  }
  resolve_refs(project, asset, &source, refs, &mut out);
  out
}

/// A JS (TypeScript when compiled from `.ts`) or WXS file's scan, through the cache.
fn script_scan(project: &Project, asset: &Asset, source: &Source, store: &Store) -> scan_js::JsScan {
  let parsed = |s: &scan_js::JsScan| s.error.is_none();
  if asset.kind == AssetKind::Wxs {
    return cached::through(store, "wxs", source.text(), || scan_js::scan_wxs(source), parsed);
  }
  let file = project.files.get(&asset.path);
  let ts = file.and_then(|f| f.compiled.as_ref()).is_some_and(|c| c.lang == Lang::TypeScript);
  cached::through(store, if ts { "ts" } else { "js" }, source.text(), || scan_js::scan_js(source, ts), parsed)
}

/// Resolves each of `refs` (found in `asset`, whose text is `source`) into `out`: its files, a
/// deferred template path, or a located diagnostic.
fn resolve_refs(project: &Project, asset: &Asset, source: &Source, refs: Vec<Ref>, out: &mut FileScan) {
  let src = source.text();
  for mut r in refs {
    let (start, end) = (r.span.start as usize, r.span.end as usize);
    r.written = src.get(start..end).unwrap_or("").into();
    r.quote = src.get(..start).and_then(|s| s.chars().next_back()).unwrap_or('"');
    let resolved = resolve(project, &asset.path, &r);
    let template_relative = asset.kind == AssetKind::Wxml && r.kind == DepKind::Src && !r.spec.starts_with('/');
    match resolved {
      Resolved::Files(files) => {
        if r.kind == DepKind::Component
          && let Some(d) = ts_only_component(project, &files)
        {
          out.diagnostics.push(d.at(source.at(r.span)));
        }
        out.deps.push((r, files));
      }
      Resolved::External => {}
      Resolved::Missing(_) | Resolved::Escapes if template_relative => {
        let at = source.at(r.span);
        out.deferred.push((r, at));
      }
      Resolved::Missing(tried) => out.diagnostics.push(unresolved(source, &r, &tried)),
      // A runtime path (media, `url()`, a module) that climbs out compiles in DevTools and fails
      // only when it loads; components, templates and WXS are resolved by its compilers.
      Resolved::Escapes => out.diagnostics.push(
        Diagnostic {
          severity: if r.kind.resolved_at_run_time() { Severity::Warning } else { Severity::Error },
          ..Diagnostic::error(Code::EscapesRoot, format!("{:?} points outside the mini program root", r.spec))
        }
        .at(source.at(r.span))
        .with_help("references may not climb above miniprogramRoot; fix the number of ../"),
      ),
    }
  }
}

/// A component with a `.ts` script and no `.js` while TypeScript is not compiled: it ships
/// without code, as DevTools ships it.
fn ts_only_component(project: &Project, files: &[MpPath]) -> Option<Diagnostic> {
  let base = files.first()?.stem_path();
  let (js, ts) = (base.with_suffix(".js"), base.with_suffix(".ts"));
  if project.exists(&js) || !project.exists(&ts) {
    return None;
  }
  Some(
    Diagnostic::warning(Code::MissingPage, format!("component {base} has only {ts}, and TypeScript is not compiled"))
      .with_help("add \"typescript\" to setting.useCompilerPlugins in project.config.json, or ship a compiled .js"),
  )
}

fn unresolved(source: &Source, r: &Ref, tried: &[MpPath]) -> Diagnostic {
  let d = Diagnostic::warning(Code::Unresolved, format!("cannot resolve {:?}", r.spec));
  let tried: Vec<&str> = tried.iter().take(4).map(MpPath::as_str).collect();
  let loc = if r.span == Span::default() { Location::file(source.file()) } else { source.at(r.span) };
  d.at(loc).with_help(format!("looked for {}", tried.join(", ")))
}
