//! The launch comparison (tests/launch.rs): DevTools' compile of a project (the reference that
//! runs, cached under target/ by the project's content) and wxpack's outputs, each launched by
//! tests/support/launch.js, and what the outputs did at launch compared with what the reference
//! did.

use std::{
  collections::BTreeMap,
  fs,
  path::{Path, PathBuf},
  process::Command,
};

use serde_json::Value;

fn support() -> PathBuf {
  Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support")
}

/// Whether the node tools are installed (`npm ci --prefix tests/support`); without them the
/// launch tests cannot run, which CI (`CI` set) treats as a failure, not a skip.
#[allow(clippy::print_stderr)]
pub fn tools_or_skip(test: &str) -> bool {
  if support().join("node_modules/miniprogram-ci").is_dir() {
    return true;
  }
  super::skip(test, "miniprogram-ci from the npm registry (npm ci --prefix tests/support)");
  false
}

/// A hash of every file under `dir` (paths and bytes, in order) and of what else decides the
/// reference: the compile script and the pinned miniprogram-ci.
fn content_key(dir: &Path) -> String {
  let mut hasher = blake3::Hasher::new();
  let mut stack = vec![dir.to_path_buf()];
  let mut files = Vec::new();
  while let Some(d) = stack.pop() {
    for e in fs::read_dir(&d).unwrap() {
      let p = e.unwrap().path();
      if p.is_dir() {
        stack.push(p);
      } else {
        files.push(p);
      }
    }
  }
  files.sort();
  for f in files {
    hasher.update(f.strip_prefix(dir).unwrap().to_string_lossy().as_bytes());
    hasher.update(&fs::read(&f).unwrap());
  }
  for f in ["devtools_compile.js", "package-lock.json"] {
    hasher.update(&fs::read(support().join(f)).unwrap());
  }
  hasher.finalize().to_hex()[..16].to_string()
}

/// DevTools' compile of `project` with minification off (tests/support/devtools_compile.js),
/// computed once per content and kept in target/launch-reference.
pub fn reference(project: &Path) -> PathBuf {
  let name = project.file_name().unwrap().to_string_lossy().to_string();
  let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
    .join("target/launch-reference")
    .join(format!("{name}-{}", content_key(project)));
  if !dir.join("app.json").is_file() {
    let o = Command::new("node")
      .arg(support().join("devtools_compile.js"))
      .arg(project)
      .arg(&dir)
      .output()
      .expect("node runs tests/support/devtools_compile.js");
    assert!(
      o.status.success(),
      "{}: DevTools' compile failed: {}",
      project.display(),
      String::from_utf8_lossy(&o.stderr)
    );
  }
  dir
}

/// One mini program root to launch; `sources` maps the output paths of moved or copied files to
/// their source paths (from the `--json` report).
pub struct Job {
  pub name: String,
  pub root: PathBuf,
  pub sources: BTreeMap<String, String>,
  /// usingComponents entries wxpack dropped as unused, as (component JSON's source path, tag):
  /// no run instantiates them (see `dropped`).
  pub skip: Vec<(String, String)>,
}

impl Job {
  pub fn plain(name: &str, root: &Path) -> Self {
    Self { name: name.into(), root: root.into(), sources: BTreeMap::new(), skip: Vec::new() }
  }

  /// wxpack's output `out` (built with `--json report`), its moved files named by their source.
  pub fn output(name: &str, out: &Path, report: &Value) -> Self {
    let sources = report["files"]
      .as_array()
      .unwrap()
      .iter()
      .filter_map(|f| Some((f["path"].as_str()?.to_string(), f["source"].as_str()?.to_string())))
      .collect();
    Self { name: name.into(), root: out.join("miniprogram"), sources, skip: Vec::new() }
  }

  pub fn skipping(mut self, skip: &[(String, String)]) -> Self {
    self.skip = skip.to_vec();
    self
  }
}

/// The usingComponents entries a report says wxpack dropped because the WXML never uses them,
/// as (component JSON's source path, tag). The platform never instantiates them; the launch
/// skips them in every run of the app so every run launches the same components.
pub fn dropped(report: &Value) -> Vec<(String, String)> {
  let source = |path: &str| {
    report["files"]
      .as_array()
      .into_iter()
      .flatten()
      .find(|f| f["path"] == path)
      .and_then(|f| f["source"].as_str())
      .unwrap_or(path)
      .to_string()
  };
  let mut out = Vec::new();
  for d in report["dropped_components"].as_array().into_iter().flatten() {
    let json = source(d["path"].as_str().unwrap());
    for tag in d["tags"].as_array().into_iter().flatten() {
      out.push((json.clone(), tag.as_str().unwrap().to_string()));
    }
  }
  out.sort();
  out.dedup();
  out
}

/// Launches every job in one node process; the record of each, by name.
pub fn launch(jobs: &[Job]) -> BTreeMap<String, Value> {
  let tmp = tempfile::tempdir().unwrap();
  let list: Vec<Value> = jobs
    .iter()
    .map(|j| serde_json::json!({"name": j.name, "root": j.root, "sources": j.sources, "skip": j.skip}))
    .collect();
  let (input, output) = (tmp.path().join("jobs.json"), tmp.path().join("records.json"));
  fs::write(&input, serde_json::to_string(&list).unwrap()).unwrap();
  let o = Command::new("node")
    .arg(support().join("launch.js"))
    .arg(&input)
    .arg(&output)
    .output()
    .expect("node runs tests/support/launch.js");
  assert!(o.status.success(), "launch.js failed: {}", String::from_utf8_lossy(&o.stderr));
  serde_json::from_str(&fs::read_to_string(&output).unwrap()).unwrap()
}

/// Sorted, distinct JSON texts of a list's items (copies of one component are one component).
fn distinct(v: &Value) -> Vec<String> {
  let mut out: Vec<String> = v.as_array().into_iter().flatten().map(Value::to_string).collect();
  out.sort();
  out.dedup();
  out
}

/// Counts of `(fields...)` tuples of a list of objects or arrays.
fn tally(v: &Value, fields: &[&str]) -> BTreeMap<String, i64> {
  let mut out = BTreeMap::new();
  for item in v.as_array().into_iter().flatten() {
    let k: Vec<String> = match item {
      Value::Array(a) => a.iter().take(fields.len()).map(Value::to_string).collect(),
      _ => fields.iter().map(|f| item[*f].to_string()).collect(),
    };
    *out.entry(k.join(" ")).or_insert(0) += 1;
  }
  out
}

/// What `output` did at launch that `reference` did not: registrations or page/component data
/// that differ, other calls into `wx`, WXS results that differ, exceptions (by phase, file and
/// type: messages name minified identifiers) or console errors the reference does not have.
/// Empty when the output launched as the reference did.
pub fn differences(reference: &Value, output: &Value) -> Vec<String> {
  let mut out = Vec::new();
  for (part, label) in [("registrations", "registration"), ("instances", "instance after launch")] {
    let (a, b) = (distinct(&reference[part]), distinct(&output[part]));
    for r in a.iter().filter(|r| !b.contains(r)) {
      out.push(format!("{label} only in the reference: {r}"));
    }
    for r in b.iter().filter(|r| !a.contains(r)) {
      out.push(format!("{label} only in the output: {r}"));
    }
  }
  let calls = |v: &Value| tally(v, &["0", "1", "2", "3"]);
  let (a, b) = (calls(&reference["wx"]), calls(&output["wx"]));
  for (call, n) in &a {
    let m = b.get(call).copied().unwrap_or(0);
    if m != *n {
      out.push(format!("wx call {call}: {n} in the reference, {m} in the output"));
    }
  }
  for (call, m) in b.iter().filter(|(c, _)| !a.contains_key(*c)) {
    out.push(format!("wx call {call}: 0 in the reference, {m} in the output"));
  }
  let (a, b) = (reference["wxs"].as_object(), output["wxs"].as_object());
  for (id, rec) in a.into_iter().flatten() {
    match b.and_then(|b| b.get(id)) {
      Some(o) if o == rec => {}
      Some(o) => out.push(format!("WXS {id}: the reference gives {rec}, the output {o}")),
      None => out.push(format!("WXS {id} did not run in the output")),
    }
  }
  for (part, fields) in [("exceptions", &["phase", "file", "type"][..]), ("console", &["0", "1", "2"][..])] {
    let (a, b) = (tally(&reference[part], fields), tally(&output[part], fields));
    for (k, n) in &b {
      let m = a.get(k).copied().unwrap_or(0);
      if *n > m {
        let example = output[part]
          .as_array()
          .into_iter()
          .flatten()
          .find(|e| tally(&Value::Array(vec![(*e).clone()]), fields).contains_key(k))
          .map(Value::to_string)
          .unwrap_or_default();
        out.push(format!("{part}: {} more in the output than the reference's {m}: {example}", n - m));
      }
    }
  }
  out
}
