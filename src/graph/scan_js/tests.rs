use super::*;

fn specs(src: &str) -> Vec<(String, DepKind, bool)> {
  let s = scan_js(&Source::new("a.js", src), false);
  assert!(s.error.is_none(), "{:?}", s.error);
  s.refs.into_iter().map(|r| (r.spec, r.kind, r.lazy)).collect()
}

#[test]
fn finds_requires_and_imports() {
  let got = specs(
    "import a from './a'; export * from '../b'; export { c } from 'c'; const d = require(\"./d.js\"); require(`e`);",
  );
  let want = [
    ("./a", DepKind::Import),
    ("../b", DepKind::Import),
    ("c", DepKind::Import),
    ("./d.js", DepKind::Require),
    ("e", DepKind::Require),
  ];
  assert_eq!(got, want.map(|(s, k)| (s.to_string(), k, false)));
}

#[test]
fn async_forms_are_lazy() {
  let got = specs("require.async('../sub/x').then(f); require('../sub/y', function(m){}); import('./z');");
  assert!(got.iter().all(|(_, _, lazy)| *lazy), "{got:?}");
  assert_eq!(got.len(), 3);
}

#[test]
fn dynamic_require_is_reported_not_guessed() {
  let s = scan_js(&Source::new("a.js", "var n = 'x'; require('./' + n); require(n);"), false);
  assert!(s.refs.is_empty());
  assert_eq!(s.dynamic.len(), 2);
}

#[test]
fn dynamic_require_keeps_its_static_prefix() {
  let s = scan_js(
    &Source::new(
      "a.js",
      "require('./locales/' + lang + '.js'); require(`../i18n/${l}`); require(('./a/' + 'b/') + x); import(p + '/x'); require.async('./s/' + n);",
    ),
    false,
  );
  let prefixes: Vec<Option<&str>> = s.dynamic.iter().map(|d| d.prefix.as_deref()).collect();
  assert_eq!(prefixes, [Some("./locales/"), Some("../i18n/"), Some("./a/b/"), None, Some("./s/")]);
}

#[test]
fn navigations_with_static_pages() {
  let s = scan_js(
    &Source::new(
      "a.js",
      "wx.navigateTo({ url: '/pkgA/pages/d/d?id=' + id }); wx.switchTab({ url: '/pages/home/home' });\n\
     this.pageRouter.redirectTo({ url: `../list/list?from=${x}` }); wx.reLaunch({ url: '/pkgB/pages/' + name });\n\
     wx.navigateTo(opts); wx.navigateToMiniProgram({ appId: 'x', path: '/a' }); other.navigateTo({ url: '/no' });",
    ),
    false,
  );
  let urls: Vec<&str> = s.navigations.iter().map(|n| n.url.as_str()).collect();
  assert_eq!(urls, ["/pkgA/pages/d/d", "/pages/home/home", "../list/list"]);
  let dynamic: Vec<Option<&str>> =
    s.dynamic.iter().filter(|d| d.kind == DynamicKind::Navigate).map(|d| d.prefix.as_deref()).collect();
  assert_eq!(dynamic, [Some("/pkgB/pages/"), None]);
}

#[test]
fn spans_point_inside_quotes() {
  let src = "const x = require('./util');";
  let r = &scan_js(&Source::new("a.js", src), false).refs[0];
  assert_eq!(&src[r.span.start as usize..r.span.end as usize], "./util");
}

#[test]
fn mixed_esm_and_commonjs_and_legacy_scripts_parse() {
  assert_eq!(specs("import a from './a'; module.exports = a;").len(), 1);
  assert_eq!(specs("with (obj) { require('./w'); } var o = 010;").len(), 1);
}

#[test]
fn syntax_error_is_located() {
  let s = scan_js(&Source::new("pages/a.js", "var a = ;\n"), false);
  let err = s.error.unwrap();
  assert_eq!(err.code, Code::Syntax);
  assert_eq!(err.location.unwrap().line, 1);
}

#[test]
fn wxs_unterminated_comment() {
  let s = scan_wxs(&Source::new("a.wxs", "var m = require('./b.wxs');\n/* trailing"));
  assert!(s.error.is_none());
  assert_eq!(s.refs[0].spec, "./b.wxs");
  assert_eq!(s.refs[0].kind, DepKind::WxsRequire);
}

#[test]
fn type_only_imports_are_not_references() {
  let s =
    scan_js(&Source::new("a.ts", "import type { A } from './types'; import { b } from './b'; let x: A = b;"), true);
  assert_eq!(s.refs.iter().map(|r| r.spec.as_str()).collect::<Vec<_>>(), ["./b"]);
}

/// DevTools' "build npm" output, as it writes it (two bundled modules and one outside dep).
const BUILD_NPM: &str = r#"module.exports = (function() {
var __MODS__ = {};
var __DEFINE__ = function(modId, func, req) { var m = { exports: {}, _tempexports: {} }; __MODS__[modId] = { status: 0, func: func, req: req, m: m }; };
var __REQUIRE__ = function(modId, source) { if(!__MODS__[modId]) return require(source); if(!__MODS__[modId].status) { var m = __MODS__[modId].m; __MODS__[modId].status = 1; __MODS__[modId].func(__MODS__[modId].req, m, m.exports); } return __MODS__[modId].m.exports; };
__DEFINE__(1700000000001, function(require, module, exports) {
var a = require('./lib/a.js'); var d = require('dayjs');
}, function(modId) {var map = {"./lib/a.js":1700000000002}; return __REQUIRE__(map[modId], modId); })
__DEFINE__(1700000000002, function(require, module, exports) {
module.exports = require('./util');
}, function(modId) { var map = {}; return __REQUIRE__(map[modId], modId); })
return __REQUIRE__(1700000000001);
})()
//miniprogram-npm-outsideDeps=["dayjs"]
"#;

#[test]
fn build_npm_loader_is_static() {
  let s = scan_js(&Source::new("miniprogram_npm/x/index.js", BUILD_NPM), false);
  assert!(s.dynamic.is_empty(), "{:?}", s.dynamic);
  // The bundled module is no reference; what it does not bundle is.
  assert_eq!(s.refs.iter().map(|r| r.spec.as_str()).collect::<Vec<_>>(), ["dayjs", "./util"]);
}

#[test]
fn a_require_of_a_parameter_elsewhere_stays_computed() {
  let s = scan_js(&Source::new("a.js", "var load = function(id, source) { return require(source); };"), false);
  assert_eq!(s.dynamic.len(), 1);
  let s = scan_js(
    &Source::new("a.js", BUILD_NPM.replace("return __REQUIRE__(1700000000001);", "require(name);").as_str()),
    false,
  );
  assert_eq!(s.dynamic.len(), 1);
}

#[test]
fn watched_apis_are_found_on_wx_only() {
  let src = "wx.getLocation({}); const f = wx['chooseAddress']; wx.request({}); my.getLocation(); \
             wx.getLocationX(); x.wx.chooseLocation();";
  let s = scan_js(&Source::new("a.js", src), false);
  let got: Vec<(&str, &str)> =
    s.apis.iter().map(|a| (a.name.as_str(), &src[a.span.start as usize..a.span.end as usize])).collect();
  assert_eq!(got, [("getLocation", "getLocation"), ("chooseAddress", "chooseAddress")]);
}

#[test]
fn require_plugin_calls_name_their_plugin() {
  let src = "// requirePlugin('comment')\nconst a = requirePlugin('chat'); requirePlugin(name); x.requirePlugin('no');";
  let s = scan_js(&Source::new("a.js", src), false);
  let got: Vec<&str> = s.plugins.iter().map(|p| p.name.as_str()).collect();
  assert_eq!(got, ["chat"]);
}
