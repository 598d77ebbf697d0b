use crate::{
  config::JsOptions,
  transform::js::{Dialect, Job, process},
};

/// `src` lowered to ES5, readable.
fn es5(src: &str) -> String {
  let job = Job { dialect: Dialect::Js, typescript: false, es5: true, minify: None, helpers: None };
  process(src, job, None).unwrap().unwrap().code
}

/// `src` lowered to ES5 and minified.
fn es5_min(src: &str) -> String {
  let job =
    Job { dialect: Dialect::Js, typescript: false, es5: true, minify: Some(JsOptions::default()), helpers: None };
  process(src, job, None).unwrap().unwrap().code
}

#[test]
fn a_rest_parameter_only_read_is_arguments() {
  let out = es5("module.exports = function (...args) { g(...args); return args.length + args[0]; };");
  assert!(!out.contains("_len") && !out.contains("_to_consumable_array"), "{out}");
  assert!(out.contains("g.apply(void 0, arguments)") && out.contains("arguments.length + arguments[0]"), "{out}");
  // Methods and arrows that read nothing of the enclosing function.
  let out = es5("module.exports = { f(...a) { return Math.max(...a); }, g: (...b) => h(...b) };");
  assert!(!out.contains("_len") && out.matches("arguments").count() == 2, "{out}");
}

#[test]
fn a_rest_parameter_used_otherwise_is_copied() {
  for src in [
    // Used as an array, written, called as a method's receiver, read by a nested function.
    "module.exports = function (...a) { return a.map(String); };",
    "module.exports = function (...a) { a[0] = 1; return a[0]; };",
    "module.exports = function (...a) { a.length++; return a.length; };",
    "module.exports = function (...a) { delete a[0]; return a[0]; };",
    "module.exports = function (...a) { [a[0]] = [1]; return a[0]; };",
    "module.exports = function (...a) { return a[0](); };",
    "module.exports = function (...a) { return function () { return a[0]; }; };",
    "module.exports = function (...a) { return () => a.length; };",
    "module.exports = function (...a) { return a[i]; };",
    "module.exports = function (...a) { return a[-1]; };",
    // Parameters before it, `arguments` or `eval` in the body.
    "module.exports = function (x, ...a) { return a.length; };",
    "module.exports = function (...a) { return arguments[1] + a.length; };",
    "module.exports = function (...a) { eval('a'); return a.length; };",
    // An arrow reading `this` keeps the enclosing function's, so it keeps its copy.
    "module.exports = function () { return (...a) => this.f(...a); };",
    "module.exports = async function (...a) { return a.length; };",
  ] {
    let out = es5(src);
    assert!(out.contains("_len = arguments.length"), "{src}\n{out}");
  }
  // A program declaring `arguments` keeps every copy.
  let out = es5("var arguments = 1; module.exports = function (...a) { return a.length; };");
  assert!(out.contains("_len = arguments.length"), "{out}");
}

#[test]
fn typeof_a_declared_name_is_the_helper_alone() {
  let out = es5("module.exports = function (v) { let t = typeof v; return [t, typeof undeclared]; };");
  assert!(out.contains("var t = _type_of(v);"), "{out}");
  // An undeclared name may not be read: its guard stays.
  assert!(out.contains("typeof undeclared === \"undefined\" ? \"undefined\" : _type_of(undeclared)"), "{out}");
  let min = es5_min("module.exports = function (v) { let t = typeof v; return t + typeof v.x; };");
  assert!(!min.contains("\"undefined\""), "{min}");
}

#[test]
fn typescript_fields_are_assigned_and_uninitialized_ones_only_declare() {
  let src = "class A { constructor() { this.init(); } init() {} }\nexport class B extends A { value: number; other = 1; init() { this.value = 5; } }";
  let job = Job { dialect: Dialect::Js, typescript: true, es5: true, minify: None, helpers: None };
  let out = process(src, job, None).unwrap().unwrap().code;
  assert!(
    out.contains("_this.other = 1") && !out.contains("\"value\", void 0") && !out.contains("_define_property("),
    "{out}"
  );
  // JavaScript's own class fields are defined, as the language says.
  let out = es5("export class B { value; other = 1; }");
  assert!(out.contains("_define_property(this, \"value\", void 0)"), "{out}");
}

#[test]
fn strict_code_says_so_once() {
  // A class lowered inside a module: the converted module is strict from its first line.
  let out = es5_min("export class A { f() { return 1; } }\nexport function g() { 'worklet'; return 2; }");
  assert_eq!(out.matches("use strict").count(), 1, "{out}");
  assert!(out.contains("worklet"), "{out}");
  // A sloppy script's class keeps its own.
  let out = es5_min("var A = class { f() { return this; } }; module.exports = A;");
  assert_eq!(out.matches("use strict").count(), 1, "{out}");
  // An escaped one is a string, not a directive: the file is not strict.
  let out = es5_min("'use\\x20strict';\nmodule.exports = class { f() { return this; } };");
  assert!(out.contains("\"use strict\"") && out.contains("use\\x20strict"), "{out}");
  // Not a directive when it does not come first.
  let out = es5_min("f();\n'use strict';\nmodule.exports = class { f() { return this; } };");
  assert_eq!(out.matches("use strict").count(), 2, "{out}");
}

#[test]
fn instanceof_stays_as_written() {
  let out = es5("export const is = (a) => a instanceof Error;");
  assert!(out.contains("a instanceof Error") && !out.contains("_instanceof(a"), "{out}");
  // With shared helpers, none is required for it.
  let job = Job {
    dialect: Dialect::Js,
    typescript: false,
    es5: true,
    minify: Some(JsOptions::default()),
    helpers: Some(crate::transform::js::Shared { prefix: "../h/", inline: &[] }),
  };
  let out = process("export const is = (a) => a instanceof Error;", job, None).unwrap().unwrap();
  assert!(out.helpers.is_empty() && !out.code.contains("require"), "{:?} {}", out.helpers, out.code);
}
