//! The minifier at scale, run: every JS and WXS file of every real app in
//! ../shared/corpus/apps and of the published libraries ../shared/corpus/fetch.sh brings is
//! minified alone (lowered to ES5 where its app compiles to ES5) and both versions run in the
//! launch harness's logic layer (tests/support/module_diff.js): the same exports, definitions,
//! calls into `wx`, requires and setData payloads, and every exposed function returning or
//! throwing the same. A second test does the same over generated programs (tests/programs/), the
//! shapes a compressor gets wrong: inlined functions with parameters used under `||` and `&&`,
//! loops, closures, sequences.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

mod common;
mod programs;

use std::{
  fs,
  path::{Path, PathBuf},
  process::Command,
};

use rayon::prelude::*;
use serde_json::Value;
use wxpack::{
  config::JsOptions,
  transform::js::{Dialect, Job, process},
};
use wxpack_corpus as corpus_app;

/// Every `.js` and `.wxs` under `dir`, `node_modules` left out.
fn scripts(dir: &Path, out: &mut Vec<PathBuf>) {
  let Ok(entries) = fs::read_dir(dir) else { return };
  for e in entries.flatten() {
    let p = e.path();
    if p.is_dir() {
      if p.file_name().is_some_and(|n| n != "node_modules") {
        scripts(&p, out);
      }
    } else if p.extension().is_some_and(|x| x == "js" || x == "wxs") {
      out.push(p);
    }
  }
}

/// The mini program root of a project folder, and whether it compiles to ES5.
fn project(dir: &Path) -> (PathBuf, bool) {
  let config = common::read_json(&dir.join("project.config.json"));
  let root = config["miniprogramRoot"].as_str().unwrap_or("");
  let on = |k: &str| config["setting"][k].as_bool().unwrap_or(false);
  (dir.join(root), on("es6") || on("enhance"))
}

/// Minifies each file alone into `tmp` (in parallel) and returns the (original, minified, kind)
/// triples of those it changed.
fn minify_all(files: &[(PathBuf, bool)], tmp: &Path) -> Vec<(String, String, &'static str)> {
  files
    .par_iter()
    .enumerate()
    .filter_map(|(i, (file, es5))| {
      let src = fs::read_to_string(file).ok()?;
      let wxs = file.extension().is_some_and(|x| x == "wxs");
      let job = Job {
        dialect: if wxs { Dialect::Wxs } else { Dialect::Js },
        typescript: false,
        es5: *es5 && !wxs,
        minify: Some(JsOptions::default()),
        helpers: None,
      };
      let out = process(&src, job, None).ok()??;
      let kind = if wxs { "wxs" } else { "js" };
      let target = tmp.join(format!("{i}.{kind}"));
      fs::write(&target, out.code).unwrap();
      Some((file.display().to_string(), target.display().to_string(), kind))
    })
    .collect()
}

/// Runs module_diff.js over `pairs`, in two node processes: the pairs that differ, how many
/// were compared, and how many differed only where one side ran out of time (no verdict).
fn differing(pairs: &[(String, String, &str)], tmp: &Path) -> (Vec<Value>, u64, u64) {
  let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/module_diff.js");
  let halves: Vec<Vec<&(String, String, &str)>> =
    [0, 1].iter().map(|h| pairs.iter().skip(*h).step_by(2).collect()).collect();
  let results: Vec<(Vec<Value>, u64, u64)> = halves
    .par_iter()
    .enumerate()
    .map(|(h, half)| {
      let list = tmp.join(format!("pairs-{h}.json"));
      fs::write(&list, serde_json::to_string(half).unwrap()).unwrap();
      let answer = tmp.join(format!("diff-{h}.json"));
      let o = Command::new("node").arg(&script).arg(&list).arg(&answer).output().expect("node runs module_diff.js");
      assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
      let mut out: Vec<Value> = serde_json::from_str(&fs::read_to_string(&answer).unwrap()).unwrap();
      let summary = out.pop().unwrap();
      (out, summary["compared"].as_u64().unwrap(), summary["slow"].as_u64().unwrap())
    })
    .collect();
  results.into_iter().fold((Vec::new(), 0, 0), |(mut all, n, s), (diffs, m, t)| {
    all.extend(diffs);
    (all, n + m, s + t)
  })
}

#[test]
fn every_corpus_script_minified_alone_behaves_as_its_source() {
  if !common::launch::tools_or_skip("the minified-runs comparison") {
    return;
  }
  let mut files = Vec::new();
  for app in common::corpus_apps("the real apps' files run as minified").unwrap_or_default() {
    let (root, es5) = project(&app);
    let mut found = Vec::new();
    scripts(&root, &mut found);
    files.extend(found.into_iter().map(|f| (f, es5)));
  }
  if let Some(libs) = corpus_app::fetch_or_skip("the published libraries' part of the minified-runs comparison") {
    let mut found = Vec::new();
    scripts(&libs.join("miniprogram_npm"), &mut found);
    files.extend(found.into_iter().map(|f| (f, true)));
  }
  let tmp = tempfile::tempdir().unwrap();
  let pairs = minify_all(&files, tmp.path());
  let (diffs, compared, _) = differing(&pairs, tmp.path());
  eprintln!("{} scripts, {} minified, {compared} compared", files.len(), pairs.len());
  assert!(compared as usize > pairs.len() * 9 / 10, "most scripts load: {compared} of {}", pairs.len());
  assert!(
    diffs.is_empty(),
    "{} scripts behave differently minified:\n{}",
    diffs.len(),
    serde_json::to_string_pretty(&diffs).unwrap()
  );
}

/// fixtures/minify-runs: programs the compressor once got wrong, minified as written and lowered
/// to ES5.
#[test]
fn known_miscompilations_stay_fixed() {
  if !common::launch::tools_or_skip("the minify-runs fixtures") {
    return;
  }
  let mut files = Vec::new();
  scripts(&common::fixture("minify-runs"), &mut files);
  assert!(files.len() >= 3, "{files:?}");
  let both: Vec<(PathBuf, bool)> = files.into_iter().flat_map(|f| [(f.clone(), false), (f, true)]).collect();
  let tmp = tempfile::tempdir().unwrap();
  let pairs = minify_all(&both, tmp.path());
  assert_eq!(pairs.len(), both.len(), "every fixture minifies");
  let (diffs, compared, _) = differing(&pairs, tmp.path());
  assert_eq!(compared as usize, pairs.len());
  assert!(diffs.is_empty(), "{}", serde_json::to_string_pretty(&diffs).unwrap());
}

/// Generated programs (see tests/programs/mod.rs), minified and run: the same exports and calls.
/// `WXPACK_GEN_PROGRAMS` sets how many and `WXPACK_GEN_SEED` the seed (CI runs the defaults; a
/// fuzzing run sets more, and `WXPACK_GEN_KEEP` to keep the programs that fail).
#[test]
fn generated_programs_minified_behave_as_their_source() {
  if !common::launch::tools_or_skip("the generated-programs comparison") {
    return;
  }
  let count: u64 = std::env::var("WXPACK_GEN_PROGRAMS").ok().and_then(|v| v.parse().ok()).unwrap_or(400);
  let seed: u64 = std::env::var("WXPACK_GEN_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(1);
  let tmp = tempfile::tempdir().unwrap();
  let mut files = Vec::new();
  for n in 0..count {
    let (program, es5) = programs::program(seed.wrapping_mul(1_000_003).wrapping_add(n));
    let file = tmp.path().join(format!("gen-{n}.js"));
    fs::write(&file, program).unwrap();
    files.push((file, es5));
  }
  let out = tmp.path().join("min");
  fs::create_dir_all(&out).unwrap();
  let pairs = minify_all(&files, &out);
  let (diffs, compared, slow) = differing(&pairs, tmp.path());
  eprintln!("{count} programs (seed {seed}), {compared} compared, {slow} ran out of time on one side");
  // A program that builds a huge string (`s += s` in a loop) can reach the time limit.
  assert_eq!((compared + slow) as usize, pairs.len(), "every generated program loads");
  assert!(slow as usize <= pairs.len() / 100, "{slow} of {} programs ran out of time", pairs.len());
  // A fuzzing run keeps what failed (`WXPACK_GEN_KEEP=<folder>`).
  if let Some(keep) = std::env::var_os("WXPACK_GEN_KEEP") {
    fs::create_dir_all(&keep).unwrap();
    for d in &diffs {
      for (key, suffix) in [("original", "js"), ("minified", "min.js")] {
        let from = Path::new(d[key].as_str().unwrap());
        let name = format!("seed{seed}-{}.{suffix}", from.file_stem().unwrap().to_string_lossy());
        fs::copy(from, Path::new(&keep).join(name)).unwrap();
      }
    }
  }
  let shown: Vec<String> = diffs
    .iter()
    .take(3)
    .map(|d| {
      let original = d["original"].as_str().unwrap();
      format!(
        "{}\n--- source\n{}\n--- minified\n{}",
        d,
        fs::read_to_string(original).unwrap(),
        fs::read_to_string(d["minified"].as_str().unwrap()).unwrap()
      )
    })
    .collect();
  assert!(
    diffs.is_empty(),
    "{} of {compared} generated programs behave differently minified:\n{}",
    diffs.len(),
    shown.join("\n\n")
  );
}
