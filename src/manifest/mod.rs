//! Manifest stage: what loads when.
//!
//! Input: the planned, finished output. Output: the preloadRule derived from the navigation graph
//! (written into the output app.json, with `lazyCodeLoading` when asked), the startup-critical
//! bytes of the launch pages, and `wxpack-manifest.json`: per package what it holds, what it
//! weighs compressed and how it loads; per page what it opens, preloads and injects; and the
//! planner's moves and copies. Everything is sorted, so the same input gives the same bytes.

pub mod navigation;
pub use crate::config::manifest as options;
pub mod preload;
pub mod startup;

use serde::Serialize;
use serde_json::Value;

use crate::{
  cache::Store,
  config::MinifyConfig,
  diagnostic::{Code, Diagnostic, Location},
  graph::{AssetId, AssetKind, Graph},
  mp_path::MpPath,
  plan::{Decision, PackagePlan},
  project::{PackageId, PackageKind, Project, app_json},
  transform::Shipped,
};
use navigation::Unknown;
use options::ManifestOptions;
use preload::PreloadReport;
use startup::{StartupPage, StartupViolation};

/// The manifest's file name, in OUT_DIR beside the code (never inside the mini program root).
pub const FILE: &str = "wxpack-manifest.json";
/// Bump on any incompatible change; docs/manifest-schema.md documents it.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Serialize)]
pub struct Manifest {
  pub schema_version: u32,
  pub wxpack_version: &'static str,
  /// The output app.json has `lazyCodeLoading: "requiredComponents"`.
  pub lazy_code_loading: bool,
  pub packages: Vec<PackageEntry>,
  pub pages: Vec<PageEntry>,
  pub preload: PreloadReport,
  pub startup: Vec<StartupPage>,
  /// Files the planner moved or copied, with where they ship.
  pub placements: Vec<PlacementEntry>,
}

#[derive(Debug, Serialize)]
pub struct PackageEntry {
  pub name: String,
  pub root: Option<MpPath>,
  pub independent: bool,
  pub pages: Vec<MpPath>,
  pub files: Vec<FileEntry>,
  pub bytes: u64,
  pub compressed_bytes: u64,
  /// `launch` (main, or the package of the entry page) or `navigation`.
  pub loaded: &'static str,
  /// Pages whose preloadRule names it.
  pub preloaded_from: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct FileEntry {
  pub path: MpPath,
  pub kind: AssetKind,
  pub bytes: u64,
}

#[derive(Debug, Serialize)]
pub struct PageEntry {
  pub route: MpPath,
  pub package: String,
  /// Pages it can open.
  pub opens: Vec<MpPath>,
  /// Those of `opens` found only as strings equal to a route (URLs kept in data).
  #[serde(skip_serializing_if = "Vec::is_empty")]
  pub opens_from_data: Vec<MpPath>,
  /// Packages its preloadRule names.
  pub preloads: Vec<String>,
  /// Components injected when it loads (its own and the global ones, transitively).
  pub injects: Vec<MpPath>,
  /// URLs it opens that name no declared page.
  #[serde(skip_serializing_if = "Vec::is_empty")]
  pub unknown: Vec<Unknown>,
}

#[derive(Debug, Serialize)]
pub struct PlacementEntry {
  pub source: MpPath,
  pub decision: Decision,
  pub shipped: Vec<MpPath>,
}

/// What the stage found, for the report.
#[derive(Debug)]
pub struct Loading {
  pub manifest: Manifest,
  pub violations: Vec<StartupViolation>,
  /// The source app.json had `lazyCodeLoading: "requiredComponents"`.
  pub lazy_in_source: bool,
  /// The output app.json, when the rules or `lazyCodeLoading` change it ([`with_app_json`]).
  pub app_json: Option<Vec<u8>>,
  pub warnings: Vec<Diagnostic>,
}

/// The shipped files as the manifest stage measures them: with its app.json.
pub struct Staged<'a> {
  pub shipped: &'a [Shipped],
  app_json: Option<(AssetId, &'a [u8])>,
}

impl Staged<'_> {
  /// What `s` ships.
  pub fn bytes<'s>(&'s self, s: &'s Shipped) -> &'s [u8] {
    match self.app_json {
      Some((app, bytes)) if s.asset() == Some(app) => bytes,
      _ => &s.output.bytes,
    }
  }
}

/// `shipped` with app.json's bytes the stage wrote, if it wrote any.
pub fn with_app_json(project: &Project, shipped: Vec<Shipped>, loading: &Loading) -> Vec<Shipped> {
  let (Some(app), Some(bytes)) = (project.app_file, &loading.app_json) else { return shipped };
  shipped
    .into_iter()
    .map(|mut s| {
      if s.asset() == Some(app) {
        s.output.bytes = bytes.clone();
      }
      s
    })
    .collect()
}

/// Derives the rules and the manifest, and app.json's new bytes when the rules or
/// `lazyCodeLoading` change it (measured as shipped with them).
pub fn build(
  project: &Project,
  graph: &Graph,
  plan: &PackagePlan,
  shipped: &[Shipped],
  options: &ManifestOptions,
  minify: &MinifyConfig,
  store: &Store,
) -> Result<Loading, Vec<Diagnostic>> {
  // JSON stays indented where it is not minified; unused components are not followed where
  // they are dropped.
  let (pretty_json, skip_unused) = (!minify.json, minify.drops_unused_components());
  let pages = navigation::pages(project, graph, skip_unused);
  let order = navigation::distances(project, &pages);
  let before = startup::package_bytes(project, &Staged { shipped, app_json: None });
  let (preload, mut warnings) = preload::derive(project, &pages, &order, &before, &options.preload);
  let lazy_in_source = project.app.lazy_code_loading.as_deref() == Some(app_json::LAZY_CODE_LOADING);
  let rule = preload::rule_value(&preload);
  let set_lazy = options.lazy_code_loading && !lazy_in_source;
  let new_app_json =
    if rule.is_some() || set_lazy { Some(rewrite_app_json(project, rule, set_lazy, pretty_json)?) } else { None };
  let staged = Staged { shipped, app_json: project.app_file.zip(new_app_json.as_deref()) };
  let sizes = startup::package_sizes(project, &staged, store);
  let lazy = lazy_in_source || options.lazy_code_loading;
  let app_code = lazy.then(|| startup::app_closure(graph, skip_unused));
  let measured = startup::measure(project, &pages, &staged, &sizes, &options.startup, app_code.as_deref());
  let violations = startup::check(&measured, &options.startup);
  warnings.extend(pages.iter().flat_map(|p| &p.unknown).map(|u| unknown_page(project, u)));
  warnings.sort_by_key(|d| d.location.as_ref().map(|l| (l.file.clone(), l.line, l.column)));
  warnings.dedup();
  let manifest = Manifest {
    schema_version: SCHEMA_VERSION,
    wxpack_version: env!("CARGO_PKG_VERSION"),
    lazy_code_loading: lazy,
    packages: package_entries(project, &staged, &sizes, &preload),
    pages: page_entries(project, &pages, &preload),
    preload,
    startup: measured,
    placements: placements(graph, plan),
  };
  Ok(Loading { manifest, violations, lazy_in_source, app_json: new_app_json, warnings })
}

/// The source app.json with the new preloadRule and lazyCodeLoading, compact (or indented when
/// JSON is not minified).
fn rewrite_app_json(
  project: &Project,
  rule: Option<Value>,
  set_lazy: bool,
  pretty: bool,
) -> Result<Vec<u8>, Vec<Diagnostic>> {
  let display = format!("{}{}", project.root_prefix, app_json::FILE);
  let mut value: serde_json::Map<String, Value> =
    crate::project::json::parse(&display, &project.app.source).map_err(|d| vec![d])?;
  if let Some(rule) = rule {
    value.insert("preloadRule".into(), rule);
  }
  if set_lazy {
    value.insert("lazyCodeLoading".into(), Value::String(app_json::LAZY_CODE_LOADING.into()));
  }
  let value = Value::Object(value);
  let bytes = if pretty { serde_json::to_vec_pretty(&value) } else { serde_json::to_vec(&value) };
  bytes.map_err(|e| vec![Diagnostic::error(Code::Internal, format!("cannot print app.json: {e}"))])
}

fn unknown_page(project: &Project, u: &Unknown) -> Diagnostic {
  Diagnostic::warning(Code::UnknownPage, format!("opens {:?}, which is no page app.json declares", u.url))
    .at(Location::at(project.display(&u.file), u.line, u.column))
    .with_help("fix the URL, or declare the page in app.json; the platform fails this navigation")
}

fn package_entries(
  project: &Project,
  staged: &Staged,
  sizes: &startup::PackageSizes,
  preload: &PreloadReport,
) -> Vec<PackageEntry> {
  let entry = project.app.entry_page.as_ref().or(project.packages()[PackageId::MAIN].pages.first());
  project
    .packages()
    .iter()
    .map(|p| {
      let name = preload::label(p);
      PackageEntry {
        name: p.label(),
        root: (p.kind != PackageKind::Main).then(|| p.root.clone()),
        independent: p.kind == PackageKind::Independent,
        pages: p.pages.clone(),
        files: staged
          .shipped
          .iter()
          .filter(|s| s.package == p.id)
          .map(|s| FileEntry { path: s.path.clone(), kind: s.kind, bytes: staged.bytes(s).len() as u64 })
          .collect(),
        bytes: sizes.bytes[p.id],
        compressed_bytes: sizes.compressed[p.id],
        loaded: if p.kind == PackageKind::Main || entry.is_some_and(|e| p.pages.contains(e)) {
          "launch"
        } else {
          "navigation"
        },
        preloaded_from: preload
          .rules
          .iter()
          .filter(|r| r.packages.iter().any(|n| *n == name || n.trim_matches('/') == p.root.as_str()))
          .map(|r| r.page.clone())
          .collect(),
      }
    })
    .collect()
}

fn page_entries(project: &Project, pages: &[navigation::PageLinks], preload: &PreloadReport) -> Vec<PageEntry> {
  let mut out: Vec<PageEntry> = pages
    .iter()
    .map(|p| PageEntry {
      route: p.route.clone(),
      package: project.packages()[p.package].label(),
      opens: p.opens.clone(),
      opens_from_data: p.opens_from_data.clone(),
      preloads: preload
        .rules
        .iter()
        .find(|r| r.page.trim_start_matches('/') == p.route.as_str())
        .map(|r| r.packages.clone())
        .unwrap_or_default(),
      injects: p.components.clone(),
      unknown: p.unknown.clone(),
    })
    .collect();
  out.sort_by(|a, b| a.route.cmp(&b.route));
  out
}

/// Moved and copied files where they ship; a file identical to another of its package at that
/// file's copy there (it ships nowhere itself).
fn placements(graph: &Graph, plan: &PackagePlan) -> Vec<PlacementEntry> {
  let shipped = |f: AssetId| -> Vec<MpPath> {
    match plan.same_as[f] {
      Some(s) => plan.instances[s.keeper].iter().filter(|i| i.package == s.package).map(|i| i.path.clone()).collect(),
      None => plan.instances[f].iter().map(|i| i.path.clone()).collect(),
    }
  };
  graph
    .assets
    .iter_enumerated()
    .filter(|(f, _)| matches!(plan.decisions[*f], Decision::Moved | Decision::Copied | Decision::Identical))
    .map(|(f, a)| PlacementEntry { source: a.path.clone(), decision: plan.decisions[f], shipped: shipped(f) })
    .collect()
}
