//! Generates a large mini program for the planner benchmarks: 2,000 pages and 20,000 files.
//!
//! 400 main pages and 20 subpackages of 80 pages (two independent); 1,500 components, 3,000 JS
//! utils that require each other, 200 WXS modules, 300 templates and 2,500 images outside every
//! root. Pages use mostly the components, utils and images of "their" area, so many files belong
//! to one subpackage (moves), some to several (the budget solver), some to main; each page also
//! navigates to a few others. A fixed xorshift seed makes it the same on every run.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::{fmt::Write as _, fs, path::Path};

use serde_json::json;

pub const PAGES: usize = 2_000;
const MAIN_PAGES: usize = 400;
const SUBPACKAGES: usize = 20;
const COMPONENTS: usize = 1_500;
const UTILS: usize = 3_000;
const WXS: usize = 200;
const TEMPLATES: usize = 300;
const IMAGES: usize = 2_500;

/// The 67-byte 1x1 transparent PNG: every image is this file, under a different name, with its
/// number after the end (which decoders ignore): no two are byte-identical, so the planner
/// places each one rather than folding them into one (src/plan/identical.rs).
const PNG: &[u8] = &[
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
  0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0a, 0x49,
  0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00,
  0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

struct Rng(u64);

impl Rng {
  fn next(&mut self) -> usize {
    self.0 ^= self.0 << 13;
    self.0 ^= self.0 >> 7;
    self.0 ^= self.0 << 17;
    usize::try_from(self.0 % (u64::from(u32::MAX))).unwrap()
  }

  fn below(&mut self, n: usize) -> usize {
    self.next() % n
  }
}

/// Which area (0 = main, 1..=20 = subpackage) a shared resource `i` of `n` mostly serves.
fn area_of(i: usize, n: usize) -> usize {
  i * (SUBPACKAGES + 1) / n
}

/// A resource for a page of `area`: usually one of its own area's, sometimes a neighbour's or
/// main's, so that reach sets vary.
fn pick(rng: &mut Rng, area: usize, n: usize) -> usize {
  let per = n / (SUBPACKAGES + 1);
  let a = match rng.below(10) {
    0 => 0,
    1 => (area % SUBPACKAGES) + 1,
    _ => area,
  };
  (a * per + rng.below(per)).min(n - 1)
}

/// The route of page `i`.
pub fn page_route(i: usize) -> String {
  if i < MAIN_PAGES {
    format!("pages/p{i}/index")
  } else {
    let s = (i - MAIN_PAGES) / ((PAGES - MAIN_PAGES) / SUBPACKAGES) + 1;
    format!("sub{s}/pages/p{i}/index")
  }
}

fn area_of_page(i: usize) -> usize {
  if i < MAIN_PAGES { 0 } else { (i - MAIN_PAGES) / ((PAGES - MAIN_PAGES) / SUBPACKAGES) + 1 }
}

/// Writes the project into `root` and returns how many files it holds.
pub fn generate(root: &Path) -> usize {
  let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
  let mut out = Out { root, files: 0 };
  let mut w = |path: &str, bytes: &[u8]| out.put(path, bytes);
  w("project.config.json", br#"{"appid":"touristappid","compileType":"miniprogram"}"#);
  let subpackages: Vec<_> = (1..=SUBPACKAGES)
    .map(|s| {
      let pages: Vec<String> = (0..PAGES)
        .filter(|&i| area_of_page(i) == s)
        .map(|i| page_route(i).trim_start_matches(&format!("sub{s}/")).to_string())
        .collect();
      json!({"root": format!("sub{s}"), "name": format!("s{s}"), "pages": pages, "independent": s > SUBPACKAGES - 2})
    })
    .collect();
  let main_pages: Vec<String> = (0..MAIN_PAGES).map(page_route).collect();
  let app = json!({"pages": main_pages, "subpackages": subpackages, "resolveAlias": {"@u/*": "utils/*"}});
  w("app.json", serde_json::to_string_pretty(&app).unwrap().as_bytes());
  w("app.js", b"const u = require('./utils/u0');\nApp({ onLaunch() { u.f(); } });\n");
  w("app.wxss", b"page { font-size: 28rpx; }\n");
  for i in 0..UTILS {
    let mut js = String::new();
    for _ in 0..rng.below(3) {
      // Utils require utils of the same area, lower-numbered, so there are chains but no cycles.
      if i > 0 {
        let j = pick(&mut rng, area_of(i, UTILS), UTILS).min(i - 1);
        let _ = writeln!(js, "const d{j} = require('./u{j}');");
      }
    }
    let _ = write!(js, "exports.f = function () {{ return {i} * 2; }};\nexports.name = 'util {i}';\n");
    w(&format!("utils/u{i}.js"), js.as_bytes());
  }
  for i in 0..WXS {
    w(&format!("wxs/w{i}.wxs"), format!("module.exports = {{ v: function (x) {{ return x + {i}; }} }};\n").as_bytes());
  }
  for i in 0..TEMPLATES {
    let img = pick(&mut rng, area_of(i, TEMPLATES), IMAGES);
    w(
      &format!("templates/t{i}.wxml"),
      format!("<template name=\"t{i}\"><image src=\"/images/i{img}.png\"/></template>\n").as_bytes(),
    );
  }
  for i in 0..IMAGES {
    w(&format!("images/i{i}.png"), &[PNG, i.to_string().as_bytes()].concat());
  }
  for i in 0..COMPONENTS {
    let base = format!("components/c{i}/c{i}");
    let area = area_of(i, COMPONENTS);
    let util = pick(&mut rng, area, UTILS);
    let img = pick(&mut rng, area, IMAGES);
    w(&format!("{base}.json"), br#"{"component": true, "usingComponents": {}}"#);
    w(
      &format!("{base}.js"),
      format!("const u = require('../../utils/u{util}');\nComponent({{ methods: {{ go() {{ return u.f(); }} }} }});\n")
        .as_bytes(),
    );
    w(
      &format!("{base}.wxml"),
      format!("<view class=\"c{i}\"><image src=\"../../images/i{img}.png\"/><slot/></view>\n").as_bytes(),
    );
    w(&format!("{base}.wxss"), format!(".c{i} {{ display: block; margin: {}rpx; }}\n", i % 40).as_bytes());
  }
  for i in 0..PAGES {
    let route = page_route(i);
    let area = area_of_page(i);
    let depth = route.matches('/').count();
    let up = "../".repeat(depth);
    let comps: Vec<usize> = (0..3).map(|_| pick(&mut rng, area, COMPONENTS)).collect();
    let using: serde_json::Map<String, serde_json::Value> =
      comps.iter().map(|c| (format!("c-{c}"), json!(format!("/components/c{c}/c{c}")))).collect();
    w(&format!("{route}.json"), serde_json::to_string(&json!({ "usingComponents": using })).unwrap().as_bytes());
    let (u1, u2) = (pick(&mut rng, area, UTILS), pick(&mut rng, area, UTILS));
    let targets: Vec<String> = (0..3).map(|_| page_route(rng.below(PAGES))).collect();
    let mut js = format!("const a = require('{up}utils/u{u1}');\nconst b = require('@u/u{u2}');\nPage({{\n");
    for (k, t) in targets.iter().enumerate() {
      let _ = writeln!(js, "  go{k}() {{ wx.navigateTo({{ url: '/{t}?from={i}' }}); }},");
    }
    js.push_str("  onLoad() { a.f(); b.f(); }\n});\n");
    w(&format!("{route}.js"), js.as_bytes());
    let (t, x, img) = (pick(&mut rng, area, TEMPLATES), pick(&mut rng, area, WXS), pick(&mut rng, area, IMAGES));
    let mut wxml = format!(
      "<import src=\"/templates/t{t}.wxml\"/>\n<wxs src=\"{up}wxs/w{x}.wxs\" module=\"m\"/>\n<template is=\"t{t}\"/>\n<image src=\"/images/i{img}.png\"/>\n"
    );
    for c in &comps {
      let _ = writeln!(wxml, "<c-{c}>{{{{m.v({c})}}}}</c-{c}>");
    }
    let _ = writeln!(wxml, "<navigator url=\"/{}\">next</navigator>", page_route((i + 1) % PAGES));
    w(&format!("{route}.wxml"), wxml.as_bytes());
    w(&format!("{route}.wxss"), format!(".p{i} {{ padding: 24rpx; }}\n").as_bytes());
  }
  out.files
}

struct Out<'a> {
  root: &'a Path,
  files: usize,
}

impl Out<'_> {
  fn put(&mut self, path: &str, bytes: &[u8]) {
    let p = self.root.join(path);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, bytes).unwrap();
    self.files += 1;
  }
}
