//! Runs the real binary on every fixture: report snapshots, exit codes, output tree, JSON report,
//! zip determinism, and what a failed build leaves behind.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use wxpack_corpus as corpus_app;

use std::fs;

use common::{build, fixture, read_json, tree, wxpack};
use corpus_app::copy_dir;

#[test]
fn source_maps_go_beside_the_code_never_inside() {
  let run = build(&fixture("minify"), &["--source-maps", "--zip", "{tmp}/app.zip"]);
  assert_eq!(run.code, 0, "{}", run.stderr);
  let map = read_json(&run.out_dir().join("sourcemaps/pages/index/index.js.map"));
  assert_eq!(map["sources"][0], "pages/index/index.js");
  assert_eq!(
    map["sourcesContent"][0].as_str().unwrap(),
    fs::read_to_string(fixture("minify/pages/index/index.js")).unwrap()
  );
  let code = fs::read_to_string(run.out_dir().join("miniprogram/pages/index/index.js")).unwrap();
  assert!(!code.contains("sourceMappingURL"), "shipped code does not point at maps");
  assert!(!tree(&run.out_dir().join("miniprogram")).contains(".map"));
  let zip = fs::read(run.tmp.path().join("app.zip")).unwrap();
  assert!(!zip.windows(11).any(|w| w == b"sourcemaps/"), "maps are not in the upload zip");
}

#[test]
fn no_minify_ships_files_unchanged() {
  let run = build(&fixture("minify"), &["--no-minify"]);
  assert_eq!(run.code, 0, "{}", run.stderr);
  let src = fixture("minify");
  for line in tree(&run.out_dir().join("miniprogram")).lines() {
    let path = line.rsplit_once(' ').unwrap().0;
    assert_eq!(
      fs::read(run.out_dir().join("miniprogram").join(path)).unwrap(),
      fs::read(src.join(path)).unwrap(),
      "{path}"
    );
  }
}

#[test]
fn keep_going_ships_a_broken_file_unchanged() {
  let run = build(&fixture("errors/js-syntax"), &["--keep-going"]);
  assert_eq!(run.code, 0, "{}", run.stderr);
  assert!(run.stderr.contains("warning[syntax]"), "{}", run.stderr);
  let src = fs::read(fixture("errors/js-syntax/pages/index/index.js")).unwrap();
  assert_eq!(fs::read(run.out_dir().join("miniprogram/pages/index/index.js")).unwrap(), src);
  assert!(run.stdout.contains("pages/index/index.js  does not parse"), "{}", run.stdout);
}

/// Lossless recompression: smaller, pixels identical, orientation kept, bad files shipped as
/// they were with a warning, and the platform's image flags reported.
#[test]
fn images_fixture() {
  let run = build(&fixture("images"), &["--json", "{tmp}/report.json"]);
  assert_eq!(run.code, 0, "{}", run.stderr);
  let src = fixture("images/images");
  let out = run.out_dir().join("miniprogram/images");
  for name in [
    "palette.png",
    "gradient-rgba.png",
    "photo-rgba.png",
    "big-photo.png",
    "named-jpg.jpg",
    "rotated.jpg",
    "tab-heavy.png",
  ] {
    let (a, b) = (fs::read(src.join(name)).unwrap(), fs::read(out.join(name)).unwrap());
    assert!(b.len() <= a.len(), "{name} grew");
    let pixels = |x: &[u8]| image::load_from_memory(x).unwrap().to_rgba16().into_raw();
    assert_eq!(pixels(&a), pixels(&b), "{name}: pixels differ");
  }
  for name in ["truncated.png", "bomb.png", "spinner.gif"] {
    assert_eq!(fs::read(src.join(name)).unwrap(), fs::read(out.join(name)).unwrap(), "{name} ships unchanged");
  }
  let report = read_json(&run.tmp.path().join("report.json"));
  let flagged: Vec<&str> =
    report["images"]["flagged"].as_array().unwrap().iter().map(|f| f["reason"].as_str().unwrap()).collect();
  assert_eq!(flagged, ["image-over-200kb", "tabbar-icon-over-40kb"]);
}

/// Every entry file of the build cache in `dir` (an image's result is one; the packs of small
/// entries are not).
fn cache_entries(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
  let shards = fs::read_dir(dir.join("v1")).unwrap().map(|s| s.unwrap().path());
  let shards = shards.filter(|s| s.is_dir() && !s.ends_with("packs"));
  shards.flat_map(|s| fs::read_dir(s).unwrap().map(|e| e.unwrap().path())).collect()
}

#[test]
fn image_cache_is_reused_and_lives_outside_the_output() {
  let tmp = tempfile::tempdir().unwrap();
  let cfg = tmp.path().join("wxpack.toml");
  fs::write(
    &cfg,
    format!("[images]\ncache_dir = {:?}\npng_lossy = true\npng_min_psnr = 30\n", tmp.path().join("cache")),
  )
  .unwrap();
  let project = fixture("images");
  let mut trees = Vec::new();
  for out in ["a", "b"] {
    let out = tmp.path().join(out);
    let o = common::wxpack_own_cache(&[
      "build",
      project.to_str().unwrap(),
      "--config",
      cfg.to_str().unwrap(),
      "-o",
      out.to_str().unwrap(),
      "--json",
      tmp.path().join("r.json").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    trees.push(common::contents_hash(&out));
  }
  assert_eq!(trees[0], trees[1], "a cached build gives the same output");
  let entries = cache_entries(&tmp.path().join("cache"));
  assert!(entries.len() >= 13, "one result per image: {entries:?}");
  let report = read_json(&tmp.path().join("r.json"));
  assert!(report["images"]["worst_psnr"].as_f64().unwrap() >= 30.0, "lossy results respect the floor");
  // Equal outputs would also come from compressing again: replace the stored images (with the
  // length and hash their entries check), and the next build ships them, so it read the cache
  // instead of recompressing.
  let mut tampered = 0;
  for p in entries {
    let payload = wxpack::cache::payload(fs::read(&p).unwrap()).unwrap();
    // An image's entry: its result, and whether bytes follow.
    if let Some(((result, true), _)) = wxpack::cache::unpack::<(serde_json::Value, bool)>(payload) {
      let fake = wxpack::cache::pack(&(result, true), b"from the cache").unwrap();
      fs::write(&p, wxpack::cache::entry(&fake)).unwrap();
      tampered += 1;
    }
  }
  assert!(tampered >= 5, "{tampered}");
  let out = tmp.path().join("c");
  let o = common::wxpack_own_cache(&[
    "build",
    project.to_str().unwrap(),
    "--config",
    cfg.to_str().unwrap(),
    "-o",
    out.to_str().unwrap(),
  ]);
  assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
  let shipped = out.join("miniprogram");
  let hits = tree(&shipped)
    .lines()
    .filter(|l| fs::read(shipped.join(l.rsplit_once(' ').unwrap().0)).unwrap() == b"from the cache")
    .count();
  assert_eq!(hits, tampered, "every stored result was used");
}

#[test]
fn over_budget_exits_1_and_names_the_package() {
  let run = build(&fixture("over-budget"), &[]);
  assert_eq!(run.code, 1, "{}", run.stderr);
  assert!(run.stdout.contains("over budget: main"), "{}", run.stdout);
  assert!(run.stdout.contains("images/big.png"), "the largest files of the package are listed");
}

#[test]
fn budget_flags_override_the_config_file() {
  // The fixture's wxpack.toml sets main = 4KB; the flag raises it back to the platform's 2 MB.
  let run = build(&fixture("over-budget"), &["--budget-main", "2MB", "--budget-sub", "2048KB"]);
  assert_eq!(run.code, 0, "{}", run.stdout);
  let run = build(&fixture("tiny"), &["--budget-main", "100"]);
  assert_eq!(run.code, 1, "{}", run.stdout);
}

/// Builds a copy of fixture `name` with `file` written as `text` into OUT = <tmp>/out; the build
/// must succeed. Returns the folder and stderr.
fn build_with_file(name: &str, file: &str, text: &str) -> (tempfile::TempDir, String) {
  let tmp = tempfile::tempdir().unwrap();
  common::copy_fixture(name, tmp.path());
  fs::write(tmp.path().join(file), text).unwrap();
  let out = tmp.path().join("out");
  let o = common::wxpack(&["build", tmp.path().to_str().unwrap(), "-o", out.to_str().unwrap()]);
  let stderr = String::from_utf8_lossy(&o.stderr).to_string();
  assert_eq!(o.status.code(), Some(0), "{stderr}");
  (tmp, stderr)
}

/// A `lazyCodeLoading` value the platform does not know switches lazy injection off without a
/// word from DevTools; wxpack says where it is, and builds as DevTools does.
#[test]
fn unknown_lazy_code_loading_is_located() {
  let app = "{\n  \"pages\": [\"pages/index/index\"],\n  \"lazyCodeLoading\": \"requiredComponent\"\n}\n";
  let (tmp, stderr) = build_with_file("tiny", "app.json", app);
  assert!(
    stderr.contains("app.json:3:23: warning[invalid-config]: lazyCodeLoading is \"requiredComponent\""),
    "{stderr}"
  );
  let manifest = common::read_json(&tmp.path().join("out/wxpack-manifest.json"));
  assert_eq!(manifest["lazy_code_loading"], false, "the value is read as the platform reads it");
}

/// A `[budget.packages]` key that names no subpackage would never apply: a warning at its line
/// in wxpack.toml (an error under `--strict`), with the names that would.
#[test]
fn budget_keys_naming_no_package_are_located() {
  let toml = "# budgets\n[budget.packages]\nshop = \"1MB\"\npackageB = \"1MB\"\nshpo = \"1MB\"\n";
  let (tmp, stderr) = build_with_file("demo", "wxpack.toml", toml);
  assert!(
    stderr.contains("wxpack.toml:5:1: warning[unknown-package]: [budget.packages] \"shpo\" names no subpackage"),
    "{stderr}"
  );
  assert!(stderr.contains("use a subpackage root or name: shop, promo"), "{stderr}");
  assert_eq!(stderr.matches("unknown-package").count(), 1, "{stderr}");
  let out = tmp.path().join("strict");
  let o = common::wxpack(&["build", tmp.path().to_str().unwrap(), "-o", out.to_str().unwrap(), "--strict"]);
  assert_eq!(o.status.code(), Some(2));
  assert!(String::from_utf8_lossy(&o.stderr).contains("wxpack.toml:5:1: error[unknown-package]"));
}

/// Packages are told apart by id, not by the label the report prints: a subpackage whose root
/// is `main` is not the main package.
#[test]
fn a_subpackage_rooted_at_main_is_not_the_main_package() {
  let tmp = tempfile::tempdir().unwrap();
  let p = tmp.path();
  fs::create_dir_all(p.join("pages/index")).unwrap();
  fs::create_dir_all(p.join("main/pages/a")).unwrap();
  fs::write(p.join("project.config.json"), r#"{"appid":"touristappid","compileType":"miniprogram"}"#).unwrap();
  let app = r#"{"pages":["pages/index/index"],"subpackages":[{"root":"main","pages":["pages/a/a"]}]}"#;
  fs::write(p.join("app.json"), app).unwrap();
  fs::write(p.join("app.js"), "App({})").unwrap();
  fs::write(p.join("pages/index/index.js"), "Page({})").unwrap();
  fs::write(p.join("pages/index/index.wxml"), "<view>home</view>").unwrap();
  fs::write(p.join("main/pages/a/a.js"), format!("Page({{data:{{t:'{}'}}}})", "x".repeat(4000))).unwrap();
  fs::write(p.join("main/pages/a/a.wxml"), "<view>a</view>").unwrap();
  let out = p.join("out");
  let reports = tempfile::tempdir().unwrap();
  let report = reports.path().join("r.json");
  let o =
    common::wxpack(&["build", p.to_str().unwrap(), "-o", out.to_str().unwrap(), "--json", report.to_str().unwrap()]);
  assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
  let r = read_json(&report);
  let main = &r["packages"][0];
  assert_eq!(main["kind"], "main");
  assert!(main["bytes_out"].as_u64().unwrap() < 1000, "{main}");
  assert_eq!(r["placement"]["main_bytes_after"], main["bytes_out"]);
  assert!(r["packages"][1]["bytes_out"].as_u64().unwrap() > 4000, "{}", r["packages"][1]);
}

#[test]
fn json_report_matches_bytes_on_disk() {
  let run = build(&fixture("demo"), &["--json", "{tmp}/report.json"]);
  assert_eq!(run.code, 0, "{}", run.stderr);
  let report = read_json(&run.tmp.path().join("report.json"));
  assert_eq!(report["schema_version"], 1);
  let out = run.out_dir().join("miniprogram");
  let mut total = 0;
  for f in report["files"].as_array().unwrap() {
    let path = out.join(f["path"].as_str().unwrap());
    let on_disk = fs::metadata(&path).unwrap().len();
    assert_eq!(f["bytes_out"].as_u64().unwrap(), on_disk, "{}", path.display());
    total += on_disk;
  }
  assert_eq!(report["total"]["bytes_out"].as_u64().unwrap(), total);
  let by_package: u64 = report["packages"].as_array().unwrap().iter().map(|p| p["bytes_out"].as_u64().unwrap()).sum();
  assert_eq!(by_package, total, "every shipped byte belongs to exactly one package");
  // Nothing else ships: the output holds exactly the reported files.
  let shipped = tree(&out).lines().count();
  assert_eq!(shipped, report["files"].as_array().unwrap().len());
}

#[test]
fn json_to_stdout_replaces_the_text_report() {
  let run = build(&fixture("tiny"), &["--json", "-"]);
  assert_eq!(run.code, 0);
  let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
  assert_eq!(v["status"], "ok");
}

#[test]
fn zip_is_deterministic() {
  let a = build(&fixture("demo"), &["--zip", "{tmp}/app.zip"]);
  let b = build(&fixture("demo"), &["--zip", "{tmp}/app.zip"]);
  let (za, zb) = (fs::read(a.tmp.path().join("app.zip")).unwrap(), fs::read(b.tmp.path().join("app.zip")).unwrap());
  assert!(!za.is_empty());
  assert_eq!(za, zb, "two builds of the same input must give byte-identical zips");
  assert_eq!(&za[..4], b"PK\x03\x04");
  // Byte-identical within one 2-second timestamp slot proves little: every entry carries the
  // fixed zip epoch (1980-01-01 00:00), whenever it was built, and entries come sorted.
  let mut archive = zip::ZipArchive::new(std::io::Cursor::new(za)).unwrap();
  let mut names = Vec::new();
  for i in 0..archive.len() {
    let entry = archive.by_index(i).unwrap();
    let t = entry.last_modified().unwrap();
    assert_eq!(
      (t.year(), t.month(), t.day(), t.hour(), t.minute(), t.second()),
      (1980, 1, 1, 0, 0, 0),
      "{}",
      entry.name()
    );
    names.push(entry.name().to_string());
  }
  assert!(names.len() > 10 && names.windows(2).all(|w| w[0] < w[1]), "{names:?}");
}

#[test]
fn unresolved_require_warns_and_strict_fails() {
  let run = build(&fixture("errors/unresolved-require"), &[]);
  assert_eq!(run.code, 0);
  assert!(run.stderr.contains("pages/index/index.js:1:22: warning[unresolved]"), "{}", run.stderr);
  let run = build(&fixture("errors/unresolved-require"), &["--strict"]);
  assert_eq!(run.code, 2);
  assert!(run.stderr.contains("error[unresolved]"), "{}", run.stderr);
}

#[test]
fn failed_build_leaves_existing_out_dir_untouched() {
  let first = build(&fixture("tiny"), &[]);
  assert_eq!(first.code, 0);
  let before = tree(&first.out_dir());
  let out = first.out_dir().display().to_string();
  let failed = wxpack(&["build", fixture("errors/js-syntax").to_str().unwrap(), "-o", &out]);
  assert_eq!(failed.status.code(), Some(2));
  assert_eq!(tree(&first.out_dir()), before);
  let mut siblings: Vec<_> = fs::read_dir(first.tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
  siblings.sort();
  // The tests' image cache is elsewhere (common::image_cache).
  assert_eq!(siblings, ["out"], "no temporary folder is left behind");
}

#[test]
fn rebuild_replaces_previous_output() {
  let first = build(&fixture("demo"), &[]);
  let out = first.out_dir().display().to_string();
  let again = wxpack(&["build", fixture("tiny").to_str().unwrap(), "-o", &out]);
  assert_eq!(again.status.code(), Some(0));
  assert!(!first.out_dir().join("miniprogram/packageA").exists(), "old files are gone");
}

#[test]
fn refuses_foreign_or_source_out_dirs() {
  let tmp = tempfile::tempdir().unwrap();
  fs::write(tmp.path().join("precious.txt"), "keep").unwrap();
  let o = wxpack(&["build", fixture("tiny").to_str().unwrap(), "-o", tmp.path().to_str().unwrap()]);
  assert_eq!(o.status.code(), Some(2));
  assert!(String::from_utf8_lossy(&o.stderr).contains("was not written by wxpack"));
  assert_eq!(fs::read_to_string(tmp.path().join("precious.txt")).unwrap(), "keep");
  let fixtures = fixture("");
  let o = wxpack(&["build", fixture("tiny").to_str().unwrap(), "-o", fixtures.to_str().unwrap()]);
  assert_eq!(o.status.code(), Some(2));
  assert!(String::from_utf8_lossy(&o.stderr).contains("contains, the project"));
}

#[test]
fn out_dir_inside_project_is_not_scanned() {
  let tmp = tempfile::tempdir().unwrap();
  copy_dir(&fixture("tiny"), tmp.path());
  let project = tmp.path().to_str().unwrap();
  // The report inside the output folder, written with it.
  let at = tmp.path().join("dist/r.json");
  for _ in 0..2 {
    let o = wxpack(&["build", project, "--json", at.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
  }
  let report = read_json(&at);
  let paths: Vec<&str> = report["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
  assert!(paths.iter().all(|p| !p.starts_with("dist")), "{paths:?}");
  assert!(!paths.contains(&"project.config.json"), "tool config does not ship");
}

#[test]
fn symlink_outside_project_is_an_error() {
  let tmp = tempfile::tempdir().unwrap();
  let project = tmp.path().join("p");
  copy_dir(&fixture("tiny"), &project);
  let outside = tmp.path().join("secret");
  fs::create_dir(&outside).unwrap();
  fs::write(outside.join("a.js"), "x").unwrap();
  std::os::unix::fs::symlink(&outside, project.join("linked")).unwrap();
  let o = wxpack(&["build", project.to_str().unwrap(), "-o", tmp.path().join("out").to_str().unwrap()]);
  assert_eq!(o.status.code(), Some(2));
  assert!(String::from_utf8_lossy(&o.stderr).contains("error[symlink-outside]"));
  assert!(!tmp.path().join("out").exists());
}

#[test]
fn dangling_file_is_a_located_error() {
  let tmp = tempfile::tempdir().unwrap();
  let project = tmp.path().join("p");
  copy_dir(&fixture("tiny"), &project);
  std::os::unix::fs::symlink(project.join("nowhere.js"), project.join("pages/index/broken.js")).unwrap();
  let o = wxpack(&["build", project.to_str().unwrap(), "-o", tmp.path().join("out").to_str().unwrap()]);
  assert_eq!(o.status.code(), Some(2));
  let err = String::from_utf8_lossy(&o.stderr);
  assert!(err.contains("broken.js") && err.contains("error[io]"), "{err}");
}

#[test]
fn unknown_config_key_names_key_and_file() {
  let tmp = tempfile::tempdir().unwrap();
  let cfg = tmp.path().join("wxpack.toml");
  fs::write(&cfg, "[budget]\nmain = \"2MB\"\nsubpackages = \"1MB\"\n").unwrap();
  let o = wxpack(&[
    "build",
    fixture("tiny").to_str().unwrap(),
    "--config",
    cfg.to_str().unwrap(),
    "-o",
    tmp.path().join("o").to_str().unwrap(),
  ]);
  assert_eq!(o.status.code(), Some(2));
  let err = String::from_utf8_lossy(&o.stderr);
  assert!(err.contains("wxpack.toml:3:1") && err.contains("subpackages"), "{err}");
}

#[test]
fn usage_errors_exit_2_and_help_teaches() {
  assert_eq!(wxpack(&["build", "--budget-main", "2XB"]).status.code(), Some(2));
  assert_eq!(wxpack(&["frobnicate"]).status.code(), Some(2));
  let help = wxpack(&["build", "--help"]);
  assert_eq!(help.status.code(), Some(0));
  insta::assert_snapshot!("build_help", String::from_utf8_lossy(&help.stdout));
  let help = wxpack(&["diff", "--help"]);
  assert_eq!(help.status.code(), Some(0));
  insta::assert_snapshot!("diff_help", String::from_utf8_lossy(&help.stdout));
  assert_eq!(wxpack(&["diff", "only-one.json"]).status.code(), Some(2));
}

/// A page whose styles are in a `.css` file (and no `.wxss`) ships unstyled: the platform loads
/// only `.wxss`. A located warning, an error under `--strict`.
#[test]
fn a_css_file_in_place_of_wxss_is_reported() {
  let tmp = tempfile::tempdir().unwrap();
  common::copy_fixture("tiny", tmp.path());
  let page = tmp.path().join("pages/index/index");
  std::fs::rename(page.with_extension("wxss"), page.with_extension("css")).unwrap();
  let project = tmp.path().to_str().unwrap();
  let out = tmp.path().join("out");
  let o = common::wxpack(&["build", project, "-o", out.to_str().unwrap()]);
  let stderr = String::from_utf8_lossy(&o.stderr);
  assert_eq!(o.status.code(), Some(0), "{stderr}");
  assert!(
    stderr.contains(
      "pages/index/index.css: warning[ignored-css]: pages/index/index.css is a .css stylesheet, which the platform never loads: pages/index/index ships unstyled"
    ),
    "{stderr}"
  );
  assert!(stderr.contains("rename it to index.wxss"), "{stderr}");
  let o = common::wxpack(&["build", project, "-o", tmp.path().join("strict").to_str().unwrap(), "--strict"]);
  let stderr = String::from_utf8_lossy(&o.stderr);
  assert_eq!(o.status.code(), Some(2), "{stderr}");
  assert!(stderr.contains("error[ignored-css]"), "{stderr}");
}

/// One prefix policy whatever `setting.postcss` says (tiny's is off): the engines of
/// `min_base_library` by default (iOS 8 needs `-webkit-flex`), none with `[wxss] prefixes =
/// "none"`; the output turns DevTools' postcss off either way, so the upload is what was measured.
#[test]
fn wxss_gets_the_prefixes_the_oldest_client_needs() {
  let css = ".hello { display: flex; align-items: center }\n";
  let built = |toml: &str| {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_fixture("tiny", tmp.path());
    fs::write(tmp.path().join("pages/index/index.wxss"), css).unwrap();
    fs::write(tmp.path().join("wxpack.toml"), toml).unwrap();
    let out = tmp.path().join("out");
    let o = common::wxpack(&["build", tmp.path().to_str().unwrap(), "-o", out.to_str().unwrap(), "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let wxss = fs::read_to_string(out.join("miniprogram/pages/index/index.wxss")).unwrap();
    let setting = common::read_json(&out.join("project.config.json"))["setting"].clone();
    (wxss, setting["postcss"].clone())
  };
  let (auto, postcss) = built("");
  assert!(auto.contains("display:-webkit-flex") && auto.contains("-webkit-align-items"), "{auto}");
  assert_eq!(postcss, false);
  let (devtools, _) = built("[wxss]\nprefixes = \"devtools\"\n");
  assert!(devtools.contains("display:-webkit-flex"), "{devtools}");
  let (none, postcss) = built("[wxss]\nprefixes = \"none\"\n");
  assert!(!none.contains("-webkit-"), "{none}");
  assert_eq!(postcss, false);
  let (modern, _) = built("min_base_library = \"3.6.0\"\n");
  assert!(!modern.contains("-webkit-"), "iOS 14 and Chrome 86 need none: {modern}");
}

/// `--quiet` prints nothing when the build passes, and on stderr why it failed when over budget.
#[test]
fn quiet_still_says_which_budget_was_passed() {
  let run = build(&fixture("over-budget"), &["--quiet"]);
  assert_eq!(run.code, 1);
  assert!(run.stdout.is_empty(), "{}", run.stdout);
  assert!(run.stderr.contains("over budget: main is"), "{}", run.stderr);
  let run = build(&fixture("tiny"), &["--quiet"]);
  assert_eq!((run.code, run.stdout.as_str(), run.stderr.as_str()), (0, "", ""));
}

/// An image file that holds no image (empty, or random bytes) ships as it is, with a warning.
#[test]
fn a_file_named_as_an_image_that_holds_none_is_a_warning() {
  let tmp = tempfile::tempdir().unwrap();
  copy_dir(&fixture("tiny"), tmp.path());
  fs::create_dir_all(tmp.path().join("img")).unwrap();
  fs::write(tmp.path().join("img/empty.png"), b"").unwrap();
  fs::write(tmp.path().join("img/noise.jpg"), (0..300u32).map(|i| (i * 7919 % 251) as u8).collect::<Vec<_>>()).unwrap();
  let wxml = tmp.path().join("pages/index/index.wxml");
  let mut text = fs::read_to_string(&wxml).unwrap();
  text.push_str("<image src=\"/img/empty.png\"/><image src=\"/img/noise.jpg\"/>\n");
  fs::write(&wxml, text).unwrap();
  let out = tmp.path().join("dist");
  let o = wxpack(&["build", tmp.path().to_str().unwrap()]);
  let stderr = String::from_utf8_lossy(&o.stderr);
  assert_eq!(o.status.code(), Some(0), "{stderr}");
  assert!(stderr.contains("img/empty.png: warning[image]: img/empty.png is empty"), "{stderr}");
  assert!(stderr.contains("img/noise.jpg holds no .jpg data"), "{stderr}");
  assert_eq!(fs::read(out.join("miniprogram/img/empty.png")).unwrap(), b"");
}

/// Errors found in a file's bytes or app.json's values point at their line and column.
#[test]
fn invalid_utf8_and_an_empty_page_are_located() {
  let tmp = tempfile::tempdir().unwrap();
  copy_dir(&fixture("tiny"), tmp.path());
  fs::write(tmp.path().join("utils.js"), b"var a = 1;\nvar b = \"x\xff\";\nmodule.exports = a;\n").unwrap();
  let index = tmp.path().join("pages/index/index.js");
  let mut js = fs::read_to_string(&index).unwrap();
  js.push_str("require('../../utils.js');\n");
  fs::write(&index, js).unwrap();
  let o = wxpack(&["build", tmp.path().to_str().unwrap(), "-o", tmp.path().join("o").to_str().unwrap()]);
  assert_eq!(o.status.code(), Some(2));
  assert!(String::from_utf8_lossy(&o.stderr).contains("utils.js:2:11: error[io]: not valid UTF-8"), "{o:?}");
  let app = tmp.path().join("app.json");
  fs::write(&app, r#"{"pages": ["pages/index/index", "/"]}"#).unwrap();
  fs::write(tmp.path().join("utils.js"), "module.exports = 1;\n").unwrap();
  let o = wxpack(&["build", tmp.path().to_str().unwrap(), "-o", tmp.path().join("o").to_str().unwrap()]);
  assert_eq!(o.status.code(), Some(2));
  assert!(
    String::from_utf8_lossy(&o.stderr).contains("app.json:1:34: error[missing-page]: a page path is empty"),
    "{o:?}"
  );
}

/// Files the platform loads because app.json says so, which no file references, ship:
/// `appBar`'s `app-bar/index` and a plugin's `export`.
#[test]
fn files_app_json_implies_ship() {
  let tmp = tempfile::tempdir().unwrap();
  copy_dir(&fixture("tiny"), tmp.path());
  let app = tmp.path().join("app.json");
  let mut json = read_json(&app);
  json["appBar"] = serde_json::json!({});
  json["plugins"] = serde_json::json!({"p": {"version": "1.0.0", "provider": "wxabc", "export": "to-plugin.js"}});
  fs::write(tmp.path().join("to-plugin.js"), "module.exports = { hello: 1 };\n").unwrap();
  fs::write(&app, json.to_string()).unwrap();
  let bar = tmp.path().join("app-bar");
  fs::create_dir_all(&bar).unwrap();
  fs::write(bar.join("index.js"), "Component({ data: { title: 'bar' } });\n").unwrap();
  fs::write(bar.join("index.json"), "{\"component\": true}\n").unwrap();
  fs::write(bar.join("index.wxml"), "<view>{{title}}</view>\n").unwrap();
  fs::write(bar.join("index.wxss"), "view { color: red; }\n").unwrap();
  let out = tmp.path().join("dist");
  let o = wxpack(&["build", tmp.path().to_str().unwrap()]);
  assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
  for ext in ["js", "json", "wxml", "wxss"] {
    assert!(out.join("miniprogram/app-bar/index").with_extension(ext).is_file(), "app-bar/index.{ext} was pruned");
  }
  assert!(out.join("miniprogram/to-plugin.js").is_file(), "the plugin's export was pruned");
}

/// An unclosed WXML element or WXSS block builds (DevTools compiles it) with a located warning.
#[test]
fn an_unclosed_tag_or_brace_is_a_located_warning() {
  let tmp = tempfile::tempdir().unwrap();
  copy_dir(&fixture("tiny"), tmp.path());
  fs::write(tmp.path().join("pages/index/index.wxml"), "<view class=\"a\">\n  <text>hi</text>\n").unwrap();
  fs::write(tmp.path().join("pages/index/index.wxss"), ".a { color: red;\n.b { color: blue; }\n").unwrap();
  let o = wxpack(&["build", tmp.path().to_str().unwrap(), "-o", tmp.path().join("o").to_str().unwrap()]);
  let stderr = String::from_utf8_lossy(&o.stderr);
  assert_eq!(o.status.code(), Some(0), "{stderr}");
  assert!(stderr.contains("pages/index/index.wxml:1:1: warning[syntax]: <view> is never closed"), "{stderr}");
  assert!(stderr.contains("pages/index/index.wxss:1:4: warning[syntax]: this `{` is never closed"), "{stderr}");
}

/// `--message-format json`: every line on stderr is one message in the report's *diagnostic*
/// shape, located, for errors and for warnings; nothing else is printed there.
#[test]
fn message_format_json_prints_one_located_message_per_line() {
  let lines = |stderr: &str| -> Vec<serde_json::Value> {
    stderr.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect()
  };
  let run = build(&fixture("errors/malformed-app-json"), &["--message-format", "json"]);
  assert_eq!(run.code, 2);
  let messages = lines(&run.stderr);
  assert_eq!(messages.len(), 1, "{}", run.stderr);
  assert_eq!(messages[0]["code"], "invalid-json");
  assert_eq!(messages[0]["severity"], "error");
  assert_eq!(messages[0]["location"]["file"], "app.json");
  assert_eq!(messages[0]["location"]["line"], 4);

  let run = build(&fixture("errors/unresolved-require"), &["--message-format", "json", "--json", "{tmp}/r.json"]);
  assert_eq!(run.code, 0, "{}", run.stderr);
  let messages = lines(&run.stderr);
  let report = read_json(&run.tmp.path().join("r.json"));
  assert!(!messages.is_empty());
  assert_eq!(serde_json::Value::Array(messages), report["diagnostics"]);

  let o = wxpack(&["diff", "missing.json", "missing.json", "--message-format", "json"]);
  assert_eq!(o.status.code(), Some(2));
  let messages = lines(&String::from_utf8_lossy(&o.stderr));
  assert_eq!(messages.len(), 2);
  assert!(messages.iter().all(|m| m["severity"] == "error" && m["location"]["file"] == "missing.json"), "{messages:?}");
}

/// A package rule the source breaks is a warning, as DevTools' compiler accepts the app (the
/// client fails only when it loads the reference); `--strict` makes it an error (the
/// `errors/cross-subpackage` snapshot). With the planner, an independent subpackage gets its own
/// copy of main's file, so only `--no-plan` leaves the reference broken.
#[test]
fn package_rules_the_source_breaks_are_warnings_as_devtools_accepts_them() {
  let says = |run: &common::Run, line: &str| assert!(run.stderr.contains(line), "{}", run.stderr);
  for extra in [&[][..], &["--no-plan"][..]] {
    let run = build(&fixture("errors/cross-subpackage"), extra);
    assert_eq!(run.code, 0, "{extra:?}: {}", run.stderr);
    says(&run, "pkgA/pages/a/a.js:1:23: warning[package-rule]: subpackage pkgA cannot use pkgB/utils/util.js");
    assert!(
      run.out_dir().join("miniprogram/pkgB/utils/util.js").is_file()
        || run.out_dir().join("pkgB/utils/util.js").is_file()
    );
  }

  let flat = build(&fixture("independent-uses-main"), &["--no-plan", "--json", "{tmp}/r.json"]);
  assert_eq!(flat.code, 0, "{}", flat.stderr);
  let report = read_json(&flat.tmp.path().join("r.json"));
  let rules: Vec<_> =
    report["diagnostics"].as_array().unwrap().iter().filter(|d| d["code"] == "package-rule").collect();
  assert_eq!(rules.len(), 1, "{report:#}");
  assert_eq!(rules[0]["severity"], "warning");
  assert_eq!(rules[0]["location"]["file"], "ind/pages/a/a.js");
  assert_eq!(rules[0]["location"]["line"], 2);
  let strict = build(&fixture("independent-uses-main"), &["--no-plan", "--strict"]);
  assert_eq!(strict.code, 2, "{}", strict.stderr);
  says(&strict, "ind/pages/a/a.js:2:23: error[package-rule]: independent subpackage ind cannot use utils/format.js");
  assert!(!strict.out_dir().exists());

  let planned = build(&fixture("independent-uses-main"), &["--json", "{tmp}/r.json"]);
  assert_eq!(planned.code, 0, "{}", planned.stderr);
  assert!(!planned.stderr.contains("package-rule"), "{}", planned.stderr);
  let report = read_json(&planned.tmp.path().join("r.json"));
  assert_eq!(report["placement"]["copied"]["files"], 1, "{:#}", report["placement"]);
}

/// `cli::run` writes only to the streams it is given: the same run as the binary, in-process.
#[test]
fn a_command_line_runs_in_process_on_given_streams() {
  use clap::Parser;
  use wxpack::cli::{Cli, run};
  let tmp = tempfile::tempdir().unwrap();
  let out_dir = tmp.path().join("out");
  let (mut out, mut err) = (Vec::new(), Vec::new());
  let over = fixture("over-budget");
  let args = ["wxpack", "build", over.to_str().unwrap(), "-o", out_dir.to_str().unwrap(), "--message-format", "json"];
  let context = run::Context { terminal: false, interrupt: None };
  let status = run::run(Cli::parse_from(args), &context, &mut run::Streams { out: &mut out, err: &mut err });
  assert_eq!(status, wxpack::ExitStatus::OverBudget);
  let out = String::from_utf8(out).unwrap();
  assert!(out.contains("over budget"), "{out}");
  let binary = build(&over, &[]);
  assert_eq!(binary.code, 1);
  // The binary's report, but for the folders it names (the binary ran from the crate root).
  let ours = out.replace(out_dir.to_str().unwrap(), "OUT").replace(over.to_str().unwrap(), "fixtures/over-budget");
  assert_eq!(ours, binary.stdout.replace(binary.out_dir().to_str().unwrap(), "OUT"));
  assert!(String::from_utf8(err).unwrap().lines().all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok()));
}

/// `--cache-dir` beats `[images] cache_dir`, and `WXPACK_CACHE_DIR` is the same flag.
#[test]
fn cache_dir_flag_and_env_override_the_config() {
  let tmp = tempfile::tempdir().unwrap();
  let (from_config, from_flag, from_env) = (tmp.path().join("a"), tmp.path().join("b"), tmp.path().join("c"));
  let cfg = tmp.path().join("wxpack.toml");
  fs::write(&cfg, format!("[budget]\nmain = \"2MB\"\n[images]\ncache_dir = {:?}\n", from_config)).unwrap();
  let project = fixture("over-budget");
  let entries = |dir: &std::path::Path| fs::read_dir(dir).map_or(0, |d| d.count());
  let args = |out: &str| {
    let out = tmp.path().join(out).display().to_string();
    vec![
      "build".to_string(),
      project.display().to_string(),
      "--config".into(),
      cfg.display().to_string(),
      "-o".into(),
      out,
    ]
  };
  let mut flag = args("out1");
  flag.extend(["--cache-dir".to_string(), from_flag.display().to_string()]);
  let o = common::command().args(&flag).env_remove("WXPACK_CACHE_DIR").output().unwrap();
  assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
  assert!(entries(&from_flag) > 0 && entries(&from_config) == 0, "the flag's folder holds the cache");
  let o = common::command().args(args("out2")).env("WXPACK_CACHE_DIR", &from_env).output().unwrap();
  assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
  assert!(entries(&from_env) > 0 && entries(&from_config) == 0, "WXPACK_CACHE_DIR is the flag");
  let o = common::command().args(args("out3")).env_remove("WXPACK_CACHE_DIR").output().unwrap();
  assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
  assert!(entries(&from_config) > 0, "without either, the config's folder");
}

/// Every fallback in the JSON report says why as one of the documented causes.
#[test]
fn fallbacks_name_their_cause() {
  let causes = |fixture_name: &str| {
    let run = build(&fixture(fixture_name), &["--json", "{tmp}/r.json"]);
    assert!(matches!(run.code, 0 | 1), "{}", run.stderr);
    let report = read_json(&run.tmp.path().join("r.json"));
    report["fallbacks"]
      .as_array()
      .unwrap()
      .iter()
      .map(|f| (f["path"].as_str().unwrap().to_string(), f["cause"].as_str().unwrap().to_string()))
      .collect::<Vec<_>>()
  };
  let minify = causes("minify");
  assert!(minify.contains(&("pages/index/index.wxss".into(), "unparsable".into())), "{minify:?}");
  let images = causes("images");
  assert!(images.contains(&("images/bomb.png".into(), "unparsable".into())), "{images:?}");
  let known = ["unparsable", "changes-meaning", "raises-syntax", "too-deep", "below-quality", "tool-fault"];
  assert!(minify.iter().chain(&images).all(|(_, c)| known.contains(&c.as_str())));
}
