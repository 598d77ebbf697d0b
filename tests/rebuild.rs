//! Rebuilds (docs/user-guide.md, "Rebuilds"): the build cache never changes what ships, an
//! output that is already this build's is not written again, an edit changes exactly the files
//! it should and gives what a clean build of the edited project gives, on the fixtures and on
//! every real app (`../shared/corpus/apps`, copied to a temporary folder to be edited).
#![allow(clippy::unwrap_used, clippy::print_stderr)]

mod common;

use std::{
  collections::BTreeSet,
  fs,
  path::{Path, PathBuf},
};

use serde_json::Value;

/// One `wxpack build PROJECT -o OUT --json OUT.json ...`: its exit status and report.
fn build(project: &Path, out: &Path, extra: &[&str]) -> (i32, Value) {
  let json = out.with_extension("json");
  let mut args = vec!["build", project.to_str().unwrap(), "-o", out.to_str().unwrap(), "--quiet"];
  args.extend(["--json", json.to_str().unwrap()]);
  args.extend(extra);
  let o = common::command().env_remove("WXPACK_CACHE_DIR").args(&args).output().unwrap();
  let code = o.status.code().unwrap_or(-1);
  assert!(matches!(code, 0 | 1), "{}: {}", project.display(), String::from_utf8_lossy(&o.stderr));
  (code, common::read_json(&json))
}

/// A report without what names the output folder or says whether it was written.
fn comparable(mut report: Value) -> Value {
  let o = report.as_object_mut().unwrap();
  o.remove("out_dir");
  o.remove("output_written");
  report
}

/// The files whose bytes differ between two trees (added and removed ones too).
fn changed(a: &str, b: &str) -> BTreeSet<String> {
  let a: BTreeSet<&str> = a.lines().collect();
  let b: BTreeSet<&str> = b.lines().collect();
  a.symmetric_difference(&b).map(|l| l.rsplit_once(' ').unwrap().0.to_string()).collect()
}

#[test]
fn a_rebuild_of_an_unchanged_project_writes_nothing() {
  let tmp = tempfile::tempdir().unwrap();
  let project = common::fixture("demo");
  let out = tmp.path().join("out");
  let cache = tmp.path().join("cache");
  let zip = out.join("app.zip");
  let extra = ["--cache-dir", cache.to_str().unwrap(), "--zip", zip.to_str().unwrap()];
  let (_, first) = build(&project, &out, &extra);
  assert_eq!(first["output_written"], true);
  let before = common::contents_hash(&out);
  let stamp = fs::metadata(out.join(".wxpack-output")).unwrap().modified().unwrap();
  let (_, second) = build(&project, &out, &extra);
  assert_eq!(second["output_written"], false);
  assert_eq!(comparable(second), comparable(first.clone()));
  assert_eq!(common::contents_hash(&out), before);
  assert_eq!(fs::metadata(out.join(".wxpack-output")).unwrap().modified().unwrap(), stamp, "the output was rewritten");
  // The text report says so.
  let o =
    common::wxpack(&["build", project.to_str().unwrap(), "-o", out.to_str().unwrap(), "--zip", zip.to_str().unwrap()]);
  assert!(String::from_utf8_lossy(&o.stdout).contains("(unchanged: nothing written)"), "{o:?}");
  // An output edited by hand, a file added to it, or the zip removed: written again, whole.
  let page = out.join("miniprogram/pages/index/index.js");
  let spoils: [&dyn Fn(); 3] =
    [&|| fs::write(&page, "edited").unwrap(), &|| fs::write(out.join("miniprogram/extra.js"), "").unwrap(), &|| {
      fs::remove_file(&zip).unwrap()
    }];
  for spoil in spoils {
    spoil();
    let (_, again) = build(&project, &out, &extra);
    assert_eq!(again["output_written"], true);
    assert_eq!(common::contents_hash(&out), before);
  }
  // Without the zip the output differs (no zip in it): written.
  let (_, no_zip) = build(&project, &out, &["--cache-dir", cache.to_str().unwrap()]);
  assert_eq!(no_zip["output_written"], true);
  assert!(!zip.exists());
}

/// A rebuild of what a finished build read, into the output it wrote, is that build: it is
/// recalled from the cache (`-v` shows no stage after the recall) and every report it writes,
/// text, JSON and HTML, is the first build's but for saying that nothing was written.
#[test]
fn a_rebuild_of_what_a_build_read_is_recalled_not_redone() {
  for name in ["demo", "planner", "launch", "over-budget"] {
    let tmp = tempfile::tempdir().unwrap();
    let project = common::fixture(name);
    let out = tmp.path().join("out");
    let run = |n: &str| {
      let (json, html) = (tmp.path().join(format!("{n}.json")), tmp.path().join(format!("{n}.html")));
      let o = common::command()
        .args(["build", project.to_str().unwrap(), "-o", out.to_str().unwrap(), "-v"])
        .args(["--cache-dir", tmp.path().join("cache").to_str().unwrap()])
        .args(["--json", json.to_str().unwrap(), "--html", html.to_str().unwrap()])
        .output()
        .unwrap();
      let report = String::from_utf8_lossy(&o.stdout).replace(" (unchanged: nothing written)", "");
      // `-v`'s timings, on stderr: "  stage: 1.2 ms".
      let stages: Vec<String> = String::from_utf8_lossy(&o.stderr)
        .lines()
        .filter_map(|l| {
          let (stage, took) = l.split_once(": ")?;
          took.strip_suffix(" ms")?.parse::<f64>().ok().map(|_| stage.trim().to_string())
        })
        .collect();
      (o.status.code(), report, comparable(common::read_json(&json)), fs::read(html).unwrap(), stages)
    };
    let first = run("first");
    let again = run("again");
    assert!(first.4.contains(&"emit".to_string()), "{name}: {:?}", first.4);
    assert_eq!(again.4, ["load", "recall"], "{name}: the rebuild was not recalled");
    assert_eq!((&again.0, &again.1, &again.2), (&first.0, &first.1, &first.2), "{name}: the recalled report differs");
    assert!(again.3 == first.3, "{name}: the recalled HTML report differs");
  }
}

/// The first page of app.json of `project`, as a path without extension.
fn first_page(project: &Path) -> Option<PathBuf> {
  let config = common::read_json(&project.join("project.config.json"));
  let root = project.join(config["miniprogramRoot"].as_str().unwrap_or(""));
  let app = common::read_json(&root.join("app.json"));
  Some(root.join(app["pages"].as_array()?.first()?.as_str()?))
}

/// Edits that change what ships, one per kind.
const EDITS: [(&str, &str); 3] = [
  ("js", "\nconsole.log(\"wxpack-edit\");\n"),
  ("wxss", "\n.wxpack-edit{color:red}\n"),
  ("wxml", "\n<view class=\"wxpack-edit\">wxpack-edit</view>\n"),
];

/// `project` copied to `tmp`, built with a cache, rebuilt unchanged (nothing written), then
/// edited one file of each kind at a time: each rebuild equals a clean build of the edited copy
/// without the cache, and changes only the files in `expected(kind, edited)` (when given).
/// The output files an edit of a file of one kind (`js`) changes.
type Expected<'a> = &'a dyn Fn(&str) -> BTreeSet<String>;

fn edit_each_kind(project: &Path, tmp: &Path, expected: Option<Expected>) -> Vec<String> {
  let copy = tmp.join("project");
  common::copy_dir(project, &copy);
  let out = tmp.join("out");
  let cache = tmp.join("cache");
  let cached = ["--cache-dir", cache.to_str().unwrap()];
  build(&copy, &out, &cached);
  let (_, again) = build(&copy, &out, &cached);
  assert_eq!(again["output_written"], false, "{}: a no-op rebuild wrote", project.display());
  let Some(page) = first_page(&copy) else { return Vec::new() };
  let mut edited = Vec::new();
  for (ext, text) in EDITS {
    let file = page.with_extension(ext);
    if !file.is_file() {
      continue;
    }
    let before = common::contents_hash(&out);
    let mut bytes = fs::read(&file).unwrap();
    bytes.extend_from_slice(text.as_bytes());
    fs::write(&file, bytes).unwrap();
    let (code, report) = build(&copy, &out, &cached);
    let clean = tmp.join(format!("clean-{ext}"));
    let (clean_code, clean_report) = build(&copy, &clean, &["--no-cache"]);
    let name = format!("{}: {ext} edit", project.display());
    assert_eq!(code, clean_code, "{name}");
    assert_eq!(common::contents_hash(&out), common::contents_hash(&clean), "{name}: the rebuild is not a clean build");
    assert_eq!(comparable(report), comparable(clean_report), "{name}: reports differ");
    let after = common::contents_hash(&out);
    assert_ne!(before, after, "{name}: nothing changed");
    if let Some(expected) = expected {
      assert_eq!(changed(&before, &after), expected(ext), "{name}");
    }
    edited.push(ext.to_string());
  }
  edited
}

#[test]
fn one_edit_of_each_kind_changes_exactly_its_output_file() {
  let tmp = tempfile::tempdir().unwrap();
  // The marker records every file's hash and the manifest every package's size, so they change
  // with any file.
  let expected = |ext: &str| {
    [format!("miniprogram/pages/index/index.{ext}"), ".wxpack-output".into(), "wxpack-manifest.json".into()]
      .into_iter()
      .collect()
  };
  let edited = edit_each_kind(&common::fixture("demo"), tmp.path(), Some(&expected));
  assert_eq!(edited, ["js", "wxss", "wxml"]);
}

#[test]
fn every_real_app_rebuilds_after_an_edit_like_a_clean_build() {
  let Some(apps) = common::corpus_apps("every_real_app_rebuilds_after_an_edit_like_a_clean_build") else { return };
  for app in &apps {
    let tmp = tempfile::tempdir().unwrap();
    let edited = edit_each_kind(app, tmp.path(), None);
    eprintln!("{:<24} edited: {}", app.file_name().unwrap().to_string_lossy(), edited.join(", "));
  }
}

/// A build with a cold cache, one with the cache it filled, and one without any cache ship the
/// same bytes and report the same, with and without the planner; one cache serves every app,
/// so each build after the first reads a cache other projects filled.
#[test]
fn the_cache_never_changes_what_a_real_app_ships() {
  let Some(apps) = common::corpus_apps("the_cache_never_changes_what_a_real_app_ships") else { return };
  let tmp = tempfile::tempdir().unwrap();
  let cache = tmp.path().join("cache");
  let cached = ["--cache-dir", cache.to_str().unwrap()];
  for app in &apps {
    for plan in [&[][..], &["--no-plan"][..]] {
      let run = |name: &str, extra: &[&str]| {
        let out = tmp.path().join(name);
        let _ = fs::remove_dir_all(&out);
        let args: Vec<&str> = extra.iter().chain(plan).copied().collect();
        let (code, report) = build(app, &out, &args);
        (code, comparable(report), common::contents_hash(&out))
      };
      let cold = run("cold", &cached);
      let warm = run("warm", &cached);
      // Into the output it wrote: the build is recalled.
      let (recalled_code, recalled) = build(app, &tmp.path().join("warm"), &[&cached[..], plan].concat());
      let none = run("none", &["--no-cache"]);
      let name = format!("{} {plan:?}", app.display());
      assert!(cold == warm, "{name}: a warm cache changed the output");
      assert!(cold == none, "{name}: the cache changed the output");
      assert!((recalled_code, comparable(recalled)) == (cold.0, cold.1.clone()), "{name}: the recalled report differs");
    }
  }
}

/// `wxpack build --watch` on a copy of a fixture: an edit is rebuilt into what a clean build
/// gives; a syntax error is printed and the last good output stays; fixing it rebuilds; SIGINT
/// stops the watcher with 0.
#[test]
#[cfg(unix)]
fn watch_rebuilds_on_change_and_keeps_the_last_good_output() {
  use std::{
    io::Read,
    process::Stdio,
    time::{Duration, Instant},
  };
  let tmp = tempfile::tempdir().unwrap();
  let project = tmp.path().join("demo");
  common::copy_fixture("demo", &project);
  let out = tmp.path().join("out");
  let mut child = common::command()
    .args(["build", project.to_str().unwrap(), "-o", out.to_str().unwrap(), "--watch"])
    .stdout(Stdio::null())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
  // Waits (bounded) until `ready` holds.
  let wait_for = |what: &str, ready: &dyn Fn() -> bool| {
    let start = Instant::now();
    while !ready() {
      assert!(start.elapsed() < Duration::from_secs(30), "timed out waiting for {what}");
      std::thread::sleep(Duration::from_millis(50));
    }
  };
  let marker = out.join(".wxpack-output");
  wait_for("the first build", &|| marker.is_file());
  // The watcher starts after the first build; give it a moment to be in place.
  std::thread::sleep(Duration::from_millis(500));
  let js = project.join("miniprogram/pages/index/index.js");
  let original = fs::read_to_string(&js).unwrap();
  let record = || fs::read_to_string(&marker).unwrap_or_default();
  let first = record();
  fs::write(&js, format!("{original}\nconsole.log(\"watched\");\n")).unwrap();
  wait_for("the rebuild", &|| record() != first && !record().is_empty());
  let clean = tmp.path().join("clean");
  build(&project, &clean, &["--no-cache"]);
  assert_eq!(common::contents_hash(&out), common::contents_hash(&clean));
  let good = common::contents_hash(&out);
  // A syntax error: printed, and the output stays.
  fs::write(&js, format!("{original}\nvar = ;\n")).unwrap();
  std::thread::sleep(Duration::from_millis(1500));
  assert_eq!(common::contents_hash(&out), good);
  // Fixed: rebuilt.
  fs::write(&js, &original).unwrap();
  wait_for("the rebuild after the fix", &|| record() == first);
  let status = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
  assert!(status.success());
  let start = Instant::now();
  let code = loop {
    if let Some(s) = child.try_wait().unwrap() {
      break s.code();
    }
    assert!(start.elapsed() < Duration::from_secs(10), "the watcher did not stop");
    std::thread::sleep(Duration::from_millis(50));
  };
  let mut stderr = String::new();
  child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
  assert_eq!(code, Some(0), "{stderr}");
  assert!(stderr.contains("error[syntax]") && stderr.contains("the last good output is left in place"), "{stderr}");
  assert!(stderr.contains("rebuilt in") && stderr.contains("pages/index/index.js changed"), "{stderr}");
}

/// `wxpack cache clean` removes the folder a build with the same arguments uses; `[cache]
/// max_size` bounds it after each build that added to it; `[cache] enabled = false` and
/// `--no-cache` write none.
#[test]
fn the_cache_is_bounded_cleaned_and_can_be_turned_off() {
  let tmp = tempfile::tempdir().unwrap();
  let project = common::fixture("demo");
  let out = tmp.path().join("out");
  let default_cache = tmp.path().join(".wxpack-cache");
  let size = |dir: &Path| -> u64 {
    let walk = fs::read_dir(dir.join("v1")).into_iter().flatten().flatten();
    let shards = walk.filter(|s| s.path().is_dir());
    shards.flat_map(|s| fs::read_dir(s.path()).unwrap()).map(|e| e.unwrap().metadata().unwrap().len()).sum()
  };
  build(&project, &out, &[]);
  assert!(size(&default_cache) > 4096, "the default cache is beside OUT_DIR");
  // A build that replaces the output keeps the replaced one there, for the next.
  build(&project, &out, &["--zip", out.join("app.zip").to_str().unwrap()]);
  assert!(fs::read_dir(default_cache.join("outputs")).unwrap().count() == 1, "the replaced output is kept");
  let o = common::wxpack_own_cache(&["cache", "clean", project.to_str().unwrap(), "-o", out.to_str().unwrap()]);
  assert!(o.status.success(), "{o:?}");
  assert!(!default_cache.exists());
  // Bounded: a build that added entries trims the folder to 80% of max_size.
  let cfg = tmp.path().join("wxpack.toml");
  fs::write(&cfg, "[cache]\nmax_size = \"4KB\"\n").unwrap();
  let o = common::wxpack_own_cache(&[
    "build",
    project.to_str().unwrap(),
    "-o",
    out.to_str().unwrap(),
    "--config",
    cfg.to_str().unwrap(),
    "-v",
  ]);
  assert!(o.status.success(), "{o:?}");
  assert!(size(&default_cache) <= 4096 / 5 * 4, "{}", size(&default_cache));
  assert!(String::from_utf8_lossy(&o.stderr).contains("oldest entries removed"), "{o:?}");
  // Off: nothing written.
  fs::remove_dir_all(&default_cache).unwrap();
  build(&project, &out, &["--no-cache"]);
  assert!(!default_cache.exists());
  let other = tmp.path().join("other-cache");
  fs::write(&cfg, format!("[cache]\nenabled = false\ndir = {:?}\n", other.display().to_string())).unwrap();
  build(&project, &out, &["--config", cfg.to_str().unwrap()]);
  assert!(!other.exists() && !default_cache.exists());
  // `--no-cache` wins over a cache folder set for every build (CI sets WXPACK_CACHE_DIR).
  let o = common::command()
    .env("WXPACK_CACHE_DIR", &other)
    .args(["build", project.to_str().unwrap(), "-o", out.to_str().unwrap(), "--no-cache", "-q"])
    .output()
    .unwrap();
  assert!(o.status.success(), "{o:?}");
  assert!(!other.exists());
}

/// Less results come from the cache until something they depend on changes: the source, a file
/// it imports, or a file created where an import used to find nothing. Without node (a broken
/// `WXPACK_NODE`), a build succeeds only if it compiled nothing.
#[test]
fn less_results_are_reused_until_an_import_or_a_probed_path_changes() {
  let tmp = tempfile::tempdir().unwrap();
  let project = tmp.path().join("project");
  common::copy_fixture("compile", &project);
  let page = project.join("miniprogram/pages/index/index.less");
  let text = fs::read_to_string(&page).unwrap();
  // A bare import: beside the page first, then from the root (DevTools' Less plugin).
  fs::write(&page, format!("@import \"styles/extra.less\";\n{text}")).unwrap();
  fs::write(project.join("miniprogram/styles/extra.less"), ".extra { color: red; }\n").unwrap();
  let out = tmp.path().join("out");
  let cache = tmp.path().join("cache");
  let run = |node: Option<&str>| {
    let mut c = common::command();
    c.env_remove("WXPACK_CACHE_DIR").args(["build", project.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    c.args(["--cache-dir", cache.to_str().unwrap(), "--quiet"]);
    if let Some(node) = node {
      c.env("WXPACK_NODE", node);
    }
    c.output().unwrap()
  };
  let clean_equals_out = || {
    let clean = tmp.path().join("clean");
    let _ = fs::remove_dir_all(&clean);
    build(&project, &clean, &["--no-cache"]);
    assert_eq!(common::contents_hash(&out), common::contents_hash(&clean));
  };
  assert!(run(None).status.success());
  let no_node = Some("/nonexistent/node");
  let o = run(no_node);
  assert!(o.status.success(), "an unchanged project compiled Less again: {o:?}");
  // An imported file edited: compiled again.
  let mixins = project.join("miniprogram/styles/mixins.less");
  fs::write(&mixins, format!("{}\n.mixins-edit {{ color: blue; }}\n", fs::read_to_string(&mixins).unwrap())).unwrap();
  assert!(!run(no_node).status.success(), "an edited import was not compiled again");
  assert!(run(None).status.success());
  clean_equals_out();
  assert!(run(no_node).status.success());
  // A file where the import used to find nothing: it wins now, so compiled again.
  let beside = project.join("miniprogram/pages/index/styles");
  fs::create_dir_all(&beside).unwrap();
  fs::write(beside.join("extra.less"), ".beside { color: green; }\n").unwrap();
  // Classes the page renders, so the unused-rule removal keeps their rules.
  let wxml = project.join("miniprogram/pages/index/index.wxml");
  fs::write(&wxml, format!("{}<view class=\"beside extra\"/>\n", fs::read_to_string(&wxml).unwrap())).unwrap();
  assert!(!run(no_node).status.success(), "a file created on an import's path was not seen");
  assert!(run(None).status.success());
  clean_equals_out();
  let css = fs::read_to_string(out.join("miniprogram/pages/index/index.wxss")).unwrap();
  assert!(css.contains(".beside") && !css.contains(".extra"), "{css}");
}

/// Sass compiles through the cache like Less's: reused while the source, its imports and every
/// path the compile probed are as they were (`-v` counts them); an edited import, or a file
/// created where an import found nothing before, compiles again, into what a clean build gives.
#[test]
fn sass_results_are_reused_until_an_import_or_a_probed_path_changes() {
  let tmp = tempfile::tempdir().unwrap();
  let project = tmp.path().join("project");
  common::copy_fixture("compile", &project);
  let page = project.join("miniprogram/pages/style/style.scss");
  let text = fs::read_to_string(&page).unwrap();
  // A bare import: beside the page first, then from the root.
  fs::write(&page, format!("@import \"extra\";\n{text}")).unwrap();
  fs::write(project.join("miniprogram/extra.scss"), ".extra { color: red; }\n").unwrap();
  let cache = tmp.path().join("cache");
  let n = std::cell::Cell::new(0);
  // Each build into a new folder, so none is recalled whole.
  let run = || {
    n.set(n.get() + 1);
    let out = tmp.path().join(format!("out{}", n.get()));
    let o = common::command()
      .env_remove("WXPACK_CACHE_DIR")
      .args(["build", project.to_str().unwrap(), "-o", out.to_str().unwrap(), "-v"])
      .args(["--cache-dir", cache.to_str().unwrap()])
      .output()
      .unwrap();
    assert!(o.status.success(), "{o:?}");
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    let note = err.lines().find(|l| l.contains("stylesheets compiled")).unwrap_or_default().to_string();
    let clean = tmp.path().join(format!("clean{}", n.get()));
    build(&project, &clean, &["--no-cache"]);
    assert_eq!(common::contents_hash(&out), common::contents_hash(&clean), "build {}", n.get());
    (note, fs::read_to_string(out.join("miniprogram/pages/style/style.wxss")).unwrap())
  };
  let (first, _) = run();
  assert!(first.contains(", 0 from the cache"), "{first}");
  let (again, _) = run();
  assert!(again.contains(" 0 stylesheets compiled"), "an unchanged project compiled Sass again: {again}");
  // An imported file edited: that page is compiled again (app.scss is not).
  let vars = project.join("miniprogram/styles/_vars.scss");
  fs::write(&vars, fs::read_to_string(&vars).unwrap().replace("16rpx", "18rpx")).unwrap();
  let (edited, css) = run();
  assert!(edited.contains(" 1 stylesheets compiled"), "{edited}");
  assert!(css.contains("36rpx"), "{css}");
  // A file where the import used to find nothing: it wins now (and compiles as a sheet of its own).
  fs::write(project.join("miniprogram/pages/style/extra.scss"), ".beside { color: green; }\n").unwrap();
  let wxml = project.join("miniprogram/pages/style/style.wxml");
  fs::write(&wxml, format!("{}<view class=\"beside extra\"/>\n", fs::read_to_string(&wxml).unwrap())).unwrap();
  let (created, css) = run();
  assert!(created.contains(" 2 stylesheets compiled"), "a file created on an import's path was not seen: {created}");
  assert!(css.contains(".beside") && !css.contains(".extra"), "{css}");
}
