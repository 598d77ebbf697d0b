//! `--html FILE`, opened in headless Chromium (Debian's `chromium`; `.ci/run` installs it): the
//! page loads from disk with no error, draws its treemap, and every package and file element
//! carries the JSON report's exact figures. Run on the demo fixture and on every app of
//! ../shared/corpus/apps; each page's screenshot is left in target/html-reports/ to look at.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

mod common;

use std::{
  collections::BTreeMap,
  fs,
  path::{Path, PathBuf},
  process::Command,
};

use regex::Regex;
use serde_json::Value;

/// Builds `project` with `--json` and `--html` into a temporary folder.
fn build(project: &Path) -> (common::Run, Value, String) {
  let run = common::build(project, &["--json", "{tmp}/r.json", "--html", "{tmp}/r.html"]);
  assert!(run.code == 0 || run.code == 1, "{}: {}", project.display(), run.stderr);
  let report: Value = serde_json::from_str(&fs::read_to_string(run.tmp.path().join("r.json")).unwrap()).unwrap();
  let html = fs::read_to_string(run.tmp.path().join("r.html")).unwrap();
  (run, report, html)
}

#[test]
fn the_page_is_self_contained() {
  let (_run, report, html) = build(&common::fixture("demo"));
  for needle in ["<link", "src=\"http", "href=\"http", "url(http", "@import", "src=\"//"] {
    assert!(!html.contains(needle), "the page fetches something: {needle}");
  }
  assert!(html.contains("<script type=\"application/json\" id=\"wxpack-data\">"));
  // Without a browser the static parts already carry the figures.
  let figures = figures(&html);
  assert_eq!(figures.packages["total"], report["total"]["bytes_out"].as_u64().unwrap());
  assert_eq!(figures.files.len(), report["files"].as_array().unwrap().len());
  // Every stylesheet that lost selectors is listed with as many as the JSON says.
  let unused = report["unused_wxss"].as_array().unwrap();
  assert!(!unused.is_empty());
  for u in unused {
    let row = format!(
      "<details data-path=\"{}\" data-selectors=\"{}\">",
      u["path"].as_str().unwrap(),
      u["selectors"].as_array().unwrap().len()
    );
    assert!(html.contains(&row), "{row}");
  }
}

/// What the page's elements say: bytes per `data-package` budget row, per file row, and the
/// treemap's attributes.
struct Figures {
  packages: BTreeMap<String, u64>,
  files: BTreeMap<(String, String), u64>,
  attrs: BTreeMap<String, String>,
}

fn unescape(s: &str) -> String {
  s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

fn figures(dom: &str) -> Figures {
  let pkg = Regex::new(r#"<div class="pkg[^"]*" data-package="([^"]*)" data-bytes="(\d+)""#).unwrap();
  let row = Regex::new(r#"<tr data-path="([^"]*)" data-package="([^"]*)" data-bytes="(\d+)""#).unwrap();
  let attr = Regex::new(r#"(data-(?:ready|error|files-drawn|critical-drawn))="([^"]*)""#).unwrap();
  Figures {
    packages: pkg.captures_iter(dom).map(|c| (unescape(&c[1]), c[2].parse().unwrap())).collect(),
    files: row.captures_iter(dom).map(|c| ((unescape(&c[1]), unescape(&c[2])), c[3].parse().unwrap())).collect(),
    attrs: attr.captures_iter(dom).map(|c| (c[1].to_string(), c[2].to_string())).collect(),
  }
}

/// Opens `page` (with `hash`) in Chromium: the DOM after its scripts ran, and what the browser
/// logged; a screenshot goes to `shot`.
fn open(browser: &Path, page: &Path, hash: &str, shot: &Path) -> (String, String) {
  let url = format!("file://{}{hash}", page.display());
  let o = Command::new(browser)
    .args([
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--window-size=1280,1400",
      "--enable-logging=stderr",
      "--v=0",
    ])
    .arg("--dump-dom")
    .arg(&url)
    .output()
    .expect("chromium runs");
  let shot_run = Command::new(browser)
    .args(["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1280,1400"])
    .arg(format!("--screenshot={}", shot.display()))
    .arg(&url)
    .output()
    .expect("chromium runs");
  assert!(shot.is_file(), "no screenshot: {}", String::from_utf8_lossy(&shot_run.stderr));
  (String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned())
}

/// The checks on one report's page; returns the name of the screenshot.
fn check(browser: &Path, name: &str, report: &Value, run: &common::Run) -> PathBuf {
  let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/html-reports");
  fs::create_dir_all(&shots).unwrap();
  let shot = shots.join(format!("{name}.png"));
  let entry = report["startup"]["pages"][0]["page"].as_str().unwrap_or("");
  let (dom, log) = open(browser, &run.tmp.path().join("r.html"), &format!("#startup={entry}"), &shot);
  let f = figures(&dom);
  assert_eq!(f.attrs.get("data-ready").map(String::as_str), Some("1"), "{name}: the script did not finish: {log}");
  assert!(!f.attrs.contains_key("data-error"), "{name}: {:?}", f.attrs.get("data-error"));
  assert!(!log.contains("Uncaught"), "{name}: {log}");
  let drawn: usize = f.attrs["data-files-drawn"].parse().unwrap();
  assert!(drawn > 0, "{name}: the treemap drew no file");
  if !entry.is_empty() {
    let critical: usize = f.attrs["data-critical-drawn"].parse().unwrap();
    assert!(critical > 0, "{name}: #startup={entry} outlined nothing");
  }
  let total = report["total"]["bytes_out"].as_u64().unwrap();
  assert_eq!(f.packages.get("total"), Some(&total), "{name}");
  let mut sum = 0;
  for p in report["packages"].as_array().unwrap() {
    let (pkg, bytes) = (p["name"].as_str().unwrap(), p["bytes_out"].as_u64().unwrap());
    assert_eq!(f.packages.get(pkg), Some(&bytes), "{name}: package {pkg}");
    sum += f.packages[pkg];
  }
  assert_eq!(sum, total, "{name}: the packages add up to the total");
  let files = report["files"].as_array().unwrap();
  assert_eq!(f.files.len(), files.len(), "{name}");
  for file in files {
    let key = (file["path"].as_str().unwrap().to_string(), file["package"].as_str().unwrap().to_string());
    assert_eq!(f.files.get(&key), file["bytes_out"].as_u64().as_ref(), "{name}: {key:?}");
  }
  // One row per icon font the report lists (and a header row).
  let fonts = report["icon_fonts"].as_array().unwrap().len();
  match dom.split("<section id=\"icon-fonts\">").nth(1).and_then(|s| s.split("</section>").next()) {
    Some(section) => assert_eq!(section.matches("<tr>").count(), fonts + 1, "{name}: one row per icon font"),
    None => assert_eq!(fonts, 0, "{name}: the report lists icon fonts, the page none"),
  }
  shot
}

/// The page's own handlers, driven by synthetic events (tests/support/html_events.js): hovering a
/// file (or tapping it) shows its figures, the search box leaves the matching rows and dims the rest of the
/// treemap, a click on a folder zooms into it and the first crumb goes back.
#[test]
fn hover_search_and_zoom_do_what_they_say() {
  let Some(browser) = common::chromium("hover_search_and_zoom_do_what_they_say") else { return };
  let (run, report, html) = build(&common::fixture("planner"));
  let events = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/html_events.js")).unwrap();
  let page = run.tmp.path().join("events.html");
  fs::write(&page, html.replace("</body>", &format!("<script>{events}</script></body>"))).unwrap();
  let o = Command::new(browser)
    .args(["--headless", "--no-sandbox", "--disable-gpu", "--window-size=1280,1400", "--dump-dom"])
    .arg(format!("file://{}", page.display()))
    .output()
    .unwrap();
  let dom = String::from_utf8_lossy(&o.stdout);
  let json = dom.rsplit("<pre id=\"events\">").next().and_then(|r| r.split("</pre>").next()).unwrap_or("");
  let e: Value = serde_json::from_str(&unescape(json)).unwrap_or_else(|err| panic!("no result ({err}): {dom}"));
  assert_eq!(e["tipShown"], true, "{e}");
  let tip_for = e["tipFor"].as_str().unwrap();
  let file = report["files"].as_array().unwrap().iter().find(|f| f["path"] == tip_for).unwrap();
  let tip = e["tip"].as_str().unwrap();
  assert!(
    tip.starts_with(tip_for) && tip.contains(&format!("package: {}", file["package"].as_str().unwrap())),
    "{tip}"
  );
  assert!(tip.contains("in ") && tip.contains("saved"), "{tip}");
  assert_eq!((&e["tapTipShown"], &e["tapTip"]), (&Value::Bool(true), &e["tip"]), "a tap shows the same: {e}");
  assert_eq!(e["crumbsAfterTap"], "all packages", "a tap on a file does not zoom: {e}");
  let query = e["query"].as_str().unwrap();
  let shown: Vec<&str> = e["rowsShown"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
  assert!(
    !shown.is_empty() && shown.iter().all(|p| p.to_lowercase().contains(&query.to_lowercase())),
    "{query}: {shown:?}"
  );
  assert!(e["dimmed"].as_u64().unwrap() > 0, "{e}");
  let into = e["zoomInto"].as_str().expect("the planner fixture's treemap has nested folders");
  let last = into.rsplit('/').next().unwrap();
  assert!(e["crumbsAfterZoom"].as_str().unwrap().ends_with(last), "{e}");
  assert!(e["cellsAfterZoom"].as_array().unwrap().iter().all(|c| c.as_str().unwrap_or("").starts_with(into)), "{e}");
  assert_eq!(e["crumbsAfterBack"], "all packages", "{e}");
}

#[test]
fn the_page_in_a_browser_says_what_the_report_says() {
  let Some(browser) = common::chromium("the_page_in_a_browser_says_what_the_report_says") else { return };
  let (run, report, _) = build(&common::fixture("planner"));
  let shot = check(&browser, "planner", &report, &run);
  eprintln!("screenshot: {}", shot.display());
  let Some(apps) = common::corpus_apps("the_page_in_a_browser_says_what_the_report_says (real apps)") else {
    return;
  };
  for app in &apps {
    let (run, report, _) = build(app);
    let name = app.file_name().unwrap().to_string_lossy().to_string();
    let shot = check(&browser, &name, &report, &run);
    eprintln!("screenshot: {}", shot.display());
  }
}
