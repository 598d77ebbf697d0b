//! The npm package (npm/): its versions, the launcher (`bin/wxpack.js`) over stand-in binaries,
//! and the tarballs `npm/pack.sh` makes, installed into a fresh npm project and run the way a
//! team runs them: `npx wxpack`, `require('wxpack')`, `import ... from 'wxpack'`, with no
//! `lessc` on PATH. The install reaches the npm registry (for `less`) unless npm's cache has it:
//! offline, that test says it skipped; with `CI` set it fails instead.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

mod common;

use std::{
  fs,
  os::unix::{fs::PermissionsExt, process::ExitStatusExt},
  path::{Path, PathBuf},
  process::{Command, Output, Stdio},
};

use serde_json::Value;

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn repo() -> &'static Path {
  Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn launcher() -> PathBuf {
  repo().join("npm/wxpack/bin/wxpack.js")
}

fn text(b: &[u8]) -> String {
  String::from_utf8_lossy(b).into_owned()
}

fn which(tool: &str) -> PathBuf {
  let path = std::env::var_os("PATH").unwrap_or_default();
  std::env::split_paths(&path)
    .map(|d| d.join(tool))
    .find(|p| p.is_file())
    .unwrap_or_else(|| panic!("{tool} is not on PATH"))
}

/// A folder holding node, npm, npx and sh only: a PATH on which no `lessc` can be found.
fn bare_path(tmp: &Path) -> PathBuf {
  let bin = tmp.join("bare-bin");
  fs::create_dir_all(&bin).unwrap();
  for tool in ["node", "npm", "npx", "sh"] {
    std::os::unix::fs::symlink(fs::canonicalize(which(tool)).unwrap(), bin.join(tool)).unwrap();
  }
  bin
}

/// A stand-in for the binary: a shell script.
fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
  let path = dir.join(name);
  fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
  fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
  path
}

fn run_launcher(binary: Option<&Path>, args: &[&str], stdin: &str) -> Output {
  let mut cmd = Command::new("node");
  cmd.arg(launcher()).args(args).env_remove("WXPACK_BINARY").env_remove("WXPACK_BUNDLED_LESS");
  if let Some(b) = binary {
    cmd.env("WXPACK_BINARY", b);
  }
  let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
  std::io::Write::write_all(&mut child.stdin.take().unwrap(), stdin.as_bytes()).unwrap();
  child.wait_with_output().unwrap()
}

#[test]
fn every_package_carries_cargo_tomls_version() {
  let o = Command::new("node").arg(repo().join("npm/versions.js")).output().unwrap();
  assert!(o.status.success(), "{}", text(&o.stderr));
  assert_eq!(text(&o.stdout).trim(), VERSION);

  // The platform table the launcher uses names exactly the packages under npm/@wxpack, and each
  // package's os/cpu/libc fields are the machine the table gives it.
  let table = Command::new("node")
    .args(["-e", "console.log(JSON.stringify(require(process.argv[1]).PACKAGES))"])
    .arg(repo().join("npm/wxpack/lib/platform.js"))
    .output()
    .unwrap();
  let table: Value = serde_json::from_slice(&table.stdout).unwrap();
  let mut dirs: Vec<String> = fs::read_dir(repo().join("npm/@wxpack"))
    .unwrap()
    .map(|e| e.unwrap().file_name().to_string_lossy().into())
    .collect();
  dirs.sort();
  let mut named: Vec<String> =
    table.as_object().unwrap().values().map(|v| v.as_str().unwrap().replace("@wxpack/", "")).collect();
  named.sort();
  assert_eq!(dirs, named);
  for (machine, package) in table.as_object().unwrap() {
    let pkg = common::read_json(&repo().join("npm").join(package.as_str().unwrap()).join("package.json"));
    let mut parts = machine.split(' ');
    assert_eq!(pkg["name"], *package);
    assert_eq!(pkg["os"], serde_json::json!([parts.next().unwrap()]), "{package}");
    assert_eq!(pkg["cpu"], serde_json::json!([parts.next().unwrap()]), "{package}");
    match parts.next() {
      Some(libc) => assert_eq!(pkg["libc"], serde_json::json!([libc]), "{package}"),
      None => assert!(pkg.get("libc").is_none(), "{package}"),
    }
  }
}

#[test]
fn a_version_that_drifts_stops_the_packing() {
  let tmp = tempfile::tempdir().unwrap();
  common::copy_dir(&repo().join("npm"), &tmp.path().join("npm"));
  fs::write(tmp.path().join("Cargo.toml"), "[package]\nname = \"wxpack\"\nversion = \"9.9.9\"\n").unwrap();
  let o = Command::new("bash").arg(tmp.path().join("npm/pack.sh")).arg(tmp.path().join("out")).output().unwrap();
  assert_eq!(o.status.code(), Some(1));
  let err = text(&o.stderr);
  assert!(err.contains("Cargo.toml says 9.9.9") && err.contains("npm/wxpack/package.json: version"), "{err}");
  assert!(err.contains("optionalDependencies[\"@wxpack/linux-x64-gnu\"]"), "{err}");
  assert!(!tmp.path().join("out").exists());
}

#[test]
fn the_launcher_passes_arguments_stdio_and_exit_status_through() {
  let tmp = tempfile::tempdir().unwrap();
  let bin = script(tmp.path(), "fake", r#"printf 'args:%s|' "$@"; cat; echo "node=$WXPACK_NODE" >&2; exit 7"#);
  let o = run_launcher(Some(&bin), &["build", "a b", "--json", "-"], "from stdin");
  assert_eq!(o.status.code(), Some(7));
  assert_eq!(text(&o.stdout), "args:build|args:a b|args:--json|args:-|from stdin");
  let node = fs::canonicalize(which("node")).unwrap();
  assert_eq!(text(&o.stderr).trim(), format!("node={}", node.display()));
}

#[test]
fn the_launcher_ends_by_the_signal_that_ended_the_binary() {
  let tmp = tempfile::tempdir().unwrap();
  let bin = script(tmp.path(), "fake", "kill -TERM $$");
  let o = run_launcher(Some(&bin), &[], "");
  assert_eq!(o.status.signal(), Some(15), "{:?} {}", o.status, text(&o.stderr));
}

#[test]
fn a_signal_to_the_launcher_reaches_the_binary() {
  let tmp = tempfile::tempdir().unwrap();
  let ready = tmp.path().join("ready");
  let bin = script(
    tmp.path(),
    "fake",
    &format!("trap 'echo cleaned up; exit 130' TERM; touch {}; while :; do sleep 0.02; done", ready.display()),
  );
  let child = Command::new("node")
    .arg(launcher())
    .env("WXPACK_BINARY", &bin)
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
  let started = std::time::Instant::now();
  while !ready.exists() {
    assert!(started.elapsed().as_secs() < 30, "the stand-in never started");
    std::thread::sleep(std::time::Duration::from_millis(20));
  }
  // To the launcher only, as a CI runner's timeout sends it.
  assert!(Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap().success());
  let o = child.wait_with_output().unwrap();
  assert_eq!(o.status.code(), Some(130), "{}", text(&o.stderr));
  assert_eq!(text(&o.stdout), "cleaned up\n");
}

#[test]
fn without_a_binary_the_launcher_says_which_package_and_what_to_do() {
  // In the repository no platform package is installed beside npm/wxpack.
  let o = run_launcher(None, &["--version"], "");
  assert_eq!(o.status.code(), Some(2));
  let err = text(&o.stderr);
  let expected = Command::new("node")
    .args(["-e", "console.log(require(process.argv[1]).platformPackage())"])
    .arg(repo().join("npm/wxpack/lib/platform.js"))
    .output()
    .unwrap();
  let expected = text(&expected.stdout).trim().to_string();
  assert!(expected.starts_with("@wxpack/"), "{expected}");
  assert!(err.contains(&format!("the package {expected}")), "{err}");
  assert!(err.contains(&format!("npm install --save-dev {expected}@{VERSION}")), "{err}");
  assert!(err.contains("WXPACK_BINARY=/path/to/wxpack"), "{err}");

  let o = run_launcher(Some(Path::new("/nonexistent/wxpack")), &["--version"], "");
  assert_eq!(o.status.code(), Some(2));
  assert!(text(&o.stderr).contains("WXPACK_BINARY is set to /nonexistent/wxpack, which does not exist"));
}

/// A fresh npm project with the two tarballs installed, and a PATH without `lessc`.
struct Installed {
  tmp: tempfile::TempDir,
  project: PathBuf,
  path: std::ffi::OsString,
}

impl Installed {
  /// `None` (after saying so) when npm cannot install offline and `CI` is not set.
  fn new(test: &str) -> Option<Self> {
    let tmp = tempfile::tempdir().unwrap();
    let packed = tmp.path().join("packed");
    let o = Command::new("bash")
      .arg(repo().join("npm/pack.sh"))
      .arg(&packed)
      .arg(env!("CARGO_BIN_EXE_wxpack"))
      .output()
      .unwrap();
    assert!(o.status.success(), "pack.sh: {}", text(&o.stderr));
    let mut tarballs: Vec<PathBuf> = fs::read_dir(&packed).unwrap().map(|e| e.unwrap().path()).collect();
    tarballs.sort();
    let names: Vec<String> = tarballs.iter().map(|t| t.file_name().unwrap().to_string_lossy().into()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.contains(&format!("wxpack-{VERSION}.tgz")), "{names:?}");

    let project = tmp.path().join("app");
    fs::create_dir_all(&project).unwrap();
    fs::write(project.join("package.json"), r#"{ "name": "my-mini-program", "private": true }"#).unwrap();
    let path = std::env::join_paths([bare_path(tmp.path())]).unwrap();
    let o = Command::new("npm")
      .args(["install", "--save-dev", "--no-audit", "--no-fund", "--prefer-offline"])
      .args(&tarballs)
      .current_dir(&project)
      .env("PATH", &path)
      .output()
      .unwrap();
    if !o.status.success() {
      let why = text(&o.stderr);
      common::skip(test, &format!("the npm registry (npm install failed: {why})"));
      return None;
    }
    Some(Self { tmp, project, path })
  }

  /// `program args...` in the project, on the bare PATH, with nothing pointing at a binary or
  /// a Less of the test's own.
  fn run(&self, program: &str, args: &[&str]) -> Output {
    Command::new(program)
      .args(args)
      .current_dir(&self.project)
      .env("PATH", &self.path)
      .env("WXPACK_CACHE_DIR", common::image_cache())
      .env_remove("WXPACK_BINARY")
      .env_remove("WXPACK_BUNDLED_LESS")
      .output()
      .unwrap()
  }

  fn npx(&self, args: &[&str]) -> Output {
    self.run("npx", &[&["wxpack"], args].concat())
  }

  fn node(&self, file: &str, source: &str) -> Output {
    fs::write(self.project.join(file), source).unwrap();
    self.run("node", &[file])
  }

  fn out(&self, name: &str) -> PathBuf {
    self.tmp.path().join("out").join(name)
  }
}

/// A report with the one field that names the run's own folder taken out.
fn comparable(mut report: Value) -> Value {
  report.as_object_mut().unwrap().remove("out_dir");
  report
}

#[test]
fn installed_from_the_tarballs_it_builds_like_the_cargo_binary() {
  let Some(npm) = Installed::new("installed_from_the_tarballs_it_builds_like_the_cargo_binary") else { return };

  let o = npm.npx(&["--version"]);
  assert!(o.status.success(), "{}", text(&o.stderr));
  assert_eq!(text(&o.stdout), format!("wxpack {VERSION}\n"));
  // The package's own Less, since neither the project nor PATH has one.
  let less = npm.project.join("node_modules/less/package.json");
  assert_eq!(common::read_json(&less)["version"], "4.2.1");

  // Every real app, through npx and through the API, against the binary cargo built (given the
  // same Less), with and without the planner; Less sources compile with no lessc on PATH.
  let apps =
    common::corpus_apps("installed_from_the_tarballs_it_builds_like_the_cargo_binary (real apps)").unwrap_or_default();
  let mut jobs = vec![(common::fixture("demo"), false)];
  jobs.extend(apps.iter().flat_map(|a| [(a.clone(), false), (a.clone(), true)]));
  let mut with_less = 0;
  let mut api_jobs = Vec::new();
  for (i, (app, no_plan)) in jobs.iter().enumerate() {
    let app_s = app.to_str().unwrap();
    let plan_flag: &[&str] = if *no_plan { &["--no-plan"] } else { &[] };
    let (cargo_json, npx_json) = (npm.out(&format!("{i}-cargo.json")), npm.out(&format!("{i}-npx.json")));
    let cargo = Command::new(env!("CARGO_BIN_EXE_wxpack"))
      .args(["build", app_s, "-o", npm.out(&format!("{i}-cargo")).to_str().unwrap(), "--quiet", "--json"])
      .arg(&cargo_json)
      .args(plan_flag)
      .env("PATH", &npm.path)
      .env("WXPACK_CACHE_DIR", common::image_cache())
      .env("WXPACK_BUNDLED_LESS", npm.project.join("node_modules/less"))
      .output()
      .unwrap();
    let npx_out = npm.out(&format!("{i}-npx"));
    let mut npx_args =
      vec!["build", app_s, "-o", npx_out.to_str().unwrap(), "--quiet", "--json", npx_json.to_str().unwrap()];
    npx_args.extend(plan_flag);
    let through_npx = npm.npx(&npx_args);
    assert!(matches!(cargo.status.code(), Some(0 | 1)), "{app_s}: {}", text(&cargo.stderr));
    assert_eq!(through_npx.status.code(), cargo.status.code(), "{app_s}: {}", text(&through_npx.stderr));
    let report = common::read_json(&cargo_json);
    assert_eq!(comparable(common::read_json(&npx_json)), comparable(report.clone()), "{app_s}");
    if report["payload"]["styles"].as_u64().unwrap() > 0 {
      with_less += 1;
    }
    api_jobs.push(serde_json::json!({
      "project": app_s, "outDir": npm.out(&format!("{i}-api")), "plan": !no_plan, "expect": cargo_json,
    }));
  }
  if !apps.is_empty() {
    assert!(with_less > 0, "no real app compiled a Less or Sass source");
  }

  // The API, CommonJS: the same report as the CLI for every job.
  fs::write(npm.project.join("jobs.json"), serde_json::to_string(&api_jobs).unwrap()).unwrap();
  let o = npm.node(
    "api.cjs",
    r#"
const { build } = require('wxpack');
const fs = require('node:fs');
const strip = (r) => { delete r.out_dir; return JSON.stringify(r); };
(async () => {
  for (const job of require('./jobs.json')) {
    const report = await build({ project: job.project, outDir: job.outDir, plan: job.plan });
    const cli = JSON.parse(fs.readFileSync(job.expect, 'utf8'));
    if (strip(report) !== strip(cli)) throw new Error(`${job.project}: the API's report differs from the CLI's`);
  }
  console.log('same');
})().catch((e) => { console.error(e); process.exit(1); });
"#,
  );
  assert!(o.status.success(), "{}", text(&o.stderr));
  assert_eq!(text(&o.stdout), "same\n");
}

#[test]
fn installed_the_exit_status_and_errors_come_through_npx_and_the_api() {
  let Some(npm) = Installed::new("installed_the_exit_status_and_errors_come_through_npx_and_the_api") else { return };
  let over = common::fixture("over-budget");
  let broken = common::fixture("errors/malformed-app-json");
  let (over_s, broken_s) = (over.to_str().unwrap(), broken.to_str().unwrap());

  let o = npm.npx(&["build", over_s, "-o", npm.out("over").to_str().unwrap(), "--json", "-", "--quiet"]);
  assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
  let cli: Value = serde_json::from_slice(&o.stdout).unwrap();
  assert_eq!(cli["status"], "over_budget");
  let o = npm.npx(&["build", broken_s, "-o", npm.out("broken").to_str().unwrap()]);
  assert_eq!(o.status.code(), Some(2));
  assert!(text(&o.stderr).contains("app.json:4:"), "{}", text(&o.stderr));

  // The API, as an ES module: an over-budget build resolves, a broken one rejects with its
  // located diagnostics and status, diff() compares report objects as the CLI compares files.
  fs::write(npm.out("over.json"), serde_json::to_string(&cli).unwrap()).unwrap();
  let o = npm.node(
    "api.mjs",
    &format!(
      r#"
import {{ build, diff, check, WxpackError }} from 'wxpack';
import wxpack from 'wxpack';
const over = await build({{ project: {over:?}, outDir: {out1:?} }});
const small = await build({{ project: {over:?}, outDir: {out2:?}, budgets: {{ main: '10MB', sub: 10485760, total: '20MB' }} }});
let error;
try {{ await build({{ project: {broken:?}, outDir: {out3:?} }}); }} catch (e) {{ error = e; }}
const d = await diff(small, {over_json:?}, {{ maxGrowth: {{ main: '1KB' }} }});
const checked = await check({{ project: {privacy:?} }});
const blockers = checked.checks.find((c) => c.name === 'PRIVACY_API_UNDECLARED');
console.log(JSON.stringify({{
  status: [over.status, small.status], total: over.total, same_api: wxpack.build === build,
  error: {{ is: error instanceof WxpackError, exitCode: error?.exitCode, message: error?.message, first: error?.diagnostics?.[0] }},
  breaches: d.breaches.length, base: d.base.endsWith('base.json'),
  blocker: [blockers.passed, blockers.findings[0].level, blockers.findings[0].location.file],
}}));
"#,
      over = over_s,
      broken = broken_s,
      out1 = npm.out("api-over"),
      out2 = npm.out("api-small"),
      out3 = npm.out("api-broken"),
      over_json = npm.out("over.json"),
      privacy = common::fixture("check/privacy"),
    ),
  );
  assert!(o.status.success(), "{}", text(&o.stderr));
  let r: Value = serde_json::from_slice(&o.stdout).unwrap();
  assert_eq!(r["status"], serde_json::json!(["over_budget", "ok"]));
  assert_eq!(r["total"], cli["total"]);
  assert_eq!(r["same_api"], true);
  assert_eq!(r["error"]["is"], true);
  assert_eq!(r["error"]["exitCode"], 2);
  assert_eq!(r["error"]["first"]["location"]["file"], "app.json", "{r}");
  assert_eq!(r["error"]["first"]["location"]["line"], 4, "{r}");
  assert!(r["error"]["message"].as_str().unwrap().starts_with("wxpack build failed: app.json:4:"), "{r}");
  assert!(r["breaches"].as_u64().unwrap() > 0, "{r}");
  assert_eq!(r["base"], true);
  assert_eq!(r["blocker"], serde_json::json!([false, "error", "pages/index/index.js"]), "{r}");

  // The platform package gone (an install that skipped optional dependencies).
  let platform = fs::read_dir(npm.project.join("node_modules/@wxpack")).unwrap().next().unwrap().unwrap().path();
  let name = format!("@wxpack/{}", platform.file_name().unwrap().to_string_lossy());
  let binary = platform.join("bin/wxpack");
  assert!(fs::metadata(&binary).unwrap().permissions().mode() & 0o111 != 0, "the binary lost its executable bit");
  fs::rename(&platform, npm.tmp.path().join("moved-away")).unwrap();
  let o = npm.npx(&["--version"]);
  assert_eq!(o.status.code(), Some(2));
  let err = text(&o.stderr);
  assert!(err.contains(&format!("the package {name}")) && err.contains("WXPACK_BINARY"), "{err}");
  let o = npm.node(
    "missing.cjs",
    "require('wxpack').build({}).catch((e) => { console.log(e.exitCode, e.message.split('\\n')[0]); });",
  );
  let said = text(&o.stdout);
  assert!(said.starts_with(&format!("2 wxpack: the package {name}, which holds the binary")), "{said}");
}

/// The fields `interface NAME` of index.d.ts declares at its top level (with those of the
/// interface it extends).
fn declared(dts: &str, name: &str) -> Vec<String> {
  let start = dts.find(&format!("export interface {name} ")).unwrap_or_else(|| panic!("no interface {name}"));
  let block = &dts[start..];
  let header = &block[..block.find('{').unwrap()];
  let mut fields: Vec<String> = block[header.len()..]
    .lines()
    .skip(1)
    .take_while(|l| !l.starts_with('}'))
    .filter_map(|l| l.strip_prefix("  ")?.split_once(':').map(|(k, _)| k))
    .filter(|k| !k.starts_with(' ') && !k.starts_with('/') && !k.starts_with('*'))
    .map(|k| k.trim_end_matches('?').to_string())
    .collect();
  if let Some(parent) = header.split(" extends ").nth(1) {
    fields.extend(declared(dts, parent.trim()));
  }
  fields.sort();
  fields
}

fn keys(v: &Value) -> Vec<String> {
  let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
  k.sort();
  k
}

#[test]
fn the_types_declare_every_field_of_the_report_and_the_diff() {
  let dts = fs::read_to_string(repo().join("npm/wxpack/index.d.ts")).unwrap();
  let run = common::build(&common::fixture("demo"), &["--json", "{tmp}/report.json", "--quiet"]);
  assert_eq!(run.code, 0, "{}", run.stderr);
  let report = common::read_json(&run.tmp.path().join("report.json"));
  assert_eq!(declared(&dts, "Report"), keys(&report));
  assert_eq!(declared(&dts, "Totals"), keys(&report["total"]));
  assert_eq!(declared(&dts, "Package"), keys(&report["packages"][0]));
  assert_eq!(declared(&dts, "Placement"), keys(&report["placement"]));
  assert_eq!(declared(&dts, "StartupPage"), keys(&report["startup"]["pages"][0]));
  let file = report["files"].as_array().unwrap().iter().find(|f| f.get("source").is_none()).unwrap();
  let mut optional = keys(file);
  optional.extend(["generated".to_string(), "source".to_string()]);
  optional.sort();
  assert_eq!(declared(&dts, "ReportFile"), optional);

  let report_path = run.tmp.path().join("report.json");
  let o = common::wxpack(&["diff", report_path.to_str().unwrap(), report_path.to_str().unwrap(), "--format", "json"]);
  let d: Value = serde_json::from_slice(&o.stdout).unwrap();
  assert_eq!(declared(&dts, "DiffResult"), keys(&d));
  let mut total = keys(&d["total"]);
  total.extend(["alias".to_string(), "limit".to_string()]);
  total.sort();
  assert_eq!(declared(&dts, "PackageChange"), total);

  let project = common::fixture("check/devtools");
  let o = common::wxpack(&["check", project.to_str().unwrap(), "--format", "json"]);
  let c: Value = serde_json::from_slice(&o.stdout).unwrap();
  assert_eq!(declared(&dts, "CheckResult"), keys(&c));
  assert_eq!(declared(&dts, "RuleResult"), keys(&c["checks"][0]));
  let findings = c["checks"].as_array().unwrap().iter().flat_map(|r| r["findings"].as_array().unwrap());
  let mut fields: Vec<String> = findings.flat_map(keys).collect();
  fields.sort();
  fields.dedup();
  assert_eq!(declared(&dts, "Finding"), fields);
}
