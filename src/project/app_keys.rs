//! app.json keys beyond the ones wxpack models: which name code the platform loads.
//!
//! The platform adds app.json features every year (`agent.skills` is one). A key wxpack does not
//! know may name files the platform loads, and pruning them would lose code with no message. So
//! every string under an unknown key that names a file or folder under the root becomes an entry
//! of the graph, with a warning naming the key, and `agent` is modelled outright.

use serde_json::{Map, Value};

/// Top-level keys of the app.json reference whose values are never paths wxpack must follow
/// (the ones with paths are modelled in `app_json`).
const KNOWN: &[&str] = &[
  "pages",
  "window",
  "tabBar",
  "networkTimeout",
  "debug",
  "functionalPages",
  "subpackages",
  "subPackages",
  "workers",
  "requiredBackgroundModes",
  "requiredPrivateInfos",
  "plugins",
  "preloadRule",
  "resizable",
  "usingComponents",
  "permission",
  "sitemapLocation",
  "style",
  "useExtendedLib",
  "entranceDeclare",
  "darkmode",
  "themeLocation",
  "lazyCodeLoading",
  "singlePage",
  "supportedMaterials",
  "serviceProviderTicket",
  "embeddedAppIdList",
  "halfPage",
  "debugOptions",
  "enablePassiveEvent",
  "resolveAlias",
  "renderer",
  "rendererOptions",
  "componentFramework",
  "miniApp",
  "static",
  "convertRpxToVw",
  "appBar",
  "cloud",
  "cloudVersion",
  "entryPagePath",
  "componentPlaceholder",
  "navigateToMiniProgramAppIdList",
  "chatTools",
  "__usePrivacyCheck__",
  "$schema",
];

/// A path-like string found under an app.json key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyEntry {
  /// Where it was found, as a JSON path (`agent.skills[0].path`).
  pub key: String,
  /// The value as written.
  pub value: String,
  /// Not a key the platform documents: the user gets a warning.
  pub unknown: bool,
}

/// The candidate entries of app.json: `agent.skills[].path` and `agent.pageMetadata`, and every
/// string under an unknown top-level key. Whether each names a file is decided by the scan.
pub fn entries(app: &Map<String, Value>) -> Vec<KeyEntry> {
  let mut out = Vec::new();
  for (key, value) in app {
    if key == "agent" {
      agent(value, &mut out);
    } else if key == "plugins" {
      plugin_exports(key, value, &mut out);
    } else if key == "subpackages" || key == "subPackages" {
      for (i, sub) in value.as_array().into_iter().flatten().enumerate() {
        if let Some(plugins) = sub.get("plugins") {
          plugin_exports(&format!("{key}[{i}].plugins"), plugins, &mut out);
        }
      }
    } else if !KNOWN.contains(&key.as_str()) {
      strings(key.clone(), value, &mut out);
    }
  }
  out
}

/// `plugins.<alias>.export`: the file of the mini program the plugin may `require`, loaded by
/// the platform and referenced by no other file.
fn plugin_exports(key: &str, plugins: &Value, out: &mut Vec<KeyEntry>) {
  for (alias, plugin) in plugins.as_object().into_iter().flatten() {
    if let Some(p) = plugin.get("export").and_then(Value::as_str) {
      out.push(KeyEntry { key: format!("{key}.{alias}.export"), value: p.to_string(), unknown: false });
    }
  }
}

fn agent(value: &Value, out: &mut Vec<KeyEntry>) {
  let skills = value.get("skills").and_then(Value::as_array).into_iter().flatten();
  for (i, skill) in skills.enumerate() {
    if let Some(p) = skill.get("path").and_then(Value::as_str) {
      out.push(KeyEntry { key: format!("agent.skills[{i}].path"), value: p.to_string(), unknown: false });
    }
  }
  if let Some(p) = value.get("pageMetadata").and_then(Value::as_str) {
    out.push(KeyEntry { key: "agent.pageMetadata".into(), value: p.to_string(), unknown: false });
  }
  // The rest of `agent` is new too: treat it like an unknown key.
  if let Some(map) = value.as_object() {
    for (k, v) in map.iter().filter(|(k, _)| !matches!(k.as_str(), "skills" | "pageMetadata")) {
      strings(format!("agent.{k}"), v, out);
    }
  }
}

fn strings(key: String, value: &Value, out: &mut Vec<KeyEntry>) {
  match value {
    Value::String(s) if looks_like_path(s) => out.push(KeyEntry { key, value: s.clone(), unknown: true }),
    Value::Array(items) => {
      for (i, v) in items.iter().enumerate() {
        strings(format!("{key}[{i}]"), v, out);
      }
    }
    Value::Object(map) => {
      for (k, v) in map {
        strings(format!("{key}.{k}"), v, out);
      }
    }
    _ => {}
  }
}

/// A string that could be a path under the root: no scheme, no spaces, not empty.
fn looks_like_path(s: &str) -> bool {
  !s.is_empty() && s.len() < 512 && !s.contains(char::is_whitespace) && !s.contains("://")
}

/// `useExtendedLib` (`{"weui": true}`): the npm packages the platform then provides itself.
pub(super) fn extended_libs(map: &Map<String, Value>) -> Vec<&'static str> {
  let on = |name: &str| map.get(name).is_some_and(|v| !matches!(v, Value::Bool(false) | Value::Null));
  let mut libs = Vec::new();
  if on("weui") {
    libs.push("weui-miniprogram");
  }
  if on("kbone") {
    libs.extend(["miniprogram-element", "miniprogram-render"]);
  }
  libs
}

#[cfg(test)]
mod tests {
  use super::*;

  fn of(json: &str) -> Vec<(String, String, bool)> {
    let Ok(Value::Object(map)) = serde_json::from_str::<Value>(json) else { panic!("not an object") };
    entries(&map).into_iter().map(|e| (e.key, e.value, e.unknown)).collect()
  }

  #[test]
  fn agent_skills_are_entries() {
    let got = of(
      r#"{"pages":["a"],"agent":{"skills":[{"name":"d","description":"点单","path":"skills/drink"}],"pageMetadata":"meta.json"}}"#,
    );
    assert_eq!(
      got,
      [
        ("agent.skills[0].path".into(), "skills/drink".into(), false),
        ("agent.pageMetadata".into(), "meta.json".into(), false)
      ]
    );
  }

  #[test]
  fn unknown_keys_are_walked_known_ones_are_not() {
    let got = of(r#"{"window":{"x":"pages/a"},"futureThing":{"list":[{"entry":"future/index","label":"两个 词"}]}}"#);
    assert_eq!(got, [("futureThing.list[0].entry".into(), "future/index".into(), true)]);
  }

  #[test]
  fn plugin_exports_are_entries() {
    let got = of(
      r#"{"plugins":{"p":{"version":"1.0.0","provider":"wx1","export":"utils/to-plugin.js"}},"subpackages":[{"root":"s","pages":["a"],"plugins":{"q":{"provider":"wx2","export":"s/out.js"}}}]}"#,
    );
    assert_eq!(
      got,
      [
        ("plugins.p.export".into(), "utils/to-plugin.js".into(), false),
        ("subpackages[0].plugins.q.export".into(), "s/out.js".into(), false)
      ]
    );
  }

  /// docs/app-json-keys.md accounts for every key wxpack knows.
  #[test]
  fn every_known_key_is_documented() {
    let doc = include_str!("../../docs/app-json-keys.md");
    let missing: Vec<&&str> =
      KNOWN.iter().chain(&["agent", "plugins"]).filter(|k| !doc.contains(&format!("`{k}`"))).collect();
    assert!(missing.is_empty(), "{missing:?}");
  }
}
