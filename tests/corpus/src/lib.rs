//! Assembles a mini program from the published component libraries that
//! `../shared/corpus/fetch.sh` brings (vant, tdesign, weui, lottie, mobx, computed), laid out as
//! DevTools' "build npm" leaves them. Every component of every library is used by some page, so
//! every reference inside the libraries is followed. Shared by the tests and the benchmarks (a
//! crate of its own, so neither compiles the other's files by path).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
  fs,
  path::{Path, PathBuf},
  process::Command,
};

use serde_json::{Value, json};

/// Runs fetch.sh (it caches): its folder, or the last line it printed on stderr.
fn run_fetch() -> Result<PathBuf, String> {
  let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/fetch.sh");
  let out = Command::new("bash").arg(&script).output().map_err(|e| e.to_string())?;
  if !out.status.success() {
    return Err(String::from_utf8_lossy(&out.stderr).lines().last().unwrap_or("").to_string());
  }
  let stdout = String::from_utf8_lossy(&out.stdout);
  stdout.lines().last().map(|l| PathBuf::from(l.trim())).ok_or_else(|| "fetch.sh printed no folder".into())
}

/// For tests: the fetch.sh folder, or `None` with a `skipped:` line naming `test` when the npm
/// registry cannot be reached (and nothing is cached), so an offline `cargo test` says what it
/// did not run. With `CI` set it fails instead.
#[allow(clippy::print_stderr)]
pub fn fetch_or_skip(test: &str) -> Option<PathBuf> {
  run_fetch()
    .map_err(|e| {
      // A CI run that skipped would pass without testing anything.
      assert!(std::env::var_os("CI").is_none(), "{test}: ../shared/corpus/fetch.sh failed with CI set: {e}");
      // Past the test harness's capture, so an offline `cargo test` shows what it skipped.
      let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!("skipped: {test} needs the npm registry (../shared/corpus/fetch.sh failed: {e})\n").as_bytes(),
      );
    })
    .ok()
}

/// The fetch.sh folder; for benches, which cannot run without it.
pub fn fetch() -> PathBuf {
  run_fetch().unwrap_or_else(|e| panic!("fetch.sh failed: {e}"))
}

/// The peer tools (terser, esbuild, @swc/core, lightningcss), installed with npm into
/// $WXPACK_PEERS or ~/.cache/wxpack-peers on first use; returns that folder.
pub fn peers() -> PathBuf {
  let peers = std::env::var_os("WXPACK_PEERS")
    .map(PathBuf::from)
    .unwrap_or_else(|| PathBuf::from(std::env::var("HOME").unwrap()).join(".cache/wxpack-peers"));
  fs::create_dir_all(&peers).unwrap();
  if !peers.join("node_modules/terser").exists() {
    let ok = Command::new("npm")
      .args([
        "install",
        "--no-audit",
        "--no-fund",
        "--silent",
        "terser@5",
        "esbuild@0.25",
        "@swc/core@1",
        "lightningcss@1",
      ])
      .current_dir(&peers)
      .status()
      .unwrap();
    assert!(ok.success(), "npm install of the peers failed");
  }
  peers
}

pub struct CorpusApp {
  pub root: PathBuf,
  /// Component bases (relative to miniprogram_npm) used by the app, per library.
  pub vant: Vec<String>,
  pub tdesign: Vec<String>,
  pub weui: Vec<String>,
}

/// Writes the app into `root`: weui on a main page, the JS libraries on another, all of vant in
/// subpackage `pkg-vant` and all of tdesign in `pkg-tdesign`.
pub fn assemble(corpus: &Path, root: &Path) -> CorpusApp {
  copy_dir(&corpus.join("miniprogram_npm"), &root.join("miniprogram_npm"));
  let npm = root.join("miniprogram_npm");
  // "build npm" also brings the npm dependencies of miniprogram-computed; the corpus holds only
  // the published packages themselves, so stand in for those two.
  for dep in ["rfdc", "fast-deep-equal"] {
    fs::create_dir_all(npm.join(dep)).unwrap();
    fs::write(npm.join(dep).join("index.js"), "module.exports = function () {};\n").unwrap();
  }
  let app = CorpusApp {
    root: root.to_path_buf(),
    vant: components(&npm, "@vant/weapp"),
    tdesign: components(&npm, "tdesign-miniprogram"),
    weui: components(&npm, "weui-miniprogram"),
  };
  fs::write(root.join("project.config.json"), r#"{"appid":"touristappid","compileType":"miniprogram"}"#).unwrap();
  let app_json = json!({
    "pages": ["pages/index/index", "pages/state/state"],
    "subpackages": [
      {"root": "pkg-vant", "pages": ["pages/all/all"]},
      {"root": "pkg-tdesign", "pages": ["pages/all/all"]}
    ]
  });
  fs::write(root.join("app.json"), serde_json::to_string_pretty(&app_json).unwrap()).unwrap();
  fs::write(root.join("app.js"), "App({});\n").unwrap();
  page(root, "pages/index/index", "Page({});\n", &app.weui);
  let state = "const lottie = require('lottie-miniprogram');\nconst { observable } = require('mobx-miniprogram');\nconst { createStoreBindings } = require('mobx-miniprogram-bindings');\nconst computedBehavior = require('miniprogram-computed').behavior;\nPage({ behaviors: [computedBehavior] });\n";
  page(root, "pages/state/state", state, &[]);
  page(root, "pkg-vant/pages/all/all", "Page({});\n", &app.vant);
  page(root, "pkg-tdesign/pages/all/all", "Page({});\n", &app.tdesign);
  app
}

/// A mini program shaped like a real one, for the planner: two main pages (all of weui and six
/// vant components; the mobx libraries), subpackage `pkg-a` (vant 6..45, tdesign 0..50, lottie),
/// subpackage `pkg-b` (vant 35.., tdesign 40.., miniprogram-computed) and an independent
/// `pkg-i` (vant 0..3, which main uses too). So some components belong to one subpackage, some
/// are shared by both, some by main and the independent package.
pub fn assemble_split(corpus: &Path, root: &Path) -> PathBuf {
  let all = assemble(corpus, root);
  let (v, t) = (&all.vant, &all.tdesign);
  let app_json = json!({
    "pages": ["pages/index/index", "pages/state/state"],
    "subpackages": [
      {"root": "pkg-a", "name": "a", "pages": ["pages/a/a"]},
      {"root": "pkg-b", "name": "b", "pages": ["pages/b/b"]},
      {"root": "pkg-i", "pages": ["pages/i/i"], "independent": true}
    ]
  });
  fs::write(root.join("app.json"), serde_json::to_string_pretty(&app_json).unwrap()).unwrap();
  for old in ["pkg-vant", "pkg-tdesign"] {
    fs::remove_dir_all(root.join(old)).unwrap();
  }
  let main: Vec<String> = all.weui.iter().chain(&v[..6]).cloned().collect();
  page(root, "pages/index/index", "Page({});\n", &main);
  let a: Vec<String> = v[6..45].iter().chain(&t[..50]).cloned().collect();
  page(
    root,
    "pkg-a/pages/a/a",
    "const lottie = require('lottie-miniprogram');\nPage({ onReady() { lottie.setup; } });\n",
    &a,
  );
  let b: Vec<String> = v[35..].iter().chain(&t[40..]).cloned().collect();
  page(
    root,
    "pkg-b/pages/b/b",
    "const computed = require('miniprogram-computed');\nPage({ behaviors: [computed.behavior] });\n",
    &b,
  );
  page(root, "pkg-i/pages/i/i", "Page({});\n", &v[..3]);
  let state = "const { observable } = require('mobx-miniprogram');\nconst { createStoreBindings } = require('mobx-miniprogram-bindings');\nPage({});\n";
  page(root, "pages/state/state", state, &[]);
  root.to_path_buf()
}

pub fn copy_dir(from: &Path, to: &Path) {
  fs::create_dir_all(to).unwrap();
  for e in fs::read_dir(from).unwrap() {
    let e = e.unwrap();
    let target = to.join(e.file_name());
    if e.file_type().unwrap().is_dir() {
      copy_dir(&e.path(), &target);
    } else {
      fs::copy(e.path(), target).unwrap();
    }
  }
}

/// Every file under `dir` whose extension is `ext`, sorted.
pub fn files_with_ext(dir: &Path, ext: &str) -> Vec<PathBuf> {
  let mut out = Vec::new();
  let mut stack = vec![dir.to_path_buf()];
  while let Some(d) = stack.pop() {
    for e in fs::read_dir(d).unwrap() {
      let p = e.unwrap().path();
      if p.is_dir() {
        stack.push(p);
      } else if p.extension().is_some_and(|x| x == ext) {
        out.push(p);
      }
    }
  }
  out.sort();
  out
}

/// Component bases (paths without extension, relative to miniprogram_npm) under `lib`.
pub fn components(npm: &Path, lib: &str) -> Vec<String> {
  let mut found = Vec::new();
  let mut stack = vec![npm.join(lib)];
  while let Some(dir) = stack.pop() {
    for e in fs::read_dir(&dir).unwrap() {
      let p = e.unwrap().path();
      if p.is_dir() {
        stack.push(p);
      } else if p.extension().is_some_and(|x| x == "json") && p.with_extension("wxml").exists() {
        let v: Value = serde_json::from_slice(&fs::read(&p).unwrap()).unwrap_or(Value::Null);
        if v["component"] == true {
          found.push(p.with_extension("").strip_prefix(npm).unwrap().display().to_string());
        }
      }
    }
  }
  found.sort();
  found
}

/// A tag name the platform accepts (lowercase letters, `-`, `_`) for the i-th component.
fn tag(i: usize) -> String {
  let mut n = i;
  let mut s = String::from("c-");
  loop {
    s.push(char::from(b'a' + u8::try_from(n % 26).unwrap()));
    n /= 26;
    if n == 0 {
      return s;
    }
  }
}

fn page(root: &Path, path: &str, js: &str, comps: &[String]) {
  let base = root.join(path);
  fs::create_dir_all(base.parent().unwrap()).unwrap();
  let using: serde_json::Map<String, Value> = comps.iter().enumerate().map(|(i, c)| (tag(i), json!(c))).collect();
  fs::write(base.with_extension("json"), serde_json::to_string_pretty(&json!({ "usingComponents": using })).unwrap())
    .unwrap();
  fs::write(base.with_extension("js"), js).unwrap();
  let wxml: String = (0..comps.len()).map(|i| format!("<{0}></{0}>\n", tag(i))).collect();
  fs::write(base.with_extension("wxml"), wxml).unwrap();
}
