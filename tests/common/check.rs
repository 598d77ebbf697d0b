//! The output of a build, checked as a project of its own.
#![allow(dead_code, clippy::unwrap_used, clippy::print_stderr)]

use std::{fs, path::Path, process::Command};

use serde_json::{Value, json};

use super::{read_json, wxpack};

/// Builds `project`, then checks the output as a project of its own.
pub struct Checked {
  /// The build's JSON report.
  pub report: Value,
  /// The build's exit code (0 or 1).
  pub code: i32,
  /// Moved or copied JS modules that load in node and export what their source did.
  pub loaded: usize,
}

/// Builds `project` with `extra` flags, then checks the output as a project of its own: every
/// reference that resolved still resolves, the package rules hold (the rebuild would exit 2),
/// page routes are unchanged, and moved or copied modules load with the same exports.
pub fn check_output(project: &Path, extra: &[&str]) -> Checked {
  let tmp = tempfile::tempdir().unwrap();
  let (out, report_path) = (tmp.path().join("out"), tmp.path().join("report.json"));
  let run = |project: &Path, out: &Path, report: &Path, extra: &[&str]| {
    let mut args =
      vec!["build", project.to_str().unwrap(), "-o", out.to_str().unwrap(), "--json", report.to_str().unwrap()];
    args.extend(extra);
    let o = wxpack(&args);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}: {}", project.display(), String::from_utf8_lossy(&o.stderr));
    (read_json(report), o.status.code().unwrap_or(2))
  };
  let mut flags = vec!["--quiet"];
  flags.extend(extra);
  let (report, code) = run(project, &out, &report_path, &flags);
  let p = &report["placement"];
  eprintln!(
    "{}: main {} -> {} bytes; moved {}, copied {}, shared {}, pruned {} files",
    project.file_name().unwrap().to_string_lossy(),
    p["main_bytes_before"],
    p["main_bytes_after"],
    p["moved"]["files"],
    p["copied"]["files"],
    p["shared"]["files"],
    p["pruned"]["files"]
  );
  // The output, built as it is: a reference that no longer resolves is an `unresolved` warning,
  // a broken package rule an error (exit 2).
  let (again, _) =
    run(&out, &tmp.path().join("again"), &tmp.path().join("again.json"), &["--quiet", "--no-plan", "--no-minify"]);
  let unresolved = |r: &Value| -> Vec<String> {
    let mut v: Vec<String> = r["diagnostics"]
      .as_array()
      .unwrap()
      .iter()
      .filter(|d| d["code"] == "unresolved")
      .map(|d| d["message"].as_str().unwrap().to_string())
      .collect();
    v.sort();
    v
  };
  // Fewer is fine: a rule taken out as unused takes its broken `url()` with it.
  let mut known = unresolved(&report);
  let new: Vec<String> = unresolved(&again)
    .into_iter()
    .filter(|m| match known.iter().position(|k| k == m) {
      Some(i) => {
        known.remove(i);
        false
      }
      None => true,
    })
    .collect();
  assert!(new.is_empty(), "{}: references that resolved no longer do: {new:?}", project.display());
  // Page routes are unchanged.
  let root = project.join(report["miniprogram_root"].as_str().unwrap());
  let app = |p: &Path| -> Value { read_json(&p.join("app.json")) };
  let routes = |a: &Value| json!([a["pages"], a["subpackages"], a["subPackages"]]);
  assert_eq!(routes(&app(&out.join("miniprogram"))), routes(&app(&root)), "{}", project.display());
  // Moved and copied modules load with their real dependencies and export what they did.
  let pairs: Vec<(String, String)> = report["files"]
    .as_array()
    .unwrap()
    .iter()
    .filter(|f| f["kind"] == "js" && f["source"].is_string())
    .map(|f| (f["source"].as_str().unwrap().to_string(), f["path"].as_str().unwrap().to_string()))
    .collect();
  if pairs.is_empty() {
    return Checked { report, code, loaded: 0 };
  }
  let aliases: Vec<(String, String)> = app(&root)["resolveAlias"]
    .as_object()
    .map(|m| {
      m.iter()
        .map(|(k, v)| (k.trim_end_matches("/*").to_string(), v.as_str().unwrap().trim_end_matches("/*").to_string()))
        .collect()
    })
    .unwrap_or_default();
  let job = json!({
    "source": {"root": fs::canonicalize(&root).unwrap(), "aliases": aliases},
    "output": {"root": fs::canonicalize(out.join("miniprogram")).unwrap(), "aliases": aliases},
    "pairs": pairs,
  });
  let job_path = tmp.path().join("job.json");
  fs::write(&job_path, job.to_string()).unwrap();
  let harness = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/require.js");
  let o = Command::new("node").arg(harness).arg(&job_path).output().unwrap();
  assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
  let results: Vec<Value> = serde_json::from_slice(&o.stdout).unwrap();
  let broken: Vec<&Value> = results.iter().filter(|r| r["loadable"] == true && r["same"] != true).collect();
  assert!(broken.is_empty(), "{}: {}", project.display(), serde_json::to_string_pretty(&broken).unwrap());
  let loaded = results.iter().filter(|r| r["loadable"] == true).count();
  Checked { report, code, loaded }
}
