//! The lazy-load manifest: preloadRule derived from navigation (merged into the project's own
//! rules, within the quota), lazyCodeLoading, the startup-critical bytes and their budgets, and
//! wxpack-manifest.json. Every written rule names declared pages and packages, and every package
//! wxpack adds is one the page can navigate to.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use wxpack_corpus as corpus_app;

use std::{fs, path::Path};

use common::{build, build_with_config, fixture, read_json, wxpack};
use serde_json::{Value, json};

#[test]
fn preload_fixture_rules_startup_and_manifest() {
  let run = build(&fixture("preload"), &["--verbose", "--json", "{tmp}/report.json"]);
  assert_eq!(run.code, 0, "{}", run.stderr);
  let text: String = run.normalized().lines().filter(|l| !l.contains(" ms")).map(|l| format!("{l}\n")).collect();
  insta::assert_snapshot!("preload_report", text);
  let app = read_json(&run.out_dir().join("miniprogram/app.json"));
  assert_eq!(
    app["preloadRule"],
    json!({
      "pages/index/index": {"packages": ["pkgC", "shop"], "network": "all"},
      "pkgA/pages/list/list": {"packages": ["pkgC"], "network": "all"},
      "pkgD/pages/solo/solo": {"packages": ["__APP__"], "network": "all"}
    }),
    "the hand-written rule keeps its order and network; promo does not fit the quota"
  );
  assert_eq!(app["lazyCodeLoading"], "requiredComponents");
  let report = read_json(&run.tmp.path().join("report.json"));
  assert_eq!(
    report["preload"]["left_out"],
    json!([{"page": "pages/index/index", "package": "promo", "bytes": report["preload"]["left_out"][0]["bytes"], "quota_used": report["preload"]["left_out"][0]["quota_used"]}])
  );
  let left = &report["preload"]["left_out"][0];
  assert!(left["bytes"].as_u64().unwrap() + left["quota_used"].as_u64().unwrap() > 3072);
  let unanalysable: Vec<&str> = report["unanalysable"]
    .as_array()
    .unwrap()
    .iter()
    .filter(|u| u["kind"] == "navigate")
    .map(|u| u["file"].as_str().unwrap())
    .collect();
  assert_eq!(unanalysable, ["pages/mine/mine.js", "pages/mine/mine.js"]);
  assert!(run.stderr.contains("warning[unknown-page]: opens \"/pages/gone/gone\""), "{}", run.stderr);
  let startup: Vec<(&str, &str)> = report["startup"]["pages"]
    .as_array()
    .unwrap()
    .iter()
    .map(|p| (p["page"].as_str().unwrap(), p["reason"].as_str().unwrap()))
    .collect();
  assert_eq!(
    startup,
    [("pages/index/index", "entry"), ("pages/mine/mine", "tabbar"), ("pkgA/pages/list/list", "config")]
  );
  let list = &report["startup"]["pages"][2];
  assert_eq!(list["packages"], json!(["main", "pkgA"]));
  let main_and_a: u64 =
    report["packages"].as_array().unwrap()[..2].iter().map(|p| p["bytes_out"].as_u64().unwrap()).sum();
  assert_eq!(list["bytes"].as_u64().unwrap(), main_and_a, "startup bytes are the downloaded packages' shipped bytes");
  let manifest = fs::read_to_string(run.out_dir().join("wxpack-manifest.json")).unwrap();
  insta::assert_snapshot!("preload_manifest", manifest);
}

#[test]
fn the_manifest_is_deterministic_and_never_uploaded() {
  let a = build(&fixture("preload"), &["--zip", "{tmp}/app.zip"]);
  let b = build(&fixture("preload"), &[]);
  let read = |r: &common::Run| fs::read(r.out_dir().join("wxpack-manifest.json")).unwrap();
  assert_eq!(read(&a), read(&b));
  let zip = fs::read(a.tmp.path().join("app.zip")).unwrap();
  assert!(!zip.windows(14).any(|w| w == b"wxpack-manifes"), "the manifest is not in the upload zip");
  assert!(!a.out_dir().join("miniprogram/wxpack-manifest.json").exists());
}

#[test]
fn merge_and_off_modes() {
  let run_with = |toml: &str| {
    let run = build_with_config(&fixture("preload"), toml, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    read_json(&run.out_dir().join("miniprogram/app.json"))
  };
  let merged = run_with("[preload]\nmode = \"merge\"\nquota = \"3KB\"\n");
  assert_eq!(merged["preloadRule"], json!({"pages/index/index": {"packages": ["pkgC", "shop"], "network": "all"}}));
  assert!(merged.get("lazyCodeLoading").is_none(), "lazy_code_loading is off by default");
  let off = run_with("preload = \"off\"\n");
  assert_eq!(off["preloadRule"], json!({"pages/index/index": {"packages": ["pkgC"], "network": "all"}}));
  // With the platform's 2 MB quota, everything fits, and a configured network wins.
  let roomy = run_with("[preload]\nnetwork = \"wifi\"\n");
  assert_eq!(roomy["preloadRule"]["pages/index/index"]["packages"], json!(["pkgC", "shop", "promo"]));
  assert_eq!(roomy["preloadRule"]["pkgD/pages/solo/solo"]["network"], "wifi");
}

#[test]
fn startup_budgets_fail_the_build() {
  let toml = "[startup]\nbudget_bytes = 1000\nbudget_ms = 50\nbudget_profile = \"3g\"\n";
  let run = build_with_config(&fixture("preload"), toml, &["--json", "{tmp}/r.json"]);
  assert_eq!(run.code, 1, "{}", run.stdout);
  assert!(run.stdout.contains("over budget: startup of pages/index/index is"), "{}", run.stdout);
  let r = read_json(&run.tmp.path().join("r.json"));
  assert_eq!(r["status"], "over_budget");
  let measures: Vec<&str> =
    r["startup"]["violations"].as_array().unwrap().iter().map(|v| v["measure"].as_str().unwrap()).collect();
  assert!(measures.contains(&"bytes") && measures.contains(&"ms"), "{measures:?}");
  let bad = build_with_config(&fixture("preload"), "[startup]\npages = [\"pages/nope/nope\"]\n", &[]);
  assert_eq!(bad.code, 2);
  assert!(bad.stderr.contains("startup.pages names \"pages/nope/nope\""), "{}", bad.stderr);
  // Located at its string in wxpack.toml (checked right after app.json is read).
  assert!(bad.stderr.contains("wxpack.toml:2:10: error[invalid-toml]"), "{}", bad.stderr);
}

/// A preloadRule of the wrong shape is read as little as it says and each part is a located
/// warning: a rule that is no object, `packages` that is no array, a `network` that is neither
/// `wifi` nor `all`.
#[test]
fn malformed_preload_rules_are_located_warnings() {
  let tmp = tempfile::tempdir().unwrap();
  common::copy_fixture("preload", tmp.path());
  let app_path = tmp.path().join("app.json");
  let mut app: Value = serde_json::from_str(&fs::read_to_string(&app_path).unwrap()).unwrap();
  app["preloadRule"] = json!({
    "pages/index/index": { "packages": "pkgC", "network": "4g" },
    "pages/mine/mine": "shop"
  });
  fs::write(&app_path, serde_json::to_string_pretty(&app).unwrap()).unwrap();
  let out = tmp.path().join("out");
  let o = wxpack(&["build", tmp.path().to_str().unwrap(), "-o", out.to_str().unwrap()]);
  let stderr = String::from_utf8_lossy(&o.stderr);
  assert_eq!(o.status.code(), Some(0), "{stderr}");
  for (what, line) in [
    ("preloadRule for pages/index/index: packages is not an array", 50),
    ("preloadRule for pages/index/index: network \"4g\" is neither \"wifi\" nor \"all\"", 50),
    ("preloadRule for pages/mine/mine is not an object", 54),
  ] {
    assert!(stderr.contains(&format!("app.json:{line}:")) && stderr.contains(what), "{what}: {stderr}");
  }
}

/// Every rule of the output app.json names a declared page and existing packages, and every
/// package wxpack added is one that page can open.
fn check_rules(project: &Path) -> usize {
  let tmp = tempfile::tempdir().unwrap();
  let out = tmp.path().join("out");
  let o = wxpack(&[
    "build",
    project.to_str().unwrap(),
    "-o",
    out.to_str().unwrap(),
    "--json",
    tmp.path().join("r.json").to_str().unwrap(),
    "--quiet",
  ]);
  assert!(matches!(o.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&o.stderr));
  let report = read_json(&tmp.path().join("r.json"));
  let manifest = read_json(&out.join("wxpack-manifest.json"));
  let app = read_json(&out.join("miniprogram/app.json"));
  let packages = manifest["packages"].as_array().unwrap();
  let subs: Vec<&Value> =
    app["subpackages"].as_array().or(app["subPackages"].as_array()).into_iter().flatten().collect();
  let names_package = |name: &str| -> Option<String> {
    if name == "__APP__" {
      return Some("main".into());
    }
    subs
      .iter()
      .find(|s| s["name"] == name || s["root"].as_str().unwrap().trim_matches('/') == name.trim_matches('/'))
      .map(|s| s["root"].as_str().unwrap().trim_matches('/').to_string())
  };
  let pages: Vec<&Value> = manifest["pages"].as_array().unwrap().iter().collect();
  let rules = report["preload"]["rules"].as_array().unwrap();
  let mut keys: Vec<&str> = rules.iter().map(|r| r["page"].as_str().unwrap()).collect();
  keys.sort_unstable();
  keys.dedup();
  assert_eq!(keys.len(), rules.len(), "one rule per page");
  let mut added = 0;
  for (page, rule) in app["preloadRule"].as_object().into_iter().flatten() {
    let entry = pages.iter().find(|p| p["route"] == page.as_str()).unwrap_or_else(|| panic!("{page} is no page"));
    for name in rule["packages"].as_array().unwrap() {
      assert!(names_package(name.as_str().unwrap()).is_some(), "{page}: {name} is no package");
    }
    let rule_report =
      report["preload"]["rules"].as_array().unwrap().iter().find(|r| r["page"] == page.as_str()).unwrap();
    for name in rule_report["added"].as_array().unwrap() {
      let root = names_package(name.as_str().unwrap()).unwrap();
      let package = packages.iter().find(|p| p["name"] == root.as_str()).unwrap();
      let reachable =
        entry["opens"].as_array().unwrap().iter().any(|o| package["pages"].as_array().unwrap().contains(o));
      assert!(reachable, "{page} preloads {name}, which it cannot open");
      added += 1;
    }
  }
  added
}

#[test]
fn written_rules_name_real_pages_and_reachable_packages() {
  let mut added = 0;
  for name in ["demo", "planner", "preload", "tiny", "minify"] {
    added += check_rules(&fixture(name));
  }
  assert_eq!(added, 3, "the preload fixture's three additions");
  let tmp = tempfile::tempdir().unwrap();
  let Some(corpus) = corpus_app::fetch_or_skip("preload on the npm libraries") else { return };
  let app = corpus_app::assemble_split(&corpus, &tmp.path().join("app"));
  check_rules(&app);
}
