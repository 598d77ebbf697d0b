//! The package planner: a fixture where every placement has a known answer, the shared-file
//! policies against budgets, source files that break the package rules, and the properties that
//! must hold for every fixture and for an app assembled from the published libraries: every
//! reference in the output resolves, the package rules hold, page routes are unchanged, and each
//! moved JS module still loads in node, with its real dependencies, exporting what it did.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

mod common;
use wxpack_corpus as corpus_app;

use std::{collections::BTreeMap, fs};

use common::{build, check::check_output, fixture, read_json, tree, wxpack};
use serde_json::Value;

/// Each file's decision and the packages it ships in, from a JSON report.
fn placements(report: &Value) -> BTreeMap<String, (String, Vec<String>)> {
  report["placement"]["files"]
    .as_array()
    .unwrap()
    .iter()
    .map(|f| {
      let packages = f["packages"].as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_string()).collect();
      (f["path"].as_str().unwrap().to_string(), (f["decision"].as_str().unwrap().to_string(), packages))
    })
    .collect()
}

#[test]
fn planner_fixture_places_every_kind() {
  let run = build(&fixture("planner"), &["--verbose", "--json", "{tmp}/report.json"]);
  assert_eq!(run.code, 0, "{}", run.stderr);
  let report = read_json(&run.tmp.path().join("report.json"));
  let got = placements(&report);
  let want = |path: &str, decision: &str, packages: &[&str]| {
    let (d, p) = got.get(path).unwrap_or_else(|| panic!("{path} has no placement: {got:#?}"));
    assert_eq!((d.as_str(), p.iter().map(String::as_str).collect::<Vec<_>>()), (decision, packages.to_vec()), "{path}");
  };
  // Used by pkgA alone: every kind moves.
  for path in [
    "lib/format.js",
    "lib/money.js",
    "components/goods-card/goods-card.js",
    "components/goods-card/goods-card.wxml",
    "images/card.png",
    "templates/row.wxml",
    "templates/banner.wxml",
    "wxs/price.wxs",
    "wxs/round.wxs",
    "styles/shop.wxss",
    "images/only-a.png",
    "images/shop-bg.png",
    "miniprogram_npm/mini-lib/tag/index.js",
    "miniprogram_npm/tiny-fmt/index.js",
  ] {
    want(path, "moved", &["pkgA"]);
  }
  // Used by pkgA and pkgB, main has room: kept once in main.
  want("components/badge/badge.js", "shared", &["main"]);
  want("lib/share.js", "shared", &["main"]);
  // Used by main and the independent pkgI: pkgI gets its own copy.
  want("lib/log.js", "copied", &["main", "pkgI"]);
  want("images/logo.png", "copied", &["main", "pkgI"]);
  // Used by nothing: code goes, assets stay.
  for path in ["lib/dead.js", "miniprogram_npm/mini-lib/unused/index.js", "miniprogram_npm/mini-lib/unused/index.wxml"]
  {
    want(path, "pruned", &[]);
  }
  assert!(!got.contains_key("images/unused.png"), "an unused asset stays where it is");
  // Computed paths: what they may name stays, pinned.
  for path in
    ["i18n/en.js", "i18n/zh.js", "images/flags/cn.png", "images/banner-home.png", "images/star.png", "lib/icons.js"]
  {
    want(path, "stay", &["main"]);
    assert!(report["placement"]["files"].as_array().unwrap().iter().any(|f| f["path"] == path && f["pin"].is_object()));
  }
  // Lazy targets ship where they are.
  assert!(run.out_dir().join("miniprogram/pkgB/utils/lazy.js").is_file());
  assert!(run.out_dir().join("miniprogram/pkgA/components/promo-card/promo-card.js").is_file());
  // main before and after planning.
  let p = &report["placement"];
  assert!(p["main_bytes_after"].as_u64().unwrap() < p["main_bytes_before"].as_u64().unwrap());
  assert_eq!(p["main_bytes_after"], report["packages"][0]["bytes_out"]);
}

#[test]
fn rewritten_references_keep_their_form() {
  let run = build(&fixture("planner"), &["--no-minify"]);
  assert_eq!(run.code, 0, "{}", run.stderr);
  let out = run.out_dir().join("miniprogram");
  let read = |p: &str| fs::read_to_string(out.join(p)).unwrap();
  let list_js = read("pkgA/pages/list/list.js");
  assert!(
    list_js.contains("require('../../__wxpack__/lib/format.js')"),
    "relative, quote and extension kept: {list_js}"
  );
  // (an ES module: the import becomes a require when it is compiled to CommonJS)
  assert!(list_js.contains("require(\"../../__wxpack__/lib/money\")"), "an alias whose target moved becomes relative");
  assert!(list_js.contains("require(`../../../lib/share`)"), "a shared file stays put: {list_js}");
  assert!(read("pkgA/pages/list/list.json").contains("\"/pkgA/__wxpack__/components/goods-card/goods-card\""));
  let wxml = read("pkgA/pages/list/list.wxml");
  assert!(wxml.contains("<import src=\"/pkgA/__wxpack__/templates/row.wxml\"/>"), "{wxml}");
  assert!(wxml.contains("<wxs src=\"../../__wxpack__/wxs/price.wxs\""), "{wxml}");
  assert_eq!(
    read("pkgA/__wxpack__/templates/banner.wxml").matches("/pkgA/__wxpack__/images/only-a.png?v=2").count(),
    1
  );
  assert!(read("pkgA/pages/list/list.wxss").starts_with("@import \"../../__wxpack__/styles/shop.wxss\";"));
  assert!(read("pkgA/__wxpack__/styles/shop.wxss").contains("@import \"../../../styles/base.wxss\";"));
  assert!(read("pkgA/__wxpack__/lib/format.js").contains("require('../../../lib/log')"), "a moved file's own requires");
  assert!(read("pkgA/pages/item/item.json").contains("\"../../__wxpack__/miniprogram_npm/mini-lib/tag/index\""));
  // A bare npm module name becomes a relative path that names the folder's index explicitly.
  assert!(read("pkgA/pages/item/item.js").contains("require('../../__wxpack__/miniprogram_npm/tiny-fmt/index')"));
  assert!(
    read("pkgA/__wxpack__/miniprogram_npm/mini-lib/tag/index.js")
      .contains("require('../../../../../miniprogram_npm/mini-lib/common/util')")
  );
  // Files moved together keep their relative references untouched.
  assert!(read("pkgA/__wxpack__/components/goods-card/goods-card.wxml").contains("src=\"../../images/card.png\""));
  assert!(read("pkgI/pages/solo/solo.wxml").contains("/pkgI/__wxpack__/images/logo.png"));
  // Pages never move; app.json is not rewritten.
  assert_eq!(read("app.json"), fs::read_to_string(fixture("planner/app.json")).unwrap());
}

#[test]
fn auto_copies_shared_files_only_when_main_is_tight() {
  let roomy = build(&fixture("planner"), &["--json", "{tmp}/r.json"]);
  let report = read_json(&roomy.tmp.path().join("r.json"));
  let main_after = report["placement"]["main_bytes_after"].as_u64().unwrap();
  assert_eq!(report["placement"]["shared"]["files"], 5, "badge (4 files) and lib/share.js");

  // One byte less room: the solver copies shared files, larger first, until main fits.
  let budget = (main_after - 1).to_string();
  let tight = build(&fixture("planner"), &["--budget-main", &budget, "--json", "{tmp}/r.json"]);
  assert_eq!(tight.code, 0, "{}", tight.stdout);
  let report = read_json(&tight.tmp.path().join("r.json"));
  let got = placements(&report);
  assert_eq!(got["components/badge/badge.wxss"], ("copied".into(), vec!["pkgA".into(), "pkgB".into()]));
  assert_eq!(got["lib/share.js"].0, "shared", "one copy was enough: the smaller file stays in main");
  assert!(report["placement"]["main_bytes_after"].as_u64().unwrap() < main_after);
  assert!(tight.out_dir().join("miniprogram/pkgB/__wxpack__/components/badge/badge.js").is_file());

  let copy = build(&fixture("planner"), &["--shared", "copy", "--json", "{tmp}/r.json"]);
  assert_eq!(read_json(&copy.tmp.path().join("r.json"))["placement"]["shared"]["files"], 0);
  let keep = build(&fixture("planner"), &["--shared", "main", "--budget-main", &budget]);
  assert_eq!(keep.code, 1, "shared = main keeps them in main, over budget: {}", keep.stdout);
}

#[test]
fn an_unmet_budget_names_the_constraint() {
  let run = build(&fixture("planner"), &["--budget-main", "1000", "--json", "{tmp}/r.json"]);
  assert_eq!(run.code, 1);
  let report = read_json(&run.tmp.path().join("r.json"));
  let unmet = &report["placement"]["unmet"][0];
  assert_eq!(unmet["package"], "main");
  assert_eq!(unmet["over_by"].as_u64().unwrap(), unmet["bytes"].as_u64().unwrap() - 1000);
  assert!(run.stdout.contains("main stays over its budget by"), "{}", run.stdout);
  let pages: Vec<&str> =
    report["placement"]["suggestions"].as_array().unwrap().iter().map(|s| s["page"].as_str().unwrap()).collect();
  assert_eq!(pages, ["pages/about/about"], "the home page is the entry and never suggested");
}

#[test]
fn no_plan_ships_the_source_layout_and_still_checks_the_rules() {
  let run = build(&fixture("demo"), &["--no-plan", "--json", "{tmp}/r.json"]);
  assert_eq!(run.code, 0, "{}", run.stderr);
  assert!(!tree(&run.out_dir()).contains("__wxpack__"));
  assert_eq!(read_json(&run.tmp.path().join("r.json"))["placement"]["enabled"], false);
  assert!(run.out_dir().join("miniprogram/utils/legacy.js").is_file(), "nothing is pruned");
  // In the planner fixture the independent pkgI uses two main-package files: only the planner's
  // copies make that valid, so without it each is a warning (DevTools compiles the app), and
  // --strict stops the build there.
  let run = build(&fixture("planner"), &["--no-plan"]);
  assert_eq!(run.code, 0, "{}", run.stderr);
  assert_eq!(
    run.stderr.matches("warning[package-rule]: independent subpackage pkgI cannot use").count(),
    2,
    "{}",
    run.stderr
  );
  let run = build(&fixture("planner"), &["--no-plan", "--strict"]);
  assert_eq!(run.code, 2, "{}", run.stderr);
  assert_eq!(
    run.stderr.matches("error[package-rule]: independent subpackage pkgI cannot use").count(),
    2,
    "{}",
    run.stderr
  );
}

/// The fixtures' outputs check out one case at a time (tests/cases.rs, `check = true`); this
/// checks the outputs of the published component libraries.
#[test]
fn library_outputs_resolve_keep_routes_and_load() {
  let tmp = tempfile::tempdir().unwrap();
  let Some(corpus) = corpus_app::fetch_or_skip("library_outputs_resolve_keep_routes_and_load (npm libraries)") else {
    return;
  };
  let app = corpus_app::assemble_split(&corpus, &tmp.path().join("app"));
  let from_libraries = check_output(&app, &[]).loaded;
  eprintln!("moved or copied modules that load in node with the same exports: {from_libraries} from the libraries");
  assert!(from_libraries > 20, "{from_libraries}");
}

#[test]
fn usage_error_and_bad_config() {
  let tmp = tempfile::tempdir().unwrap();
  let cfg = tmp.path().join("wxpack.toml");
  fs::write(&cfg, "[plan]\nfolder = \"miniprogram_npm\"\n").unwrap();
  let o = wxpack(&[
    "build",
    fixture("planner").to_str().unwrap(),
    "--config",
    cfg.to_str().unwrap(),
    "-o",
    tmp.path().join("o").to_str().unwrap(),
  ]);
  assert_eq!(o.status.code(), Some(2));
  assert!(String::from_utf8_lossy(&o.stderr).contains("plan.folder"));
}

/// The manifest maps every source path the planner re-placed to where it ships: moved and
/// copied files to their copies, a file folded into an identical one (which ships nowhere
/// itself) to that file's copy in its package, whose source has the same bytes.
#[test]
fn the_manifest_places_moved_copied_and_identical_files() {
  let project = fixture("identical");
  let run = build(&project, &[]);
  assert_eq!(run.code, 0, "{}", run.stderr);
  let manifest = read_json(&run.out_dir().join("wxpack-manifest.json"));
  let out = run.out_dir().join("miniprogram");
  let entries = manifest["placements"].as_array().unwrap();
  let text = |v: &Value| v.as_str().unwrap().to_string();
  // A shipped path back to its source: a moved or copied file's copies, else the path itself.
  let mut source_of: BTreeMap<String, String> = BTreeMap::new();
  for p in entries.iter().filter(|p| p["decision"] != "identical") {
    for s in p["shipped"].as_array().unwrap() {
      source_of.insert(text(s), text(&p["source"]));
    }
  }
  let mut folded = 0;
  for p in entries {
    let shipped = p["shipped"].as_array().unwrap();
    assert!(!shipped.is_empty(), "{p}");
    for s in shipped {
      assert!(out.join(text(s)).is_file(), "{s} does not ship");
    }
    if p["decision"] == "identical" {
      let source = text(&p["source"]);
      assert!(!out.join(&source).exists(), "{source} is folded and still ships");
      let keeper = source_of.get(&text(&shipped[0])).cloned().unwrap_or_else(|| text(&shipped[0]));
      assert_eq!(
        fs::read(project.join(&source)).unwrap(),
        fs::read(project.join(&keeper)).unwrap(),
        "{source} ~ {keeper}"
      );
      folded += 1;
    }
  }
  assert!(folded >= 2 && entries.iter().any(|p| p["decision"] == "moved"), "{entries:?}");
}
