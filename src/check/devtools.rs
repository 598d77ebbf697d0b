//! DevTools' code-quality checks, with miniprogram-ci 2.1.42's verdicts (`checkCodeQuality`,
//! `ci/utils/codeDenpendencyQualityChecker.js`): what it measures is the source project as
//! DevTools would upload it, so sizes are of the files on disk.

use serde_json::Value;

use super::{BuildFix, CheckResult, Finding, Input, Level, Rule};
use crate::{
  diagnostic::{Location, Source},
  graph::{AssetId, AssetKind, DepKind},
  index_vec::IndexVec,
  mp_path::MpPath,
  project::{PackageId, Project, project_config},
  size::ByteSize,
};

/// DevTools' limits: 1.5 MB per package, 200 KB of images and audio in all (KB = 1024 bytes).
const PACKAGE_LIMIT: u64 = 1536 * 1024;
const MEDIA_LIMIT: u64 = 200 * 1024;

/// The suffixes DevTools counts as images and audio (`regList.IMAGE_AND_AUDIO_LIMIT`, compared
/// as written).
const MEDIA: &[&str] = &[
  "jpg", "jpeg", "png", "svg", "webp", "gif", "flac", "m4a", "ogg", "ape", "amr", "wma", "wav", "mp3", "mp4", "aac",
  "aiff", "caf",
];

pub fn run(input: &Input) -> Vec<CheckResult> {
  let settings = Settings::of(input.project);
  vec![
    package_size(input),
    settings.flag(Rule::JsCompressOpen, "minified"),
    settings.flag(Rule::WxmlCompressOpen, "minifyWXML"),
    settings.flag(Rule::WxssCompressOpen, "minifyWXSS"),
    lazy_code_loading(input),
    media_size(input),
    other_package_js(input),
    other_package_components(input),
    unused_plugins(input),
    unused_components(input),
    unused_code(input, &settings),
  ]
}

/// project.config.json's `setting`, and where each key is written.
struct Settings<'a> {
  project: &'a Project,
  source: Option<(String, String)>,
}

impl<'a> Settings<'a> {
  fn of(project: &'a Project) -> Self {
    let path = project.dir.join(project_config::FILE);
    let source = std::fs::read_to_string(&path).ok().map(|t| (project_config::FILE.to_string(), t));
    Self { project, source }
  }

  fn value(&self, key: &str) -> Option<&Value> {
    self.project.config.raw.get("setting")?.get(key)
  }

  /// Where `setting.key` is written, else the file.
  fn at(&self, key: &str) -> Location {
    let Some((file, text)) = &self.source else { return Location::file(project_config::FILE) };
    let source = Source::new(file, text);
    let spans = crate::project::json::JsonSpans::of(text);
    spans
      .value(&["setting", key])
      .or_else(|| spans.key(&["setting"]))
      .map_or_else(|| Location::file(file), |s| source.at(s))
  }

  /// A `setting` switch DevTools wants on (it reads any truthy value as on).
  fn flag(&self, rule: Rule, key: &str) -> CheckResult {
    let on = self.value(key).is_some_and(truthy);
    let output = self.project.dir.join(crate::project::files::MARKER).is_file();
    let findings = if on {
      Vec::new()
    } else if output {
      let f = Finding::new(
        Level::Warning,
        format!("setting.{key} is off: this is wxpack's output, whose files wxpack minified already"),
        "nothing to do: DevTools' panel reads the switch, not the files",
        BuildFix::Superseded,
      );
      vec![f.at(&MpPath::root(), self.at(key))]
    } else {
      let f = Finding::new(
        Level::Warning,
        format!("project.config.json does not turn on setting.{key}"),
        format!("set \"{key}\": true under \"setting\", or ship what `wxpack build` writes"),
        BuildFix::Superseded,
      );
      vec![f.at(&MpPath::root(), self.at(key))]
    };
    CheckResult { rule, passed: on, findings }
  }
}

fn truthy(v: &Value) -> bool {
  match v {
    Value::Null => false,
    Value::Bool(b) => *b,
    Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
    Value::String(s) => !s.is_empty(),
    _ => true,
  }
}

/// Bytes per package of the files on disk DevTools would upload, as ci counts them: DevTools'
/// settings files at the mini program root in main, and no compiled output (`x.js` from `x.ts` exists only once DevTools compiles).
fn package_bytes(project: &Project) -> IndexVec<PackageId, u64> {
  let mut sizes = IndexVec::from_elem(0u64, project.packages().len());
  for (path, file) in project.files.iter() {
    if file.ships() && file.compiled.is_none() {
      sizes[project.package_of(path)] += file.size;
    }
  }
  // wxpack's file table leaves DevTools' settings files at the mini program root out.
  for name in ["project.config.json", "project.private.config.json"] {
    sizes[PackageId::MAIN] += std::fs::metadata(project.root_dir.join(name)).map_or(0, |m| m.len());
  }
  sizes
}

fn package_size(input: &Input) -> CheckResult {
  let project = input.project;
  let sizes = package_bytes(project);
  let mut findings = Vec::new();
  for (id, &bytes) in sizes.iter_enumerated() {
    if bytes > PACKAGE_LIMIT {
      let package = &project.packages()[id];
      let f = Finding::new(
        Level::Warning,
        format!("{} is {} as DevTools would upload it, over its 1.5 MB advice", package.label(), ByteSize(bytes)),
        "run `wxpack build`: it minifies every file and moves what only subpackages use out of main; \
         its report gives the package's size after",
        BuildFix::Reduced,
      );
      findings.push(f.bytes(bytes));
    }
  }
  CheckResult { rule: Rule::PackageSizeLimit, passed: findings.is_empty(), findings }
}

fn lazy_code_loading(input: &Input) -> CheckResult {
  let app = &input.project.app;
  let on = app.lazy_code_loading.as_deref().is_some_and(|s| !s.is_empty());
  let mut findings = Vec::new();
  if !on {
    let file = crate::project::app_json::FILE;
    let f = Finding::new(
      Level::Warning,
      "app.json does not set lazyCodeLoading: every component of every page is injected at launch",
      "add \"lazyCodeLoading\": \"requiredComponents\" to app.json (`lazy_code_loading = true` in wxpack.toml sets it \
       in the output)",
      BuildFix::No,
    );
    findings.push(f.at(
      &MpPath::root(),
      Location::file(input.project.display(&MpPath::root().join(file).unwrap_or_else(|_| MpPath::root()))),
    ));
  }
  CheckResult { rule: Rule::LazycodeLoadingOpen, passed: on, findings }
}

fn media_size(input: &Input) -> CheckResult {
  let project = input.project;
  let mut media: Vec<(&MpPath, u64)> = project
    .files
    .iter()
    .filter(|(p, f)| f.ships() && p.extension().is_some_and(|e| MEDIA.contains(&e)))
    .map(|(p, f)| (p, f.size))
    .collect();
  let total: u64 = media.iter().map(|(_, n)| n).sum();
  let passed = total < MEDIA_LIMIT;
  let mut findings = Vec::new();
  if !passed {
    media.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let largest: Vec<String> =
      media.iter().take(5).map(|(p, n)| format!("{} ({})", project.display(p), ByteSize(*n))).collect();
    let f = Finding::new(
      Level::Warning,
      format!(
        "{} file{} of images and audio weigh {} in all, over DevTools' 200 KB; the largest: {}",
        media.len(),
        if media.len() == 1 { "" } else { "s" },
        ByteSize(total),
        largest.join(", ")
      ),
      "serve large images and audio from a CDN; `wxpack build` recompresses images losslessly and drops the unused ones",
      BuildFix::Reduced,
    );
    findings.push(f.bytes(total));
  }
  CheckResult { rule: Rule::ImageAndAudioLimit, passed, findings }
}

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
fn other_package_js(input: &Input) -> CheckResult {
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

fn other_package_components(input: &Input) -> CheckResult {
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

fn unused_components(input: &Input) -> CheckResult {
  let findings: Vec<Finding> = components(input)
    .into_iter()
    .filter(|&(_, used)| !used)
    .map(|(f, _)| {
      let path = &input.graph.assets[f].path;
      let msg = format!("component {} is declared in usingComponents but no WXML uses its tag", path.stem_path());
      about(
        input,
        f,
        msg,
        "remove the usingComponents entries; `wxpack build` drops them and the component",
        BuildFix::Fixed,
      )
    })
    .collect();
  CheckResult { rule: Rule::ContainsUnusedComponents, passed: findings.is_empty(), findings }
}

fn unused_plugins(input: &Input) -> CheckResult {
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
    let marks = [
      format!("plugin://{name}/"),
      format!("requirePlugin('{name}')"),
      format!("requirePlugin(\"{name}\")"),
      format!("plugin-private://{provider}/"),
    ];
    texts.iter().any(|t| marks.iter().any(|m| t.contains(m.as_str())))
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

fn unused_code(input: &Input, settings: &Settings) -> CheckResult {
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
  // DevTools ignores unused files unless one of these is explicitly off.
  let strict =
    ["ignoreDevUnusedFiles", "ignoreUploadUnusedFiles"].iter().any(|k| settings.value(k) == Some(&Value::Bool(false)));
  CheckResult { rule: Rule::ContainsUnusedCodes, passed: !strict || findings.is_empty(), findings }
}
