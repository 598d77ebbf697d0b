//! The report is the upload: miniprogram-ci (DevTools' compiler, from the npm registry) compiles
//! wxpack's output as DevTools would upload it, and every file it produces must be the size the
//! `--json` report gave it. JS, WXML, WXSS, WXS and images match byte for byte (wxpack turns off
//! what DevTools would redo: minify, postcss); JSON may only grow, by what DevTools writes into
//! it at compile (`"usingComponents":{}`, `__warning__` texts). Over the fixtures and the real
//! apps in ../shared/corpus/apps, with and without the planner; with the planner every reported
//! file is uploaded too (without it, DevTools' unused-file filter leaves out what nothing uses).
mod common;

use std::{collections::BTreeMap, fs, path::Path, process::Command};

use serde_json::Value;

fn miniprogram_ci() -> bool {
  Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/node_modules/miniprogram-ci").is_dir()
}

#[test]
fn devtools_uploads_what_the_report_says() {
  if !miniprogram_ci() {
    common::skip("devtools_uploads_what_the_report_says", "miniprogram-ci (npm ci --prefix tests/support)");
    return;
  }
  let mut projects = vec![common::fixture("demo"), common::fixture("minify")];
  projects.extend(common::corpus_apps("devtools_uploads_what_the_report_says (real apps)").unwrap_or_default());
  let tmp = tempfile::tempdir().unwrap();
  let mut list = Vec::new();
  let mut reports = BTreeMap::new();
  let runs = projects.iter().flat_map(|p| [(p, false), (p, true)]);
  for (i, (project, no_plan)) in runs.enumerate() {
    let out = tmp.path().join(format!("out-{i}"));
    let json = tmp.path().join(format!("report-{i}.json"));
    let (out_s, json_s) = (out.display().to_string(), json.display().to_string());
    let project_s = project.display().to_string();
    let mut args = vec!["build", &project_s, "-o", &out_s, "--json", &json_s, "--quiet"];
    if no_plan {
      args.push("--no-plan");
    }
    let o = common::wxpack(&args);
    assert!(o.status.code() != Some(2), "{}: {}", project.display(), String::from_utf8_lossy(&o.stderr));
    let mode = if no_plan { "--no-plan" } else { "planner" };
    let name = format!("{} ({mode})", project.file_name().unwrap().to_string_lossy());
    let report: Value = serde_json::from_str(&fs::read_to_string(&json).unwrap()).unwrap();
    list.push((out.display().to_string(), name.clone()));
    reports.insert(name, report);
  }
  let list_path = tmp.path().join("list.json");
  fs::write(&list_path, serde_json::to_string(&list).unwrap()).unwrap();
  let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/upload.js");
  let answer = tmp.path().join("uploads.json");
  let o =
    Command::new("node").arg(&script).arg(&list_path).arg(&answer).output().expect("node runs tests/support/upload.js");
  assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
  let uploads: BTreeMap<String, BTreeMap<String, u64>> =
    serde_json::from_str(&fs::read_to_string(&answer).unwrap()).unwrap();
  let mut problems = Vec::new();
  for (name, report) in &reports {
    let upload = &uploads[name];
    // Where the output keeps postcss on (a stylesheet shipped as written lacks prefixes DevTools
    // would have added to the source), DevTools reprocesses WXSS at upload and the report says
    // so; everything else still uploads byte for byte.
    let postcss = report["payload"]["settings"]["postcss"] == true;
    if postcss {
      assert!(report["payload"]["notes"].to_string().contains("setting.postcss is on"), "{name}: no note");
    }
    let mut reported = BTreeMap::new();
    for f in report["files"].as_array().unwrap() {
      reported.insert(f["path"].as_str().unwrap().to_string(), f["bytes_out"].as_u64().unwrap());
    }
    for (path, &bytes) in upload {
      match reported.get(path) {
        None => problems.push(format!("{name}: DevTools uploads {path} ({bytes} B), which the report does not list")),
        Some(&r) if path.ends_with(".json") && bytes >= r => {}
        Some(_) if postcss && path.ends_with(".wxss") => {}
        Some(&r) if r != bytes => problems.push(format!("{name}: {path}: report {r} B, upload {bytes} B")),
        Some(_) => {}
      }
    }
    // Without the planner nothing is pruned, and DevTools' own unused-file filter leaves out what
    // no page reaches: only the planner's output must be uploaded whole.
    let missing: Vec<&String> = reported.keys().filter(|p| !upload.contains_key(*p)).collect();
    if name.ends_with("(planner)") {
      problems.extend(missing.iter().map(|p| format!("{name}: the report lists {p}, which DevTools does not upload")));
    } else if !missing.is_empty() {
      eprintln!("{name}: {} reported files DevTools' unused-file filter leaves out", missing.len());
    }
    let total = report["total"]["bytes_out"].as_u64().unwrap();
    let uploaded: u64 = upload.values().sum();
    eprintln!(
      "{name}: report {total} B, upload {uploaded} B ({:+.2}%)",
      (uploaded as f64 - total as f64) * 100.0 / total as f64
    );
  }
  assert!(problems.is_empty(), "{} differences:\n{}", problems.len(), problems.join("\n"));
}
