//! `wxpack check` against DevTools' own code-quality check: miniprogram-ci's `checkCodeQuality`
//! (offline, from tests/support) on every real app in ../shared/corpus/apps and every
//! fixtures/check case must give each DevTools rule the verdict `wxpack check --format json`
//! gives it.
//!
//! Where wxpack reads a project differently on purpose, the comparison removes the difference
//! from ci's side, generically, and a fixture shows it:
//! - a component tag that appears only inside a WXML comment renders nothing, so wxpack calls
//!   the component unused (ci counts the tag): ci checks a copy of each project with its WXML
//!   comments removed (fixtures/check/devtools has such a tag);
//! - ci counts DevTools' own project.private.config.json as unused code; a ci failure of
//!   CONTAINS_UNUSED_CODES whose only file is that one is a pass.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::{
  collections::BTreeMap,
  fs,
  path::{Path, PathBuf},
  process::Command,
};

use serde_json::Value;

const PRIVATE_CONFIG: &str = "project.private.config.json";

fn support(path: &str) -> PathBuf {
  Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support").join(path)
}

/// `from` copied into `to`, each WXML file with its comments blanked out.
fn copy_without_comments(from: &Path, to: &Path) {
  fs::create_dir_all(to).unwrap();
  for e in fs::read_dir(from).unwrap() {
    let e = e.unwrap();
    let (src, dst) = (e.path(), to.join(e.file_name()));
    if e.file_type().unwrap().is_dir() {
      if e.file_name() != "node_modules" {
        copy_without_comments(&src, &dst);
      }
    } else if src.extension().is_some_and(|x| x == "wxml") {
      let text = fs::read_to_string(&src).unwrap_or_default();
      fs::write(&dst, strip_comments(&text)).unwrap();
    } else {
      fs::copy(&src, &dst).unwrap();
    }
  }
}

/// Each comment blanked out byte for byte (newlines kept), so every size stays ci's.
fn strip_comments(text: &str) -> String {
  let mut out = String::with_capacity(text.len());
  let mut rest = text;
  while let Some(i) = rest.find("<!--") {
    out.push_str(&rest[..i]);
    let len = rest[i..].find("-->").map_or(rest.len() - i, |j| j + 3);
    out.extend(rest.as_bytes()[i..i + len].iter().map(|&b| if b == b'\n' { '\n' } else { ' ' }));
    rest = &rest[i + len..];
  }
  out.push_str(rest);
  out
}

/// ci's verdict per rule, with the deliberate differences removed.
fn ci_verdicts(checks: &[Value]) -> BTreeMap<String, bool> {
  checks
    .iter()
    .map(|c| {
      let name = c["name"].as_str().unwrap().to_string();
      let mut passed = c["success"].as_bool().unwrap();
      if name == "CONTAINS_UNUSED_CODES" && !passed {
        let files = c["detail"].as_array().cloned().unwrap_or_default();
        passed = files.iter().all(|f| f.as_str() == Some(PRIVATE_CONFIG));
      }
      (name, passed)
    })
    .collect()
}

#[test]
fn devtools_rules_agree_with_miniprogram_ci() {
  if !support("node_modules/miniprogram-ci").is_dir() {
    common::skip("devtools_rules_agree_with_miniprogram_ci", "miniprogram-ci (npm ci --prefix tests/support)");
    return;
  }
  let mut projects: Vec<PathBuf> = fs::read_dir(common::fixture("check"))
    .unwrap()
    .map(|e| e.unwrap().path())
    .filter(|p| p.join("project.config.json").is_file())
    .collect();
  projects.sort();
  projects.extend(common::corpus_apps("devtools_rules_agree_with_miniprogram_ci (real apps)").unwrap_or_default());
  let tmp = tempfile::tempdir().unwrap();
  let mut list = Vec::new();
  for (i, p) in projects.iter().enumerate() {
    let copy = tmp.path().join(format!("p{i}"));
    copy_without_comments(p, &copy);
    list.push((copy.display().to_string(), p.display().to_string()));
  }
  let list_path = tmp.path().join("list.json");
  fs::write(&list_path, serde_json::to_string(&list).unwrap()).unwrap();
  let answer = tmp.path().join("ci.json");
  let o = Command::new("node").arg(support("code_quality.js")).arg(&list_path).arg(&answer).output().unwrap();
  assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
  let ci: BTreeMap<String, Vec<Value>> = serde_json::from_str(&fs::read_to_string(&answer).unwrap()).unwrap();
  let mut problems = Vec::new();
  for p in &projects {
    let name = p.display().to_string();
    let o = common::wxpack(&["check", &name, "--format", "json"]);
    assert!(o.status.code() != Some(2), "{name}: {}", String::from_utf8_lossy(&o.stderr));
    let ours_json: Value = serde_json::from_slice(&o.stdout).unwrap();
    let ours: BTreeMap<&str, bool> = ours_json["checks"]
      .as_array()
      .unwrap()
      .iter()
      .map(|c| (c["name"].as_str().unwrap(), c["passed"] == true))
      .collect();
    let theirs = ci_verdicts(&ci[&name]);
    assert!(theirs.len() >= 10, "{name}: ci ran {} checks", theirs.len());
    problems.extend(same_files(p, &ours_json, &ci[&name]));
    for (rule, passed) in &theirs {
      match ours.get(rule.as_str()) {
        Some(p) if p == passed => {}
        Some(p) => problems.push(format!("{name}: {rule}: ci {passed}, wxpack {p}")),
        // Turned off by the project's own [check] rules.
        None
          if fs::read_to_string(p.join("wxpack.toml")).unwrap_or_default().contains(&format!("{rule} = \"off\"")) => {}
        None => problems.push(format!("{name}: {rule}: not run by wxpack check")),
      }
    }
  }
  assert!(problems.is_empty(), "verdicts differ:\n{}", problems.join("\n"));
}

/// The unused code files and the size of an oversized main package, as ci gives them. Paths
/// are compared from the mini program root. Allowed: ci's project.private.config.json, and
/// files ci reaches only through a root-absolute import that names nothing from the root (ci
/// reads it from the importing file's folder; the platform does not, so nothing loads them).
fn same_files(project: &Path, ours: &Value, ci: &[Value]) -> Vec<String> {
  let config: Value = serde_json::from_str(&fs::read_to_string(project.join("project.config.json")).unwrap()).unwrap();
  let root = config["miniprogramRoot"].as_str().unwrap_or("").trim_start_matches("./").to_string();
  let rule = |name: &str| ours["checks"].as_array().unwrap().iter().find(|c| c["name"] == name).cloned();
  let theirs = |name: &str| ci.iter().find(|c| c["name"] == name).unwrap()["detail"].clone();
  let mut problems = Vec::new();
  if let Some(unused) = rule("CONTAINS_UNUSED_CODES") {
    let ours: std::collections::BTreeSet<String> = unused["findings"]
      .as_array()
      .unwrap()
      .iter()
      .map(|f| {
        f["location"]["file"].as_str().unwrap().trim_start_matches(root.as_str()).trim_start_matches('/').to_string()
      })
      .collect();
    let ci: std::collections::BTreeSet<String> = theirs("CONTAINS_UNUSED_CODES")
      .as_array()
      .unwrap()
      .iter()
      .filter_map(|f| f.as_str().map(str::to_string))
      .filter(|f| f != PRIVATE_CONFIG)
      .collect();
    let behind = behind_root_absolute_imports(&project.join(&root));
    for f in ci.difference(&ours) {
      problems.push(format!("{}: ci calls {f} unused, wxpack does not", project.display()));
    }
    for f in ours.difference(&ci).filter(|f| !behind.contains(*f)) {
      problems.push(format!("{}: wxpack calls {f} unused, ci does not", project.display()));
    }
  }
  if let Some(size) = rule("PACKAGE_SIZE_LIMIT") {
    let main = theirs("PACKAGE_SIZE_LIMIT")["__APP__"].as_u64().unwrap();
    let over: Vec<u64> = size["findings"].as_array().unwrap().iter().filter_map(|f| f["bytes"].as_u64()).collect();
    if main > 1536 * 1024 && !over.contains(&main) {
      problems.push(format!("{}: ci weighs main at {main} bytes, wxpack at {over:?}", project.display()));
    }
  }
  problems
}

/// Scripts under `root` that a root-absolute import (`from '/store/index'`) names when read
/// from the importing file's folder but not from the root, and what they import relatively.
fn behind_root_absolute_imports(root: &Path) -> std::collections::BTreeSet<String> {
  let mut scripts = Vec::new();
  let mut stack = vec![root.to_path_buf()];
  while let Some(dir) = stack.pop() {
    for e in fs::read_dir(&dir).unwrap().map(|e| e.unwrap()) {
      let p = e.path();
      if p.is_dir() && e.file_name() != "node_modules" {
        stack.push(p);
      } else if p.extension().is_some_and(|x| x == "js") {
        scripts.push(p);
      }
    }
  }
  let resolve = |base: &Path, spec: &str| -> Option<PathBuf> {
    let p = base.join(spec);
    let file = [p.with_extension("js"), p.join("index.js"), p.clone()].into_iter().find(|c| c.is_file())?;
    fs::canonicalize(file).ok()
  };
  let root = &fs::canonicalize(root).unwrap();
  let specs = |text: &str| -> Vec<String> {
    let mut out = Vec::new();
    for marker in ["from '", "from \"", "require('", "require(\""] {
      for (i, _) in text.match_indices(marker) {
        let rest = &text[i + marker.len()..];
        if let Some(end) = rest.find(['\'', '"']) {
          out.push(rest[..end].to_string());
        }
      }
    }
    out
  };
  let mut found: Vec<PathBuf> = Vec::new();
  for s in &scripts {
    let text = fs::read_to_string(s).unwrap_or_default();
    for spec in specs(&text).into_iter().filter(|x| x.starts_with('/')) {
      let rel = spec.trim_start_matches('/');
      if resolve(root, rel).is_none() {
        found.extend(resolve(s.parent().unwrap(), rel));
      }
    }
  }
  let mut seen = std::collections::BTreeSet::new();
  while let Some(f) = found.pop() {
    let Ok(rel) = f.strip_prefix(root) else { continue };
    if !seen.insert(rel.to_string_lossy().replace('\\', "/")) {
      continue;
    }
    let text = fs::read_to_string(&f).unwrap_or_default();
    for spec in specs(&text).into_iter().filter(|x| x.starts_with('.')) {
      found.extend(resolve(f.parent().unwrap(), &spec));
    }
  }
  seen
}

/// Without the normalization the comment case is a real difference: the fixture shows it, so
/// the comparison above does not pass by never meeting one.
#[test]
fn a_tag_in_a_comment_does_not_use_a_component() {
  let dir = common::fixture("check/devtools");
  let o = common::wxpack(&["check", &dir.display().to_string(), "--format", "json"]);
  let v: Value = serde_json::from_slice(&o.stdout).unwrap();
  let unused = v["checks"].as_array().unwrap().iter().find(|c| c["name"] == "CONTAINS_UNUSED_COMPONENTS").unwrap();
  assert_eq!(unused["passed"], false);
  let text = unused["findings"][0]["message"].as_str().unwrap();
  assert!(text.contains("components/old-card/index"), "{text}");
  assert!(fs::read_to_string(dir.join("pages/index/index.wxml")).unwrap().contains("<!-- <old-card>"));
}

#[test]
fn exit_status_follows_error_findings() {
  for (case, code) in [("clean", 0), ("devtools", 0), ("privacy", 1), ("titles", 1)] {
    let o = common::wxpack(&["check", &common::fixture("check").join(case).display().to_string()]);
    assert_eq!(o.status.code(), Some(code), "{case}: {}", String::from_utf8_lossy(&o.stdout));
  }
  let o = common::wxpack(&["check", &common::fixture("errors/malformed-app-json").display().to_string()]);
  assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn an_unknown_rule_in_check_rules_is_located() {
  let tmp = tempfile::tempdir().unwrap();
  common::copy_dir(&common::fixture("check/clean"), tmp.path());
  fs::write(tmp.path().join("wxpack.toml"), "[check]\nrules = { PACKAGE_SIZE = \"off\" }\n").unwrap();
  let o = common::wxpack(&["check", &tmp.path().display().to_string()]);
  assert_eq!(o.status.code(), Some(2));
  let err = String::from_utf8_lossy(&o.stderr);
  assert!(err.contains("wxpack.toml:2:11") && err.contains("PACKAGE_SIZE_LIMIT"), "{err}");
}

#[test]
fn a_build_names_what_the_upload_refuses_in_one_warning() {
  let run = common::build(&common::fixture("check/privacy"), &[]);
  assert_eq!(run.code, 0, "{}", run.stderr);
  let lines: Vec<&str> = run.stderr.lines().filter(|l| l.contains("upload-blocker")).collect();
  assert_eq!(lines.len(), 1, "{}", run.stderr);
  let line = lines[0];
  assert!(line.contains("4 findings the upload refuses") && line.contains("PLUGIN_UNDECLARED"), "{line}");
  assert!(run.stderr.contains("run `wxpack check`"), "{}", run.stderr);
  let clean = common::build(&common::fixture("check/clean"), &[]);
  assert_eq!(clean.code, 0, "{}", clean.stderr);
  assert!(!clean.stderr.contains("upload-blocker"), "{}", clean.stderr);
}

/// No fixture carries 1.5 MB: the oversized package is written into a copy.
#[test]
fn a_package_over_one_and_a_half_megabytes_fails_with_its_bytes() {
  let tmp = tempfile::tempdir().unwrap();
  common::copy_dir(&common::fixture("check/clean"), tmp.path());
  let before = common::wxpack(&["check", tmp.path().to_str().unwrap(), "--format", "json"]);
  let size = |o: &std::process::Output| -> Value {
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    v["checks"].as_array().unwrap().iter().find(|c| c["name"] == "PACKAGE_SIZE_LIMIT").unwrap().clone()
  };
  assert_eq!(size(&before)["passed"], true);
  // 1.5 MB exactly passes (ci fails only above it); one byte more fails.
  let total: u64 = walk_bytes(tmp.path());
  let pad = 1536 * 1024 - total;
  fs::write(tmp.path().join("data.js"), "/".repeat(pad as usize)).unwrap();
  assert_eq!(size(&common::wxpack(&["check", tmp.path().to_str().unwrap(), "--format", "json"]))["passed"], true);
  fs::write(tmp.path().join("data.js"), "/".repeat(pad as usize + 1)).unwrap();
  let after = size(&common::wxpack(&["check", tmp.path().to_str().unwrap(), "--format", "json"]));
  assert_eq!(after["passed"], false);
  assert_eq!(after["findings"][0]["bytes"], 1536 * 1024 + 1);
  assert!(after["findings"][0]["message"].as_str().unwrap().starts_with("main is 1.50 MB"), "{after}");
}

/// The bytes of every file under `dir` (the fixture has only whitelisted files).
fn walk_bytes(dir: &Path) -> u64 {
  fs::read_dir(dir)
    .unwrap()
    .map(|e| e.unwrap().path())
    .map(|p| if p.is_dir() { walk_bytes(&p) } else { fs::metadata(&p).unwrap().len() })
    .sum()
}
