//! One file's scan: its references (through the cache, with its depth check and mentions),
//! resolved against the project, with located diagnostics for what does not resolve.

use super::{
  Asset, AssetKind, DepKind, FileScan, Mention, NavRef, Navigation, Ref, Site, Unanalysable,
  cached::{self, Scanned, Scanner},
  resolve::{self, Resolved, resolve},
  scan_app, scan_js, scan_json, scan_wxml, scan_wxss,
};
use crate::{
  cache::Store,
  diagnostic::{Code, Diagnostic, Location, Severity, Source, Span},
  mp_path::MpPath,
  nesting,
  project::{Project, compile::Lang},
};

pub(super) fn scan_file(project: &Project, asset: &Asset, store: &Store) -> FileScan {
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
  let mut navigations = Vec::new();
  let mut routes = Vec::new();
  let mut apis = Vec::new();
  let mut plugins = Vec::new();
  let mut mentions = Vec::new();
  let (refs, dynamic) = if is_app_json {
    let (refs, warnings) = scan_app::app_refs(project);
    out.diagnostics.extend(warnings);
    (refs, Vec::new())
  } else {
    match asset.kind {
      AssetKind::Js | AssetKind::Wxs => {
        let s = match script_scan(project, asset, &source, store) {
          Ok(s) => s,
          Err(n) => return too_deep(&source, n),
        };
        mentions = s.mentions;
        out.diagnostics.extend(s.scan.error);
        navigations = s.scan.navigations;
        routes = s.scan.routes;
        apis = s.scan.apis;
        plugins = s.scan.plugins;
        (s.scan.refs, s.scan.dynamic)
      }
      AssetKind::Wxml => {
        let wxml = Scanner { kind: "wxml", syntax: None, followed: |s: &scan_wxml::WxmlScan| spans(&s.refs) };
        let Ok(s) = cached::through(store, &wxml, &src, || scan_wxml::scan_wxml(&source), |s| s.errors.is_empty())
        else {
          return FileScan::default();
        };
        mentions = s.mentions;
        out.diagnostics.extend(s.scan.errors);
        out.usage.tags = Some(s.scan.tags);
        navigations = s.scan.navigations;
        routes = s.scan.routes;
        (s.scan.refs, s.scan.dynamic)
      }
      AssetKind::Wxss => {
        let wxss = Scanner { kind: "wxss", syntax: Some(nesting::Syntax::Css), followed: |r: &Vec<Ref>| spans(r) };
        let s = match cached::through(store, &wxss, &src, || scan_wxss::scan_wxss(&source), |_| true) {
          Ok(s) => s,
          Err(n) => return too_deep(&source, n),
        };
        // DevTools compiles such a sheet; the rules after the brace are read as nested in it.
        if let Some(at) = s.unclosed_brace {
          out.diagnostics.push(
            Diagnostic::warning(Code::Syntax, "this `{` is never closed; the rules after it are inside it")
              .at(source.at(Span::new(at, at + 1)))
              .with_help("close the block with `}`"),
          );
        }
        mentions = s.mentions;
        (s.scan, Vec::new())
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
  // Line and column only: a code frame would copy the line, all of a minified file, each time.
  for d in dynamic {
    let (line, column) = source.line_col(d.span.start as usize);
    out.unanalysable.push(Unanalysable {
      at: Site { file: asset.path.clone(), line, column, text: shorten(d.span) },
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
    let (line, column) = source.line_col(n.span.start as usize);
    out.navigations.push(Navigation { at: Site { file: asset.path.clone(), line, column, text: n.url }, literal });
  }
  for (list, found) in [(&mut out.apis, apis), (&mut out.plugins, plugins)] {
    for a in found {
      let (line, column) = source.line_col(a.span.start as usize);
      list.push(Site { file: asset.path.clone(), line, column, text: a.name });
    }
  }
  out.usage.declared_tags = refs.iter().filter_map(|r| r.tag.clone()).collect();
  // JSON here is app.json or a page/component config: every path in it is structured and
  // followed, so it has no mentions.
  for span in mentions {
    let (line, column) = source.line_col(span.start as usize);
    let at = Site { file: asset.path.clone(), line, column, text: shorten(span) };
    out.mentions.push(Mention { at });
  }
  resolve_refs(project, asset, &source, refs, &mut out);
  out
}

/// A JS (TypeScript when compiled from `.ts`) or WXS file's scan, through the cache.
fn script_scan(
  project: &Project,
  asset: &Asset,
  source: &Source,
  store: &Store,
) -> Result<Scanned<scan_js::JsScan>, nesting::Nesting> {
  let parsed = |s: &scan_js::JsScan| s.error.is_none();
  let followed = |s: &scan_js::JsScan| spans(&s.refs);
  let syntax = Some(nesting::Syntax::Js);
  if asset.kind == AssetKind::Wxs {
    let wxs = Scanner { kind: "wxs", syntax, followed };
    return cached::through(store, &wxs, source.text(), || scan_js::scan_wxs(source), parsed);
  }
  let file = project.files.get(&asset.path);
  let ts = file.and_then(|f| f.compiled.as_ref()).is_some_and(|c| c.lang == Lang::TypeScript);
  let js = Scanner { kind: if ts { "ts" } else { "js" }, syntax, followed };
  cached::through(store, &js, source.text(), || scan_js::scan_js(source, ts), parsed)
}

fn spans(refs: &[Ref]) -> Vec<Span> {
  refs.iter().map(|r| r.span).collect()
}

/// A file refused because its brackets nest deeper than the parsers can read.
fn too_deep(source: &Source, n: nesting::Nesting) -> FileScan {
  let at = n.deepest_at;
  let d = Diagnostic::error(
    Code::Syntax,
    format!("brackets nest {} levels deep; wxpack reads up to {}", n.depth, nesting::READ),
  )
  .at(source.at(Span::new(at, at + 1)))
  .with_help("generate flatter code (split the expression, use a table instead of nested calls)");
  FileScan { diagnostics: vec![d], ..FileScan::default() }
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
      // Any attribute may hold a string shaped like a path.
      Resolved::Missing(_) | Resolved::Escapes if r.kind == DepKind::Attr => {}
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
