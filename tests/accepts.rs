//! Whatever DevTools accepts, wxpack accepts: every project under `fixtures/accepts/` is a
//! minimal copy of a shape real apps have, each compiled by miniprogram-ci 2.1.42 (non-ASCII paths, root-relative style imports and
//! the common stylesheets DevTools puts before every Less and Sass source,
//! templates with relative paths, app.json keys wxpack does not model, a missing custom tab
//! bar, strings that are not paths, `useExtendedLib`, a TypeScript-only component, routes kept in
//! data, JSON paths written with escapes). tests/cases.rs builds each with and without the planner, one test per case, with its
//! messages snapshotted beside it; what each must ship is asserted below.
#![allow(clippy::unwrap_used)]

mod common;

use std::{fs, path::Path};

use common::{build, fixture, read_json};

fn shipped(out: &Path) -> Vec<String> {
  let mut files = Vec::new();
  let mut stack = vec![out.join("miniprogram")];
  while let Some(dir) = stack.pop() {
    for e in fs::read_dir(&dir).unwrap() {
      let p = e.unwrap().path();
      if p.is_dir() {
        stack.push(p);
      } else {
        files.push(p.strip_prefix(out.join("miniprogram")).unwrap().to_string_lossy().replace('\\', "/"));
      }
    }
  }
  files.sort();
  files
}

/// Editor and linter files: miniprogram-ci compiles them (its default ignores are only
/// `node_modules`, `.git`, `.svn`, `.DS_Store`) and its unused-file filter leaves them out of
/// the upload; the planner prunes them the same way, and `--no-plan` ships them as the
/// compile does.
#[test]
fn editor_files_are_left_out_as_devtools_leaves_them_out() {
  let extra = [".vscode/settings.json", ".vscode/extensions.json", ".eslintrc.js", "pages/index/.wechatide.ib.json"];
  let planned = shipped(&build(&fixture("accepts/editor-files"), &[]).out_dir());
  assert_eq!(planned, ["app.js", "app.json", "pages/index/index.js", "pages/index/index.wxml"]);
  let flat = shipped(&build(&fixture("accepts/editor-files"), &["--no-plan"]).out_dir());
  for f in extra {
    assert!(flat.contains(&f.to_string()), "{f} in {flat:?}");
  }
}

#[test]
fn non_ascii_paths_resolve_and_ship() {
  let run = build(&fixture("accepts/non-ascii"), &[]);
  let files = shipped(&run.out_dir());
  for f in
    ["images/首页-nor@2x.png", "images/首页-sel@2x.png", "images/我的.png", "images/猫.png", "pages/我的/我的.js"]
  {
    assert!(files.contains(&f.to_string()), "{f} in {files:?}");
  }
}

#[test]
fn root_relative_style_imports_compile_and_wxss_imports_stay() {
  let run = build(&fixture("accepts/style-imports"), &[]);
  let read = |p: &str| fs::read_to_string(run.out_dir().join("miniprogram").join(p)).unwrap();
  let app = read("app.wxss");
  assert!(app.contains("@import \"/styles/plain.wxss\"") && app.contains("#07c160") && app.contains("8rpx"), "{app}");
  let sass = read("pages/sass/sass.wxss");
  assert!(sass.contains("@import \"/styles/plain.wxss\"") && sass.contains("#fa5151"), "{sass}");
  assert!(read("styles/plain.wxss").contains(".plain"));
}

/// DevTools' Less plugin puts `@import (optional, reference) '<root>/app.less'` before every
/// other Less source, and its Sass plugin `@use '<root>/global.scss'`: a variable or mixin only
/// the common file defines compiles (miniprogram-ci 2.1.42 writes the same rules), and error
/// lines still count from the author's first line.
#[test]
fn common_stylesheets_are_in_scope_as_devtools_puts_them() {
  let run = build(&fixture("accepts/style-imports"), &[]);
  let read = |p: &str| fs::read_to_string(run.out_dir().join("miniprogram").join(p)).unwrap();
  let index = read("pages/index/index.wxss");
  assert!(index.contains(".note{color:#fa5151;border-radius:8rpx}"), "{index}");
  let sass = read("pages/sass/sass.wxss");
  assert!(sass.contains(".from-global{margin:12rpx}") && sass.contains("padding:12rpx"), "{sass}");
  let broken = |file: &str, text: &str| {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_fixture("accepts/style-imports", tmp.path());
    fs::write(tmp.path().join(file), text).unwrap();
    let out = tmp.path().join("out");
    let o = common::wxpack(&["build", tmp.path().to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    String::from_utf8_lossy(&o.stderr).into_owned()
  };
  let err = broken("pages/index/index.less", ".a {\n  color: @missing;\n}\n");
  assert!(err.contains("pages/index/index.less:2:") && err.contains("error[compile]: Less:"), "{err}");
  let err = broken("pages/sass/sass.scss", ".a {\n  color: $missing;\n}\n");
  assert!(err.contains("pages/sass/sass.scss:2:10: error[compile]: Sass: Undefined variable"), "{err}");
}

#[test]
fn template_paths_resolve_against_the_pages_that_render_them() {
  let run = build(&fixture("accepts/template-paths"), &["--json", "{tmp}/r.json"]);
  let files = shipped(&run.out_dir());
  assert!(files.contains(&"images/logo.png".into()) && files.contains(&"images/foot.png".into()), "{files:?}");
  let report = read_json(&run.tmp.path().join("r.json"));
  let warnings: Vec<String> =
    report["diagnostics"].as_array().unwrap().iter().map(|d| d["message"].as_str().unwrap().to_string()).collect();
  assert_eq!(warnings, ["cannot resolve \"../../images/nowhere.png\""]);
}

#[test]
fn app_json_entries_wxpack_does_not_model_ship_whole() {
  let run = build(&fixture("accepts/app-keys"), &[]);
  let files = shipped(&run.out_dir());
  for f in [
    "skills/drink-skill/index.js",
    "skills/drink-skill/apis/order.js",
    "skills/drink-skill/mcp.json",
    "page-meta.json",
    "future/main.js",
  ] {
    assert!(files.contains(&f.to_string()), "{f} in {files:?}");
  }
  assert!(run.stderr.contains("warning[unknown-key]: app.json key futureFeature.entries[0].entry"), "{}", run.stderr);
}

#[test]
fn devtools_dirt_is_a_warning_and_an_error_under_strict() {
  for case in ["custom-tabbar-missing", "ts-only-component"] {
    let run = build(&fixture(&format!("accepts/{case}")), &[]);
    assert_eq!(run.code, 0, "{case}: {}", run.stderr);
    assert!(run.stderr.contains("warning[missing-page]"), "{case}: {}", run.stderr);
    let strict = build(&fixture(&format!("accepts/{case}")), &["--strict"]);
    assert_eq!(strict.code, 2, "{case}: {}", strict.stderr);
    assert!(strict.stderr.contains("error[missing-page]"), "{case}: {}", strict.stderr);
    assert!(!strict.out_dir().exists());
  }
}

#[test]
fn urls_properties_and_prose_are_not_paths() {
  for case in ["not-paths", "extended-lib"] {
    let run = build(&fixture(&format!("accepts/{case}")), &[]);
    assert_eq!(common::messages(&run.stderr), "", "{case}");
  }
}

#[test]
fn routes_kept_in_data_are_navigation_candidates() {
  let run = build(&fixture("accepts/nav-data"), &[]);
  let app = read_json(&run.out_dir().join("miniprogram/app.json"));
  assert_eq!(app["preloadRule"]["pages/index/index"]["packages"], serde_json::json!(["packageA"]));
  let manifest = read_json(&run.out_dir().join("wxpack-manifest.json"));
  let home = manifest["pages"].as_array().unwrap().iter().find(|p| p["route"] == "pages/index/index").unwrap();
  assert_eq!(home["opens_from_data"], serde_json::json!(["packageA/pages/chart/chart", "packageA/pages/list/list"]));
  assert!(run.stdout.contains("2 page links found as URLs kept in data"), "{}", run.stdout);
}

/// JSON paths written with escapes (`"\/components\/card\/card"`, as some generators write
/// them) are references like any other: the planner moves the component only a subpackage uses
/// and re-spells the escaped path, and the subpackage page listed as `pages\/list\/list` keeps
/// its route.
#[test]
fn escaped_json_paths_are_read_and_rewritten() {
  let run = build(&fixture("accepts/escaped-json-paths"), &[]);
  assert_eq!(run.code, 0, "{}", run.stderr);
  let files = shipped(&run.out_dir());
  assert!(files.contains(&"pkg/__wxpack__/components/card/card.json".to_string()), "{files:?}");
  assert!(!files.iter().any(|f| f.starts_with("components/")), "{files:?}");
  let page = read_json(&run.out_dir().join("miniprogram/pkg/pages/list/list.json"));
  assert_eq!(page["usingComponents"]["card"], "/pkg/__wxpack__/components/card/card");
  assert!(!run.stderr.contains("warning"), "{}", run.stderr);
}
