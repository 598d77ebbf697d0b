//! Sources DevTools compiles before upload (`setting.useCompilerPlugins`): `x.ts` to `x.js`,
//! `x.less`, `x.scss`, `x.sass` to `x.wxss`.
//!
//! Each becomes a file at its output path, carrying its source: resolution, the graph, the
//! planner and the report then see the path the platform sees, while messages point at the
//! source. When the output path already exists, DevTools uses the existing file and ignores the
//! source (observed for `.ts`; assumed for the styles), so wxpack does the same and warns. Sass
//! partials (`_x.scss`) are only imported, never compiled on their own.
//!
//! Styles are compiled here, once: SCSS and Sass with the grass crate, Less with the project's
//! own `less` package (no Rust Less compiler exists) in one node process for all files.
//! TypeScript is compiled with the minifier, in the transform stage's single swc pass.

use std::{
  collections::BTreeMap,
  io::Write,
  path::{Path, PathBuf},
  process::{Command, Stdio},
};

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Deserialize;
use serde_json::json;

use super::{
  SourceFile,
  files::{Excluded, exclusion_of},
  project_config::ProjectConfig,
};
use crate::{
  diagnostic::{Code, Diagnostic, Location},
  mp_path::MpPath,
};

/// A language DevTools compiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
  TypeScript,
  Less,
  Scss,
  Sass,
}

impl Lang {
  fn of(path: &MpPath) -> Option<(Self, &'static str, &'static str)> {
    let ext = path.extension()?.to_ascii_lowercase();
    Some(match ext.as_str() {
      "ts" if !path.as_str().to_ascii_lowercase().ends_with(".d.ts") => (Lang::TypeScript, ".js", "typescript"),
      "less" => (Lang::Less, ".wxss", "less"),
      "scss" => (Lang::Scss, ".wxss", "sass"),
      "sass" => (Lang::Sass, ".wxss", "sass"),
      _ => return None,
    })
  }
}

/// Where a compiled file comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compiled {
  pub from: MpPath,
  pub lang: Lang,
}

/// Adds the output of every compiled source to `files`; warns about sources an existing file
/// shadows.
pub fn add_outputs(
  files: &mut BTreeMap<MpPath, SourceFile>,
  config: &ProjectConfig,
  warnings: &mut Vec<Diagnostic>,
  display: &(dyn Fn(&MpPath) -> String + Sync),
) {
  let wants = |plugin: &str| config.compiler_plugins.iter().any(|p| p == plugin);
  let mut outputs = Vec::new();
  for (path, file) in files.iter() {
    let Some((lang, ext, plugin)) = Lang::of(path) else { continue };
    if !wants(plugin) || (lang != Lang::TypeScript && path.file_name().starts_with('_')) {
      continue;
    }
    let out = path.stem_path().with_suffix(ext);
    if files.contains_key(&out) {
      warnings.push(
        Diagnostic::warning(Code::Shadowed, format!("{path} is not compiled: {out} exists, and DevTools uses it"))
          .at(Location::file(display(path)))
          .with_help(format!("delete {out} if it is a stale compiler output, or {path} if it is unused")),
      );
      continue;
    }
    let excluded = exclusion_of(&out, config).filter(|e| *e == Excluded::PackIgnore);
    let compiled = Some(Compiled { from: path.clone(), lang });
    outputs.push((out, SourceFile { os_path: file.os_path.clone(), size: file.size, excluded, compiled }));
  }
  files.extend(outputs);
}

/// Compiles every style output in `files`; returns the CSS by output path.
pub fn styles(
  project_dir: &Path,
  root: &Path,
  files: &BTreeMap<MpPath, SourceFile>,
  display: &(dyn Fn(&MpPath) -> String + Sync),
) -> Result<FxHashMap<MpPath, String>, Vec<Diagnostic>> {
  let jobs: Vec<(&MpPath, &SourceFile, &Compiled)> = files
    .iter()
    .filter(|(_, f)| f.ships())
    .filter_map(|(p, f)| f.compiled.as_ref().filter(|c| c.lang != Lang::TypeScript).map(|c| (p, f, c)))
    .collect();
  let (less, sass): (Vec<_>, Vec<_>) = jobs.into_iter().partition(|(_, _, c)| c.lang == Lang::Less);
  let mut errors = Vec::new();
  let mut out = FxHashMap::default();
  let sass: Vec<Result<(MpPath, String), Diagnostic>> =
    sass.par_iter().map(|(path, f, c)| scss(root, &f.os_path, c, display).map(|css| ((*path).clone(), css))).collect();
  for r in sass {
    match r {
      Ok((p, css)) => {
        out.insert(p, css);
      }
      Err(d) => errors.push(d),
    }
  }
  if !less.is_empty() {
    let sources: Vec<(&MpPath, &Path, &MpPath)> =
      less.iter().map(|(p, f, c)| (*p, f.os_path.as_path(), &c.from)).collect();
    match less_all(project_dir, &sources, display) {
      Ok(css) => out.extend(css),
      Err(e) => errors.extend(e),
    }
  }
  if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// grass's file system, with `/x` meaning the mini program root as in WXSS imports.
#[derive(Debug)]
struct RootedFs<'a>(&'a Path);

impl RootedFs<'_> {
  fn map(&self, p: &Path) -> PathBuf {
    if p.is_absolute() && !p.starts_with(self.0) && !p.exists() {
      self.0.join(p.strip_prefix("/").unwrap_or(p))
    } else {
      p.to_path_buf()
    }
  }
}

impl grass::Fs for RootedFs<'_> {
  fn is_dir(&self, p: &Path) -> bool {
    self.map(p).is_dir()
  }
  fn is_file(&self, p: &Path) -> bool {
    self.map(p).is_file()
  }
  fn read(&self, p: &Path) -> std::io::Result<Vec<u8>> {
    std::fs::read(self.map(p))
  }
}

fn scss(
  root: &Path,
  file: &Path,
  c: &Compiled,
  display: &(dyn Fn(&MpPath) -> String + Sync),
) -> Result<String, Diagnostic> {
  let fs = RootedFs(root);
  let syntax = if c.lang == Lang::Sass { grass::InputSyntax::Sass } else { grass::InputSyntax::Scss };
  let options = grass::Options::default().fs(&fs).input_syntax(syntax).quiet(true);
  grass::from_path(file, &options).map_err(|e| match e.kind() {
    grass::ErrorKind::ParseError { message, loc, .. } => {
      let name = loc.file.name().to_string();
      let at = Path::new(&name).strip_prefix(root).map(|p| p.to_string_lossy().into_owned()).unwrap_or(name);
      let shown = MpPath::new(&at).map_or(at, |p| display(&p));
      Diagnostic::error(Code::Compile, format!("Sass: {message}"))
        .at(Location::at(shown, loc.begin.line as u32 + 1, loc.begin.column as u32 + 1))
        .with_help("fix the stylesheet; DevTools' sass compiler would reject it too")
    }
    other => Diagnostic::error(Code::Compile, format!("Sass: {other:?}")).at(Location::file(display(&c.from))),
  })
}

/// The `lessc` the project would use: `node_modules/.bin` from the project folder up, else PATH.
fn find_lessc(project_dir: &Path) -> Option<PathBuf> {
  let local = project_dir.ancestors().map(|d| d.join("node_modules/.bin/lessc")).find(|p| p.is_file());
  let found = local.or_else(|| {
    std::env::var_os("PATH")
      .and_then(|paths| std::env::split_paths(&paths).map(|d| d.join("lessc")).find(|p| p.is_file()))
  })?;
  std::fs::canonicalize(found).ok()
}

#[derive(Deserialize)]
struct LessResult {
  css: Option<String>,
  error: Option<String>,
  line: Option<u32>,
  column: Option<u32>,
}

/// Compiles every `.less` source in one node process with the `less` package behind `lessc`.
fn less_all(
  project_dir: &Path,
  sources: &[(&MpPath, &Path, &MpPath)],
  display: &(dyn Fn(&MpPath) -> String + Sync),
) -> Result<FxHashMap<MpPath, String>, Vec<Diagnostic>> {
  let missing = || {
    sources
      .iter()
      .map(|(_, _, from)| {
        Diagnostic::error(Code::Compile, format!("{from} needs the Less compiler, which is not installed"))
          .at(Location::file(display(from)))
          .with_help("npm install --save-dev less (in the project), or npm install -g less; wxpack runs its lessc")
      })
      .collect::<Vec<_>>()
  };
  // lessc is `<package>/bin/lessc`: load the package itself, once, for every file.
  let Some(package) = find_lessc(project_dir).and_then(|l| l.parent()?.parent().map(Path::to_path_buf)) else {
    return Err(missing());
  };
  let script = "const less = require(process.argv[1]); const fs = require('fs');\
    const jobs = JSON.parse(fs.readFileSync(0, 'utf8'));\
    Promise.all(jobs.map((f) => less.render(fs.readFileSync(f, 'utf8'), { filename: f })\
      .then((r) => ({ css: r.css }), (e) => ({ error: String(e.message), line: e.line, column: e.column }))))\
      .then((out) => process.stdout.write(JSON.stringify(out)));";
  let files: Vec<&Path> = sources.iter().map(|(_, f, _)| *f).collect();
  let run = || -> std::io::Result<std::process::Output> {
    let mut child = Command::new("node")
      .arg("-e")
      .arg(script)
      .arg(&package)
      .stdin(Stdio::piped())
      .stdout(Stdio::piped())
      .stderr(Stdio::piped())
      .spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
      stdin.write_all(json!(files).to_string().as_bytes())?;
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
  for ((path, _, from), r) in sources.iter().zip(results) {
    match (r.css, r.error) {
      (Some(css), _) => {
        out.insert((*path).clone(), css);
      }
      (None, error) => errors.push(
        Diagnostic::error(Code::Compile, format!("Less: {}", error.unwrap_or_default()))
          .at(Location::at(display(from), r.line.unwrap_or(0), r.column.map_or(0, |c| c + 1)))
          .with_help("fix the stylesheet; DevTools' less compiler would reject it too"),
      ),
    }
  }
  if errors.is_empty() { Ok(out) } else { Err(errors) }
}
