//! app.json's references: it is the root of the graph, and its fields are typed by the loader.

use super::{DepKind, Ref};
use crate::{
  diagnostic::{Code, Diagnostic, Source, Span},
  mp_path::MpPath,
  project::{Project, app_json},
};

/// app.json's references: pages, global components, tabBar, sitemap, theme, workers, entries,
/// and the files that `agent` and keys wxpack does not know name.
pub fn app_refs(project: &Project) -> (Vec<Ref>, Vec<Diagnostic>) {
  let app = &project.app;
  let src = &app.source;
  let spans = &app.spans;
  let span = |v: &str, key: Option<&str>| spans.find(v, key).unwrap_or_default();
  let mut refs = Vec::new();
  // app.js is required (a missing one is reported as unresolved); app.wxss is optional.
  refs.push(Ref::new("app.js", DepKind::AppFile, Span::default()));
  if project.files.keys().any(|p| p.as_str() == "app.wxss") {
    refs.push(Ref::new("app.wxss", DepKind::AppFile, Span::default()));
  }
  for package in project.packages() {
    for page in &package.pages {
      let written = page.strip_dir(&package.root).unwrap_or(page.as_str());
      let at = app_json::page_span(spans, package, written).unwrap_or_default();
      refs.push(Ref::new(page.as_str(), DepKind::Page, at));
    }
    if let Some(entry) = &package.entry {
      let at = app_json::entry_span(spans, package).unwrap_or_default();
      refs.push(Ref::new(entry.as_str(), DepKind::AppFile, at));
    }
  }
  for (tag, spec) in &app.using_components {
    let at = spans.strings(&["usingComponents", tag], spec).next().unwrap_or_default();
    refs.push(Ref::new(spec.as_str(), DepKind::Component, at));
  }
  if let Some(tab) = &app.tab_bar {
    refs.extend(
      tab
        .icons
        .iter()
        .map(|i| Ref::new(format!("/{}", i.trim_start_matches('/')), DepKind::Src, span(i, Some("tabBar")))),
    );
    // Without the folder there is nothing to follow (the loader warned about it).
    let folder = MpPath::new("custom-tab-bar").ok();
    if tab.custom && folder.is_some_and(|d| project.files.keys().any(|p| p.is_within(&d))) {
      let at = spans.key(&["tabBar", "custom"]).unwrap_or_default();
      refs.push(Ref::new("/custom-tab-bar/index", DepKind::Component, at));
    }
  }
  // Components the platform loads by their place, not by a reference: kept like any entry.
  let app_bar = MpPath::new("app-bar").ok();
  if app.app_bar && app_bar.is_some_and(|d| project.files.keys().any(|p| p.is_within(&d))) {
    refs.push(Ref::new("/app-bar/index", DepKind::Component, spans.key(&["appBar"]).unwrap_or_default()));
  }
  let sitemap = app.sitemap.clone().or_else(|| MpPath::new("sitemap.json").ok().filter(|p| project.exists(p)));
  for file in sitemap.iter().chain(&app.theme) {
    refs.push(Ref::new(file.as_str(), DepKind::AppFile, span(file.as_str(), None)));
  }
  if let Some(workers) = &app.workers {
    let at = span(workers.path.as_str(), Some("workers"));
    refs.extend(
      project
        .files
        .keys()
        .filter(|p| p.is_within(&workers.path) && p.extension() == Some("js"))
        .map(|p| Ref::new(p.as_str(), DepKind::AppFile, at)),
    );
  }
  let mut warnings = Vec::new();
  let display = project.display(&MpPath::root().join(app_json::FILE).unwrap_or_else(|_| MpPath::root()));
  for e in &app.key_entries {
    let at = span(&e.value, e.key.rsplit(['.', '[']).next());
    let files = key_entry_files(project, &e.value);
    if files.is_empty() {
      if !e.unknown {
        warnings.push(
          Diagnostic::warning(Code::Unresolved, format!("{} names {:?}, which does not exist", e.key, e.value))
            .at(Source::new(&display, src).at(at)),
        );
      }
      continue;
    }
    if e.unknown {
      warnings.push(
        Diagnostic::warning(
          Code::UnknownKey,
          format!("app.json key {} names {:?}; wxpack ships it and everything it uses", e.key, e.value),
        )
        .at(Source::new(&display, src).at(at))
        .with_help("wxpack does not know this key; the files it names are kept so no code is lost"),
      );
    }
    refs.extend(files.into_iter().map(|p| Ref::new(p.as_str(), DepKind::AppFile, at)));
  }
  (refs, warnings)
}

/// What an app.json value names: the file, its `.js`, or every file in the folder.
fn key_entry_files(project: &Project, value: &str) -> Vec<MpPath> {
  let Ok(p) = MpPath::new(value) else { return Vec::new() };
  if p.is_root() {
    return Vec::new();
  }
  if let Some(f) = [p.clone(), p.with_suffix(".js")].into_iter().find(|c| project.exists(c)) {
    return vec![f];
  }
  project.files.iter().filter(|(f, s)| f.is_within(&p) && s.ships()).map(|(f, _)| f.clone()).collect()
}
