//! Compiling what DevTools compiles: TypeScript, ES modules to CommonJS (Babel's interop), ES5
//! when the project asks, Less and Sass. Every compiled page, component and module is run in node
//! next to its source compiled by a reference compiler (esbuild for TypeScript, Babel for ES
//! modules), and must expose the same exports, definitions, data and side-effect order.
//!
//! The reference compilers and the Less compiler come from `npm ci --prefix tests/support`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::{fs, path::Path, process::Command};

use common::{build, fixture, read_json, tree};
use serde_json::{Value, json};

fn tools() -> std::path::PathBuf {
  let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support");
  assert!(
    dir.join("node_modules/esbuild").is_dir() && dir.join("node_modules/less").is_dir(),
    "the test tools are missing: run npm ci --prefix tests/support"
  );
  dir
}

/// Runs tests/support/reference.js over `entries` (source path, output path) and returns the
/// entries whose two runs differ.
fn compare(source: &Path, output: &Path, entries: &[(&str, &str)]) -> Vec<Value> {
  let job = json!({
    "source": fs::canonicalize(source).unwrap(),
    "output": fs::canonicalize(output).unwrap(),
    "aliases": [],
    "entries": entries,
  });
  let tmp = tempfile::tempdir().unwrap();
  let path = tmp.path().join("job.json");
  fs::write(&path, job.to_string()).unwrap();
  let o = Command::new("node").arg(tools().join("reference.js")).arg(&path).output().expect("node");
  assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
  let results: Vec<Value> = serde_json::from_slice(&o.stdout).unwrap();
  assert_eq!(results.len(), entries.len());
  results.into_iter().filter(|r| r["same"] != true).collect()
}

#[test]
fn compile_fixture_output() {
  tools();
  let run = build(&fixture("compile"), &["--verbose"]);
  assert_eq!(run.code, 0, "{}", run.stderr);
  // Timings and what the shared cache held vary from run to run.
  let varies = |l: &str| l.contains(" ms") || l.contains("from the cache");
  let report: String = run.normalized().lines().filter(|l| !varies(l)).map(|l| format!("{l}\n")).collect();
  insta::assert_snapshot!("compile_report", report);
  insta::assert_snapshot!("compile_files", common::contents(&run.out_dir().join("miniprogram")));
  assert!(run.stderr.contains("warning[shadowed]: pages/legacy/legacy.ts is not compiled"), "{}", run.stderr);
  let out = tree(&run.out_dir());
  for gone in [".ts", ".less", ".scss", "typings"] {
    assert!(!out.contains(gone), "{gone} never ships: {out}");
  }
  // What DevTools would compile or minify again is off: the upload is what wxpack wrote.
  let setting = read_json(&run.out_dir().join("project.config.json"))["setting"].clone();
  assert_eq!(
    (
      setting["es6"].clone(),
      setting["enhance"].clone(),
      setting["useCompilerPlugins"].clone(),
      setting["minified"].clone()
    ),
    (json!(false), json!(false), json!(false), json!(false))
  );
}

#[test]
fn compiled_code_is_es5_commonjs_and_behaves_like_the_reference_build() {
  tools();
  let run = build(&fixture("compile"), &[]);
  assert_eq!(run.code, 0, "{}", run.stderr);
  let out = run.out_dir().join("miniprogram");
  for file in [
    "app.js",
    "pages/index/index.js",
    "pages/cart/cart.js",
    "utils/store.js",
    "utils/price.js",
    "components/price-tag/price-tag.js",
  ] {
    let code = fs::read_to_string(out.join(file)).unwrap();
    let s = wxpack::transform::es_level::detect(&code).unwrap();
    assert_eq!(s.level, wxpack::transform::es_level::EsLevel::Es5, "{file}: {} in {code}", s.feature);
    assert!(!s.module, "{file} is CommonJS");
  }
  let entries = [
    ("app.ts", "app.js"),
    ("pages/index/index.ts", "pages/index/index.js"),
    ("pages/cart/cart.js", "pages/cart/cart.js"),
    ("pages/style/style.js", "pages/style/style.js"),
    ("pages/legacy/legacy.js", "pages/legacy/legacy.js"),
    ("components/price-tag/price-tag.js", "components/price-tag/price-tag.js"),
    ("utils/store.ts", "utils/store.js"),
    ("utils/price.js", "utils/price.js"),
  ];
  let differ = compare(&fixture("compile/miniprogram"), &out, &entries);
  assert!(differ.is_empty(), "{}", serde_json::to_string_pretty(&differ).unwrap());
}

#[test]
fn es_modules_interoperate_as_babel_compiles_them() {
  tools();
  let run = build(&fixture("esm-interop"), &[]);
  assert_eq!(run.code, 0, "{}", run.stderr);
  let cases: Vec<String> = fs::read_dir(fixture("esm-interop/cases"))
    .unwrap()
    .map(|e| format!("cases/{}/entry.js", e.unwrap().file_name().to_string_lossy()))
    .collect();
  assert!(cases.len() >= 10);
  let entries: Vec<(&str, &str)> = cases.iter().map(|c| (c.as_str(), c.as_str())).collect();
  let differ = compare(&fixture("esm-interop"), &run.out_dir().join("miniprogram"), &entries);
  assert!(differ.is_empty(), "{}", serde_json::to_string_pretty(&differ).unwrap());
  // The whole app loads too: the page requires every case.
  let differ = compare(
    &fixture("esm-interop"),
    &run.out_dir().join("miniprogram"),
    &[("pages/index/index.js", "pages/index/index.js")],
  );
  assert!(differ.is_empty(), "{}", serde_json::to_string_pretty(&differ).unwrap());
}

#[test]
fn a_missing_less_compiler_is_a_clear_error() {
  let tmp = tempfile::tempdir().unwrap();
  let o = Command::new(env!("CARGO_BIN_EXE_wxpack"))
    .args(["build", fixture("compile").to_str().unwrap(), "-o", tmp.path().join("out").to_str().unwrap()])
    .env("CI", "1")
    .env("PATH", "/usr/bin:/bin")
    .output()
    .unwrap();
  assert_eq!(o.status.code(), Some(2));
  let err = String::from_utf8_lossy(&o.stderr);
  // One error for the project, listing its Less files, with the install command once.
  assert_eq!(err.matches("error[compile]").count(), 1, "{err}");
  assert!(
    err.contains(
      "miniprogram/pages/index/index.less: error[compile]: 2 Less files need the Less compiler, which is not \
       installed: miniprogram/pages/index/index.less, miniprogram/styles/mixins.less"
    ),
    "{err}"
  );
  assert_eq!(err.matches("npm install --save-dev less").count(), 1, "{err}");
  assert!(!tmp.path().join("out").exists());
}

/// Which Less: the project's own first, then the one the npm package brings
/// (`WXPACK_BUNDLED_LESS`, set by its launcher), with no `lessc` on PATH either way.
#[test]
fn the_projects_own_less_wins_over_the_bundled_one() {
  let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/node_modules/less");
  assert!(bundled.join("package.json").is_file(), "npm ci --prefix tests/support");
  let run = |project: &Path| {
    let out = project.parent().unwrap().join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_wxpack"))
      .args(["build", project.to_str().unwrap(), "-o", out.to_str().unwrap(), "--quiet"])
      .env("CI", "1")
      .env("PATH", "/usr/bin:/bin")
      .env("WXPACK_BUNDLED_LESS", &bundled)
      .output()
      .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    fs::read_to_string(out.join("miniprogram/pages/index/index.wxss")).unwrap()
  };
  let tmp = tempfile::tempdir().unwrap();
  let project = tmp.path().join("app");
  common::copy_fixture("compile", &project);
  let bundled_css = run(&project);
  assert!(!bundled_css.is_empty() && !bundled_css.contains("#123456"), "{bundled_css}");

  // A stand-in `less` in the project's node_modules, as `npm i -D less` would link it.
  let fake = project.join("node_modules/less");
  fs::create_dir_all(fake.join("bin")).unwrap();
  fs::write(fake.join("package.json"), r#"{ "name": "less", "version": "0.0.0-test", "main": "index.js" }"#).unwrap();
  fs::write(
    fake.join("index.js"),
    "class FileManager {}\nmodule.exports = { FileManager, render: async () => ({ css: '.title{color:#123456}' }) };\n",
  )
  .unwrap();
  fs::write(fake.join("bin/lessc"), "").unwrap();
  fs::create_dir_all(project.join("node_modules/.bin")).unwrap();
  std::os::unix::fs::symlink("../less/bin/lessc", project.join("node_modules/.bin/lessc")).unwrap();
  fs::remove_dir_all(tmp.path().join("out")).unwrap();
  let own_css = run(&project);
  assert!(own_css.contains("#123456"), "{own_css}");
}

#[test]
fn compile_errors_are_located() {
  let broken = |file: &str, text: &str| {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_fixture("compile", tmp.path());
    fs::write(tmp.path().join("miniprogram").join(file), text).unwrap();
    let o = common::wxpack(&["build", tmp.path().to_str().unwrap(), "-o", tmp.path().join("out").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    String::from_utf8_lossy(&o.stderr).into_owned()
  };
  let err = broken("pages/style/style.scss", ".a {\n  color: $missing;\n}\n");
  assert!(err.contains("miniprogram/pages/style/style.scss:2:10: error[compile]: Sass: Undefined variable"), "{err}");
  let err = broken("pages/index/index.less", ".a {\n  color: @missing;\n}\n");
  assert!(err.contains("miniprogram/pages/index/index.less:2:") && err.contains("error[compile]: Less:"), "{err}");
  let err = broken("utils/store.ts", "export class Store {\n  add(x: number {\n}\n");
  assert!(err.contains("miniprogram/utils/store.ts:2:") && err.contains("error[syntax]"), "{err}");
}

/// Lowered code requires the helpers it shares from modules in its own package (independent
/// subpackages cannot reach main), behaves as its source, and no package grows over inlining.
#[test]
fn shared_helpers_stay_inside_their_package() {
  tools();
  let run = build(&fixture("helpers"), &["--json", "-"]);
  assert_eq!(run.code, 0, "{}", run.stderr);
  let out = run.out_dir().join("miniprogram");
  let modules: Vec<String> = tree(&out).lines().filter(|l| l.contains("/helpers/_")).map(str::to_string).collect();
  insta::assert_snapshot!("helpers_modules", modules.join("\n"));
  let roots = ["shop/", "indie/"];
  let package = |path: &str| roots.iter().find(|r| path.starts_with(*r)).copied().unwrap_or("");
  let pattern = regex::Regex::new(r#"require\("([^"]*/helpers/_\w+\.js)"\)"#).unwrap();
  let mut requires = 0;
  let files = tree(&out);
  let files =
    files.lines().filter_map(|l| l.split(' ').next()).filter(|f| f.ends_with(".js") && !f.contains("/helpers/"));
  for file in files {
    let code = fs::read_to_string(out.join(file)).unwrap();
    for spec in pattern.captures_iter(&code).map(|c| c[1].to_string()) {
      let target = Path::new(file).parent().unwrap().join(&spec);
      let target = wxpack::mp_path::MpPath::new(target.to_str().unwrap()).unwrap();
      assert!(out.join(target.as_str()).is_file(), "{file} requires {spec}, which is not shipped");
      assert_eq!(package(target.as_str()), package(file), "{file} reaches out of its package for {target}");
      requires += 1;
    }
  }
  assert!(requires >= 6, "{requires}");
  // about.js is the only file of main with async code: its helpers stay inline.
  let about = fs::read_to_string(out.join("pages/about/about.js")).unwrap();
  assert!(!about.contains("/helpers/") && about.contains("Promise"), "{about}");

  let entries: Vec<(&str, &str)> = [
    "app.js",
    "pages/index/index.js",
    "pages/about/about.js",
    "shop/pages/list/list.js",
    "shop/pages/item/item.js",
    "indie/pages/a/a.js",
    "indie/pages/b/b.js",
  ]
  .iter()
  .map(|p| (*p, *p))
  .collect();
  let differ = compare(&fixture("helpers"), &out, &entries);
  assert!(differ.is_empty(), "{}", serde_json::to_string_pretty(&differ).unwrap());

  let inline = common::build_with_config(&fixture("helpers"), "[js]\nshared_helpers = false\n", &["--json", "-"]);
  assert!(!tree(&inline.out_dir()).contains("/helpers/"));
  let bytes = |stdout: &str| -> Vec<(String, u64)> {
    let report: Value = serde_json::from_str(stdout).unwrap();
    report["packages"]
      .as_array()
      .unwrap()
      .iter()
      .map(|p| (p["name"].to_string(), p["bytes_out"].as_u64().unwrap()))
      .collect()
  };
  for ((name, shared), (_, inlined)) in bytes(&run.stdout).into_iter().zip(bytes(&inline.stdout)) {
    assert!(shared <= inlined, "{name}: {shared} B shared, {inlined} B inline");
  }
}

/// Modules swc cannot lower (BigInt has no ES5 form; a closure assigning its `for (let ...)`
/// loop's variable) ship as written, and DevTools still
/// compiles it: the output keeps `es6`/`enhance` on and lists every other JS file, which wxpack
/// compiled, in `babelSetting.ignore` (after the project's own entries). DevTools' compile of the
/// output (miniprogram-ci) then converts that module and leaves the others byte for byte.
#[test]
fn a_module_wxpack_cannot_compile_keeps_devtools_compile_for_it() {
  tools();
  let run = build(&fixture("devtools-compiles"), &[]);
  assert_eq!(run.code, 0, "{}", run.stderr);
  assert!(run.stdout.contains("DevTools compiles them at upload (utils/big.js, utils/steps.js)"), "{}", run.stdout);
  let setting = read_json(&run.out_dir().join("project.config.json"))["setting"].clone();
  assert_eq!((setting["es6"].clone(), setting["enhance"].clone()), (json!(true), json!(true)));
  assert_eq!(setting["babelSetting"]["ignore"], json!(["vendor/", "app.js", "pages/index/index.js"]));
  let out = run.out_dir().join("miniprogram");
  let big = fs::read_to_string(out.join("utils/big.js")).unwrap();
  assert_eq!(big, fs::read_to_string(fixture("devtools-compiles/utils/big.js")).unwrap());
  let uploaded = tempfile::tempdir().unwrap();
  let upload = uploaded.path().join("upload");
  let o = Command::new("node")
    .arg(tools().join("devtools_compile.js"))
    .arg(run.out_dir())
    .arg(&upload)
    .output()
    .expect("node runs tests/support/devtools_compile.js");
  assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
  for file in ["utils/big.js", "utils/steps.js"] {
    let compiled = fs::read_to_string(upload.join(file)).unwrap();
    assert!(compiled.contains("exports.") && !compiled.contains("export "), "{file}: {compiled}");
  }
  for file in ["app.js", "pages/index/index.js"] {
    assert_eq!(fs::read(upload.join(file)).unwrap(), fs::read(out.join(file)).unwrap(), "{file}");
  }
}

/// `[js] target = "source"`: wxpack does not lower to ES5, so DevTools' compile stays as the
/// project has it (`es6`, `enhance`, and `minified`, so DevTools' ES5 is minified too).
#[test]
fn target_source_keeps_devtools_compile() {
  tools();
  let run = common::build_with_config(&fixture("compile"), "[js]\ntarget = \"source\"\n", &[]);
  assert_eq!(run.code, 0, "{}", run.stderr);
  let setting = read_json(&run.out_dir().join("project.config.json"))["setting"].clone();
  assert_eq!(
    (setting["es6"].clone(), setting["enhance"].clone(), setting["minified"].clone()),
    (json!(true), json!(true), json!(true))
  );
  assert!(run.stdout.contains("target = \"source\": DevTools compiles every JS file"), "{}", run.stdout);
}
