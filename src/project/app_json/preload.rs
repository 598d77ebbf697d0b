//! app.json's `preloadRule`, typed at load: an object of page -> `{packages: [names],
//! network: "wifi" | "all"}`. What has another shape is read as nothing (no packages) or the
//! default (`wifi`), as the platform reads it, and each such part is a located warning.

use serde_json::Value;

use super::super::json::JsonSpans;
use crate::{
  config::manifest::Network,
  diagnostic::{Code, Diagnostic, Location, Source},
};

/// One page's rule, as the project wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreloadRule {
  /// The page key as written.
  pub page: String,
  /// The names and roots it lists (entries that are no string left out).
  pub packages: Vec<String>,
  /// Its `network` when it is a string: `all`, or `wifi` for any other.
  pub network: Option<Network>,
}

/// The rules of `value` (app.json's `preloadRule`), in their order, and what is malformed.
pub fn read(value: Option<&Value>, spans: &JsonSpans, source: &Source) -> (Vec<PreloadRule>, Vec<Diagnostic>) {
  let Some(value) = value else { return (Vec::new(), Vec::new()) };
  // A rule's problems point at its page key; the map's own at `preloadRule`.
  let warn = |what: String, page: Option<&str>| {
    let key: Vec<&str> = std::iter::once("preloadRule").chain(page).collect();
    let at = spans.key(&key).map_or_else(|| Location::file(source.file()), |s| source.at(s));
    Diagnostic::warning(Code::Preload, what)
      .at(at)
      .with_help("preloadRule maps a page to {\"packages\": [names or roots], \"network\": \"wifi\" or \"all\"}")
  };
  let Some(map) = value.as_object() else {
    return (Vec::new(), vec![warn("preloadRule is not an object; it is read as no rules".into(), None)]);
  };
  let mut problems = Vec::new();
  let mut rules = Vec::new();
  for (page, v) in map {
    let mut rule = PreloadRule { page: page.clone(), packages: Vec::new(), network: None };
    let Some(v) = v.as_object() else {
      problems.push(warn(format!("preloadRule for {page} is not an object; it is read as no rule"), Some(page)));
      rules.push(rule);
      continue;
    };
    match v.get("packages") {
      Some(Value::Array(names)) => {
        rule.packages = names.iter().filter_map(Value::as_str).map(str::to_string).collect();
        if rule.packages.len() < names.len() {
          problems
            .push(warn(format!("preloadRule for {page}: a package that is not a string is left out"), Some(page)));
        }
      }
      Some(_) => {
        problems.push(warn(format!("preloadRule for {page}: packages is not an array; it is read as none"), Some(page)))
      }
      None => problems.push(warn(format!("preloadRule for {page} has no packages"), Some(page))),
    }
    match v.get("network") {
      None => {}
      Some(Value::String(n)) if n == "wifi" || n == "all" => {}
      Some(other) => problems.push(warn(
        format!("preloadRule for {page}: network {other} is neither \"wifi\" nor \"all\"; read as \"wifi\""),
        Some(page),
      )),
    }
    rule.network =
      v.get("network").and_then(Value::as_str).map(|n| if n == "all" { Network::All } else { Network::Wifi });
    rules.push(rule);
  }
  (rules, problems)
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn rules_are_typed_and_what_is_malformed_is_located() {
    let src = "{\"preloadRule\": {\n\"a\": {\"packages\": [\"x\", 1], \"network\": \"all\"},\n\"b\": \"x\",\n\"c\": {\"network\": \"4g\"}}}";
    let (value, spans): (Value, JsonSpans) = crate::project::json::parse_spanned("app.json", src).unwrap();
    let (rules, problems) = read(value.get("preloadRule"), &spans, &Source::new("app.json", src));
    assert_eq!(
      rules,
      [
        PreloadRule { page: "a".into(), packages: vec!["x".into()], network: Some(Network::All) },
        PreloadRule { page: "b".into(), packages: vec![], network: None },
        PreloadRule { page: "c".into(), packages: vec![], network: Some(Network::Wifi) },
      ]
    );
    let lines: Vec<u32> = problems.iter().map(|d| d.location.as_ref().unwrap().line).collect();
    // a: a package that is no string; b: no object; c: no packages, and an unknown network.
    assert_eq!(lines, [2, 3, 4, 4]);
  }
}
