//! JS and WXS minification: read with oxc, written with swc.
//!
//! One file at a time inside swc's `GLOBALS`: parse, resolver, `optimize` (compress and mangle,
//! top-level names included, because every mini program file runs inside its own module
//! function, as DevTools' own terser run assumes) with `ecma = ES5` so the compressor never
//! introduces newer syntax, then codegen. oxc's [`es_level::detect`] checks the input and the
//! output: a result whose syntax level is above the input's (or above ES5 for WXS), that repeats
//! an object key, that puts `$` in a WXS identifier, or that loses a `'worklet'` directive is not
//! shipped; the caller keeps the original and reports why.

use std::panic::{AssertUnwindSafe, catch_unwind};

use swc_core::{
  common::{FileName, GLOBALS, Globals, Mark, SourceMap, source_map::SourceMapGenConfig, sync::Lrc},
  ecma::{
    ast::{EsVersion, Pass},
    codegen::{
      Config as CodegenConfig, Emitter,
      text_writer::{JsWriter, omit_trailing_semi},
    },
    minifier::{
      optimize,
      option::{CompressOptions, ExtraOptions, MangleOptions, MinifyOptions, TopLevelOptions},
    },
    parser::{EsSyntax, Parser, StringInput, Syntax},
    transforms::base::{fixer::fixer, resolver},
  },
};

use super::{Fallback, es_level};

/// Globals of the mini program runtime; never renamed, whatever a file declares.
const RESERVED: &[&str] = &[
  "wx",
  "App",
  "Page",
  "Component",
  "Behavior",
  "getApp",
  "getCurrentPages",
  "require",
  "module",
  "exports",
  "requirePlugin",
  "requireMiniProgram",
  "worker",
  "global",
  "getRegExp",
  "getDate",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
  Js,
  /// WXS: ES5 only, no `$` in identifiers, an unterminated `/*` comments out the rest.
  Wxs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsOptions {
  pub drop_console: bool,
  pub drop_debugger: bool,
  pub mangle: bool,
}

impl Default for JsOptions {
  fn default() -> Self {
    Self { drop_console: false, drop_debugger: true, mangle: true }
  }
}

/// Minifies `src`. `Err` says why the original must ship instead.
pub fn minify(src: &str, dialect: Dialect, options: JsOptions) -> Result<String, Fallback> {
  minify_with_map(src, dialect, options, None).map(|(code, _)| code)
}

/// [`minify`], plus a source map (JSON, version 3, with the source inlined) naming the source
/// `source_name`, when one is given.
pub fn minify_with_map(
  src: &str,
  dialect: Dialect,
  options: JsOptions,
  source_name: Option<&str>,
) -> Result<(String, Option<Vec<u8>>), Fallback> {
  let closed;
  let (src, input) = match es_level::detect(src) {
    Some(input) => (src, input),
    // WXS's unterminated trailing comment: close it so the parsers accept the file.
    None if dialect == Dialect::Wxs => {
      closed = format!("{src}*/");
      let input = es_level::detect(&closed).ok_or_else(|| Fallback::new("does not parse"))?;
      (closed.as_str(), input)
    }
    None => return Err(Fallback::new("does not parse")),
  };
  let out = swc_minify(src, options, true, source_name)?;
  match check(&input, &out.0, dialect, src) {
    // The mangler's alphabet includes `$`, which WXS forbids: keep the names.
    Err(f) if dialect == Dialect::Wxs && options.mangle && f.reason.contains('$') => {
      let out = swc_minify(src, JsOptions { mangle: false, ..options }, true, source_name)?;
      check(&input, &out.0, dialect, src).map(|()| out)
    }
    // swc's compressor folds a function's 'worklet' prologue away when it merges statements;
    // Skyline needs it, so such files are only mangled and printed compactly.
    Err(f) if f.reason.contains("worklet") => {
      let out = swc_minify(src, options, false, source_name)?;
      check(&input, &out.0, dialect, src).map(|()| out)
    }
    r => r.map(|()| out),
  }
}

/// Names the source in the map and inlines its text, so the map alone symbolicates a stack.
struct MapConfig<'a>(&'a str);

impl SourceMapGenConfig for MapConfig<'_> {
  fn file_name_to_source(&self, _: &FileName) -> String {
    self.0.to_string()
  }

  fn inline_sources_content(&self, _: &FileName) -> bool {
    true
  }
}

fn check(input: &es_level::Syntax, out: &str, dialect: Dialect, src: &str) -> Result<(), Fallback> {
  let output = es_level::detect(out).ok_or_else(|| Fallback::new("swc's output does not re-parse (a minifier bug)"))?;
  // The ceiling is max(input level, ES5): ES5 in, ES5 out. (Some published WXS is not ES5,
  // e.g. tdesign's default parameters; it may keep what it has, and gain nothing newer.)
  let ceiling = input.level;
  if output.level > ceiling {
    return Err(Fallback::new(format!(
      "minifying would raise the syntax level from {} to {} ({})",
      ceiling.as_str(),
      output.level.as_str(),
      output.feature
    )));
  }
  if let (Some(key), None) = (&output.duplicate_key, &input.duplicate_key) {
    return Err(Fallback::new(format!("minifying would repeat the object key {key:?}, a syntax error in strict ES5")));
  }
  if dialect == Dialect::Wxs
    && let (Some(id), None) = (&output.dollar_identifier, &input.dollar_identifier)
  {
    return Err(Fallback::new(format!("minifying would put $ in the WXS identifier {id:?}")));
  }
  let worklets = |s: &str| s.matches("'worklet'").count() + s.matches("\"worklet\"").count();
  if worklets(out) < worklets(src) {
    return Err(Fallback::new("minifying would drop a 'worklet' directive"));
  }
  Ok(())
}

type Printed = (String, Option<Vec<u8>>);

fn swc_minify(src: &str, options: JsOptions, compress: bool, map: Option<&str>) -> Result<Printed, Fallback> {
  catch_unwind(AssertUnwindSafe(|| GLOBALS.set(&Globals::new(), || run_swc(src, options, compress, map))))
    .unwrap_or_else(|_| Err(Fallback::new("swc panicked on this file (a minifier bug)")))
}

fn run_swc(src: &str, options: JsOptions, compress: bool, map: Option<&str>) -> Result<Printed, Fallback> {
  let cm: Lrc<SourceMap> = Lrc::default();
  let fm = cm.new_source_file(Lrc::new(FileName::Anon), src.to_string());
  let syntax = Syntax::Es(EsSyntax { allow_return_outside_function: true, ..EsSyntax::default() });
  let mut parser = Parser::new(syntax, StringInput::from(&*fm), None);
  let program = parser.parse_program().map_err(|e| Fallback::new(format!("swc cannot parse it: {:?}", e.kind())))?;
  if let Some(e) = parser.take_errors().first() {
    return Err(Fallback::new(format!("swc cannot parse it: {:?}", e.kind())));
  }
  let unresolved_mark = Mark::new();
  let top_level_mark = Mark::new();
  let mut program = program.apply(resolver(unresolved_mark, top_level_mark, false));
  let minify_options = MinifyOptions {
    compress: compress.then(|| CompressOptions {
      ecma: EsVersion::Es5,
      drop_console: options.drop_console,
      drop_debugger: options.drop_debugger,
      top_level: Some(TopLevelOptions { functions: true }),
      // `directives: true` drops directives it does not know, Skyline's 'worklet' among them.
      directives: false,
      ..CompressOptions::default()
    }),
    mangle: options.mangle.then(|| MangleOptions {
      top_level: Some(true),
      reserved: RESERVED.iter().map(|s| (*s).into()).collect(),
      ..MangleOptions::default()
    }),
    ..MinifyOptions::default()
  };
  let extra = ExtraOptions { unresolved_mark, top_level_mark, mangle_name_cache: None };
  program = optimize(program, cm.clone(), None, None, &minify_options, &extra);
  let mut fix = fixer(None);
  fix.process(&mut program);
  let mut buf = Vec::with_capacity(src.len() / 2);
  let mut mappings = Vec::new();
  {
    let mut emitter = Emitter {
      // The ES2015 printer writes non-ASCII text as UTF-8 (the ES5 one escapes U+0080..U+00FF
      // and astral characters, growing them 2 to 3 times); it prints the same syntax, and the
      // level check above catches any change.
      cfg: CodegenConfig::default().with_minify(true).with_target(EsVersion::Es2015).with_omit_last_semi(true),
      cm: cm.clone(),
      comments: None,
      wr: Box::new(omit_trailing_semi(JsWriter::new(cm.clone(), "\n", &mut buf, map.map(|_| &mut mappings)))),
    };
    emitter.emit_program(&program).map_err(|e| Fallback::new(format!("swc cannot print it: {e}")))?;
  }
  let code = String::from_utf8(buf).map_err(|_| Fallback::new("swc printed invalid UTF-8"))?;
  let map = map.and_then(|name| {
    let mut json = Vec::new();
    cm.build_source_map(&mappings, None, MapConfig(name)).to_writer(&mut json).ok()?;
    Some(json)
  });
  Ok((code, map))
}

#[cfg(test)]
mod tests {
  use super::*;

  #[track_caller]
  fn test(input: &str, expected: &str) {
    let out = minify(input, Dialect::Js, JsOptions::default()).unwrap();
    assert_eq!(out, expected);
    assert_eq!(minify(&out, Dialect::Js, JsOptions::default()).unwrap(), out, "not idempotent");
  }

  #[track_caller]
  fn wxs(input: &str) -> String {
    minify(input, Dialect::Wxs, JsOptions::default()).unwrap()
  }

  #[test]
  fn mangles_top_level_and_keeps_globals() {
    test(
      "var util = require('./util');\nfunction helper(value) { return util.format(value); }\nPage({ onLoad: function () { wx.setStorageSync('k', helper(1)); getApp(); } });",
      "var e=require(\"./util\");Page({onLoad:function(){wx.setStorageSync(\"k\",e.format(1)),getApp()}})",
    );
  }

  #[test]
  fn es5_stays_es5() {
    let out = minify(
      "var o = {x: x, y: 'plain string'}; module.exports = function () { return Array.prototype.slice.call(arguments, 1).concat([o]); };",
      Dialect::Js,
      JsOptions::default(),
    )
    .unwrap();
    assert_eq!(es_level::detect(&out).unwrap().level, es_level::EsLevel::Es5, "{out}");
    assert!(!out.contains('`') && !out.contains("..."), "{out}");
  }

  #[test]
  fn non_ascii_text_stays_utf8() {
    test("module.exports = ['¥', '中文', '😀'];", "module.exports=[\"¥\",\"中文\",\"😀\"]");
  }

  #[test]
  fn console_and_debugger_options() {
    let src = "function f(a) { console.log(a); debugger; return a + 1; } module.exports = f;";
    let kept = minify(src, Dialect::Js, JsOptions::default()).unwrap();
    assert!(kept.contains("console.log") && !kept.contains("debugger"), "{kept}");
    let dropped = minify(src, Dialect::Js, JsOptions { drop_console: true, ..JsOptions::default() }).unwrap();
    assert!(!dropped.contains("console"), "{dropped}");
  }

  #[test]
  fn worklet_directives_survive() {
    let src =
      "function onScroll(e) { 'worklet'; return e.detail.scrollTop * 2; } module.exports = { onScroll: onScroll };";
    let out = minify(src, Dialect::Js, JsOptions::default()).unwrap();
    assert!(out.contains("\"worklet\"") || out.contains("'worklet'"), "{out}");
  }

  #[test]
  fn modern_input_keeps_its_level() {
    let src = "export const add = (a, b) => a + b;\nexport class Box { get v() { return this._v ?? 0; } }";
    let out = minify(src, Dialect::Js, JsOptions::default()).unwrap();
    assert!(es_level::detect(&out).unwrap().level <= es_level::EsLevel::Es2020, "{out}");
  }

  #[test]
  fn wxs_stays_es5_without_dollars() {
    let out = wxs(
      "var num = require('./num.wxs');\nfunction money(value) {\n  return '¥' + num.fixed(value / 100, 2);\n}\nmodule.exports = { money: money };\n/* unterminated",
    );
    let s = es_level::detect(&out).unwrap();
    assert_eq!(s.level, es_level::EsLevel::Es5, "{out}");
    assert!(s.dollar_identifier.is_none(), "{out}");
    assert!(out.contains("require(\"./num.wxs\")"), "{out}");
  }

  #[test]
  fn wxs_above_es5_keeps_its_level() {
    // tdesign ships WXS with default parameters; it may keep them, and gain nothing newer.
    let out = wxs("module.exports = { size: function (size = 'medium') { return 'w:' + size; } };");
    assert_eq!(es_level::detect(&out).unwrap().level, es_level::EsLevel::Es2015, "{out}");
  }

  #[test]
  fn source_map_names_and_inlines_the_source() {
    let src = "var answer = 42;\nmodule.exports = function () { return answer; };";
    let (_, map) = minify_with_map(src, Dialect::Js, JsOptions::default(), Some("utils/a.js")).unwrap();
    let map: serde_json::Value = serde_json::from_slice(&map.unwrap()).unwrap();
    assert_eq!(map["version"], 3);
    assert_eq!(map["sources"], serde_json::json!(["utils/a.js"]));
    assert_eq!(map["sourcesContent"][0], src);
    assert!(!map["mappings"].as_str().unwrap().is_empty());
  }

  #[test]
  fn unparsable_input_falls_back() {
    assert!(minify("var = ;", Dialect::Js, JsOptions::default()).is_err());
  }
}
