//! JSON minification: reprint compactly with serde_json, keeping key order and every number
//! exactly as written (`preserve_order` and `arbitrary_precision`). In page and component JSON,
//! `usingComponents` entries the WXML never uses are dropped (a DevTools code-quality
//! requirement) when the caller knows the used tags for certain.

use std::collections::HashSet;

use serde_json::{Map, Value};

/// The compact form of `src` and the component tags dropped from it, or `None` when it is not
/// valid JSON (it then ships unchanged). `used`: the tags the sibling WXML uses, when certain.
pub fn minify(src: &str, used: Option<&HashSet<String>>) -> Option<(Vec<u8>, Vec<String>)> {
  let src = src.strip_prefix('\u{feff}').unwrap_or(src);
  let mut value: Value = serde_json::from_str(src).ok()?;
  let dropped = match (used, value.as_object_mut()) {
    (Some(used), Some(obj)) => prune(obj, used),
    _ => Vec::new(),
  };
  Some((serde_json::to_vec(&value).ok()?, dropped))
}

/// Removes unused `usingComponents` entries. A tag named by `componentPlaceholder` (as a key or
/// a value) counts as used.
fn prune(obj: &mut Map<String, Value>, used: &HashSet<String>) -> Vec<String> {
  let placeholders: HashSet<String> = obj
    .get("componentPlaceholder")
    .and_then(Value::as_object)
    .map(|p| p.iter().flat_map(|(k, v)| [Some(k.clone()), v.as_str().map(str::to_string)]).flatten().collect())
    .unwrap_or_default();
  let Some(using) = obj.get_mut("usingComponents").and_then(Value::as_object_mut) else { return Vec::new() };
  let dropped: Vec<String> = using
    .keys()
    .filter(|tag| !used.contains(&tag.to_ascii_lowercase()) && !placeholders.contains(*tag))
    .cloned()
    .collect();
  for tag in &dropped {
    using.shift_remove(tag);
  }
  dropped
}

#[cfg(test)]
mod tests {
  use super::*;

  #[track_caller]
  fn test(input: &str, expected: &str) {
    let (out, _) = minify(input, None).unwrap();
    assert_eq!(String::from_utf8(out.clone()).unwrap(), expected);
    assert_eq!(minify(std::str::from_utf8(&out).unwrap(), None).unwrap().0, out, "not idempotent");
  }

  // Numbers keep their digits; serde_json spells an exponent `e+3`, the same number.
  #[test]
  fn compacts_keeping_order_and_numbers() {
    test(
      "{\n  \"z\": 1,\n  \"a\": [1.50, 1e3, 12345678901234567890123]\n}",
      r#"{"z":1,"a":[1.50,1e+3,12345678901234567890123]}"#,
    );
    test("{\"s\": \"中文 \\u4e2d\"}", "{\"s\":\"中文 中\"}");
  }

  #[test]
  fn invalid_json_is_left_alone() {
    assert_eq!(minify("{a:1}", None), None);
  }

  #[test]
  fn drops_unused_components_only() {
    let used: HashSet<String> = ["view", "van-button", "lazy-b"].iter().map(|s| s.to_string()).collect();
    let src = r#"{"usingComponents":{"van-button":"a","van-cell":"b","ph":"c","lazy-b":"d"},"componentPlaceholder":{"lazy-b":"ph"}}"#;
    let (out, dropped) = minify(src, Some(&used)).unwrap();
    assert_eq!(dropped, ["van-cell"]);
    assert_eq!(
      String::from_utf8(out).unwrap(),
      r#"{"usingComponents":{"van-button":"a","ph":"c","lazy-b":"d"},"componentPlaceholder":{"lazy-b":"ph"}}"#
    );
  }
}
