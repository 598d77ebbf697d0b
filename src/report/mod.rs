//! Report stage: what each package, kind and file weighs, and whether it fits its budget.
//!
//! [`Report::build`] computes everything; the text and JSON renderers only print. The JSON form is
//! documented in docs/report-schema.md; bump [`SCHEMA_VERSION`] on any incompatible change.

pub mod budget;
pub mod fonts;
pub mod html;
pub mod images;
pub mod payload;
pub mod placement;
mod snapshot;
pub mod text;

use serde::Serialize;

use crate::{
  config::Config,
  diagnostic::Diagnostic,
  graph::{AssetId, AssetKind, Graph, Unanalysable},
  index_vec::IndexVec,
  manifest::{
    Loading,
    preload::PreloadReport,
    startup::{StartupPage, StartupViolation},
  },
  mp_path::MpPath,
  plan::PackagePlan,
  project::{Excluded, PackageId, PackageKind, Project},
  transform::Shipped,
};
pub use budget::Violation;
pub use payload::Payload;

pub const SCHEMA_VERSION: u32 = 1;
const LARGEST_PER_PACKAGE: usize = 5;
const LARGEST_OVERALL: usize = 10;

#[derive(Debug, Serialize, serde::Deserialize)]
pub struct Report {
  pub schema_version: u32,
  #[serde(skip_deserializing, default = "version")]
  pub wxpack_version: &'static str,
  /// The project folder and the output folder, as given.
  pub project: String,
  pub out_dir: String,
  /// `false` when the output folder already held exactly this build's files (see
  /// docs/user-guide.md, "Rebuilds"), so nothing was written.
  pub output_written: bool,
  /// `miniprogramRoot` inside the project; file paths below are relative to it.
  pub miniprogram_root: String,
  /// `ok` when every package and the total fit their budgets, else `over_budget`.
  pub status: Status,
  pub packages: Vec<PackageReport>,
  pub total: Totals,
  pub kinds: Vec<KindReport>,
  /// What the package planner moved, copied, kept shared and pruned.
  pub placement: placement::PlacementReport,
  /// app.json's preloadRule: the rules written, and what the quota left out.
  pub preload: PreloadReport,
  pub lazy_code_loading: LazyCodeLoading,
  /// What the launch pages download and inject before their first render.
  pub startup: StartupReport,
  /// What was compiled, and the upload settings that make the output the upload payload.
  pub payload: Payload,
  pub largest_files: Vec<FileReport>,
  pub files: Vec<FileReport>,
  pub unreferenced: Unreferenced,
  pub unanalysable: Vec<Unanalysable>,
  /// Files that ship without their minifier's output (the original, or a lossless fallback).
  pub fallbacks: Vec<FallbackReport>,
  /// `usingComponents` entries dropped because the WXML never uses them.
  pub dropped_components: Vec<DroppedComponents>,
  /// WXSS selectors taken out because no element of the app can match them, per file.
  pub unused_wxss: Vec<UnusedWxss>,
  /// Fonts embedded in shipped stylesheets: cut to the icons in use, or kept and why.
  pub icon_fonts: Vec<fonts::IconFont>,
  pub images: images::ImagesReport,
  pub not_shipped: Vec<NotShipped>,
  pub violations: Vec<Violation>,
  pub diagnostics: Vec<Diagnostic>,
}

fn version() -> &'static str {
  env!("CARGO_PKG_VERSION")
}

#[derive(Debug, Serialize, serde::Deserialize)]
pub struct LazyCodeLoading {
  /// The source app.json sets `lazyCodeLoading: "requiredComponents"`.
  pub source: bool,
  /// The output app.json does (`lazy_code_loading = true` sets it).
  pub output: bool,
}

#[derive(Debug, Serialize, serde::Deserialize)]
pub struct StartupReport {
  pub pages: Vec<StartupPage>,
  /// `startup.budget_bytes` and `startup.budget_ms` passed; each makes the build exit 1.
  pub violations: Vec<StartupViolation>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
  Ok,
  OverBudget,
}

#[derive(Debug, Serialize, serde::Deserialize)]
pub struct PackageReport {
  /// `main`, or the subpackage root.
  pub name: String,
  pub kind: PackageKind,
  pub root: Option<MpPath>,
  /// The subpackage's `name` field from app.json.
  pub alias: Option<String>,
  pub pages: usize,
  pub files: usize,
  pub bytes_in: u64,
  pub bytes_out: u64,
  pub budget: u64,
  pub over_by: Option<u64>,
  /// Plugins declared here; their code is fetched from the provider, so its size is not counted.
  pub plugins: Vec<String>,
  pub largest: Vec<FileReport>,
}

#[derive(Debug, Serialize, serde::Deserialize)]
pub struct Totals {
  pub files: usize,
  pub bytes_in: u64,
  pub bytes_out: u64,
  pub budget: u64,
  pub over_by: Option<u64>,
}

#[derive(Debug, Serialize, serde::Deserialize)]
pub struct KindReport {
  pub kind: AssetKind,
  pub files: usize,
  pub bytes_in: u64,
  pub bytes_out: u64,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct FileReport {
  /// Where the file ships.
  pub path: MpPath,
  /// The source file, when the planner moved or copied it to `path`.
  #[serde(skip_serializing_if = "Option::is_none")]
  pub source: Option<MpPath>,
  /// `main`, or the subpackage root.
  pub package: String,
  pub kind: AssetKind,
  pub bytes_in: u64,
  pub bytes_out: u64,
  /// Something reaches this file from app.json.
  pub referenced: bool,
  /// wxpack wrote it: a shared helper module compiled JS requires (no source, `bytes_in` 0).
  #[serde(default, skip_serializing_if = "std::ops::Not::not")]
  pub generated: bool,
}

/// Shipped files that nothing references: assets (pruned only with `prune.assets`), and code
/// that `prune.keep`, a pin or `prune.code = false` keeps.
#[derive(Debug, Default, Serialize, serde::Deserialize)]
pub struct Unreferenced {
  pub code: Vec<MpPath>,
  pub assets: Vec<MpPath>,
}

#[derive(Debug, Serialize, serde::Deserialize)]
pub struct FallbackReport {
  pub path: MpPath,
  pub kind: AssetKind,
  pub cause: crate::transform::Cause,
  pub reason: String,
  pub line: Option<u32>,
  pub column: Option<u32>,
}

#[derive(Debug, Serialize, serde::Deserialize)]
pub struct DroppedComponents {
  pub path: MpPath,
  pub tags: Vec<String>,
}

#[derive(Debug, Serialize, serde::Deserialize)]
pub struct UnusedWxss {
  pub path: MpPath,
  /// Source bytes taken out.
  pub bytes: u64,
  /// Each selector, the class no element can have, and its line in the source.
  pub selectors: Vec<crate::transform::wxss::unused::Removed>,
}

#[derive(Debug, Serialize, serde::Deserialize)]
pub struct NotShipped {
  pub path: MpPath,
  pub reason: Excluded,
}

/// What the build produced, stage by stage: what the report reads.
pub struct Built<'a> {
  pub project: &'a Project,
  pub graph: &'a Graph,
  pub plan: &'a PackagePlan,
  /// Each file's shipped bytes after the first transform pass (see `transform::Outputs::sizes`).
  pub first_pass: &'a IndexVec<AssetId, u64>,
  pub shipped: &'a [Shipped],
  pub loading: &'a Loading,
  pub emitted: &'a crate::emit::Emitted,
}

impl Report {
  pub fn build(config: &Config, built: &Built, mut diagnostics: Vec<Diagnostic>) -> Self {
    let Built { project, graph, plan, first_pass, shipped, loading, emitted } = *built;
    let packages = project.packages();
    let label: IndexVec<PackageId, String> = packages.iter().map(crate::project::Package::label).collect();
    // `shipped` is sorted by path already.
    let files: Vec<FileReport> = shipped
      .iter()
      .map(|s| {
        let asset = s.asset().map(|id| &graph.assets[id]);
        FileReport {
          path: s.path.clone(),
          source: asset.filter(|a| a.path != s.path).map(|a| a.path.clone()),
          package: label[s.package].clone(),
          kind: s.kind,
          bytes_in: s.output.size_in,
          bytes_out: s.output.bytes.len() as u64,
          // A helper module is written because a shipped file requires it.
          referenced: asset.is_none_or(|a| graph.reached[a.id]),
          generated: asset.is_none(),
        }
      })
      .collect();

    let homes: Vec<PackageId> = shipped.iter().map(|s| s.package).collect();
    let package_reports = package_reports(config, project, &label, &files, &homes);

    let total_out: u64 = files.iter().map(|f| f.bytes_out).sum();
    let total_budget = config.budgets.total.0;
    let total = Totals {
      files: files.len(),
      bytes_in: files.iter().map(|f| f.bytes_in).sum(),
      bytes_out: total_out,
      budget: total_budget,
      over_by: total_out.checked_sub(total_budget).filter(|&n| n > 0),
    };
    let kinds = AssetKind::ALL
      .iter()
      .map(|&kind| {
        let of: Vec<&FileReport> = files.iter().filter(|f| f.kind == kind).collect();
        KindReport {
          kind,
          files: of.len(),
          bytes_in: of.iter().map(|f| f.bytes_in).sum(),
          bytes_out: of.iter().map(|f| f.bytes_out).sum(),
        }
      })
      .collect();
    let mut unreferenced = Unreferenced::default();
    for f in files.iter().filter(|f| !f.referenced) {
      if f.kind.is_code() { unreferenced.code.push(f.path.clone()) } else { unreferenced.assets.push(f.path.clone()) }
    }
    let not_shipped = project
      .files
      .iter()
      .filter_map(|(path, f)| f.excluded.map(|reason| NotShipped { path: path.clone(), reason }))
      .collect();
    let violations = budget::check(&package_reports, &total);
    let (fallbacks, dropped_components) = fallbacks_and_dropped(shipped);
    let images = images::ImagesReport::build(project, graph, shipped, &mut diagnostics);
    // Computed references in files that do not ship (pruned, excluded) are nobody's concern.
    let live = |path: &MpPath| graph.by_path.get(path).is_some_and(|id| !plan.instances[*id].is_empty());
    let mut unanalysable: Vec<Unanalysable> = graph.unanalysable.iter().filter(|u| live(&u.at.file)).cloned().collect();
    unanalysable.sort_by(|a, b| (&a.at.file, a.at.line, a.at.column).cmp(&(&b.at.file, b.at.line, b.at.column)));
    let main_bytes = package_reports.first().map_or(0, |p| p.bytes_out);
    let placement = placement::PlacementReport::build(config, project, graph, plan, first_pass, main_bytes);
    Report {
      schema_version: SCHEMA_VERSION,
      wxpack_version: version(),
      project: config.project_dir.display().to_string(),
      out_dir: config.out_dir.display().to_string(),
      output_written: built.emitted.written,
      miniprogram_root: project.root_prefix.clone(),
      status: if violations.is_empty() && loading.violations.is_empty() { Status::Ok } else { Status::OverBudget },
      largest_files: largest(files.iter(), LARGEST_OVERALL),
      packages: package_reports,
      total,
      kinds,
      placement,
      preload: loading.manifest.preload.clone(),
      lazy_code_loading: LazyCodeLoading { source: loading.lazy_in_source, output: loading.manifest.lazy_code_loading },
      startup: StartupReport { pages: loading.manifest.startup.clone(), violations: loading.violations.clone() },
      payload: Payload::build(config, project, shipped, emitted),
      files,
      unreferenced,
      unanalysable,
      fallbacks,
      dropped_components,
      unused_wxss: unused_wxss(shipped),
      icon_fonts: fonts::icon_fonts(shipped),
      images,
      not_shipped,
      violations,
      diagnostics,
    }
  }
}

/// Each package's files, bytes and budget.
fn package_reports(
  config: &Config,
  project: &Project,
  label: &IndexVec<PackageId, String>,
  files: &[FileReport],
  homes: &[PackageId],
) -> Vec<PackageReport> {
  project
    .packages()
    .iter()
    .map(|p| {
      let mine: Vec<&FileReport> = files.iter().zip(homes).filter(|(_, h)| **h == p.id).map(|(f, _)| f).collect();
      let budget = p.budget(&config.budgets).0;
      let bytes_out = mine.iter().map(|f| f.bytes_out).sum();
      PackageReport {
        name: label[p.id].clone(),
        kind: p.kind,
        root: (p.kind != PackageKind::Main).then(|| p.root.clone()),
        alias: p.name.clone(),
        pages: p.pages.len(),
        files: mine.len(),
        bytes_in: mine.iter().map(|f| f.bytes_in).sum(),
        bytes_out,
        budget,
        over_by: bytes_out.checked_sub(budget).filter(|&n| n > 0),
        plugins: p.plugins.clone(),
        largest: largest(mine.into_iter(), LARGEST_PER_PACKAGE),
      }
    })
    .collect()
}

/// Files shipped without their minifier's output, and `usingComponents` entries dropped.
fn fallbacks_and_dropped(shipped: &[Shipped]) -> (Vec<FallbackReport>, Vec<DroppedComponents>) {
  let fallbacks = shipped
    .iter()
    .filter_map(|s| {
      let f = s.output.fallback.as_ref()?;
      Some(FallbackReport {
        path: s.path.clone(),
        kind: s.kind,
        cause: f.cause,
        reason: f.reason.clone(),
        line: f.line,
        column: f.column,
      })
    })
    .collect();
  let dropped_components = shipped
    .iter()
    .filter(|s| !s.output.dropped_components.is_empty())
    .map(|s| DroppedComponents { path: s.path.clone(), tags: s.output.dropped_components.clone() })
    .collect();
  (fallbacks, dropped_components)
}

/// Each shipped sheet's unused selectors, once per source file (a copy loses the same).
fn unused_wxss(shipped: &[Shipped]) -> Vec<UnusedWxss> {
  let mut seen = rustc_hash::FxHashSet::default();
  shipped
    .iter()
    .filter(|s| !s.output.unused_css.removed.is_empty() && seen.insert(s.asset()))
    .map(|s| UnusedWxss {
      path: s.path.clone(),
      bytes: s.output.unused_css.bytes,
      selectors: s.output.unused_css.removed.clone(),
    })
    .collect()
}

/// The `n` largest files by output bytes, ties broken by path so the order is stable.
fn largest<'a>(files: impl Iterator<Item = &'a FileReport>, n: usize) -> Vec<FileReport> {
  let mut v: Vec<&FileReport> = files.collect();
  v.sort_by(|a, b| b.bytes_out.cmp(&a.bytes_out).then_with(|| a.path.cmp(&b.path)));
  v.into_iter().take(n).cloned().collect()
}
