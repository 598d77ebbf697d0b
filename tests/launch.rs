//! The output runs like the input. Every real app in ../shared/corpus/apps (hand-written, and
//! the native projects Taro and uni-app emit) is launched in a stubbed logic layer
//! (tests/support/launch.js) twice over: DevTools' own compile of the source with minification
//! off (miniprogram-ci, the reference that runs) and wxpack's output, with and without the
//! planner. The outputs must register the same pages, components and behaviors, end their
//! launch lifecycles with the same data, make the same calls into `wx`, give the same WXS
//! results, and throw nothing the reference does not. A companion test breaks an output on
//! purpose and sees the comparison fail.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

mod common;

use std::{collections::BTreeMap, fs, path::Path};

use common::launch::{Job, differences, dropped, launch, reference, tools_or_skip};
use serde_json::Value;

/// `wxpack build project -o tmp/<name> --json tmp/<name>.json [extra]`: the output and its report.
fn build(project: &Path, tmp: &Path, name: &str, extra: &[&str]) -> (std::path::PathBuf, Value) {
  let out = tmp.join(name);
  let json = tmp.join(format!("{name}.json"));
  let mut args =
    vec!["build", project.to_str().unwrap(), "-o", out.to_str().unwrap(), "--json", json.to_str().unwrap()];
  args.push("--quiet");
  args.extend(extra);
  let o = common::wxpack(&args);
  assert!(matches!(o.status.code(), Some(0 | 1)), "{}: {}", project.display(), String::from_utf8_lossy(&o.stderr));
  (out, common::read_json(&json))
}

fn count(record: &Value, part: &str) -> usize {
  record[part].as_array().map_or(0, Vec::len)
}

#[test]
fn every_real_app_launches_as_devtools_compile_of_it_does() {
  if !tools_or_skip("the launch comparison") {
    return;
  }
  let Some(apps) = common::corpus_apps("every_real_app_launches_as_devtools_compile_of_it_does") else { return };
  let tmp = tempfile::tempdir().unwrap();
  // DevTools' compiles (one node process each, one core) run two at a time beside the builds.
  let (references, built) = std::thread::scope(|s| {
    let compilers: Vec<_> = (0..2)
      .map(|k| {
        let apps = &apps;
        s.spawn(move || apps.iter().skip(k).step_by(2).map(|a| (a.clone(), reference(a))).collect::<Vec<_>>())
      })
      .collect();
    let mut built = Vec::new();
    for app in &apps {
      let name = app.file_name().unwrap().to_string_lossy().to_string();
      let mut outputs = Vec::new();
      let mut skip = Vec::new();
      for (mode, extra) in [("planner", &[][..]), ("--no-plan", &["--no-plan"][..])] {
        let (out, report) = build(app, tmp.path(), &format!("{name}-{}", mode.trim_start_matches('-')), extra);
        skip.extend(dropped(&report));
        outputs.push(Job::output(&format!("{name} {mode}"), &out, &report));
      }
      skip.sort();
      skip.dedup();
      built.push((app.clone(), outputs, skip));
    }
    let references: BTreeMap<_, _> = compilers.into_iter().flat_map(|c| c.join().unwrap()).collect();
    (references, built)
  });
  let mut jobs = Vec::new();
  for (app, outputs, skip) in built {
    let name = app.file_name().unwrap().to_string_lossy().to_string();
    jobs.push(Job::plain(&format!("{name} reference"), &references[&app]).skipping(&skip));
    jobs.extend(outputs.into_iter().map(|j| j.skipping(&skip)));
  }
  let records = launch(&jobs);
  let mut failures = Vec::new();
  eprintln!("{:<22} {:>5} {:>5} {:>5} {:>5} {:>5}", "app", "regs", "inst", "wx", "wxs", "exc");
  for app in &apps {
    let name = app.file_name().unwrap().to_string_lossy().to_string();
    let reference = &records[&format!("{name} reference")];
    let wxs = reference["wxs"].as_object().map_or(0, serde_json::Map::len);
    eprintln!(
      "{name:<22} {:>5} {:>5} {:>5} {wxs:>5} {:>5}",
      count(reference, "registrations"),
      count(reference, "instances"),
      count(reference, "wx"),
      count(reference, "exceptions"),
    );
    assert!(count(reference, "registrations") > 0, "{name}: the reference registered nothing: {reference}");
    for mode in ["planner", "--no-plan"] {
      let diffs = differences(reference, &records[&format!("{name} {mode}")]);
      if !diffs.is_empty() {
        let shown: Vec<&String> = diffs.iter().take(12).collect();
        failures.push(format!(
          "{name} ({mode}): {} differences:\n  {}",
          diffs.len(),
          shown.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n  ")
        ));
      }
    }
  }
  assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The comparison sees a broken output: the uni-app runtime's `initWx` as swc_core 83 minified
/// it with the parameter assignment inside a short-circuited operand (the copied `wx` is empty,
/// so `canIUse` is not a function at launch), and a `require` dropped from a page.
#[test]
fn a_broken_output_fails_the_comparison() {
  if !tools_or_skip("the launch comparison's self-check") {
    return;
  }
  let tmp = tempfile::tempdir().unwrap();
  let fixture = common::fixture("launch");
  let (out, report) = build(&fixture, tmp.path(), "out", &[]);
  let root = out.join("miniprogram");
  let broken_inlining = tmp.path().join("inlined");
  common::copy_dir(&out, &broken_inlining);
  fs::write(
    broken_inlining.join("miniprogram/utils/wx.js"),
    "var e=[\"canIUse\",\"env\"],n=[\"lanDebug\",\"router\"],r=wx.getLaunchOptionsSync?wx.getLaunchOptionsSync():null;module.exports=function(){var t,o={};for(var u in wx)(!r||1154!==r.scene||!n.includes(t=u))&&(e.indexOf(t)>-1||\"function\"==typeof wx[t])&&(o[u]=wx[u]);return o}();",
  )
  .unwrap();
  let dropped_require = tmp.path().join("dropped");
  common::copy_dir(&out, &dropped_require);
  let page = dropped_require.join("miniprogram/pages/index/index.js");
  let text = fs::read_to_string(&page).unwrap();
  let without = text.replacen("require(\"../../utils/format.js\")", "{}", 1);
  assert_ne!(text, without, "the page no longer requires utils/format.js: {text}");
  fs::write(&page, without).unwrap();
  let records = launch(&[
    Job::plain("reference", &reference(&fixture)),
    Job::output("output", &out, &report),
    Job::output("inlined", &broken_inlining, &report),
    Job::output("dropped", &dropped_require, &report),
  ]);
  assert!(root.is_dir());
  let good = differences(&records["reference"], &records["output"]);
  assert!(good.is_empty(), "the fixture's own output differs: {good:#?}");
  let inlined = differences(&records["reference"], &records["inlined"]);
  assert!(inlined.iter().any(|d| d.contains("canIUse is not a function")), "{inlined:#?}");
  let dropped = differences(&records["reference"], &records["dropped"]);
  assert!(dropped.iter().any(|d| d.contains("pages/index/index.js")), "{dropped:#?}");
}
