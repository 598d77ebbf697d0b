//! One test per fixture case, found by listing the folders (as rolldown's fixtures are):
//! - every project under `fixtures/errors/` must fail with exit 2 and write nothing;
//! - every project under `fixtures/accepts/` (a shape DevTools compiles) must build with and
//!   without the planner and its output must check out;
//! - every project `fixtures/<name>/` with a `fixtures/<name>.case.toml` beside it builds with
//!   the case's `args`, exits with its `exit`, and snapshots what its `snapshot` lists
//!   (`report`, the terminal report; `tree`, the output's files and sizes; `files`, every output
//!   file's text); with `check = true` its output must resolve, keep its routes and load
//!   (`common::check`). The file sits beside the project so the project has no file it would not
//!   have otherwise;
//! - every project under `fixtures/check/` is checked (`wxpack check`) in each format: the exit
//!   status, the text, the JSON and the SARIF (valid against the SARIF 2.1.0 schema) are its
//!   snapshot.
//!
//! `cargo test --test cases <name>` runs one case; a broken case fails its own test only. Each
//! case's snapshot sits beside its folder (`fixtures/errors/<case>.snap`, `fixtures/<name>.snap`).
//! An errors or accepts case's `ARGS` file holds the flags it needs, one per line.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::{
  fs,
  path::{Path, PathBuf},
  process::ExitCode,
};

use libtest_mimic::{Arguments, Failed, Trial};

fn main() -> ExitCode {
  let args = Arguments::from_args();
  let mut trials = Vec::new();
  let sets =
    [("errors", error_case as fn(&Path) -> Result<(), Failed>), ("accepts", accepted_case), ("check", check_case)];
  for (set, run) in sets {
    for dir in cases(set) {
      let name = format!("{set}::{}", dir.file_name().unwrap().to_string_lossy());
      trials.push(Trial::test(name, move || run(&dir)));
    }
  }
  for (name, case) in projects() {
    trials.push(Trial::test(format!("projects::{name}"), move || project_case(&name, &case)));
  }
  libtest_mimic::run(&args, trials).exit_code()
}

/// The case folders of `fixtures/<set>`, sorted.
fn cases(set: &str) -> Vec<PathBuf> {
  let mut dirs: Vec<PathBuf> =
    fs::read_dir(common::fixture(set)).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
  dirs.sort();
  assert!(!dirs.is_empty(), "no case in fixtures/{set}");
  dirs
}

/// `wxpack build` of the case with the flags of its `ARGS` file, then `extra`.
fn build(dir: &Path, extra: &[&str]) -> common::Run {
  let flags = fs::read_to_string(dir.join("ARGS")).unwrap_or_default();
  let mut args: Vec<&str> = flags.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
  args.extend(extra);
  common::build(dir, &args)
}

/// `value` against `<case>.snap` beside the case's folder.
fn snapshot(dir: &Path, value: &str) {
  let mut settings = insta::Settings::clone_current();
  settings.set_snapshot_path(dir.parent().unwrap());
  settings.set_prepend_module_to_snapshot(false);
  settings.set_omit_expression(true);
  let name = dir.file_name().unwrap().to_string_lossy().to_string();
  settings.bind(|| insta::assert_snapshot!(name, value));
}

/// A project case (`fixtures/<name>.case.toml`).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
  #[serde(default)]
  args: Vec<String>,
  exit: i32,
  snapshot: Vec<Section>,
  #[serde(default)]
  check: bool,
  /// With `check`: at least this many moved or copied modules load with the same exports.
  #[serde(default)]
  loads: usize,
}

#[derive(serde::Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum Section {
  Report,
  Tree,
  Files,
}

/// Every `fixtures/<name>.case.toml` whose `fixtures/<name>/` exists, by name.
fn projects() -> Vec<(String, Case)> {
  let mut out = Vec::new();
  for entry in fs::read_dir(common::fixture("")).unwrap() {
    let path = entry.unwrap().path();
    let Some(name) = path.file_name().unwrap().to_str().and_then(|n| n.strip_suffix(".case.toml")) else { continue };
    assert!(common::fixture(name).is_dir(), "{} names no fixture folder", path.display());
    let case: Case =
      toml::from_str(&fs::read_to_string(&path).unwrap()).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    out.push((name.to_string(), case));
  }
  out.sort_by(|a, b| a.0.cmp(&b.0));
  assert!(!out.is_empty(), "no fixtures/*.case.toml");
  out
}

fn project_case(name: &str, case: &Case) -> Result<(), Failed> {
  let dir = common::fixture(name);
  let args: Vec<&str> = case.args.iter().map(String::as_str).collect();
  let run = common::build(&dir, &args);
  if run.code != case.exit {
    return Err(format!("exit {}, not {}: {}", run.code, case.exit, run.stderr).into());
  }
  let mut text = String::new();
  for section in &case.snapshot {
    let (title, body) = match section {
      // Stage timings (--verbose) vary run to run; everything else is deterministic.
      Section::Report => {
        ("report", run.normalized().lines().filter(|l| !l.contains(" ms")).map(|l| format!("{l}\n")).collect())
      }
      Section::Tree => ("tree", common::tree(&run.out_dir())),
      Section::Files => ("files", common::contents(&run.out_dir().join("miniprogram"))),
    };
    text.push_str(&format!("=== {title}\n{body}\n"));
  }
  snapshot(&dir, &text);
  if case.check {
    // The check builds quietly; what the terminal report shows is not what it checks.
    let flags: Vec<&str> = args.iter().copied().filter(|a| *a != "--verbose").collect();
    let loaded = common::check::check_output(&dir, &flags).loaded;
    if loaded < case.loads {
      return Err(format!("{loaded} moved or copied modules load, not at least {}", case.loads).into());
    }
  }
  Ok(())
}

fn error_case(dir: &Path) -> Result<(), Failed> {
  let run = build(dir, &[]);
  if run.code != 2 {
    return Err(format!("exit {}, not 2: {}", run.code, run.stderr).into());
  }
  if run.out_dir().exists() {
    return Err("a failed build wrote its output".into());
  }
  snapshot(dir, &run.normalized());
  Ok(())
}

fn check_case(dir: &Path) -> Result<(), Failed> {
  let project = dir.display().to_string();
  let mut text = String::new();
  let mut code = None;
  for format in ["text", "json", "sarif"] {
    let o = common::wxpack(&["check", &project, "--format", format]);
    match (code, o.status.code()) {
      (_, Some(2) | None) => return Err(format!("{format}: {}", String::from_utf8_lossy(&o.stderr)).into()),
      (Some(c), got) if Some(c) != got => return Err(format!("{format}: exit {got:?}, text gave {c}").into()),
      _ => code = o.status.code(),
    }
    let out = String::from_utf8(o.stdout).unwrap();
    if format == "sarif" {
      common::sarif_valid(&out)?;
    }
    text.push_str(&format!(
      "=== {format}
{out}
"
    ));
  }
  snapshot(
    dir,
    &format!(
      "exit: {}
{text}",
      code.unwrap_or(-1)
    ),
  );
  Ok(())
}

fn accepted_case(dir: &Path) -> Result<(), Failed> {
  let planned = build(dir, &[]);
  if planned.code != 0 {
    return Err(format!("exit {}: {}", planned.code, planned.stderr).into());
  }
  let flat = build(dir, &["--no-plan"]);
  if flat.code != 0 {
    return Err(format!("--no-plan: exit {}: {}", flat.code, flat.stderr).into());
  }
  snapshot(dir, &common::messages(&planned.stderr));
  common::check::check_output(dir, &[]);
  Ok(())
}
