//! The planner's property, on generated apps shaped like the real ones that broke it: whole
//! component libraries in `miniprogram_npm` (vant, tdesign, weui, ... from fetch.sh) with most of
//! each unused, DevTools' "build npm" bundles (the real `__DEFINE__`/`__REQUIRE__` wrapper), an
//! npm package that loads its own modules by a computed `require`, random subsets of components
//! used from random packages (main, subpackages, an independent one), local components with
//! same-stem `.wxs` and templates, and main components whose images only subpackages reach.
//!
//! For every case: the planned build never fails (not even where `--no-plan` does: an independent
//! subpackage using main's files needs the planner's copies), it reports no internal error and
//! undoes no placement, and its output, built again as a project, resolves every reference that
//! resolved, keeps the package rules and the routes, and its moved modules load in node.
//!
//! `WXPACK_PLAN_CASES` (default 6) cases from `WXPACK_PLAN_SEED` (default 1); a failure prints
//! the seed of its case, and `WXPACK_PLAN_SEED=<seed> WXPACK_PLAN_CASES=1` replays it.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

mod common;
use wxpack_corpus as corpus_app;

use std::{fs, path::Path};

use serde_json::{Value, json};

/// splitmix64: small, seedable, good enough to pick subsets.
struct Rng(u64);

impl Rng {
  fn next(&mut self) -> u64 {
    self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = self.0;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
  }

  fn below(&mut self, n: usize) -> usize {
    usize::try_from(self.next() % n.max(1) as u64).unwrap()
  }

  fn chance(&mut self, percent: usize) -> bool {
    self.below(100) < percent
  }

  fn some<T: Clone>(&mut self, from: &[T], most: usize) -> Vec<T> {
    let k = self.below(most + 1);
    (0..k).map(|_| from[self.below(from.len())].clone()).collect()
  }
}

const PNG: &[u8] = &[
  0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
  0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49,
  0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D,
  0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

/// One module of a build-npm bundle: its id, its code, and the specifiers bundled beside it.
struct Module<'a> {
  id: u64,
  code: &'a str,
  map: &'a [(&'a str, u64)],
}

/// A file in the shape DevTools' "build npm" writes (the loader copied from its output).
fn build_npm(modules: &[Module], outside: &[&str]) -> String {
  let mut s = String::from(
    "module.exports = (function() {\nvar __MODS__ = {};\nvar __DEFINE__ = function(modId, func, req) { var m = { exports: {}, _tempexports: {} }; __MODS__[modId] = { status: 0, func: func, req: req, m: m }; };\nvar __REQUIRE__ = function(modId, source) { if(!__MODS__[modId]) return require(source); if(!__MODS__[modId].status) { var m = __MODS__[modId].m; m._exports = m._tempexports; var desp = Object.getOwnPropertyDescriptor(m, \"exports\"); if (desp && desp.configurable) Object.defineProperty(m, \"exports\", { set: function (val) { if(typeof val === \"object\" && val !== m._exports) { m._exports.__proto__ = val.__proto__; Object.keys(val).forEach(function (k) { m._exports[k] = val[k]; }); } m._tempexports = val }, get: function () { return m._tempexports; } }); __MODS__[modId].status = 1; __MODS__[modId].func(__MODS__[modId].req, m, m.exports); } return __MODS__[modId].m.exports; };\nvar __REQUIRE_WILDCARD__ = function(obj) { if(obj && obj.__esModule) { return obj; } else { var newObj = {}; if(obj != null) { for(var k in obj) { if (Object.prototype.hasOwnProperty.call(obj, k)) newObj[k] = obj[k]; } } newObj.default = obj; return newObj; } };\nvar __REQUIRE_DEFAULT__ = function(obj) { return obj && obj.__esModule ? obj.default : obj; };\n",
  );
  for m in modules {
    let map: Vec<String> = m.map.iter().map(|(k, v)| format!("{k:?}:{v}")).collect();
    s += &format!(
      "__DEFINE__({}, function(require, module, exports) {{\n{}\n}}, function(modId) {{var map = {{{}}}; return __REQUIRE__(map[modId], modId); }})\n",
      m.id,
      m.code,
      map.join(",")
    );
  }
  let outside: Vec<String> = outside.iter().map(|d| format!("{d:?}")).collect();
  s += &format!(
    "return __REQUIRE__({});\n}})()\n//miniprogram-npm-outsideDeps=[{}]\n//# sourceMappingURL=index.js.map\n",
    modules[0].id,
    outside.join(",")
  );
  s
}

fn write(root: &Path, path: &str, text: impl AsRef<[u8]>) {
  let p = root.join(path);
  fs::create_dir_all(p.parent().unwrap()).unwrap();
  fs::write(p, text).unwrap();
}

/// The generated npm packages: two build-npm bundles (one an outside dependency of the other)
/// and a package whose index loads its own plugins by a computed `require`.
fn npm_packages(root: &Path) {
  let bundle = build_npm(
    &[
      Module {
        id: 1_700_000_000_001,
        code: "var a = require('./lib/a.js'); var dep = require('gen-dep');\nmodule.exports = { name: 'gen-bundle', a: a, dep: dep.dep };",
        map: &[("./lib/a.js", 1_700_000_000_002)],
      },
      Module { id: 1_700_000_000_002, code: "module.exports = 'a';", map: &[] },
    ],
    &["gen-dep"],
  );
  write(root, "miniprogram_npm/gen-bundle/index.js", bundle);
  let dep = build_npm(&[Module { id: 1_700_000_000_010, code: "exports.dep = true;", map: &[] }], &[]);
  write(root, "miniprogram_npm/gen-dep/index.js", dep);
  write(
    root,
    "miniprogram_npm/gen-plugins/index.js",
    "function load(name) { return require(name); }\nmodule.exports = { load: load, names: ['./plugins/x', './plugins/y'] };\n",
  );
  write(root, "miniprogram_npm/gen-plugins/plugins/x.js", "module.exports = 'x';\n");
  write(root, "miniprogram_npm/gen-plugins/plugins/y.js", "module.exports = 'y';\n");
}

/// Local component `components/card-<k>/index`: a same-stem `index.wxs`, a template beside it,
/// an image, a util, and sometimes a library component of its own.
fn card(root: &Path, k: usize, rng: &mut Rng, library: &[String]) {
  let dir = format!("components/card-{k}");
  let mut using = serde_json::Map::new();
  let mut tags = String::new();
  if rng.chance(50) {
    using.insert("lib-x".into(), json!(library[rng.below(library.len())]));
    tags += "<lib-x></lib-x>";
  }
  write(root, &format!("{dir}/index.json"), json!({"component": true, "usingComponents": using}).to_string());
  write(
    root,
    &format!("{dir}/index.js"),
    format!("const u = require('../../utils/u-{}.js');\nComponent({{ data: {{ u: u }} }});\n", k % 3),
  );
  write(root, &format!("{dir}/index.wxs"), format!("module.exports = {{ k: function () {{ return {k}; }} }};\n"));
  write(root, &format!("{dir}/tpl.wxml"), format!("<template name=\"t{k}\"><text>{{{{m.k()}}}}</text></template>\n"));
  write(
    root,
    &format!("{dir}/index.wxml"),
    format!(
      "<wxs src=\"./index.wxs\" module=\"m\" />\n<import src=\"./tpl.wxml\" />\n<template is=\"t{k}\" />\n<image src=\"/assets/card-{k}.png\" />\n{tags}\n"
    ),
  );
  write(
    root,
    &format!("{dir}/index.wxss"),
    format!(".c{k} {{ background: url('/assets/bg-{k}.png'); color: red; }}\n"),
  );
  write(root, &format!("assets/card-{k}.png"), PNG);
  write(root, &format!("assets/bg-{k}.png"), PNG);
}

/// A page using a random subset of library and local components, modules and images.
/// An independent page does not use `gen-plugins`: its computed require keeps it from being
/// copied, so that is a package-rule warning, with or without the planner.
fn page(root: &Path, path: &str, rng: &mut Rng, library: &[String], cards: usize, independent: bool) {
  let mut comps: Vec<String> = rng.some(library, 5);
  for k in rng.some(&(0..cards).collect::<Vec<_>>(), 2) {
    comps.push(format!("/components/card-{k}/index"));
  }
  comps.sort();
  comps.dedup();
  let using: serde_json::Map<String, Value> =
    comps.iter().enumerate().map(|(i, c)| (format!("x-{i}"), json!(c))).collect();
  write(root, &format!("{path}.json"), json!({ "usingComponents": using }).to_string());
  let mut wxml: String = (0..comps.len()).map(|i| format!("<x-{i}></x-{i}>\n")).collect();
  // An image a main card also shows: only this page's package may reach it otherwise.
  if cards > 0 && rng.chance(40) {
    wxml += &format!("<image src=\"/assets/card-{}.png\" />\n", rng.below(cards));
  }
  write(root, &format!("{path}.wxml"), wxml);
  let all = ["gen-bundle", "gen-plugins", "../../utils/u-0.js", "../../utils/u-1.js", "../../utils/u-2.js"];
  let modules: Vec<&str> = all.into_iter().filter(|m| !(independent && *m == "gen-plugins")).collect();
  let mut js = String::new();
  for (i, m) in rng.some(&modules, 3).iter().enumerate() {
    let spec = if m.starts_with("../") {
      format!("{}{m}", "../".repeat(path.matches('/').count() - 2))
    } else {
      (*m).to_string()
    };
    js += &format!("const m{i} = require('{spec}');\n");
  }
  js += "Page({});\n";
  write(root, &format!("{path}.js"), js);
}

/// Writes case `seed` into `root`; returns a one-line description.
fn generate(seed: u64, corpus: &Path, root: &Path) -> String {
  let mut rng = Rng(seed);
  corpus_app::copy_dir(&corpus.join("miniprogram_npm"), &root.join("miniprogram_npm"));
  for dep in ["rfdc", "fast-deep-equal"] {
    write(root, &format!("miniprogram_npm/{dep}/index.js"), "module.exports = function () {};\n");
  }
  npm_packages(root);
  let npm = root.join("miniprogram_npm");
  let library: Vec<String> = ["@vant/weapp", "tdesign-miniprogram", "weui-miniprogram"]
    .iter()
    .flat_map(|lib| corpus_app::components(&npm, lib))
    .collect();
  for k in 0..3 {
    write(root, &format!("utils/u-{k}.js"), format!("module.exports = {{ u: {k} }};\n"));
  }
  let cards = 1 + rng.below(4);
  for k in 0..cards {
    card(root, k, &mut rng, &library);
  }
  let mut pages = Vec::new();
  for i in 0..1 + rng.below(2) {
    let p = format!("pages/p{i}/index");
    page(root, &p, &mut rng, &library, cards, false);
    pages.push(p);
  }
  let mut subpackages = Vec::new();
  let normal = 1 + rng.below(3);
  let independent = rng.chance(40);
  for s in 0..normal + usize::from(independent) {
    let is_independent = s == normal;
    let root_name = if is_independent { "pkg-i".to_string() } else { format!("pkg-{s}") };
    let mut sub_pages = Vec::new();
    for i in 0..1 + rng.below(2) {
      let p = format!("pages/s{i}/index");
      page(root, &format!("{root_name}/{p}"), &mut rng, &library, cards, is_independent);
      sub_pages.push(p);
    }
    subpackages.push(json!({"root": root_name, "pages": sub_pages, "independent": is_independent}));
  }
  write(root, "project.config.json", r#"{"appid":"touristappid","compileType":"miniprogram"}"#);
  write(root, "app.json", serde_json::to_string_pretty(&json!({"pages": pages, "subpackages": subpackages})).unwrap());
  write(root, "app.js", "App({});\n");
  // Main is small once the libraries are pruned, so `auto` rarely copies: `copy` makes the solver
  // copy every shared file.
  let shared = ["auto", "copy", "main"][rng.below(3)];
  write(root, "wxpack.toml", format!("[plan]\nshared = \"{shared}\"\n"));
  format!(
    "seed {seed}: {cards} cards, {} main pages, {normal} subpackages, independent {independent}, shared = {shared}",
    pages.len()
  )
}

#[test]
fn the_plan_holds_on_generated_apps() {
  let cases: u64 = std::env::var("WXPACK_PLAN_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(6);
  let first: u64 = std::env::var("WXPACK_PLAN_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
  let Some(corpus) = corpus_app::fetch_or_skip("the_plan_holds_on_generated_apps") else { return };
  for seed in first..first + cases {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("app");
    let shape = generate(seed, &corpus, &root);
    eprintln!("{shape}");
    let checked = std::panic::catch_unwind(|| common::check::check_output(&root, &[]));
    let Ok(checked) = checked else {
      // Only a failing case pays for the --no-plan build that tells whether the source is valid.
      let out = tmp.path().join("np");
      let no_plan =
        common::wxpack(&["build", root.to_str().unwrap(), "-o", out.to_str().unwrap(), "--no-plan", "--quiet"]);
      panic!("{shape}: the planned build or its output check failed (--no-plan exit {:?})", no_plan.status.code())
    };
    let bad: Vec<&Value> = checked.report["diagnostics"]
      .as_array()
      .unwrap()
      .iter()
      .filter(|d| d["code"] == "internal" || d["code"] == "plan-kept")
      .collect();
    assert!(bad.is_empty(), "{shape}: {}", serde_json::to_string_pretty(&bad).unwrap());
    // What the libraries bring but nothing uses is pruned: most of vant and tdesign.
    let pruned = checked.report["placement"]["pruned"]["files"].as_u64().unwrap();
    assert!(pruned > 500, "{shape}: only {pruned} files pruned");
    // The bundle and what it needs ship; the plugins the computed require may load stay.
    let shipped: Vec<&str> =
      checked.report["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    let sources: Vec<&str> = checked.report["files"]
      .as_array()
      .unwrap()
      .iter()
      .map(|f| f["source"].as_str().or(f["path"].as_str()).unwrap())
      .collect();
    if sources.contains(&"miniprogram_npm/gen-plugins/index.js") {
      for p in ["miniprogram_npm/gen-plugins/plugins/x.js", "miniprogram_npm/gen-plugins/plugins/y.js"] {
        assert!(shipped.contains(&p), "{shape}: {p} must stay where the computed require finds it");
      }
    }
    if sources.contains(&"miniprogram_npm/gen-bundle/index.js") {
      assert!(
        sources.contains(&"miniprogram_npm/gen-dep/index.js"),
        "{shape}: gen-bundle's outside dependency was lost"
      );
    }
    // A module bundled in the same file is no file reference.
    let text = checked.report["diagnostics"].to_string();
    assert!(!text.contains("lib/a.js"), "{shape}: {text}");
  }
}
