//! Deeply nested input never crashes the process: each shape generated code and hostile input
//! take, 10,000 levels deep, builds (exit 0) or is refused with a location (exit 2), with and
//! without minifying. A stack overflow is a signal (exit 134), not a status.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::{fs, path::Path};

const DEPTH: usize = 10_000;

/// (file under pages/index, its text).
fn shapes() -> Vec<(&'static str, &'static str, String)> {
  let n = DEPTH;
  let js =
    |body: String| format!("var x = 1, p = {{ then: function () {{ return p; }} }};\n{body}\nmodule.exports = r;\n");
  vec![
    ("string concatenation", "index.js", js(format!("var r = {};", vec!["'a' + x"; n].join(" + ")))),
    (
      "else-if chain",
      "index.js",
      js(format!(
        "var r = 0;\n{} else {{ r = -1; }}",
        (0..n).map(|i| format!("if (x === {i}) {{ r = {i}; }}")).collect::<Vec<_>>().join(" else ")
      )),
    ),
    ("then chain", "index.js", js(format!("var r = p{};", ".then(function () { return x; })".repeat(n)))),
    ("nested parentheses", "index.js", js(format!("var r = {}x{};", "(".repeat(n), ")".repeat(n)))),
    ("nested arrays", "index.js", js(format!("var r = {}x{};", "[".repeat(n), "]".repeat(n)))),
    (
      "nested functions",
      "index.js",
      js(format!("var r = {}x{};", "(function () { return ".repeat(n), "; })()".repeat(n))),
    ),
    ("nested blocks", "index.wxss", format!("{}.a {{ color: red; }}{}", ".b { ".repeat(n), "}".repeat(n))),
    (
      "nested @media",
      "index.wxss",
      format!("{}.a {{ color: red; }}{}", "@media (min-width: 1px) { ".repeat(n), "}".repeat(n)),
    ),
    ("nested :not()", "index.wxss", format!(".a{}.b{} {{ color: red; }}", ":not(".repeat(n), ")".repeat(n))),
    ("nested tags", "index.wxml", format!("{}<text>x</text>{}", "<view>".repeat(n), "</view>".repeat(n))),
    (
      "nested WXS",
      "index.wxml",
      format!(
        "<wxs module=\"m\">var r = {}1{}; module.exports = r;</wxs><view>{{{{m}}}}</view>",
        "(".repeat(n),
        ")".repeat(n)
      ),
    ),
  ]
}

fn project_with(dir: &Path, file: &str, text: &str) {
  common::copy_fixture("tiny", dir);
  fs::write(dir.join("pages/index").join(file), text).unwrap();
}

#[test]
fn deep_input_builds_or_is_refused_with_a_location() {
  let mut failures = Vec::new();
  for (shape, file, text) in shapes() {
    for minify in [true, false] {
      let tmp = tempfile::tempdir().unwrap();
      project_with(tmp.path(), file, &text);
      let out = tmp.path().join("out");
      let mut args = vec!["build", tmp.path().to_str().unwrap(), "-o", out.to_str().unwrap(), "--quiet"];
      if !minify {
        args.push("--no-minify");
      }
      let o = common::wxpack(&args);
      let stderr = String::from_utf8_lossy(&o.stderr);
      let located = stderr.contains(&format!("pages/index/{file}:"));
      match o.status.code() {
        Some(0) => {}
        Some(2) if located => {}
        code => failures.push(format!(
          "{shape} (minify {minify}): exit {code:?}\n{}",
          stderr.lines().take(5).collect::<Vec<_>>().join("\n")
        )),
      }
    }
  }
  assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Past what the parsers can take, a file is refused where it nests that deep.
#[test]
fn past_the_readable_depth_a_file_is_refused_at_its_line() {
  let n = 200_000;
  let tmp = tempfile::tempdir().unwrap();
  project_with(tmp.path(), "index.js", &format!("var x = 1;\nvar r = {}x{};\n", "(".repeat(n), ")".repeat(n)));
  let out = tmp.path().join("out");
  let o = common::wxpack(&["build", tmp.path().to_str().unwrap(), "-o", out.to_str().unwrap()]);
  let stderr = String::from_utf8_lossy(&o.stderr);
  assert_eq!(o.status.code(), Some(2), "{stderr}");
  assert!(stderr.contains("pages/index/index.js:2:") && stderr.contains("200000 levels deep"), "{stderr}");
  assert!(!out.exists());
}
