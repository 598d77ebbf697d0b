//! Less, with the project's own `less` package (no Rust Less compiler exists), in one node
//! process for every file. `less.js` holds the script and the import rules DevTools follows.

use std::{
  io::Write,
  path::{Path, PathBuf},
  process::{Command, Stdio},
};

use rustc_hash::FxHashMap;
use serde::Deserialize;
use serde_json::json;

use crate::{
  diagnostic::{Code, Diagnostic, Location},
  mp_path::MpPath,
};

const SCRIPT: &str = include_str!("less.js");

/// Set by the npm package's launcher: the `less` package `wxpack` depends on.
pub const BUNDLED_LESS_ENV: &str = "WXPACK_BUNDLED_LESS";
/// Set by the npm package's launcher: the node that runs it, for the Less compiler.
pub const NODE_ENV: &str = "WXPACK_NODE";

/// The `less` package to load: the project's own (`node_modules/.bin/lessc` from the project
/// folder up: its Less version wins), else the one the npm package `wxpack` brings, else the
/// `lessc` on PATH. `lessc` is `<package>/bin/lessc`.
pub(super) fn find_less_package(project_dir: &Path) -> Option<PathBuf> {
  let package_of = |lessc: PathBuf| Some(std::fs::canonicalize(lessc).ok()?.parent()?.parent()?.to_path_buf());
  let local = project_dir.ancestors().map(|d| d.join("node_modules/.bin/lessc")).find(|p| p.is_file());
  if let Some(package) = local.and_then(package_of) {
    return Some(package);
  }
  let bundled = std::env::var_os(BUNDLED_LESS_ENV).map(PathBuf::from).filter(|p| p.join("package.json").is_file());
  if let Some(package) = bundled {
    return Some(package);
  }
  let on_path = std::env::var_os("PATH")
    .and_then(|paths| std::env::split_paths(&paths).map(|d| d.join("lessc")).find(|p| p.is_file()));
  on_path.and_then(package_of)
}

#[derive(Deserialize)]
struct LessResult {
  css: Option<String>,
  #[serde(default)]
  imports: Vec<PathBuf>,
  #[serde(default)]
  absent: Vec<PathBuf>,
  error: Option<String>,
  line: Option<u32>,
  column: Option<u32>,
  /// The file the error is in, which may be an imported one.
  file: Option<String>,
}

/// One Less source.
#[derive(Clone)]
pub struct Job<'a> {
  pub output: &'a MpPath,
  pub file: &'a Path,
  pub from: &'a MpPath,
  /// The line DevTools puts in front of the source (`super::common_prefix`).
  pub prefix: Option<String>,
}

/// One compiled source: its CSS, every file it read (absolute) and the paths tried and not found
/// before one that was (absolute): what its result depends on besides its own bytes.
pub struct Css {
  pub css: String,
  pub imports: Vec<PathBuf>,
  pub absent: Vec<PathBuf>,
}

/// Compiles every `.less` source with the `less` package at `package` (`None`: not found);
/// `root` is the mini program root on disk.
pub fn compile_all(
  package: Option<&Path>,
  root: &Path,
  sources: &[Job<'_>],
  global_vars: &serde_json::Map<String, serde_json::Value>,
  display: &(dyn Fn(&MpPath) -> String + Sync),
) -> Result<FxHashMap<MpPath, Css>, Vec<Diagnostic>> {
  // Load the package itself, once, for every file.
  let Some(package) = package else {
    return Err(vec![missing_compiler(sources, display)]);
  };
  let jobs: Vec<_> = sources.iter().map(|j| json!({ "file": j.file, "prefix": j.prefix })).collect();
  let input = json!({ "jobs": jobs, "globalVars": global_vars }).to_string();
  let run = || -> std::io::Result<std::process::Output> {
    let node = std::env::var_os(NODE_ENV).unwrap_or_else(|| "node".into());
    let mut child = Command::new(node)
      .arg("-e")
      .arg(SCRIPT)
      .arg(package)
      .arg(root)
      .stdin(Stdio::piped())
      .stdout(Stdio::piped())
      .stderr(Stdio::piped())
      .spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
      stdin.write_all(input.as_bytes())?;
    }
    child.wait_with_output()
  };
  let output = run().map_err(|e| {
    vec![
      Diagnostic::error(Code::Compile, format!("cannot run node for the Less compiler: {e}")).with_help("install node"),
    ]
  })?;
  let results: Vec<LessResult> = serde_json::from_slice(&output.stdout).map_err(|_| {
    vec![
      Diagnostic::error(
        Code::Compile,
        format!("the Less compiler failed: {}", String::from_utf8_lossy(&output.stderr).trim()),
      )
      .with_help(format!("check the less package at {}", package.display())),
    ]
  })?;
  let mut out = FxHashMap::default();
  let mut errors = Vec::new();
  for (job, r) in sources.iter().zip(results) {
    match (r.css, r.error) {
      (Some(css), _) => {
        out.insert(job.output.clone(), Css { css, imports: r.imports, absent: r.absent });
      }
      (None, error) => {
        // Point at the imported file when the error is there, else at the source.
        let imported = r
          .file
          .as_deref()
          .and_then(|f| Path::new(f).strip_prefix(root).ok())
          .and_then(|p| MpPath::new(&p.to_string_lossy()).ok())
          .filter(|p| p != job.from);
        // Less counts the line it writes for `globalVars` (passed, as DevTools passes them,
        // even when empty) and the prefix's line: neither is the author's.
        let shift = if imported.is_none() { 1 + u32::from(job.prefix.is_some()) } else { 0 };
        let line = r.line.unwrap_or(0).saturating_sub(shift);
        let at = imported.unwrap_or_else(|| job.from.clone());
        errors.push(
          Diagnostic::error(Code::Compile, format!("Less: {}", error.unwrap_or_default()))
            .at(Location::at(display(&at), line, r.column.map_or(0, |c| c + 1)))
            .with_help("fix the stylesheet; DevTools' less compiler would reject it too"),
        );
      }
    }
  }
  if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// One error for the whole project, however many `.less` files it has.
fn missing_compiler(sources: &[Job<'_>], display: &(dyn Fn(&MpPath) -> String + Sync)) -> Diagnostic {
  let mut shown: Vec<String> = sources.iter().take(5).map(|j| display(j.from)).collect();
  if sources.len() > shown.len() {
    shown.push(format!("and {} more", sources.len() - shown.len()));
  }
  let first = sources.first().map_or_else(String::new, |j| display(j.from));
  let n = sources.len();
  let files = if n == 1 { "file needs" } else { "files need" };
  Diagnostic::error(
    Code::Compile,
    format!("{n} Less {files} the Less compiler, which is not installed: {}", shown.join(", ")),
  )
  .at(Location::file(first))
  .with_help(
    "install wxpack from npm (npm install --save-dev wxpack brings Less), or npm install --save-dev less in the project",
  )
}
