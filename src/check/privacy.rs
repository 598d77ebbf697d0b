//! What the upload refuses, because app.json does not declare what the code uses: a location
//! API `requiredPrivateInfos` does not list (platform doc §13; DOC/framework/ability/location),
//! both `getLocation` and `getFuzzyLocation` listed, a plugin no `plugins` declares, and (a
//! warning) a location scope without its `permission` description.

use serde_json::Value;

use super::{BuildFix, CheckResult, Finding, Level, Rule};
use crate::{
  diagnostic::{Location, Source},
  graph::{AssetKind, Graph, Site},
  mp_path::MpPath,
  project::{
    Project, app_json,
    json::{JsonSpans, Seg},
  },
};

/// The scope each API asks the user for, when it asks for one.
fn scope(api: &str) -> Option<&'static str> {
  match api {
    "getLocation" | "onLocationChange" | "startLocationUpdate" => Some("scope.userLocation"),
    "startLocationUpdateBackground" => Some("scope.userLocationBackground"),
    "getFuzzyLocation" => Some("scope.userFuzzyLocation"),
    _ => None,
  }
}

pub fn run(project: &Project, graph: &Graph) -> Vec<CheckResult> {
  let app: Value = serde_json::from_str(project.app.source.trim_start_matches('\u{feff}')).unwrap_or(Value::Null);
  let declared: Vec<&str> =
    app.get("requiredPrivateInfos").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
  let app_path = MpPath::root().join(app_json::FILE).unwrap_or_else(|_| MpPath::root());
  let app_display = project.display(&app_path);
  let source = Source::new(&app_display, &project.app.source);
  let app_at =
    |path: &[&str]| project.app.spans.value(path).map_or_else(|| Location::file(app_display.clone()), |s| source.at(s));
  let uses: Vec<&Site> = graph.apis.iter().collect();

  let undeclared = uses
    .iter()
    .filter(|s| !declared.contains(&s.text.as_str()))
    .map(|s| {
      Finding::new(
        Level::Error,
        format!("wx.{} is used, but app.json's requiredPrivateInfos does not list it: the upload is refused", s.text),
        format!("add \"{}\" to \"requiredPrivateInfos\" in app.json", s.text),
        BuildFix::No,
      )
      .at(&s.file, located(project, s))
    })
    .collect();

  let mut conflict = Vec::new();
  if declared.contains(&"getLocation") && declared.contains(&"getFuzzyLocation") {
    conflict.push(
      Finding::new(
        Level::Error,
        "requiredPrivateInfos lists both getLocation and getFuzzyLocation; the platform allows one of them",
        "keep the one the app uses: getFuzzyLocation gives a city-level position, getLocation a precise one",
        BuildFix::No,
      )
      .at(&app_path, app_at(&["requiredPrivateInfos"])),
    );
  }

  let mut missing = Vec::new();
  for s in &uses {
    let Some(scope) = scope(&s.text) else { continue };
    let desc = app.get("permission").and_then(|p| p.get(scope)).and_then(|p| p.get("desc")).and_then(Value::as_str);
    let already = missing.iter().any(|(sc, _): &(&str, Finding)| *sc == scope);
    if desc.is_none_or(|d| d.trim().is_empty()) && !already {
      let f = Finding::new(
        Level::Warning,
        format!("wx.{} asks for {scope}, but app.json's permission has no description for it", s.text),
        format!(
          "add \"permission\": {{ \"{scope}\": {{ \"desc\": \"...\" }} }} to app.json: the user sees it when asked"
        ),
        BuildFix::No,
      )
      .at(&s.file, located(project, s));
      missing.push((scope, f));
    }
  }

  vec![
    CheckResult::of(Rule::PrivacyApiUndeclared, undeclared),
    plugins(project, graph),
    CheckResult::of(Rule::PrivacyInfosConflict, conflict),
    CheckResult::of(Rule::PermissionDescMissing, missing.into_iter().map(|(_, f)| f).collect()),
  ]
}

/// `plugin://NAME/...` in a reached usingComponents for a NAME neither app.json nor a
/// subpackage declares. Not `requirePlugin('NAME')`: it fails at run time, where libraries
/// guard it (tdesign's chat-record tries WechatSI and goes on without it).
fn plugins(project: &Project, graph: &Graph) -> CheckResult {
  let declared: Vec<&String> = project.packages().iter().flat_map(|p| &p.plugins).collect();
  let mut findings = Vec::new();
  let mut report = |file: &MpPath, loc: Location, name: &str| {
    findings.push(
      Finding::new(
        Level::Error,
        format!("plugin {name:?} is used here, but no \"plugins\" in app.json declares it"),
        format!(
          "declare it in app.json: \"plugins\": {{ \"{name}\": {{ \"version\": \"...\", \"provider\": \"wx...\" }} }}"
        ),
        BuildFix::No,
      )
      .at(file, loc),
    );
  };
  let in_components = |p: &[Seg]| p.len() == 2 && p[0] == Seg::Key("usingComponents".into());
  for a in graph.assets.iter().filter(|a| graph.reached[a.id] && a.kind == AssetKind::Json) {
    let Ok(text) = project.read_text(&a.path) else { continue };
    // Most files name no plugin (`plugin:` stays in `plugin:\/\/`): no index for them; a build
    // runs this rule too.
    if !text.contains("plugin:") {
      continue;
    }
    let display = project.display(&a.path);
    let spans = JsonSpans::of(&text);
    let plugin = |v: &str| Some(v.strip_prefix("plugin://")?.split('/').next()?.to_string());
    for (span, name) in spans.strings_where(in_components).filter_map(|(s, v)| Some((s, plugin(v)?))) {
      if !declared.contains(&&name) {
        report(&a.path, Source::new(&display, &text).at(span), &name);
      }
    }
  }
  CheckResult::of(Rule::PluginUndeclared, findings)
}

/// The site with its line's text, for a code frame.
fn located(project: &Project, site: &Site) -> Location {
  let display = project.display(&site.file);
  let mut loc = Location::at(display, site.line, site.column);
  if let Ok(text) = project.read_text(&site.file) {
    let line = text.lines().nth(site.line.saturating_sub(1) as usize).unwrap_or_default();
    loc.line_text = line.trim_end_matches('\r').to_string();
    loc.len = u32::try_from(site.text.chars().count()).unwrap_or(1);
  }
  loc
}
