//! Startup-critical bytes: what must arrive before a launch page first renders.
//!
//! A page opened at launch needs the main package (or, for a page of an independent subpackage,
//! that package alone) and the subpackage that holds it. Each download is one compressed
//! package, so the estimate per network profile is, for each package, a round trip plus its
//! zstd-compressed bytes at the profile's bandwidth. Then the code injected for the page: with
//! `lazyCodeLoading: "requiredComponents"` only what the page and app.json load (app.js and its
//! modules, app.wxss, global components, the page and its components); without it, every JS,
//! WXSS, WXML and WXS file of the downloaded packages.

use rayon::prelude::*;
use serde::Serialize;

use super::{
  navigation::{PageLinks, closure},
  options::{Profile, StartupOptions},
};
use crate::{
  cache::{Key, Store},
  graph::{AssetId, AssetKind, Graph},
  index_vec::IndexVec,
  mp_path::MpPath,
  project::{PackageId, PackageKind, Project},
  transform::{Origin, Shipped},
};

/// Why a page is measured as a launch page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LaunchReason {
  /// app.json's `entryPagePath`, or main's first page.
  Entry,
  /// A tabBar page.
  Tabbar,
  /// Listed in `[startup] pages`.
  Config,
}

impl std::fmt::Display for LaunchReason {
  fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    f.write_str(match self {
      Self::Entry => "entry",
      Self::Tabbar => "tabbar",
      Self::Config => "config",
    })
  }
}

/// What a startup budget limits (on the budget profile).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
  Bytes,
  Ms,
}

/// Above this many contributors the list is cut.
const CONTRIBUTORS: usize = 5;

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct StartupPage {
  pub page: MpPath,
  pub reason: LaunchReason,
  /// The packages downloaded before it renders.
  pub packages: Vec<String>,
  pub bytes: u64,
  pub compressed_bytes: u64,
  /// Code injected for it, by kind.
  pub injected: Injected,
  /// Estimated milliseconds to download, per profile.
  pub times: Vec<Time>,
  /// Its largest downloaded files.
  pub largest: Vec<Contributor>,
  /// The shipped paths injected before it renders (the HTML report highlights them); not in the
  /// JSON, where `injected` sums them by kind.
  #[serde(skip)]
  pub critical: Vec<MpPath>,
}

#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct Injected {
  pub js: u64,
  pub wxss: u64,
  pub wxml: u64,
  pub wxs: u64,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Time {
  pub profile: String,
  pub ms: u64,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Contributor {
  pub path: MpPath,
  pub package: String,
  pub bytes: u64,
}

/// A startup budget passed.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct StartupViolation {
  pub page: MpPath,
  pub measure: Measure,
  pub value: u64,
  pub budget: u64,
  pub over_by: u64,
}

/// Per package: shipped bytes and zstd-compressed bytes.
pub struct PackageSizes {
  pub bytes: IndexVec<PackageId, u64>,
  pub compressed: IndexVec<PackageId, u64>,
}

/// The zstd level: the library's default. WeChat's own is not published.
pub const ZSTD_LEVEL: i32 = 3;

/// The bytes each package ships.
pub fn package_bytes(project: &Project, staged: &super::Staged) -> IndexVec<PackageId, u64> {
  let mut bytes = IndexVec::from_elem(0u64, project.packages().len());
  for s in staged.shipped {
    bytes[s.package] += staged.bytes(s).len() as u64;
  }
  bytes
}

/// Compresses each package as one stream of its files in path order, as it is downloaded. The
/// compressed size of a stream already measured comes from the build cache.
pub fn package_sizes(project: &Project, staged: &super::Staged, store: &Store) -> PackageSizes {
  let mut streams: IndexVec<PackageId, Vec<u8>> = IndexVec::from_elem(Vec::new(), project.packages().len());
  for s in staged.shipped {
    streams[s.package].extend_from_slice(staged.bytes(s));
  }
  let compressed: Vec<u64> = streams.as_raw().par_iter().map(|s| compressed_len(s, store)).collect();
  let compressed = compressed.into_iter().collect();
  PackageSizes { bytes: streams.iter().map(|s| s.len() as u64).collect(), compressed }
}

fn compressed_len(stream: &[u8], store: &Store) -> u64 {
  if stream.is_empty() {
    return 0;
  }
  let key = Key::builder("zstd").part(&ZSTD_LEVEL.to_le_bytes()).part(stream).finish();
  if let Some(len) = store.get_small(&key).and_then(|b| Some(u64::from_le_bytes(b.as_slice().try_into().ok()?))) {
    return len;
  }
  let len = zstd::bulk::compress(stream, ZSTD_LEVEL).map_or(stream.len(), |c| c.len()) as u64;
  store.put_small(&key, &len.to_le_bytes());
  len
}

/// The launch pages (entry, tabBar, startup.pages), each measured. `app_code`: with lazy
/// injection, the files app.json injects on every page ([`app_closure`]); `None` without it.
pub fn measure(
  project: &Project,
  pages: &[PageLinks],
  staged: &super::Staged,
  sizes: &PackageSizes,
  options: &StartupOptions,
  app_code: Option<&[AssetId]>,
) -> Vec<StartupPage> {
  let shipped = staged.shipped;
  let packages = project.packages();
  let mut wanted: Vec<(MpPath, LaunchReason)> = Vec::new();
  let mut want = |route: &MpPath, reason| {
    if !wanted.iter().any(|(r, _)| r == route) {
      wanted.push((route.clone(), reason));
    }
  };
  if let Some(entry) = project.app.entry_page.as_ref().or(packages[PackageId::MAIN].pages.first()) {
    want(entry, LaunchReason::Entry);
  }
  for route in project.app.tab_bar.iter().flat_map(|t| &t.pages) {
    want(route, LaunchReason::Tabbar);
  }
  for route in options.pages.iter().filter_map(|p| MpPath::new(p).ok()) {
    want(&route, LaunchReason::Config);
  }
  wanted
    .into_iter()
    .filter_map(|(route, reason)| {
      let page = pages.iter().find(|p| p.route == route)?;
      let home = &packages[page.package];
      let download: Vec<PackageId> = match home.kind {
        PackageKind::Independent => vec![home.id],
        PackageKind::Main => vec![PackageId::MAIN],
        _ => vec![PackageId::MAIN, home.id],
      };
      let in_download = |s: &&Shipped| download.contains(&s.package);
      // An independent page runs without app.js (App.onLaunch waits for a main page).
      let injected_files: Option<Vec<AssetId>> = app_code.map(|app| {
        let app = if home.kind == PackageKind::Independent { &[][..] } else { app };
        let mut all = [app, page.files.as_slice()].concat();
        all.sort_unstable();
        all.dedup();
        all
      });
      let mut injected = Injected::default();
      let mut critical = Vec::new();
      let injects = |s: &Shipped| match (&injected_files, s.origin) {
        (None, _) => true,
        (Some(files), Origin::Source(a)) => files.binary_search(&a).is_ok(),
        // A helper module is injected with the first file that requires it.
        (Some(files), Origin::Helper(name)) => shipped.iter().any(|u| {
          u.package == s.package
            && u.output.helpers.contains(&name)
            && u.asset().is_some_and(|a| files.binary_search(&a).is_ok())
        }),
      };
      for s in shipped.iter().filter(in_download).filter(|s| injects(s)) {
        let n = staged.bytes(s).len() as u64;
        let total = match s.kind {
          AssetKind::Js => &mut injected.js,
          AssetKind::Wxss => &mut injected.wxss,
          AssetKind::Wxml => &mut injected.wxml,
          AssetKind::Wxs => &mut injected.wxs,
          _ => continue,
        };
        *total += n;
        critical.push(s.path.clone());
      }
      let mut largest: Vec<Contributor> = shipped
        .iter()
        .filter(in_download)
        .map(|s| Contributor {
          path: s.path.clone(),
          package: packages[s.package].label(),
          bytes: staged.bytes(s).len() as u64,
        })
        .collect();
      largest.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.path.cmp(&b.path)));
      largest.truncate(CONTRIBUTORS);
      let times =
        options.profiles.iter().map(|p| Time { profile: p.name.clone(), ms: millis(p, &download, sizes) }).collect();
      Some(StartupPage {
        page: route,
        reason,
        packages: download.iter().map(|&p| packages[p].label()).collect(),
        bytes: download.iter().map(|&p| sizes.bytes[p]).sum(),
        compressed_bytes: download.iter().map(|&p| sizes.compressed[p]).sum(),
        injected,
        times,
        largest,
        critical,
      })
    })
    .collect()
}

/// One request per package, one after another.
fn millis(profile: &Profile, download: &[PackageId], sizes: &PackageSizes) -> u64 {
  download.iter().map(|&p| profile.millis(sizes.compressed[p])).sum()
}

/// What app.json injects on every page: app.js and its modules, app.wxss and its imports, the
/// global components.
pub fn app_closure(graph: &Graph, skip_unused: bool) -> Vec<AssetId> {
  let starts = ["app.js", "app.wxss"].iter().filter_map(|p| graph.by_path.get(&MpPath::new(p).ok()?)).copied();
  let mut all = closure(graph, starts, skip_unused);
  all.extend(super::navigation::global_files(graph, skip_unused));
  all.sort_unstable();
  all.dedup();
  all
}

/// The startup budgets each measured page passes.
pub fn check(measured: &[StartupPage], options: &StartupOptions) -> Vec<StartupViolation> {
  let mut out = Vec::new();
  for m in measured {
    if let Some(budget) = options.budget_bytes
      && m.bytes > budget.0
    {
      out.push(StartupViolation {
        page: m.page.clone(),
        measure: Measure::Bytes,
        value: m.bytes,
        budget: budget.0,
        over_by: m.bytes - budget.0,
      });
    }
    if let (Some(budget), Some(profile)) = (options.budget_ms, options.budget_profile())
      && let Some(t) = m.times.iter().find(|t| t.profile == profile.name)
      && t.ms > budget
    {
      out.push(StartupViolation {
        page: m.page.clone(),
        measure: Measure::Ms,
        value: t.ms,
        budget,
        over_by: t.ms - budget,
      });
    }
  }
  out
}
