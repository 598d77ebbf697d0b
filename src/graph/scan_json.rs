//! References in page and component JSON: `usingComponents`, `componentGenerics` defaults, and
//! which tags have a `componentPlaceholder` (their cross-package references are lazy, and a tag
//! named there, as key or value, is in use).

use serde_json::{Map, Value};

use super::asset::{DepKind, Ref};
use crate::{
  diagnostic::{Code, Diagnostic, Location, Source, Span},
  project::json::{self, JsonSpans},
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
  let (value, spans): (Map<String, Value>, JsonSpans) = json::parse_spanned(file, src)?;
  let mut warnings = Vec::new();
  let placeholders = value.get("componentPlaceholder").and_then(Value::as_object);
  // A placeholder map that is no object is read as none (the references it was for are then not
  // lazy); a value that is no tag name keeps its tag lazy. Either is a warning, never silence.
  let placeholder_help = "componentPlaceholder maps a tag to the tag shown until it loads, such as {\"pay\": \"view\"}";
  match value.get("componentPlaceholder") {
    Some(p) if !p.is_object() => warnings.push(
      Diagnostic::warning(Code::InvalidConfig, "componentPlaceholder is not an object; it is read as none")
        .at(at(source, spans.key(&["componentPlaceholder"])))
        .with_help(placeholder_help),
    ),
    Some(Value::Object(map)) => {
      for (tag, v) in map.iter().filter(|(_, v)| !v.is_string()) {
        warnings.push(
          Diagnostic::warning(Code::InvalidConfig, format!("componentPlaceholder for {tag:?} is {v}, not a tag name"))
            .at(at(source, spans.key(&["componentPlaceholder", tag])))
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
      let at = at(source, spans.key(&["usingComponents"]));
      return Err(Diagnostic::error(Code::InvalidConfig, "usingComponents must be an object of tag: path").at(at));
    };
    for (tag, path) in using {
      let Some(spec) = path.as_str() else {
        let at = at(source, spans.key(&["usingComponents", tag]));
        return Err(
          Diagnostic::error(Code::InvalidConfig, format!("usingComponents {tag:?} must be a path string")).at(at),
        );
      };
      // A tag written twice with the same path (JSON keeps the last) is one reference written
      // twice: each spelling is rewritten when the component moves.
      // A reference is never lost for want of a place: one not found is kept unplaced (the
      // planner then keeps its target where it is, as for any reference it cannot re-spell).
      let mut written: Vec<Span> = spans.strings(&["usingComponents", tag], spec).collect();
      if written.is_empty() {
        written.push(Span::default());
      }
      for span in written {
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
        let span = spans.value(&["componentGenerics", name, "default"]).unwrap_or_default();
        refs.push(Ref::new(spec, DepKind::Component, span));
      }
    }
  }
  Ok(ComponentJson { refs, placeholder_tags, warnings })
}

/// Where a message about the file points: `span`, or the file alone.
fn at(source: &Source, span: Option<Span>) -> Location {
  span.map_or_else(|| Location::file(source.file()), |s| source.at(s))
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
  fn escaped_and_repeated_values_are_located_where_serde_read_them() {
    // The path is escaped, and the same text sits earlier under another key.
    let src =
      r#"{"note": "/c/c", "usingComponents": {"c": "\/c\/c"}, "componentGenerics": {"g": {"default": "/c/c"}}}"#;
    let refs = scan_component_json(&Source::new("x.json", src)).unwrap().refs;
    let written: Vec<&str> = refs.iter().map(|r| &src[r.span.start as usize..r.span.end as usize]).collect();
    assert_eq!(written, [r"\/c\/c", "/c/c"]);
    assert!(refs[1].span.start > refs[0].span.start, "the generic's default, not the note");
  }

  #[test]
  fn non_string_component_is_error() {
    let err = scan_component_json(&Source::new("x.json", r#"{"usingComponents":{"a":1}}"#)).unwrap_err();
    assert_eq!(err.code, Code::InvalidConfig);
  }
}
