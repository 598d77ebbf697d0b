//! DevTools' checks about what nothing, or only subpackages, use: ci's dependency-analysis
//! rules, with its verdicts (see `devtools`).

use serde_json::Value;

use super::{BuildFix, CheckResult, Finding, Input, Level, Rule};
use crate::{
  diagnostic::{Location, Source},
  graph::{AssetId, AssetKind, DepKind},
  index_vec::IndexVec,
  mp_path::MpPath,
  project::PackageId,
};

/// A located finding about one file.
fn about(input: &Input, f: AssetId, message: String, help: &str, build: BuildFix) -> Finding {
  let path = &input.graph.assets[f].path;
  let bytes = input.project.files.get(path).map_or(0, |s| s.size);
  Finding::new(Level::Warning, message, help, build).at(path, Location::file(input.project.display(path))).bytes(bytes)
}

/// In main, loaded by some package, but by main by none.
fn only_others(input: &Input, f: AssetId) -> bool {
  let reach = &input.analysis.reach;
  let path = &input.graph.assets[f].path;
  input.graph.reached[f]
    && input.project.package_of(path) == PackageId::MAIN
    && !reach.is_empty(f)
    && !reach.contains(f, PackageId::MAIN)
}

/// ci's rule: a main-package script every `require`/`import` of which is written in a
/// subpackage. A page's or component's own script has its page or component for parent, in
/// main, so it is never one.
pub(super) fn other_package_js(input: &Input) -> CheckResult {
  let graph = input.graph;
  let project = input.project;
  let n = graph.assets.len();
  let (mut own, mut from_main, mut from_sub) =
    (IndexVec::from_elem(false, n), IndexVec::from_elem(false, n), IndexVec::from_elem(false, n));
  for a in graph.assets.iter().filter(|a| graph.reached[a.id]) {
    let in_main = project.package_of(&a.path) == PackageId::MAIN;
    for d in &a.deps {
      match d.kind {
        DepKind::Page | DepKind::Component => own[d.target] = true,
        DepKind::Require | DepKind::Import if in_main => from_main[d.target] = true,
        DepKind::Require | DepKind::Import => from_sub[d.target] = true,
        _ => {}
      }
    }
  }
  let findings: Vec<Finding> = graph
    .assets
    .iter()
    .filter(|a| a.kind == AssetKind::Js && graph.reached[a.id] && project.package_of(&a.path) == PackageId::MAIN)
    .filter(|a| from_sub[a.id] && !from_main[a.id] && !own[a.id])
    .map(|a| {
      let msg = "main-package JS that only subpackages require".to_string();
      about(
        input,
        a.id,
        msg,
        "`wxpack build` moves it into the one subpackage that loads it, or places it by budget",
        BuildFix::Fixed,
      )
    })
    .collect();
  CheckResult { rule: Rule::ContainsOtherPkgJs, passed: findings.is_empty(), findings }
}

/// The JSON file of every component some `usingComponents` entry names: (component, whether
/// some entry naming it is used).
fn components(input: &Input) -> Vec<(AssetId, bool)> {
  let graph = input.graph;
  let mut used: IndexVec<AssetId, Option<bool>> = IndexVec::from_elem(None, graph.assets.len());
  for a in graph.assets.iter().filter(|a| graph.reached[a.id]) {
    let global = input.project.app_file == Some(a.id);
    for d in a.deps.iter().filter(|d| d.kind == DepKind::Component && graph.assets[d.target].kind == AssetKind::Json) {
      let u = used[d.target].get_or_insert(false);
      *u |= global || !d.unused;
    }
  }
  used.iter_enumerated().filter_map(|(f, u)| u.map(|u| (f, u))).collect()
}

pub(super) fn other_package_components(input: &Input) -> CheckResult {
  let findings: Vec<Finding> = components(input)
    .into_iter()
    .filter(|&(f, _)| only_others(input, f))
    .map(|(f, _)| {
      let path = &input.graph.assets[f].path;
      let msg = format!("main-package component {} is used only by subpackages", path.stem_path());
      about(
        input,
        f,
        msg,
        "`wxpack build` moves it into the one subpackage that uses it, or places it by budget",
        BuildFix::Fixed,
      )
    })
    .collect();
  // miniprogram-ci lists these but never fails the check.
  CheckResult { rule: Rule::ContainsOtherPkgComponents, passed: true, findings }
}

/// One finding per `usingComponents` entry that names an unused component, at the entry.
pub(super) fn unused_components(input: &Input) -> CheckResult {
  let graph = input.graph;
  let project = input.project;
  let unused: Vec<AssetId> = components(input).into_iter().filter(|&(_, used)| !used).map(|(f, _)| f).collect();
  let mut findings = Vec::new();
  for a in graph.assets.iter().filter(|a| graph.reached[a.id]) {
    let entries = a.deps.iter().filter(|d| d.kind == DepKind::Component && unused.contains(&d.target));
    let mut text = None;
    for d in entries {
      let text = text.get_or_insert_with(|| project.read_text(&a.path).unwrap_or_default());
      let display = project.display(&a.path);
      let loc = Source::new(&display, text).at(d.span);
      let component = graph.assets[d.target].path.stem_path();
      let wxml = a.path.stem_path().with_suffix(".wxml");
      let f = Finding::new(
        Level::Warning,
        format!(
          "usingComponents names {component}, and no WXML uses its tag ({} nor what it imports)",
          project.display(&wxml)
        ),
        "remove the entry; `wxpack build` drops it, and the component when nothing else uses it",
        BuildFix::Fixed,
      );
      let bytes = unit_bytes(input, d.target);
      findings.push(f.at(&a.path, loc).bytes(bytes));
    }
  }
  CheckResult { rule: Rule::ContainsUnusedComponents, passed: findings.is_empty(), findings }
}

/// The bytes of a component's four files.
fn unit_bytes(input: &Input, json: AssetId) -> u64 {
  let stem = input.graph.assets[json].path.stem_path();
  [".json", ".js", ".wxml", ".wxss"]
    .iter()
    .filter_map(|ext| input.project.files.get(&stem.with_suffix(ext)))
    .map(|f| f.size)
    .sum()
}

pub(super) fn unused_plugins(input: &Input) -> CheckResult {
  let project = input.project;
  let app: Value = serde_json::from_str(project.app.source.trim_start_matches('\u{feff}')).unwrap_or(Value::Null);
  let mut declared: Vec<(String, String)> = Vec::new();
  let mut collect = |plugins: Option<&Value>| {
    for (name, v) in plugins.and_then(Value::as_object).into_iter().flatten() {
      let provider = v.get("provider").and_then(Value::as_str).unwrap_or_default().to_string();
      declared.push((name.clone(), provider));
    }
  };
  collect(app.get("plugins"));
  for key in ["subpackages", "subPackages"] {
    for sub in app.get(key).and_then(Value::as_array).into_iter().flatten() {
      collect(sub.get("plugins"));
    }
  }
  let texts: Vec<String> = if declared.is_empty() {
    Vec::new()
  } else {
    let code = |k: AssetKind| matches!(k, AssetKind::Js | AssetKind::Json | AssetKind::Wxml);
    let graph = input.graph;
    graph
      .assets
      .iter()
      .filter(|a| graph.reached[a.id] && code(a.kind))
      .filter_map(|a| project.read_text(&a.path).ok())
      .collect()
  };
  let uses = |name: &str, provider: &str| {
    let marks = [format!("plugin://{name}/"), format!("plugin-private://{provider}/")];
    texts.iter().any(|t| marks.iter().any(|m| t.contains(m.as_str())))
      || input.graph.plugins.iter().any(|s| s.text == name || s.text == provider)
  };
  let at = |name: &str| {
    let source = Source::new(crate::project::app_json::FILE, &project.app.source);
    project
      .app
      .spans
      .find(name, Some("plugins"))
      .map_or_else(|| Location::file(crate::project::app_json::FILE), |s| source.at(s))
  };
  let findings: Vec<Finding> = declared
    .iter()
    .filter(|(name, provider)| !uses(name, provider))
    .map(|(name, provider)| {
      Finding::new(
        Level::Warning,
        format!("plugin {name:?} ({provider}) is declared but no component or requirePlugin uses it"),
        "remove it from \"plugins\": a declared plugin is downloaded with its package",
        BuildFix::No,
      )
      .at(&MpPath::root(), at(name))
    })
    .collect();
  CheckResult { rule: Rule::ContainsUnusedPlugins, passed: findings.is_empty(), findings }
}

pub(super) fn unused_code(input: &Input, strict: bool) -> CheckResult {
  let graph = input.graph;
  let findings: Vec<Finding> = graph
    .assets
    .iter()
    // A compiled stylesheet or script is its source's output, not a file of the project: ci
    // lists neither (the source of an unused page goes with the page).
    .filter(|a| a.ships && a.kind.is_code() && !graph.reached[a.id])
    .filter(|a| input.project.files.get(&a.path).is_none_or(|f| f.compiled.is_none()))
    .map(|a| {
      let msg = format!("{} is reached from no page, component or app.json key", input.project.display(&a.path));
      about(input, a.id, msg, "delete it, or reference it; `wxpack build` does not ship it", BuildFix::Fixed)
    })
    .collect();
  // `strict`: setting.ignoreDevUnusedFiles or ignoreUploadUnusedFiles is explicitly off;
  // otherwise DevTools leaves unused files out of the upload itself, and passes.
  CheckResult { rule: Rule::ContainsUnusedCodes, passed: !strict || findings.is_empty(), findings }
}
