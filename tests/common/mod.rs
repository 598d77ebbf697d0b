//! Helpers shared by the integration tests: run the real binary on a fixture into a temp folder.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod check;
pub mod launch;

use std::{
  io::Write,
  path::{Path, PathBuf},
  process::{Command, Output},
};

pub fn fixture(name: &str) -> PathBuf {
  Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(name)
}

/// A finished run: exit code, stdout, stderr, and the temp folder that holds OUT_DIR.
pub struct Run {
  pub code: i32,
  pub stdout: String,
  pub stderr: String,
  pub tmp: tempfile::TempDir,
}

impl Run {
  pub fn out_dir(&self) -> PathBuf {
    self.tmp.path().join("out")
  }

  /// stdout and stderr with the temp folder and the fixture root replaced, for snapshots.
  pub fn normalized(&self) -> String {
    let tmp = self.tmp.path().display().to_string();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).display().to_string();
    format!("exit: {}\n--- stdout\n{}--- stderr\n{}", self.code, self.stdout, self.stderr)
      .replace(&tmp, "[TMP]")
      .replace(&root, "[ROOT]")
  }
}

/// PATH with the test tools first (`npm ci --prefix tests/support`): the Less compiler wxpack
/// runs for `.less` sources.
pub fn path_with_tools() -> std::ffi::OsString {
  let tools = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/node_modules/.bin");
  let rest = std::env::var_os("PATH").unwrap_or_default();
  std::env::join_paths(std::iter::once(tools).chain(std::env::split_paths(&rest))).unwrap()
}

/// The image cache every test build shares (`WXPACK_CACHE_DIR`), under target/: oxipng
/// optimizes each image of the fixtures and the corpus once per `target/`, not once per build.
pub fn image_cache() -> PathBuf {
  Path::new(env!("CARGO_TARGET_TMPDIR")).join("image-cache")
}

/// The binary with the test tools on PATH, `CI` set (no progress bars) and the shared image cache.
pub fn command() -> Command {
  let mut c = Command::new(env!("CARGO_BIN_EXE_wxpack"));
  c.env("CI", "1").env("PATH", path_with_tools()).env("WXPACK_CACHE_DIR", image_cache());
  c
}

pub fn wxpack(args: &[&str]) -> Output {
  command().args(args).output().unwrap()
}

/// [`wxpack`] with the image cache where the project's config (or the default) puts it.
pub fn wxpack_own_cache(args: &[&str]) -> Output {
  command().args(args).env_remove("WXPACK_CACHE_DIR").output().unwrap()
}

/// `wxpack build <project> -o <tmp>/out <extra...>`, run from the crate root so paths in the
/// report are relative (`fixtures/demo`).
pub fn build(project: &Path, extra: &[&str]) -> Run {
  let tmp = tempfile::tempdir().unwrap();
  let out = tmp.path().join("out");
  let mut args: Vec<String> = vec!["build".into(), relative(project), "-o".into(), out.display().to_string()];
  args.extend(extra.iter().map(|s| s.replace("{tmp}", &tmp.path().display().to_string())));
  let output = command().args(&args).current_dir(env!("CARGO_MANIFEST_DIR")).output().unwrap();
  Run {
    code: output.status.code().unwrap_or(-1),
    stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
    stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    tmp,
  }
}

/// [`build`] with `toml` as the config file (`--config {tmp}/wxpack.toml`).
pub fn build_with_config(project: &Path, toml: &str, extra: &[&str]) -> Run {
  let dir = tempfile::tempdir().unwrap();
  let cfg = dir.path().join("wxpack.toml");
  std::fs::write(&cfg, toml).unwrap();
  let cfg = cfg.display().to_string();
  let mut args = vec!["--config", cfg.as_str()];
  args.extend(extra);
  let run = build(project, &args);
  drop(dir);
  run
}

fn relative(p: &Path) -> String {
  p.strip_prefix(env!("CARGO_MANIFEST_DIR")).map_or_else(|_| p.display().to_string(), |r| r.display().to_string())
}

/// Every file under `dir` with its size, sorted, one per line: the output tree snapshot.
pub fn tree(dir: &Path) -> String {
  let mut lines = Vec::new();
  walk(dir, dir, &mut lines);
  lines.sort();
  lines.join("\n") + "\n"
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
  for e in std::fs::read_dir(dir).unwrap() {
    let p = e.unwrap().path();
    if p.is_dir() {
      walk(root, &p, out);
    } else {
      let rel = p.strip_prefix(root).unwrap().display().to_string();
      out.push(format!("{rel} {}", std::fs::metadata(&p).unwrap().len()));
    }
  }
}

/// Every file under `dir`, at any depth.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
  let (mut out, mut stack) = (Vec::new(), vec![dir.to_path_buf()]);
  while let Some(d) = stack.pop() {
    for e in std::fs::read_dir(&d).unwrap().flatten() {
      let p = e.path();
      if p.is_dir() { stack.push(p) } else { out.push(p) }
    }
  }
  out
}

/// Every file under `dir` with its text, sorted by path.
pub fn contents(dir: &Path) -> String {
  let mut out = String::new();
  for line in tree(dir).lines() {
    let path = line.rsplit_once(' ').unwrap().0;
    out.push_str(&format!("--- {path}\n{}\n", String::from_utf8_lossy(&std::fs::read(dir.join(path)).unwrap())));
  }
  out
}

/// Every file under `dir` with a hash of its bytes, sorted: compares two trees exactly.
pub fn contents_hash(dir: &Path) -> String {
  tree(dir)
    .lines()
    .map(|line| {
      let path = line.rsplit_once(' ').unwrap().0;
      format!("{path} {}\n", blake3::hash(&std::fs::read(dir.join(path)).unwrap()).to_hex())
    })
    .collect()
}

/// Copies `fixtures/<name>` into `to`.
pub fn copy_fixture(name: &str, to: &Path) {
  copy(&fixture(name), to);
}

/// Copies the folder `from` into `to`.
pub fn copy_dir(from: &Path, to: &Path) {
  copy(from, to);
}

fn copy(from: &Path, to: &Path) {
  std::fs::create_dir_all(to).unwrap();
  for e in std::fs::read_dir(from).unwrap() {
    let e = e.unwrap();
    if e.file_type().unwrap().is_dir() {
      copy(&e.path(), &to.join(e.file_name()));
    } else {
      std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
  }
}

/// Reads JSON; a UTF-8 BOM is read past, as wxpack reads it.
pub fn read_json(path: &Path) -> serde_json::Value {
  let bytes = std::fs::read(path).unwrap();
  serde_json::from_slice(bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes)).unwrap()
}

/// The warning and error lines of a run, without the caret excerpts.
pub fn messages(stderr: &str) -> String {
  stderr.lines().filter(|l| l.contains("warning[") || l.contains("error[")).collect::<Vec<_>>().join("\n")
}

/// `what` (a test, or part of one) cannot run because `missing` is not here: a printed
/// `skipped:` line on a developer's machine, a failure when `CI` is set (`.ci/run` sets it), so a
/// CI machine without the tool is red, not green for having tested nothing.
/// `log` validated against the SARIF 2.1.0 schema (tests/support/sarif_valid.js); skipped
/// (see [`skip`]) without the test tools.
pub fn sarif_valid(log: &str) -> Result<(), String> {
  let support = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support");
  if !support.join("node_modules/@microsoft/jest-sarif").is_dir() {
    skip("SARIF schema validation", "the test tools (npm ci --prefix tests/support)");
    return Ok(());
  }
  let tmp = tempfile::tempdir().unwrap();
  let file = tmp.path().join("check.sarif");
  std::fs::write(&file, log).unwrap();
  let o = Command::new("node").arg(support.join("sarif_valid.js")).arg(&file).output().unwrap();
  if o.status.success() { Ok(()) } else { Err(String::from_utf8_lossy(&o.stderr).into_owned()) }
}

pub fn skip(what: &str, missing: &str) {
  assert!(std::env::var_os("CI").is_none(), "{what} needs {missing}, and CI is set");
  // Past the test harness's capture (which hides a passing test's eprintln!), so an offline
  // `cargo test` shows what it did not run.
  let _ = writeln!(std::io::stderr(), "skipped: {what} needs {missing}");
}

/// The real apps in `../shared/corpus/apps` (third-party code, read in place): every folder
/// with a project.config.json. `None` (see [`skip`]) when the corpus is not there.
pub fn corpus_apps(what: &str) -> Option<Vec<PathBuf>> {
  let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/apps");
  let Ok(entries) = std::fs::read_dir(&dir) else {
    skip(what, "the real apps in ../shared/corpus/apps");
    return None;
  };
  let mut apps: Vec<PathBuf> =
    entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.join("project.config.json").is_file()).collect();
  apps.sort();
  assert!(!apps.is_empty(), "no app in ../shared/corpus/apps");
  Some(apps)
}

/// Builds `project --no-plan` (plus `extra`) into `tmp/out` and pairs every shipped file with its
/// source: with the planner off each file sits at its source's path. Generated helper modules,
/// and outputs whose source has another name (`x.js` of `x.ts`), are left out.
pub fn source_output_pairs(project: &Path, tmp: &Path, extra: &[&str]) -> Vec<(PathBuf, PathBuf)> {
  let (out, report) = (tmp.join("out"), tmp.join("report.json"));
  let mut args = vec![
    "build",
    project.to_str().unwrap(),
    "-o",
    out.to_str().unwrap(),
    "--json",
    report.to_str().unwrap(),
    "--quiet",
    "--no-plan",
  ];
  args.extend(extra);
  let o = wxpack(&args);
  assert!(matches!(o.status.code(), Some(0 | 1)), "{}: {}", project.display(), String::from_utf8_lossy(&o.stderr));
  let report = read_json(&report);
  let root = project.join(report["miniprogram_root"].as_str().unwrap());
  report["files"]
    .as_array()
    .unwrap()
    .iter()
    .filter(|f| f["generated"] != true)
    .map(|f| f["path"].as_str().unwrap())
    .map(|p| (root.join(p), out.join("miniprogram").join(p)))
    .filter(|(s, _)| s.is_file())
    .collect()
}

/// Headless Chromium, when it is installed (`apt-get install chromium`; `.ci/run` installs it);
/// else `None` (see [`skip`]).
pub fn chromium(what: &str) -> Option<PathBuf> {
  let paths = std::env::var_os("PATH").unwrap_or_default();
  let found = ["chromium", "chromium-browser"]
    .iter()
    .flat_map(|n| std::env::split_paths(&paths).map(move |d| d.join(n)))
    .find(|p| p.is_file());
  if found.is_none() {
    skip(what, "chromium (apt-get install chromium)");
  }
  found
}

/// Runs a stylesheet check of tests/support (`script`, after the shared `css_canon.js`) in
/// headless Chromium on `data`, which it reads as JSON from `<script id="pairs">`.
pub fn css_check(browser: &Path, script: &str, data: &impl serde::Serialize, tmp: &Path) -> (u64, Vec<String>) {
  let support = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support");
  let read = |name: &str| std::fs::read_to_string(support.join(name)).unwrap();
  let (canon, script) = (read("css_canon.js"), read(script));
  let data = serde_json::to_string(data).unwrap().replace("</", "<\\/");
  let page = tmp.join("css-check.html");
  let html = format!(
    "<!doctype html><meta charset=utf-8><body><pre id=result></pre><script type=application/json id=pairs>{data}</script><script>{canon}</script><script>{script}</script>"
  );
  std::fs::write(&page, html).unwrap();
  chromium_result(browser, &page, &[])
}

/// Opens `page` in headless Chromium (with `flags`) and reads what its script wrote into
/// `<pre id="result">`: `{checked, differences}` as `(checked, differences)`.
pub fn chromium_result(browser: &Path, page: &Path, flags: &[&str]) -> (u64, Vec<String>) {
  let o = Command::new(browser)
    .args(["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom"])
    .args(flags)
    .arg(format!("file://{}", page.display()))
    .output()
    .expect("chromium runs");
  let dom = String::from_utf8_lossy(&o.stdout);
  let result = dom.split("<pre id=\"result\">").nth(1).and_then(|r| r.split("</pre>").next()).unwrap_or("");
  let result = result.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
  let v: serde_json::Value = serde_json::from_str(&result)
    .unwrap_or_else(|e| panic!("no result from chromium ({e}): {}", String::from_utf8_lossy(&o.stderr)));
  let differences = v["differences"].as_array().unwrap().iter().map(|d| d.as_str().unwrap().to_string()).collect();
  (v["checked"].as_u64().unwrap(), differences)
}
