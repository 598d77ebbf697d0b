//! wxpack's promises under stress: it never writes what the project reads, and the output is
//! either the previous one or the new one, whole, whatever stops the build (an error, Ctrl-C,
//! SIGKILL), with nothing a stopped build left behind read or shipped later.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::{
  fs,
  path::{Path, PathBuf},
  process::{Command, Stdio},
  time::Instant,
};

fn wxpack_in(dir: &Path, args: &[&str]) -> (i32, String) {
  let o = Command::new(env!("CARGO_BIN_EXE_wxpack")).args(args).current_dir(dir).env("CI", "1").output().unwrap();
  (o.status.code().unwrap_or(-1), String::from_utf8_lossy(&o.stderr).into_owned())
}

/// A copy of the tiny fixture in a temp folder: (the temp folder, the project in it).
fn project() -> (tempfile::TempDir, PathBuf) {
  let tmp = tempfile::tempdir().unwrap();
  let project = tmp.path().join("app");
  common::copy_fixture("tiny", &project);
  (tmp, project)
}

/// Every file of the project but its output folder, hashed.
/// The project's files, without what a build writes beside its output when the output is
/// inside the project: the output itself and the build cache (`.wxpack-cache`, beside OUT_DIR).
fn source_hash(project: &Path) -> String {
  let built = |l: &&str| l.starts_with("dist/") || l.starts_with(".wxpack-cache/");
  common::contents_hash(project).lines().filter(|l| !built(l)).collect::<Vec<_>>().join("\n")
}

fn leftovers(dir: &Path) -> Vec<String> {
  fs::read_dir(dir)
    .unwrap()
    .filter_map(|e| e.ok()?.file_name().into_string().ok())
    .filter(|n| n.contains(".wxpack-tmp-") || n.contains(".wxpack-old-"))
    .collect()
}

#[test]
fn a_report_zip_or_cache_is_never_written_over_the_project() {
  let cases: &[(&[&str], &str)] = &[
    (&["--json", "app.json"], "--json app.json: is a file the build reads"),
    (&["--html", "project.config.json"], "--html project.config.json: is a file the build reads"),
    (&["--zip", "pages/app.zip"], "--zip pages/app.zip: is inside the mini program folder"),
    (&["--json", "report.json"], "--json report.json: is inside the mini program folder"),
    (&["--json", "dist/miniprogram/r.json"], "is inside miniprogram/, which is uploaded"),
    (&["--json", "dist/project.config.json"], "which wxpack writes there"),
    (&["--json", "../r.json", "--html", "../r.json"], "--html ../r.json: --json writes the same file"),
    (&["--json", "pages"], "--json pages: is a folder"),
    (&["--zip", "/dev/null"], "--zip /dev/null: is not a regular file"),
  ];
  for (args, message) in cases {
    let (_tmp, project) = project();
    let before = source_hash(&project);
    let mut all = vec!["build", "."];
    all.extend(*args);
    let (code, stderr) = wxpack_in(&project, &all);
    assert_eq!(code, 2, "{args:?}: {stderr}");
    assert!(stderr.contains(message) && stderr.contains("error[output-path]"), "{args:?}: {stderr}");
    assert_eq!(source_hash(&project), before, "{args:?} changed the project");
    assert!(!project.join("dist").exists(), "{args:?} wrote an output");
  }
  // The image cache may not hold the project's files.
  let (_tmp, project) = project();
  fs::write(project.join("wxpack.toml"), "[images]\ncache_dir = \"pages\"\n").unwrap();
  let (code, stderr) = wxpack_in(&project, &["build", "."]);
  assert_eq!(code, 2, "{stderr}");
  assert!(stderr.contains("the cache folder") && stderr.contains("holds files the build reads"), "{stderr}");
}

/// docs/configuration.md's example: the zip inside the output folder, written with it.
#[test]
fn a_zip_and_reports_inside_the_output_folder_are_written_with_it() {
  let (_tmp, project) = project();
  fs::write(project.join("wxpack.toml"), "out_dir = \"dist\"\nzip = \"dist/app.zip\"\n").unwrap();
  let before = source_hash(&project);
  for _ in 0..2 {
    let (code, stderr) =
      wxpack_in(&project, &["build", ".", "--json", "dist/report.json", "--html", "dist/size.html", "--quiet"]);
    assert_eq!(code, 0, "{stderr}");
    let zip = fs::read(project.join("dist/app.zip")).unwrap();
    assert!(zip.starts_with(b"PK") && zip.windows(15).any(|w| w == b"miniprogram/app"), "not the output's zip");
    assert!(project.join("dist/report.json").is_file() && project.join("dist/size.html").is_file());
    assert!(project.join("dist/miniprogram/app.json").is_file());
    assert!(leftovers(&project).is_empty() && leftovers(&project.join("dist")).is_empty());
  }
  assert_eq!(source_hash(&project), before);
}

#[test]
fn what_a_killed_build_left_is_cleaned_and_never_shipped() {
  let (_tmp, project) = project();
  // A build killed mid-write (default output inside the project): its temporary folder, not
  // yet marked, and the previous output it had moved aside, with a file the project lacks.
  let tmp_left = project.join(".dist.wxpack-tmp-99999999/miniprogram");
  fs::create_dir_all(&tmp_left).unwrap();
  fs::write(tmp_left.join("stale.js"), "module.exports = 1;").unwrap();
  let old_left = project.join(".dist.wxpack-old-99999999");
  common::copy_fixture("tiny", &old_left.join("miniprogram"));
  fs::write(old_left.join(".wxpack-output"), "").unwrap();
  fs::write(old_left.join("miniprogram/stale.js"), "module.exports = 1;").unwrap();
  let (code, stderr) = wxpack_in(&project, &["build", ".", "--no-plan", "--json", "../report.json", "--quiet"]);
  assert_eq!(code, 0, "{stderr}");
  assert!(leftovers(&project).is_empty(), "{:?}", leftovers(&project));
  let report = fs::read_to_string(project.join("../report.json")).unwrap();
  assert!(!report.contains("stale.js") && !report.contains(".wxpack-"), "a leftover was read as input");
  assert!(!project.join("dist/miniprogram/stale.js").exists());
}

#[test]
fn the_previous_output_comes_back_when_a_build_died_between_renames() {
  let (tmp, project) = project();
  let out = tmp.path().join("out");
  let (code, stderr) = wxpack_in(&project, &["build", ".", "-o", out.to_str().unwrap(), "--quiet"]);
  assert_eq!(code, 0, "{stderr}");
  let built = common::contents_hash(&out);
  // Killed after moving the output aside: no output folder, the old one beside it.
  fs::rename(&out, tmp.path().join(".out.wxpack-old-99999999")).unwrap();
  // A build that fails still finds the output as it was.
  fs::write(project.join("app.json"), "{").unwrap();
  let (code, _) = wxpack_in(&project, &["build", ".", "-o", out.to_str().unwrap()]);
  assert_eq!(code, 2);
  assert_eq!(common::contents_hash(&out), built);
  assert!(leftovers(tmp.path()).is_empty(), "{:?}", leftovers(tmp.path()));
}

/// A project whose output takes long enough to write that a signal can land in the middle.
fn big_project(files: usize, version: &str) -> (tempfile::TempDir, PathBuf) {
  let (tmp, project) = project();
  let dir = project.join("data");
  fs::create_dir_all(&dir).unwrap();
  let body = format!("module.exports = '{version}{}';\n", "x".repeat(4000));
  for i in 0..files {
    fs::write(dir.join(format!("f{i}.js")), &body).unwrap();
  }
  (tmp, project)
}

fn rewrite_data(project: &Path, version: &str) {
  let body = format!("module.exports = '{version}{}';\n", "x".repeat(4000));
  for e in fs::read_dir(project.join("data")).unwrap() {
    fs::write(e.unwrap().path(), &body).unwrap();
  }
}

/// Kills builds at points spread over a whole build's time, with SIGKILL and with SIGINT:
/// the output is always the old one or the new one, whole, and the next build leaves nothing
/// behind. Each killed build ships data no build shipped before, so it does a whole build's
/// work (its cache misses, and the replaced output it starts from differs in every data file).
#[cfg(unix)]
#[test]
fn a_build_killed_at_any_point_leaves_the_old_or_the_new_output() {
  let (tmp, project) = big_project(1500, "a");
  let out = tmp.path().join("out");
  let budgets = ["--budget-main", "100MB", "--budget-total", "100MB"];
  let args =
    [&["build", ".", "-o", out.to_str().unwrap(), "--no-plan", "--no-minify", "--quiet"][..], &budgets].concat();
  let build_old = || {
    rewrite_data(&project, "a");
    let (code, stderr) = wxpack_in(&project, &args);
    assert_eq!(code, 0, "{stderr}");
  };
  build_old();
  let old = common::contents_hash(&out);
  // What a build the kills interrupt costs: new data, into the output in place.
  rewrite_data(&project, "b0");
  let started = Instant::now();
  assert_eq!(wxpack_in(&project, &args).0, 0);
  let whole = started.elapsed();
  build_old();
  // What a build of the data now in the project writes, without any cache.
  let reference = tmp.path().join("reference");
  let new_output = || {
    let extra = ["build", ".", "-o", reference.to_str().unwrap(), "--no-plan", "--no-minify", "--no-cache"];
    let (code, _) = wxpack_in(&project, &[&extra[..], &budgets].concat());
    assert_eq!(code, 0);
    common::contents_hash(&reference)
  };
  let mut outcomes = Vec::new();
  let mut version = 0;
  for signal in ["KILL", "INT"] {
    // From early in the scan to well past the time a whole build took.
    for tenths in [1u32, 3, 5, 7, 8, 9, 10, 12, 15, 20, 30] {
      version += 1;
      rewrite_data(&project, &format!("b{version}"));
      let mut child = Command::new(env!("CARGO_BIN_EXE_wxpack"))
        .args(&args)
        .current_dir(&project)
        .env("CI", "1")
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
      std::thread::sleep(whole * tenths / 10);
      let _ = Command::new("kill").args([format!("-{signal}"), child.id().to_string()]).status();
      let status = child.wait().unwrap();
      let now = common::contents_hash(&out);
      let new = new_output();
      assert!(now == old || now == new, "{signal} at {tenths}/10: the output is neither the old nor the new one");
      if signal == "INT" {
        assert!(matches!(status.code(), Some(0) | Some(130)), "{signal} at {tenths}/10: {status:?}");
        assert!(leftovers(tmp.path()).is_empty(), "SIGINT at {tenths}/10 left {:?}", leftovers(tmp.path()));
      }
      outcomes.push(if now == new { "new" } else { "old" });
      // Back to the old output for the next kill.
      build_old();
      assert!(leftovers(tmp.path()).is_empty(), "the next build left {:?}", leftovers(tmp.path()));
      assert_eq!(common::contents_hash(&out), old);
    }
  }
  // Where the kills land depends on the machine's load; whatever they hit, a build left alone
  // then puts the new output in place, with nothing left beside it.
  assert!(outcomes.contains(&"old"), "{outcomes:?}");
  rewrite_data(&project, "b");
  let (code, _) = wxpack_in(&project, &args);
  assert_eq!(code, 0);
  assert_eq!(common::contents_hash(&out), new_output());
  assert!(leftovers(tmp.path()).is_empty(), "{:?}", leftovers(tmp.path()));
}

/// A truncated or emptied cache entry (an image's) and an altered record of a pack (a minified
/// file's) give the output an empty cache gives, and are rewritten; `-v` says how many there
/// were.
#[test]
fn a_damaged_cache_entry_is_never_shipped() {
  let tmp = tempfile::tempdir().unwrap();
  let project = common::fixture("images");
  let cache = tmp.path().join("cache");
  let build = |out: &str, verbose: bool| {
    let out = tmp.path().join(out);
    let mut args = vec!["build", project.to_str().unwrap(), "-o", out.to_str().unwrap(), "--quiet"];
    if verbose {
      args.retain(|a| *a != "--quiet");
      args.push("-v");
    }
    let toml = tmp.path().join("wxpack.toml");
    fs::write(&toml, format!("[cache]\ndir = {:?}\n", cache.display().to_string())).unwrap();
    args.extend(["--config", toml.to_str().unwrap()]);
    let o = common::wxpack_own_cache(&args);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&o.stderr));
    (common::contents_hash(&out), String::from_utf8_lossy(&o.stderr).into_owned())
  };
  let (fresh, _) = build("fresh", false);
  let mut bins: Vec<PathBuf> = fs::read_dir(cache.join("v1"))
    .unwrap()
    .map(|shard| shard.unwrap().path())
    .filter(|shard| shard.is_dir() && !shard.ends_with("packs"))
    .flat_map(|shard| fs::read_dir(shard).unwrap())
    .map(|e| e.unwrap().path())
    // Not the build's own entry (its report, after a 48-byte header): only a build into the
    // same folder reads it back.
    .filter(|p| fs::read(p).unwrap().get(48..56) != Some(&b"{\"read\":"[..]))
    .collect();
  bins.sort();
  assert!(bins.len() >= 2, "the fixture's images were cached: {bins:?}");
  fs::write(&bins[0], b"").unwrap();
  let whole = fs::read(&bins[1]).unwrap();
  fs::write(&bins[1], &whole[..whole.len() / 2]).unwrap();
  // The pack's last record holds a result the next build asks for (every one of this build's
  // is): its last byte altered.
  let segments: Vec<PathBuf> = fs::read_dir(cache.join("v1/packs")).unwrap().map(|e| e.unwrap().path()).collect();
  assert_eq!(segments.len(), 1, "one build, one segment: {segments:?}");
  let mut altered = fs::read(&segments[0]).unwrap();
  *altered.last_mut().unwrap() ^= 0xff;
  fs::write(&segments[0], &altered).unwrap();
  let (damaged, stderr) = build("damaged", true);
  assert_eq!(damaged, fresh);
  assert!(stderr.contains("3 damaged cache entries ignored and rewritten"), "{stderr}");
  let (again, stderr) = build("again", true);
  assert_eq!(again, fresh);
  assert!(!stderr.contains("damaged"), "{stderr}");
}

/// A file saved while the build runs (an editor, a framework's watcher writing its output):
/// every stage sees the bytes the build first read, so the output is the build of one version,
/// whole, or a located error; never a panic, never one version's text cut at the other's
/// positions. The file toggled holds references the planner rewrites (the second pass edits it
/// at spans the scan found), and the two versions differ in length, with multi-byte text first.
#[test]
fn a_file_saved_during_the_build_ships_as_one_version_it_read() {
  let tmp = tempfile::tempdir().unwrap();
  let project = tmp.path().join("app");
  common::copy_fixture("planner", &project);
  let file = project.join("pkgA/pages/list/list.js");
  let a = fs::read_to_string(&file).unwrap();
  let b = format!("console.log('商品列表：保存于构建之中 {}');\n{a}", "·".repeat(40));
  let shipped = |out: &Path| fs::read(out.join("miniprogram/pkgA/pages/list/list.js")).unwrap();
  let build = |out: &Path| {
    let o = Command::new(env!("CARGO_BIN_EXE_wxpack"))
      .args(["build", project.to_str().unwrap(), "-o", out.to_str().unwrap(), "--quiet"])
      .env("CI", "1")
      .output()
      .unwrap();
    (o.status.code(), String::from_utf8_lossy(&o.stderr).into_owned())
  };
  let mut expected = Vec::new();
  for (k, text) in [&a, &b].into_iter().enumerate() {
    fs::write(&file, text).unwrap();
    let out = tmp.path().join(format!("expected-{k}"));
    let (code, err) = build(&out);
    assert_eq!(code, Some(0), "{err}");
    expected.push(shipped(&out));
  }
  assert_ne!(expected[0], expected[1]);

  // Saves as editors do (a whole new file renamed over the old), as fast as they come.
  let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
  let saver = {
    let (stop, file, a, b) = (stop.clone(), file.clone(), a.clone(), b.clone());
    // Written beside the project, not in it: the build lists the project's files.
    let next = tmp.path().join("saving.js");
    std::thread::spawn(move || {
      let mut k = 0u64;
      while !stop.load(std::sync::atomic::Ordering::Relaxed) {
        fs::write(&next, if k.is_multiple_of(2) { &a } else { &b }).unwrap();
        fs::rename(&next, &file).unwrap();
        k += 1;
      }
      k
    })
  };
  let out = tmp.path().join("out");
  for round in 0..20 {
    let (code, err) = build(&out);
    assert!(!err.contains("panicked"), "round {round}: {err}");
    match code {
      Some(0) => {
        let got = shipped(&out);
        assert!(
          got == expected[0] || got == expected[1],
          "round {round}: shipped a mix:\n{}",
          String::from_utf8_lossy(&got)
        );
      }
      _ => panic!("round {round}: exit {code:?}: {err}"),
    }
  }
  stop.store(true, std::sync::atomic::Ordering::Relaxed);
  assert!(saver.join().unwrap() > 20, "the saver never ran");
}
