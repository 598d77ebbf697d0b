use super::*;

#[track_caller]
fn level(src: &str) -> EsLevel {
  detect(src).unwrap().level
}

#[test]
fn code_point_escapes_only_when_the_backslash_is_not_escaped() {
  assert_eq!(detect(r#"var a = "\u{1F600}";"#).unwrap().feature, "code point escape");
  assert_eq!(detect(r#"var a = "\\u{1F600}";"#).unwrap().level, EsLevel::Es5);
  assert_eq!(detect(r#"var a = "\\\u{1F600}";"#).unwrap().level, EsLevel::Es2015);
}

#[test]
fn every_export_form_marks_a_module() {
  for src in [
    "export const a = 1;",
    "var a; export { a };",
    "export { a } from './a';",
    "export * from './a';",
    "export default 1;",
    "import './a';",
  ] {
    assert!(detect(src).unwrap().module, "{src}");
  }
  assert!(!detect("var a = require('./a'); module.exports = a;").unwrap().module);
}

#[test]
fn es5_stays_es5() {
  assert_eq!(
    level("var a = {b: 1, 'c': 2, default: 3}; function f(x) { return a.default + x; } /a/gi.test(f(1));"),
    EsLevel::Es5
  );
  assert_eq!(level("with (o) { x = 010; }"), EsLevel::Es5);
  assert_eq!(level("function f(){do x();while(y);return 1}"), EsLevel::Es5);
  assert_eq!(level("function f(){do x();while(y)\n;return 1}"), EsLevel::Es5);
  assert_eq!(level("function f(){do x();while(y)}"), EsLevel::Es5);
  assert_eq!(level("function f(){do x();while(y)\nreturn 1}"), EsLevel::Es5);
}

#[test]
fn a_do_while_that_needs_es2015_asi_is_not_es5() {
  let found = detect("function f(){do x();while(y)return 1}").unwrap();
  assert_eq!((found.level, found.feature), (EsLevel::Es2015, "a do-while without its ;"));
}

#[test]
fn finds_each_feature() {
  for (src, want) in [
    ("`a`", EsLevel::Es2015),
    ("var o = {x};", EsLevel::Es2015),
    ("var o = {m() {}};", EsLevel::Es2015),
    ("var f = () => 1;", EsLevel::Es2015),
    ("let a = 1;", EsLevel::Es2015),
    ("class A {}", EsLevel::Es2015),
    ("var [a] = b;", EsLevel::Es2015),
    ("f(...a);", EsLevel::Es2015),
    ("function f(a = 1) {}", EsLevel::Es2015),
    ("for (var x of y) {}", EsLevel::Es2015),
    ("var o = {[k]: 1};", EsLevel::Es2015),
    ("a ** 2;", EsLevel::Es2016),
    ("async function f() { await x; }", EsLevel::Es2017),
    ("var o = {...a};", EsLevel::Es2018),
    ("try {} catch {}", EsLevel::Es2019),
    ("a?.b;", EsLevel::Es2020),
    ("a ?? b;", EsLevel::Es2020),
    ("a ||= b;", EsLevel::Es2021),
    ("1_000;", EsLevel::Es2021),
    ("class A { x = 1 }", EsLevel::Es2022),
    ("import a from 'a';", EsLevel::Es2015),
  ] {
    assert_eq!(level(src), want, "{src}: {:?}", detect(src));
  }
}

#[test]
fn duplicate_keys_and_dollars() {
  let s = detect("var o = {onReady: 1, 'onReady': 2};").unwrap();
  assert_eq!(s.duplicate_key.as_deref(), Some("onReady"));
  assert!(detect("var o = {get a() {}, set a(v) {}};").unwrap().duplicate_key.is_none());
  assert_eq!(detect("var $a = 1;").unwrap().dollar_identifier.as_deref(), Some("$a"));
}
