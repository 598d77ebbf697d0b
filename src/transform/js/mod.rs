//! JS and WXS: read with oxc, compiled and minified by swc in one pass.
//!
//! One file at a time inside swc's `GLOBALS` (the pass itself is in `swc.rs`): parse (TypeScript
//! or ES syntax), resolver, type stripping, ES5 lowering when asked (preset-env with DevTools'
//! targets), ES modules to CommonJS (Babel's interop, in ES5 forms), helpers (shared modules or
//! inline, see `transform/helpers`), `optimize` (compress and mangle, top-level
//! names included, because every mini program file runs inside its own module function, as
//! DevTools' own terser run assumes) with `ecma = ES5` so the compressor never introduces newer
//! syntax, then codegen. oxc's [`es_level::detect`] checks the input and the output: a result whose
//! syntax level is above the input's (or above ES5 for WXS and for ES5 output), that repeats an
//! object key, that puts `$` in a WXS identifier, or that loses a `'worklet'` directive is not
//! shipped; the caller keeps the original (for TypeScript, which cannot ship, it stops) and reports
//! why.

pub use crate::config::JsOptions;
mod babel_forms;
mod exports;
pub(in crate::transform) mod helper_imports;
mod swc;

use swc::{Passes, Run};

use super::{Cause, Fallback, es_level};
pub use helper_imports::Shared;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
  Js,
  /// WXS: ES5 only, no `$` in identifiers, an unterminated `/*` comments out the rest.
  Wxs,
}

/// What one file needs from the swc pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Job<'a> {
  pub dialect: Dialect,
  /// The source is TypeScript: strip its types.
  pub typescript: bool,
  /// Lower the syntax to ES5 (DevTools' "compile JS to ES5").
  pub es5: bool,
  /// Minify with these options; `None` prints readable code.
  pub minify: Option<JsOptions>,
  /// The helpers compiling adds are required from shared modules (except those it lists);
  /// `None` inlines them all.
  pub helpers: Option<Shared<'a>>,
}

impl Job<'_> {
  pub fn minify(dialect: Dialect, options: JsOptions) -> Self {
    Self { dialect, typescript: false, es5: false, minify: Some(options), helpers: None }
  }
}

/// What the pass made of a file.
#[derive(Debug)]
pub struct JsOutput {
  pub code: String,
  /// A source map (JSON, version 3, the source inlined), when asked for.
  pub map: Option<Vec<u8>>,
  /// It was compiled (types stripped, ES module converted, syntax lowered): it must ship even
  /// when larger than its source, which the platform cannot run as it is.
  pub compiled: bool,
  /// What it could not do (a regular expression above the target level).
  pub note: Option<Fallback>,
  /// The shared helper modules it requires (see [`helper_module`]), by name (`_create_class`).
  pub helpers: Vec<&'static str>,
}

/// Minifies `src`. `Err` says why the original must ship instead.
pub fn minify(src: &str, dialect: Dialect, options: JsOptions) -> Result<String, Fallback> {
  Ok(process(src, Job::minify(dialect, options), None)?.map_or_else(|| src.to_string(), |o| o.code))
}

/// Compiles and minifies `src` as `job` says; a source map names the source `source_name`, when
/// one is given. `Ok(None)`: nothing to do. `Err`: why the original must ship instead (for
/// TypeScript, why it cannot ship).
pub fn process(src: &str, job: Job, source_name: Option<&str>) -> Result<Option<JsOutput>, Fallback> {
  let detect = |s: &str| if job.typescript { es_level::detect_ts(s) } else { es_level::detect(s) };
  let closed;
  let (src, input) = match detect(src) {
    Some(input) => (src, input),
    // WXS's unterminated trailing comment: close it so the parsers accept the file.
    None if job.dialect == Dialect::Wxs => {
      closed = format!("{src}*/");
      let input = detect(&closed).ok_or_else(|| Fallback::new(Cause::Unparsable, "does not parse"))?;
      (closed.as_str(), input)
    }
    None => return Err(Fallback::new(Cause::Unparsable, "does not parse")),
  };
  let script = job.dialect == Dialect::Js;
  let es5 = script && job.es5 && input.level > es_level::EsLevel::Es5;
  let passes = Passes {
    typescript: job.typescript,
    es5,
    modules: script && input.module,
    // swc's type stripping leaves class fields for later passes (`constructor(private x)`
    // becomes a field): lower whatever is above the source's own level.
    lower_to: (job.typescript && !es5).then(|| swc::version(input.level)),
    // ES5 output prints strings with ES5 escapes (no `\u{...}`), at the cost of escaping
    // non-ASCII text.
    ascii: script && job.es5,
    es5_out: !script || job.es5 || input.level <= es_level::EsLevel::Es5,
  };
  if (passes.es5 || passes.lower_to.is_some()) && input.loops.binding_assigned_in_closure {
    return Err(Fallback::new(
      Cause::ChangesMeaning,
      "a closure assigns a `for (let ...)` loop's own variable, which swc's ES5 lowering gets wrong; DevTools compiles it",
    ));
  }
  let compiled = passes.typescript || passes.es5 || passes.modules;
  let Some(options) = job.minify.or_else(|| compiled.then(JsOptions::default)) else { return Ok(None) };
  let minify = job.minify.is_some();
  // ES5 in, ES5 out; with "compile to ES5", ES5 out whatever came in.
  let ceiling = if script && job.es5 { es_level::EsLevel::Es5 } else { input.level };
  // A file that already requires swc's helper package (compiled by swc elsewhere) keeps its
  // helpers inline, so every `@swc/helpers` require in the output is one wxpack wrote.
  let helpers = job.helpers.filter(|_| script && !src.contains(helper_imports::PACKAGE));
  let run = |options: JsOptions, compress: bool| {
    swc::run(
      src,
      Run { passes, helpers, minify: minify.then_some(options), compress, loops: input.loops, map: source_name },
    )
  };
  let out = run(options, true)?;
  let out = match check(&input, ceiling, &out.code, job.dialect) {
    // The mangler's alphabet includes `$`, which WXS forbids: keep the names.
    Err(Rejected::DollarInWxs(_)) if options.mangle => {
      let out = run(JsOptions { mangle: false, ..options }, true)?;
      check(&input, ceiling, &out.code, job.dialect).map(|()| out)
    }
    // swc's compressor folds a function's 'worklet' prologue away when it merges statements;
    // Skyline needs it, so such files are only mangled and printed compactly.
    Err(Rejected::LostWorklet(_)) => {
      let out = run(options, false)?;
      check(&input, ceiling, &out.code, job.dialect).map(|()| out)
    }
    r => r.map(|()| out),
  }
  .map_err(Fallback::from)?;
  let note = (input.regex_level > ceiling).then(|| {
    Fallback::new(
      Cause::RaisesSyntax,
      format!(
        "keeps regular expressions with flags that need {} (swc cannot lower them); engines below it reject this file",
        input.regex_level.as_str()
      ),
    )
  });
  Ok(Some(JsOutput { code: out.code, map: out.map, compiled, note, helpers: out.helpers }))
}

/// The shared module of the helper `name` (`_create_class`): its source with the helpers it uses
/// (each module stands alone, so a package ships only the modules its files require), exporting
/// it as `_`, as `@swc/helpers` does. ES5, minified when `minify` is given. `None`: no such helper.
pub fn helper_module(name: &str, minify: Option<JsOptions>) -> Option<String> {
  helper_imports::def(name)?;
  let mut src = helper_imports::source(&[name]);
  src.push_str(&format!("exports._ = {name};\n"));
  let job = Job { dialect: Dialect::Js, typescript: false, es5: true, minify, helpers: None };
  match process(&src, job, None) {
    Ok(Some(out)) if out.helpers.is_empty() => Some(out.code),
    Ok(None) => Some(src),
    _ => None,
  }
}

/// `out` may use nothing above `ceiling` (some published WXS is not ES5, e.g. tdesign's default
/// parameters: it keeps what it has and gains nothing newer), repeat no object key, give no WXS
/// identifier a `$`, and drop no `'worklet'` directive.
/// Why an output fails [`check`]: the two the caller retries differently, and the rest.
#[derive(Debug)]
enum Rejected {
  /// The mangler put `$` into a WXS identifier (WXS forbids it).
  DollarInWxs(Fallback),
  /// The compressor folded a `'worklet'` directive away.
  LostWorklet(Fallback),
  Other(Fallback),
}

impl From<Rejected> for Fallback {
  fn from(r: Rejected) -> Self {
    match r {
      Rejected::DollarInWxs(f) | Rejected::LostWorklet(f) | Rejected::Other(f) => f,
    }
  }
}

fn check(input: &es_level::Syntax, ceiling: es_level::EsLevel, out: &str, dialect: Dialect) -> Result<(), Rejected> {
  let other = |f: Fallback| Rejected::Other(f);
  let output = es_level::detect(out)
    .ok_or_else(|| other(Fallback::new(Cause::ToolFault, "swc's output does not re-parse (a minifier bug)")))?;
  // A regular expression swc cannot lower (`/\p{L}/u`) is tolerated when the source has it:
  // everything else is lowered, and the file says so (see `process`).
  let regex_kept = output.code_level <= ceiling && output.regex_level <= input.regex_level;
  if output.level > ceiling && !regex_kept {
    return Err(other(Fallback::new(
      Cause::RaisesSyntax,
      format!("the output would use {} ({}), above {}", output.level.as_str(), output.feature, ceiling.as_str()),
    )));
  }
  if let (Some(key), None) = (&output.duplicate_key, &input.duplicate_key) {
    return Err(other(Fallback::new(
      Cause::RaisesSyntax,
      format!("minifying would repeat the object key {key:?}, a syntax error in strict ES5"),
    )));
  }
  if dialect == Dialect::Wxs
    && let (Some(id), None) = (&output.dollar_identifier, &input.dollar_identifier)
  {
    return Err(Rejected::DollarInWxs(Fallback::new(
      Cause::ChangesMeaning,
      format!("minifying would put $ in the WXS identifier {id:?}"),
    )));
  }
  // Counted as directives, not as text: a comment or a string that says 'worklet' is none.
  if output.worklets < input.worklets {
    return Err(Rejected::LostWorklet(Fallback::new(
      Cause::ChangesMeaning,
      "minifying would drop a 'worklet' directive",
    )));
  }
  Ok(())
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
  fn do_while_keeps_its_semicolon_in_es5() {
    for dialect in [Dialect::Js, Dialect::Wxs] {
      let src = "function f(o, r) { do { o.push(r); r++; } while (r < 3); return o; }\nmodule.exports = f;";
      let out = minify(src, dialect, JsOptions::default()).unwrap();
      assert!(out.contains("while(") && es_level::detect(&out).unwrap().level == es_level::EsLevel::Es5, "{out}");
    }
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
  fn each_fallback_names_its_cause() {
    assert_eq!(minify("var = ;", Dialect::Js, JsOptions::default()).unwrap_err().cause, Cause::Unparsable);
    let es5 = es_level::detect("var a = 1;").unwrap();
    let raised = check(&es5, es_level::EsLevel::Es5, "let a = 1;", Dialect::Js).unwrap_err();
    assert_eq!(Fallback::from(raised).cause, Cause::RaisesSyntax);
    let dollar = check(&es5, es_level::EsLevel::Es5, "var $a = 1;", Dialect::Wxs).unwrap_err();
    assert_eq!(Fallback::from(dollar).cause, Cause::ChangesMeaning);
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
    let out = process(src, Job::minify(Dialect::Js, JsOptions::default()), Some("utils/a.js")).unwrap().unwrap();
    let map: serde_json::Value = serde_json::from_slice(&out.map.unwrap()).unwrap();
    assert_eq!(map["version"], 3);
    assert_eq!(map["sources"], serde_json::json!(["utils/a.js"]));
    assert_eq!(map["sourcesContent"][0], src);
    assert!(!map["mappings"].as_str().unwrap().is_empty());
  }

  pub(super) fn es5_job<'a>(prefix: Option<&'a str>, inline: &'a [&'static str]) -> Job<'a> {
    let helpers = prefix.map(|prefix| Shared { prefix, inline });
    Job { dialect: Dialect::Js, typescript: false, es5: true, minify: Some(JsOptions::default()), helpers }
  }

  #[test]
  fn shared_helpers_are_required_not_inlined() {
    let src = "import dep from './dep';\nexport class Cart { constructor() { this.items = [...dep.items]; } }";
    let shared = process(src, es5_job(Some("../__wxpack__/helpers/"), &[]), None).unwrap().unwrap();
    assert_eq!(shared.helpers, ["_class_call_check", "_interop_require_default", "_to_consumable_array"]);
    for h in &shared.helpers {
      assert!(shared.code.contains(&format!("require(\"../__wxpack__/helpers/{h}.js\")")), "{}", shared.code);
    }
    assert!(!shared.code.contains("@swc/helpers") && !shared.code.contains("import"), "{}", shared.code);
    let inline = process(src, es5_job(None, &[]), None).unwrap().unwrap();
    assert!(inline.helpers.is_empty() && !inline.code.contains("__wxpack__"), "{}", inline.code);
    assert!(inline.code.len() > shared.code.len() + 300, "{} vs {}", inline.code.len(), shared.code.len());
  }

  #[test]
  fn scripts_require_shared_helpers_too() {
    let src = "var Box = class { get v() { return 1; } }; module.exports = Box;";
    let out = process(src, es5_job(Some("./h/"), &[]), None).unwrap().unwrap();
    assert_eq!(out.helpers, ["_class_call_check", "_create_class"], "{}", out.code);
    assert_eq!(es_level::detect(&out.code).unwrap().level, es_level::EsLevel::Es5, "{}", out.code);
  }

  #[test]
  fn helpers_no_other_file_shares_are_inlined_among_required_ones() {
    let src = "export class Cart { constructor(items) { this.items = [...items]; } }";
    let out = process(src, es5_job(Some("./h/"), &["_to_consumable_array"]), None).unwrap().unwrap();
    assert_eq!(out.helpers, ["_class_call_check"], "{}", out.code);
    assert!(out.code.contains("require(\"./h/_class_call_check.js\")"), "{}", out.code);
    assert!(!out.code.contains("_to_consumable_array") && out.code.contains("Array.isArray"), "{}", out.code);
    assert_eq!(es_level::detect(&out.code).unwrap().level, es_level::EsLevel::Es5, "{}", out.code);
  }

  #[test]
  fn code_that_requires_swc_helpers_keeps_its_helpers_inline() {
    let src = "var x = require('@swc/helpers/_/_class_call_check'); module.exports = class { m() { return x; } };";
    let out = process(src, es5_job(Some("./h/"), &[]), None).unwrap().unwrap();
    assert!(out.helpers.is_empty(), "{}", out.code);
    assert!(out.code.contains("@swc/helpers/_/_class_call_check"), "{}", out.code);
  }

  #[test]
  fn every_helper_module_is_es5_and_exports_it() {
    for def in swc_core::ecma::transforms::base::helpers::generated::ALL {
      let code =
        helper_module(def.local, Some(JsOptions::default())).unwrap_or_else(|| panic!("{} has no module", def.local));
      let s = es_level::detect(&code).unwrap_or_else(|| panic!("{} does not parse: {code}", def.local));
      assert_eq!(s.level, es_level::EsLevel::Es5, "{}: {} in {code}", def.local, s.feature);
      assert!(code.contains("exports._="), "{}: {code}", def.local);
      assert!(!code.contains("require("), "{}: {code}", def.local);
    }
  }

  #[test]
  fn unparsable_input_falls_back() {
    assert!(minify("var = ;", Dialect::Js, JsOptions::default()).is_err());
  }
}
