//! One test per fixture case, found by listing the folders (as rolldown's fixtures are): every
//! project under `fixtures/errors/` must fail with exit 2 and write nothing; every project under
//! `fixtures/accepts/` (a shape DevTools compiles) must build with and without the planner and
//! its output must check out. `cargo test --test cases <name>` runs one case; a broken case fails
//! its own test only. Each case's snapshot sits beside its folder (`fixtures/errors/<case>.snap`).
//! A case's `ARGS` file holds the flags it needs, one per line.
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
  for (set, run) in [("errors", error_case as fn(&Path) -> Result<(), Failed>), ("accepts", accepted_case)] {
    for dir in cases(set) {
      let name = format!("{set}::{}", dir.file_name().unwrap().to_string_lossy());
      trials.push(Trial::test(name, move || run(&dir)));
    }
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
