//! JSON minification: reprint compactly with serde_json, keeping key order and every number
//! exactly as written (`preserve_order` and `arbitrary_precision`). In page and component JSON,
//! the `usingComponents` entries the graph found unused (their WXML never uses the tag) are
//! dropped, a DevTools code-quality requirement.

use serde_json::Value;

/// The compact form of `src` and the component tags dropped from it, or `None` when it is not
/// valid JSON (it then ships unchanged). `unused`: the tags to drop from `usingComponents`.
pub fn minify(src: &str, unused: Option<&[String]>) -> Option<(Vec<u8>, Vec<String>)> {
  let src = src.strip_prefix('\u{feff}').unwrap_or(src);
  let mut value: Value = serde_json::from_str(src).ok()?;
  let mut dropped = Vec::new();
  if let (Some(unused), Some(using)) = (unused, value.get_mut("usingComponents").and_then(Value::as_object_mut)) {
    for tag in unused {
      if using.shift_remove(tag).is_some() {
        dropped.push(tag.clone());
      }
    }
  }
  Some((serde_json::to_vec(&value).ok()?, dropped))
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
  fn drops_the_unused_components_only() {
    let src =
      r#"{"usingComponents":{"van-button":"a","van-cell":"b","ph":"c"},"componentPlaceholder":{"lazy-b":"ph"}}"#;
    let (out, dropped) = minify(src, Some(&["van-cell".to_string(), "absent".to_string()])).unwrap();
    assert_eq!(dropped, ["van-cell"]);
    assert_eq!(
      String::from_utf8(out).unwrap(),
      r#"{"usingComponents":{"van-button":"a","ph":"c"},"componentPlaceholder":{"lazy-b":"ph"}}"#
    );
  }
}
