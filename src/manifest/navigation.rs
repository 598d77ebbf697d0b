//! Per page: the files it loads with it, the components it injects, and the pages it can open.
//!
//! A page loads its own files, its components (transitively, with the files they import,
//! include and require) and app.json's global components. The pages it can open are the static
//! URLs of `wx.navigateTo`-style calls and `<navigator>`s in any of those files, a relative URL
//! resolved against the page's own route (the platform resolves it against the current page,
//! whichever component wrote it).

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::{
  graph::resolve::COMPONENT_EXTS,
  graph::{AssetId, Dep, DepKind, Graph, Navigation},
  mp_path::MpPath,
  project::{PackageId, Project, app_json},
};

/// A page and what it brings.
#[derive(Debug, Clone)]
pub struct PageLinks {
  pub route: MpPath,
  pub package: PackageId,
  /// Declared pages it can open, sorted (itself excluded).
  pub opens: Vec<MpPath>,
  /// Those of `opens` found only as strings equal to a route (URLs kept in data), sorted.
  pub opens_from_data: Vec<MpPath>,
  /// URLs that name no declared page.
  pub unknown: Vec<Unknown>,
  /// Component bases injected when it loads (its own and the global ones, transitively), sorted.
  pub components: Vec<MpPath>,
  /// Every file it loads (indices into `Graph::assets`), sorted.
  pub files: Vec<AssetId>,
}

/// A navigation to something that is not a declared page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Unknown {
  pub url: String,
  pub file: MpPath,
  pub line: u32,
  pub column: u32,
}

/// The edges a page's load follows: code it injects, not images, not app.json's page list, not
/// what loads later (`require.async`, a placeholder-backed component of another package) and not
/// the `usingComponents` entries the JSON minifier drops.
pub fn loads(dep: &Dep, skip_unused: bool) -> bool {
  !(dep.lazy
    || (skip_unused && dep.unused)
    || matches!(dep.kind, DepKind::Page | DepKind::AppFile | DepKind::Src | DepKind::Attr | DepKind::CssUrl))
}

/// Every file reachable from `start` through [`loads`] edges, sorted.
pub fn closure(graph: &Graph, start: impl IntoIterator<Item = AssetId>, skip_unused: bool) -> Vec<AssetId> {
  let mut seen = FxHashSet::default();
  let mut work: Vec<AssetId> = start.into_iter().collect();
  while let Some(f) = work.pop() {
    if seen.insert(f) {
      work.extend(graph.assets[f].deps.iter().filter(|d| loads(d, skip_unused)).map(|d| d.target));
    }
  }
  let mut out: Vec<AssetId> = seen.into_iter().collect();
  out.sort_unstable();
  out
}

/// The files of app.json's global components, with what they load.
pub fn global_files(graph: &Graph, skip_unused: bool) -> Vec<AssetId> {
  let Some(app) = graph.get(&MpPath::root().join(app_json::FILE).unwrap_or_else(|_| MpPath::root())) else {
    return Vec::new();
  };
  let globals = app.deps.iter().filter(|d| d.kind == DepKind::Component).map(|d| d.target);
  closure(graph, globals, skip_unused)
}

pub fn pages(project: &Project, graph: &Graph, skip_unused: bool) -> Vec<PageLinks> {
  let declared: FxHashSet<&MpPath> = project.packages().iter().flat_map(|p| &p.pages).collect();
  let mut by_file: FxHashMap<&MpPath, Vec<&Navigation>> = FxHashMap::default();
  for n in &graph.navigations {
    by_file.entry(&n.at.file).or_default().push(n);
  }
  let globals = global_files(graph, skip_unused);
  let mut out = Vec::new();
  for package in project.packages() {
    for route in &package.pages {
      let own = COMPONENT_EXTS.iter().filter_map(|e| graph.by_path.get(&route.with_suffix(e))).copied();
      let files = closure(graph, own.chain(globals.iter().copied()), skip_unused);
      let mut opens = Vec::new();
      let mut from_data = Vec::new();
      let mut unknown = Vec::new();
      for &f in &files {
        for n in by_file.get(&graph.assets[f].path).into_iter().flatten() {
          let url = &n.at.text;
          let target = if url.starts_with('/') { MpPath::new(url) } else { route.parent().join(url) };
          match target.ok().filter(|t| declared.contains(t)) {
            Some(t) if t == *route => {}
            Some(t) if n.literal => from_data.push(t),
            Some(t) => opens.push(t),
            None if n.literal => {}
            None => {
              unknown.push(Unknown { url: url.clone(), file: n.at.file.clone(), line: n.at.line, column: n.at.column })
            }
          }
        }
      }
      opens.sort();
      opens.dedup();
      from_data.sort();
      from_data.dedup();
      from_data.retain(|t| opens.binary_search(t).is_err());
      opens.extend(from_data.iter().cloned());
      opens.sort();
      let mut components: Vec<MpPath> = files
        .iter()
        .flat_map(|&f| graph.assets[f].deps.iter())
        .filter(|d| d.kind == DepKind::Component && loads(d, skip_unused))
        .map(|d| graph.assets[d.target].path.stem_path())
        .collect();
      components.sort();
      components.dedup();
      out.push(PageLinks {
        route: route.clone(),
        package: package.id,
        opens,
        opens_from_data: from_data,
        unknown,
        components,
        files,
      });
    }
  }
  out
}

/// Each page's distance in navigations from the launch pages (the entry page and the tabBar
/// pages); `None` when no navigation reaches it.
pub fn distances(project: &Project, pages: &[PageLinks]) -> Vec<Option<u32>> {
  let index: FxHashMap<&MpPath, usize> = pages.iter().enumerate().map(|(i, p)| (&p.route, i)).collect();
  let mut dist = vec![None; pages.len()];
  let mut queue = std::collections::VecDeque::new();
  for route in launch_pages(project) {
    if let Some(&i) = index.get(route)
      && dist[i].is_none()
    {
      dist[i] = Some(0);
      queue.push_back(i);
    }
  }
  while let Some(i) = queue.pop_front() {
    let d = dist[i].unwrap_or(0);
    for t in &pages[i].opens {
      if let Some(&j) = index.get(t)
        && dist[j].is_none()
      {
        dist[j] = Some(d + 1);
        queue.push_back(j);
      }
    }
  }
  dist
}

/// The entry page (entryPagePath, else the first page) and the tabBar pages.
pub fn launch_pages(project: &Project) -> Vec<&MpPath> {
  let main = &project.packages()[PackageId::MAIN];
  project
    .app
    .entry_page
    .as_ref()
    .or(main.pages.first())
    .into_iter()
    .chain(project.app.tab_bar.iter().flat_map(|t| &t.pages))
    .collect()
}
