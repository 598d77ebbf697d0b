//! preloadRule from the navigation graph.
//!
//! A page that can open a page of another subpackage preloads that subpackage (by its `name`,
//! else its root); an independent page that can open a main page preloads `__APP__`. The
//! project's own rules are kept as written, in their order; derived packages are appended to
//! them, and pages without a rule get one, in route order.
//!
//! The packages preloaded from the pages of one package share a quota (2 MB, platform doc 1.1),
//! measured on shipped sizes, the project's own rules counted first. Pages are served in the
//! order the user reaches them (the entry and tabBar pages first, then by navigations from
//! there), so when the quota runs out it is the pages furthest from launch that lose a preload;
//! the report lists each one left out.

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::{
  navigation::PageLinks,
  options::{Network, PreloadMode, PreloadOptions},
};
use crate::{
  diagnostic::{Code, Diagnostic, Location, Source},
  index_vec::IndexVec,
  mp_path::MpPath,
  project::{Package, PackageId, PackageKind, Project},
};

/// The name `__APP__` stands for the main package in an independent page's rule.
pub const APP: &str = "__APP__";

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct PreloadReport {
  pub mode: PreloadMode,
  /// The rules the output app.json holds, in its order.
  pub rules: Vec<Rule>,
  /// Preloads that the quota did not allow.
  pub left_out: Vec<LeftOut>,
  pub quota: u64,
  /// Page-to-page links found only as strings equal to a route (URLs kept in data).
  pub from_data: usize,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Rule {
  pub page: String,
  pub packages: Vec<String>,
  pub network: Network,
  /// The packages wxpack added (the rest were the project's own).
  pub added: Vec<String>,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct LeftOut {
  pub page: MpPath,
  pub package: String,
  pub bytes: u64,
  /// What the pages of the page's package already preload.
  pub quota_used: u64,
}

/// How a rule names a package.
pub fn label(p: &Package) -> String {
  match p.kind {
    PackageKind::Main => APP.to_string(),
    _ => p.name.clone().unwrap_or_else(|| p.root.to_string()),
  }
}

/// The package a rule's entry names (by name, root, or `__APP__`).
fn named<'p>(packages: &'p IndexVec<PackageId, Package>, name: &str) -> Option<&'p Package> {
  let trimmed = name.trim_matches('/');
  packages.iter().find(|p| match p.kind {
    PackageKind::Main => name == APP,
    _ => p.name.as_deref() == Some(name) || p.root.as_str() == trimmed,
  })
}

/// The rules, and the warnings about the project's own ones.
pub fn derive(
  project: &Project,
  pages: &[PageLinks],
  order: &[Option<u32>],
  sizes: &IndexVec<PackageId, u64>,
  options: &PreloadOptions,
) -> (PreloadReport, Vec<Diagnostic>) {
  let packages = project.packages();
  let mut warnings = Vec::new();
  let own = &project.app.preload_rule;
  let network = options.network.or(own.iter().find_map(|r| r.network)).unwrap_or_default();
  let mut rules: Vec<Rule> = own
    .iter()
    .map(|r| Rule {
      page: r.page.clone(),
      packages: r.packages.clone(),
      network: r.network.unwrap_or(Network::Wifi),
      added: Vec::new(),
    })
    .collect();
  // Per source package: what its pages preload, and its bytes.
  let mut used: IndexVec<PackageId, Vec<PackageId>> = IndexVec::from_elem(Vec::new(), packages.len());
  let source_of =
    |page: &str| pages.iter().find(|p| p.route.as_str() == page.trim_start_matches('/')).map(|p| p.package);
  for rule in &rules {
    let Some(from) = source_of(&rule.page) else { continue };
    for name in &rule.packages {
      match named(packages, name) {
        Some(p) if !used[from].contains(&p.id) => used[from].push(p.id),
        Some(_) => {}
        None => warnings.push(unknown_package(project, &rule.page, name)),
      }
    }
  }
  let weight = |ids: &[PackageId]| -> u64 { ids.iter().map(|&p| sizes[p]).sum() };
  for (from, ids) in used.iter_enumerated() {
    if weight(ids) > options.quota.0 {
      warnings.push(over_quota(project, &packages[from], weight(ids), options.quota.0));
    }
  }
  let mut left_out = Vec::new();
  if options.mode != PreloadMode::Off {
    let mut by_reach: Vec<usize> = (0..pages.len()).collect();
    by_reach.sort_by_key(|&i| (order[i].unwrap_or(u32::MAX), pages[i].route.clone()));
    for i in by_reach {
      let page = &pages[i];
      let from = &packages[page.package];
      let mut existing = rules.iter().position(|r| r.page.trim_start_matches('/') == page.route.as_str());
      if options.mode == PreloadMode::Merge && existing.is_none() {
        continue;
      }
      for target in candidates(project, page) {
        let name = label(&packages[target]);
        let listed =
          existing.is_some_and(|r| rules[r].packages.iter().any(|n| named(packages, n).map(|p| p.id) == Some(target)));
        if listed {
          continue;
        }
        let ids = &mut used[from.id];
        if !ids.contains(&target) {
          let (have, more) = (weight(ids), sizes[target]);
          if have + more > options.quota.0 {
            left_out.push(LeftOut { page: page.route.clone(), package: name, bytes: more, quota_used: have });
            continue;
          }
          ids.push(target);
        }
        let r = *existing.get_or_insert_with(|| {
          rules.push(Rule { page: page.route.to_string(), packages: Vec::new(), network, added: Vec::new() });
          rules.len() - 1
        });
        rules[r].packages.push(name.clone());
        rules[r].added.push(name);
      }
    }
  }
  // New rules after the project's own, in route order.
  let own_count = own.len();
  rules[own_count..].sort_by(|a, b| a.page.cmp(&b.page));
  let from_data = pages.iter().map(|p| p.opens_from_data.len()).sum();
  (PreloadReport { mode: options.mode, rules, left_out, quota: options.quota.0, from_data }, warnings)
}

/// The packages `page` can open that it does not already have: other subpackages, and main
/// (`__APP__`) for an independent page.
fn candidates(project: &Project, page: &PageLinks) -> Vec<PackageId> {
  let packages = project.packages();
  let independent = packages[page.package].kind == PackageKind::Independent;
  let mut out: Vec<PackageId> = page
    .opens
    .iter()
    .map(|t| project.package_of(t))
    .filter(|&p| p != page.package && (p != PackageId::MAIN || independent))
    .collect();
  out.sort_unstable();
  out.dedup();
  out
}

/// The output app.json's `preloadRule`, or `None` when it would not change.
pub fn rule_value(report: &PreloadReport) -> Option<Value> {
  if report.mode == PreloadMode::Off || report.rules.iter().all(|r| r.added.is_empty()) {
    return None;
  }
  let map: Map<String, Value> =
    report.rules.iter().map(|r| (r.page.clone(), json!({ "packages": r.packages, "network": r.network }))).collect();
  Some(Value::Object(map))
}

/// `span` of app.json as a location (the file alone without one).
fn app_location(project: &Project, span: Option<crate::diagnostic::Span>) -> Location {
  let file = format!("{}{}", project.root_prefix, crate::project::app_json::FILE);
  span.map_or_else(|| Location::file(&file), |s| Source::new(&file, &project.app.source).at(s))
}

/// Where `name` is written in the `packages` of `page`'s rule.
fn package_name_span(project: &Project, page: &str, name: &str) -> Option<crate::diagnostic::Span> {
  use crate::project::json::Seg;
  project.app.spans.find_where(name, |path| {
    matches!(path, [Seg::Key(rule), Seg::Key(p), Seg::Key(k), Seg::Index(_)] if rule == "preloadRule" && p == page && k == "packages")
  })
}

fn unknown_package(project: &Project, page: &str, name: &str) -> Diagnostic {
  Diagnostic::warning(Code::Preload, format!("preloadRule for {page} names {name:?}, which is no subpackage"))
    .at(app_location(project, package_name_span(project, page, name)))
    .with_help("use a subpackage's name or root (or __APP__ in an independent page's rule)")
}

fn over_quota(project: &Project, from: &Package, bytes: u64, quota: u64) -> Diagnostic {
  Diagnostic::warning(
    Code::Preload,
    format!("the pages of {} preload {bytes} bytes, over the {quota}-byte preload quota", from.label()),
  )
  .at(app_location(project, project.app.spans.key(&["preloadRule"])))
  .with_help("DevTools rejects this when packing; preload fewer packages from these pages")
}
