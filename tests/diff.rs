//! `wxpack diff` on the reports in fixtures/diff (a base, a head that adds an image, grows a page,
//! drops an image and has a file moved into a subpackage, a head over budget, an older schema, a
//! cut-off file), and on real reports: a fixture built with and without the planner, and every
//! app of ../shared/corpus/apps against a modified copy of itself.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

mod common;

use std::{fs, path::Path, process::Command};

use serde_json::Value;

/// `wxpack diff ARGS` run in fixtures/diff (so its wxpack.toml applies unless `--config` says
/// otherwise): exit code and stdout + stderr.
fn diff_in(dir: &Path, args: &[&str]) -> (i32, String) {
  let o = Command::new(env!("CARGO_BIN_EXE_wxpack")).arg("diff").args(args).current_dir(dir).output().unwrap();
  let text = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
  (o.status.code().unwrap_or(-1), text)
}

fn diff(args: &[&str]) -> (i32, String) {
  diff_in(&common::fixture("diff"), args)
}

#[test]
fn exit_status_and_output_of_each_case() {
  let cases: &[(&str, &[&str], i32)] = &[
    ("self", &["base.json", "base.json"], 0),
    ("self_markdown", &["base.json", "base.json", "--format", "markdown"], 0),
    // wxpack.toml here: main 50KB, total 10%; the total grew 16%.
    ("grown_over_toml_limit", &["base.json", "head.json"], 1),
    ("grown_within_flag_limit", &["base.json", "head.json", "--max-growth", "total=20%"], 0),
    ("grown_markdown", &["base.json", "head.json", "--format", "markdown", "--max-growth", "main=10KB"], 1),
    ("over_budget", &["base.json", "over-budget.json", "--max-growth", "100MB"], 1),
    ("missing", &["base.json", "nope.json"], 2),
    ("corrupt", &["base.json", "corrupt.json"], 2),
    ("older_schema", &["schema-0.json", "head.json"], 2),
    ("bad_limit", &["base.json", "head.json", "--max-growth", "main=lots"], 2),
  ];
  for (name, args, code) in cases {
    let (got, text) = diff(args);
    assert_eq!(got, *code, "{name}: {text}");
    insta::assert_snapshot!(format!("diff_{name}"), text);
  }
}

#[test]
fn json_lists_every_change_with_its_packages() {
  let (code, text) = diff(&["base.json", "head.json", "--format", "json", "--config", "/dev/null"]);
  assert_eq!(code, 0, "{text}");
  let d: Value = serde_json::from_str(&text).unwrap();
  let moved = d["files"].as_array().unwrap().iter().find(|f| f["change"] == "moved").unwrap();
  assert_eq!(moved["path"], "utils/format.js");
  assert_eq!((moved["packages_before"][0].as_str(), moved["packages_after"][0].as_str()), (Some("main"), Some("pkgA")));
  let added = d["files"].as_array().unwrap().iter().find(|f| f["change"] == "added").unwrap();
  assert_eq!((added["path"].as_str(), added["kind"].as_str()), (Some("images/hero.png"), Some("image")));
  assert_eq!(d["breaches"].as_array().unwrap().len(), 0);
}

/// The planner's moves, from two real reports: a file `--shared main` keeps in main and `--shared
/// copy` copies into the subpackages that share it is one file that moved, not one removed and
/// two added.
#[test]
fn shared_files_kept_in_main_against_copied() {
  let flat = common::build(&common::fixture("planner"), &["--shared", "main", "--json", "{tmp}/r.json"]);
  let planned = common::build(&common::fixture("planner"), &["--shared", "copy", "--json", "{tmp}/r.json"]);
  assert_eq!((flat.code, planned.code), (0, 0), "{}{}", flat.stderr, planned.stderr);
  let (a, b) = (flat.tmp.path().join("r.json"), planned.tmp.path().join("r.json"));
  let (code, text) = diff_in(flat.tmp.path(), &[a.to_str().unwrap(), b.to_str().unwrap(), "--format", "json"]);
  assert!(code == 0 || code == 1, "{text}");
  let d: Value = serde_json::from_str(&text).unwrap();
  let files = d["files"].as_array().unwrap();
  let moved: Vec<&Value> = files.iter().filter(|f| f["change"] == "moved").collect();
  assert!(!moved.is_empty(), "{text}");
  for f in &moved {
    assert_eq!(f["packages_before"], serde_json::json!(["main"]), "{f}");
    assert_eq!(f["packages_after"], serde_json::json!(["pkgA", "pkgB"]), "{f}");
  }
  assert!(moved.iter().any(|f| f["path"] == "lib/share.js"), "{text}");
  assert!(files.iter().all(|f| f["change"] != "added" && f["change"] != "removed"), "{text}");
}

/// `wxpack build --baseline`: the report, then the diff; its status folds into the build's.
#[test]
fn build_with_a_baseline_prints_the_diff_and_gates_on_it() {
  let first = common::build(&common::fixture("demo"), &["--json", "{tmp}/base.json"]);
  assert_eq!(first.code, 0, "{}", first.stderr);
  let base = first.tmp.path().join("base.json").display().to_string();
  let same = common::build(&common::fixture("demo"), &["--baseline", &base]);
  assert_eq!(same.code, 0, "{}", same.stderr);
  assert!(same.stdout.contains("no change: every package and every file is the size it was"), "{}", same.stdout);
  let tmp = tempfile::tempdir().unwrap();
  common::copy_fixture("demo", tmp.path());
  let app_js = tmp.path().join("miniprogram/app.js");
  let grown = format!("{}\nApp.grown = {:?};\n", fs::read_to_string(&app_js).unwrap(), "x".repeat(3000));
  fs::write(&app_js, grown).unwrap();
  let over = common::build(tmp.path(), &["--baseline", &base, "--max-growth", "main=1KB"]);
  assert_eq!(over.code, 1, "{}{}", over.stdout, over.stderr);
  assert!(over.stdout.contains("fails: main grew"), "{}", over.stdout);
  let missing = common::build(tmp.path(), &["--baseline", "/nonexistent/base.json"]);
  assert_eq!(missing.code, 2, "{}", missing.stderr);
  assert!(missing.stderr.contains("/nonexistent/base.json: error[io]"), "{}", missing.stderr);
}

/// Every real app against a copy of itself with an image added to its first page and that page's
/// script grown: the markdown names the package and both files, and --max-growth decides.
#[test]
fn real_apps_against_modified_copies() {
  let Some(apps) = common::corpus_apps("real_apps_against_modified_copies") else { return };
  for app in &apps {
    let name = app.file_name().unwrap().to_string_lossy().to_string();
    let base = common::build(app, &["--json", "{tmp}/r.json"]);
    assert!(base.code == 0 || base.code == 1, "{name}: {}", base.stderr);
    let report: Value = serde_json::from_str(&fs::read_to_string(base.tmp.path().join("r.json")).unwrap()).unwrap();
    let root = report["miniprogram_root"].as_str().unwrap_or("").trim_end_matches('/').to_string();
    let copy = tempfile::tempdir().unwrap();
    copy_tree(app, copy.path());
    let mp = if root.is_empty() { copy.path().to_path_buf() } else { copy.path().join(&root) };
    let page = first_page(&mp);
    let (img, js) = (format!("{page}-wxpack-diff.png"), mp.join(format!("{page}.js")));
    fs::write(mp.join(&img), noise_png()).unwrap();
    let wxml = mp.join(format!("{page}.wxml"));
    let file_name = Path::new(&img).file_name().unwrap().to_string_lossy().to_string();
    let tag = format!("\n<image src=\"./{file_name}\"/>\n");
    fs::write(&wxml, fs::read_to_string(&wxml).unwrap() + &tag).unwrap();
    // A call the minifier keeps (an unused variable it would drop).
    let grown = format!("{}\nconsole.log({:?});\n", fs::read_to_string(&js).unwrap(), "y".repeat(4000));
    fs::write(&js, grown).unwrap();
    let head = common::build(copy.path(), &["--json", "{tmp}/r.json"]);
    assert!(head.code == 0 || head.code == 1, "{name}: {}", head.stderr);
    let (a, b) = (base.tmp.path().join("r.json"), head.tmp.path().join("r.json"));
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    let dir = base.tmp.path();
    let (code, md) = diff_in(dir, &[a, b, "--format", "markdown", "--max-growth", "1B"]);
    assert_eq!(code, 1, "{name}: {md}");
    let package =
      report["files"].as_array().unwrap().iter().find(|f| f["path"] == format!("{page}.js")).unwrap()["package"]
        .as_str()
        .unwrap()
        .to_string();
    let img_row = format!("| `{img}` | added | {package} | image |");
    assert!(md.contains(&img_row), "{name}: no row {img_row:?} in\n{md}");
    assert!(md.contains(&format!("| `{page}.js` | grew | {package} | js |")), "{name}: {md}");
    assert!(md.contains(&format!("{package} grew")), "{name}: {md}");
    let (code, text) = diff_in(dir, &[a, b, "--max-growth", "10MB"]);
    assert_eq!(code, 0, "{name}: {text}");
  }
}

/// The first page app.json lists (its path without extension, under the miniprogram root).
fn first_page(mp: &Path) -> String {
  let app: Value =
    serde_json::from_str(fs::read_to_string(mp.join("app.json")).unwrap().trim_start_matches('\u{feff}')).unwrap();
  app["entryPagePath"].as_str().or_else(|| app["pages"][0].as_str()).unwrap().trim_start_matches('/').to_string()
}

/// A 64x64 PNG of noise: oxipng cannot shrink it to nothing, so it shows as added bytes.
fn noise_png() -> Vec<u8> {
  let mut seed = 0x2545_f491_u32;
  let pixels: Vec<u8> = (0..64 * 64 * 3)
    .map(|_| {
      seed ^= seed << 13;
      seed ^= seed >> 17;
      seed ^= seed << 5;
      (seed & 0xff) as u8
    })
    .collect();
  let mut out = Vec::new();
  image::codecs::png::PngEncoder::new(&mut out).write_image(&pixels, 64, 64, image::ExtendedColorType::Rgb8).unwrap();
  out
}

use image::ImageEncoder;

fn copy_tree(from: &Path, to: &Path) {
  for e in fs::read_dir(from).unwrap() {
    let e = e.unwrap();
    let (src, dst) = (e.path(), to.join(e.file_name()));
    let t = e.file_type().unwrap();
    if t.is_dir() {
      fs::create_dir_all(&dst).unwrap();
      copy_tree(&src, &dst);
    } else if t.is_file() {
      fs::copy(&src, &dst).unwrap();
    }
  }
}
