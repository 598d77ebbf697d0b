//! References in page and component JSON: `usingComponents`, `componentGenerics` defaults, and
//! which tags have a `componentPlaceholder` (their cross-package references are lazy, and a tag
//! named there, as key or value, is in use).

use serde_json::{Map, Value};

use super::asset::{DepKind, Ref};
use crate::{
  diagnostic::{Code, Diagnostic, Location, Source, Span, json_keys, json_string_span},
  project::json,
};

#[derive(Debug, Default)]
pub struct ComponentJson {
  pub refs: Vec<Ref>,
  /// Tags named by `componentPlaceholder`, as keys or values.
  pub placeholder_tags: Vec<String>,
  /// What of the file is read as nothing because of its shape.
  pub warnings: Vec<Diagnostic>,
}

pub fn scan_component_json(source: &Source) -> Result<ComponentJson, Diagnostic> {
  let (file, src) = (source.file(), source.text());
  let value: Map<String, Value> = json::parse(file, src)?;
  let mut warnings = Vec::new();
  let placeholders = value.get("componentPlaceholder").and_then(Value::as_object);
  // A placeholder map that is no object is read as none (the references it was for are then not
  // lazy); a value that is no tag name keeps its tag lazy. Either is a warning, never silence.
  let placeholder_help = "componentPlaceholder maps a tag to the tag shown until it loads, such as {\"pay\": \"view\"}";
  match value.get("componentPlaceholder") {
    Some(p) if !p.is_object() => warnings.push(
      Diagnostic::warning(Code::InvalidConfig, "componentPlaceholder is not an object; it is read as none")
        .at(at(source, "componentPlaceholder"))
        .with_help(placeholder_help),
    ),
    Some(Value::Object(map)) => {
      for (tag, v) in map.iter().filter(|(_, v)| !v.is_string()) {
        warnings.push(
          Diagnostic::warning(Code::InvalidConfig, format!("componentPlaceholder for {tag:?} is {v}, not a tag name"))
            .at(
              json_string_span(src, tag, Some("componentPlaceholder"))
                .map_or_else(|| Location::file(file), |s| source.at(s)),
            )
            .with_help(placeholder_help),
        );
      }
    }
    _ => {}
  }
  let placeholder_tags = placeholders
    .map(|p| p.iter().flat_map(|(k, v)| [Some(k.clone()), v.as_str().map(str::to_string)]).flatten().collect())
    .unwrap_or_default();
  let mut refs = Vec::new();
  if let Some(using) = value.get("usingComponents") {
    let Some(using) = using.as_object() else {
      return Err(bad(source, "usingComponents", "usingComponents must be an object of tag: path"));
    };
    for (tag, path) in using {
      let Some(spec) = path.as_str() else {
        return Err(bad(source, tag, &format!("usingComponents {tag:?} must be a path string")));
      };
      // A tag written twice with the same path (JSON keeps the last) is one reference written
      // twice: each spelling is rewritten when the component moves.
      let mut spans = pair_spans(src, tag, spec);
      if spans.is_empty() {
        spans.push(json_string_span(src, spec, Some(tag)).unwrap_or_default());
      }
      for span in spans {
        let mut r = Ref::new(spec, DepKind::Component, span);
        r.placeholder = placeholders.is_some_and(|p| p.contains_key(tag));
        r.tag = Some(tag.clone());
        refs.push(r);
      }
    }
  }
  if let Some(generics) = value.get("componentGenerics").and_then(Value::as_object) {
    for (name, decl) in generics {
      if let Some(spec) = decl.get("default").and_then(Value::as_str) {
        let span = json_string_span(src, spec, Some(name)).unwrap_or_default();
        refs.push(Ref::new(spec, DepKind::Component, span));
      }
    }
  }
  Ok(ComponentJson { refs, placeholder_tags, warnings })
}

/// The spans of `value` in every `"key": "value"` pair of `src`.
fn pair_spans(src: &str, key: &str, value: &str) -> Vec<Span> {
  let Ok(v) = serde_json::to_string(value) else { return Vec::new() };
  json_keys(src, key)
    .into_iter()
    .filter(|&(_, start)| src.get(start..).is_some_and(|rest| rest.starts_with(&v)))
    .map(|(_, start)| Span::new(start + 1, start + v.len() - 1))
    .collect()
}

fn bad(source: &Source, key: &str, message: &str) -> Diagnostic {
  Diagnostic::error(Code::InvalidConfig, message).at(at(source, key))
}

/// Where `key` is written in `src` (the file alone when it cannot be found).
fn at(source: &Source, key: &str) -> Location {
  json_string_span(source.text(), key, None).map_or_else(|| Location::file(source.file()), |s: Span| source.at(s))
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn components_generics_and_placeholders() {
    let src = r#"{"usingComponents":{"a":"../a/a","b":"/sub/b"},"componentPlaceholder":{"b":"view"},"componentGenerics":{"g":{"default":"./g"},"h":true}}"#;
    let scan = scan_component_json(&Source::new("x.json", src)).unwrap();
    let got: Vec<_> = scan
      .refs
      .iter()
      .map(|r| (r.spec.as_str(), r.placeholder, r.tag.as_deref(), &src[r.span.start as usize..r.span.end as usize]))
      .collect();
    assert_eq!(
      got,
      [("../a/a", false, Some("a"), "../a/a"), ("/sub/b", true, Some("b"), "/sub/b"), ("./g", false, None, "./g")]
    );
    assert_eq!(scan.placeholder_tags, ["b", "view"]);
  }

  #[test]
  fn placeholders_of_the_wrong_shape_are_located_warnings() {
    let src = "{\"usingComponents\":{\"b\":\"/sub/b\"},\n\"componentPlaceholder\":[\"b\"]}";
    let scan = scan_component_json(&Source::new("x.json", src)).unwrap();
    assert_eq!(scan.warnings.len(), 1);
    let w = &scan.warnings[0];
    assert!(w.message.contains("is not an object") && w.location.as_ref().map(|l| l.line) == Some(2), "{w:?}");
    assert!(!scan.refs[0].placeholder);
    let src = "{\"usingComponents\":{\"b\":\"/sub/b\"},\"componentPlaceholder\":{\"b\":1}}";
    let scan = scan_component_json(&Source::new("x.json", src)).unwrap();
    assert!(scan.warnings[0].message.contains("\"b\" is 1, not a tag name"), "{:?}", scan.warnings);
    assert!(scan.refs[0].placeholder, "the tag stays lazy");
  }

  #[test]
  fn a_tag_written_twice_is_two_spellings() {
    let src = "{\"usingComponents\":{\"l\": \"/d/l\",\n  \"l\":\"/d/l\"}}";
    let spans: Vec<&str> = scan_component_json(&Source::new("x.json", src))
      .unwrap()
      .refs
      .iter()
      .map(|r| &src[r.span.start as usize..r.span.end as usize])
      .collect();
    assert_eq!(spans, ["/d/l", "/d/l"]);
  }

  #[test]
  fn non_string_component_is_error() {
    let err = scan_component_json(&Source::new("x.json", r#"{"usingComponents":{"a":1}}"#)).unwrap_err();
    assert_eq!(err.code, Code::InvalidConfig);
  }
}
