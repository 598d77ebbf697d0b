//! JSON minification: reprint compactly with serde_json, keeping key order and every number
//! exactly as written (`preserve_order` and `arbitrary_precision`).

/// The compact form of `src`, or `None` when it is not valid JSON (it then ships unchanged).
pub fn minify(src: &[u8]) -> Option<Vec<u8>> {
  let src = src.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(src);
  let value: serde_json::Value = serde_json::from_slice(src).ok()?;
  serde_json::to_vec(&value).ok()
}

#[cfg(test)]
mod tests {
  use super::*;

  #[track_caller]
  fn test(input: &str, expected: &str) {
    let out = minify(input.as_bytes()).unwrap();
    assert_eq!(String::from_utf8(out.clone()).unwrap(), expected);
    assert_eq!(minify(&out).unwrap(), out, "not idempotent");
  }

  #[test]
  // Numbers keep their digits; serde_json spells an exponent `e+3`, the same number.
  fn compacts_keeping_order_and_numbers() {
    test(
      "{\n  \"z\": 1,\n  \"a\": [1.50, 1e3, 12345678901234567890123]\n}",
      r#"{"z":1,"a":[1.50,1e+3,12345678901234567890123]}"#,
    );
    test("{\"s\": \"中文 \\u4e2d\"}", "{\"s\":\"中文 中\"}");
  }

  #[test]
  fn invalid_json_is_left_alone() {
    assert_eq!(minify(b"{a:1}"), None);
  }
}
