//! Emit stage: writes the output project atomically.
//!
//! The output is built in a hidden sibling folder and renamed into place only when every file
//! (and the zip, if asked for) was written. On failure the temporary folder is removed and an
//! existing OUT_DIR is left exactly as it was. The source tree is never written: the caller
//! refuses an OUT_DIR that equals or contains the project.

pub mod zip;

use std::{
  fs,
  path::{Path, PathBuf},
};

use serde_json::{Map, Value, json};

use crate::{
  config::{JsTarget, MinifyConfig},
  diagnostic::{Code, Diagnostic, Location},
  manifest::Manifest,
  mp_path::MpPath,
  project::Project,
  rewrite::Shipped,
  targets::Prefixes,
};

/// Where the mini program code goes inside OUT_DIR.
pub const CODE_DIR: &str = "miniprogram";
/// Where source maps go inside OUT_DIR: beside the code, never inside it.
pub const MAPS_DIR: &str = "sourcemaps";
/// What loads when (docs/manifest-schema.md): beside the code, never uploaded.
pub const MANIFEST: &str = crate::manifest::FILE;
pub use crate::project::files::MARKER;

/// One file of the output project: its path inside OUT_DIR and its bytes.
pub struct OutFile<'a> {
  pub path: String,
  pub bytes: std::borrow::Cow<'a, [u8]>,
}

/// Every file of the output project, sorted by path.
pub fn files<'a>(
  project: &Project,
  shipped: &'a [Shipped],
  manifest: &Manifest,
  minify: &MinifyConfig,
) -> Result<Vec<OutFile<'a>>, Diagnostic> {
  let mut files: Vec<OutFile> = shipped
    .iter()
    .map(|s| OutFile { path: format!("{CODE_DIR}/{}", s.path), bytes: s.output.bytes.as_slice().into() })
    .collect();
  files.extend(shipped.iter().filter_map(|s| {
    let map = s.output.source_map.as_ref()?;
    Some(OutFile { path: format!("{MAPS_DIR}/{}.map", s.path), bytes: map.as_slice().into() })
  }));
  files.push(OutFile {
    path: "project.config.json".into(),
    bytes: output_project_config(project, shipped, minify)?.into(),
  });
  files.push(OutFile { path: MANIFEST.into(), bytes: pretty(manifest, MANIFEST)?.into() });
  files.sort_by(|a, b| a.path.cmp(&b.path));
  Ok(files)
}

/// `value` as indented JSON with a final newline; a value serde cannot write stops the build
/// rather than writing an empty file.
fn pretty(value: &impl serde::Serialize, name: &str) -> Result<Vec<u8>, Diagnostic> {
  let mut out = serde_json::to_vec_pretty(value)
    .map_err(|e| Diagnostic::error(Code::Internal, format!("cannot write {name}: {e}")))?;
  out.push(b'\n');
  Ok(out)
}

/// The `setting` of the output project.config.json. The compile steps wxpack did are off, so
/// DevTools and miniprogram-ci upload the files as they are and the measured bytes are the
/// payload: `es6`/`enhance` (wxpack lowered to ES5 when they asked for it), `useCompilerPlugins`
/// (TypeScript, Less and Sass are compiled). The minify switches are off for what wxpack minified:
/// DevTools' minifiers would change the bytes again (terser wraps function arguments in
/// parentheses, cssnano merges rules), and the report would not be the upload; its code-quality
/// panel then lists checks 8-10 as not enabled (docs/user-guide.md). `postcss` is off when
/// wxpack added the prefixes `[wxss] prefixes` asks for to every stylesheet, and on when one
/// ships without them and DevTools would have prefixed the source.
///
/// DevTools' compile stays on where wxpack did not compile: with `[js] target = "source"` (and
/// then `minified` stays as the project has it, so DevTools' output of the lowered code is still
/// minified), and when a file the platform cannot run uncompiled ships as written
/// ([`devtools_compiled`]); every other JS file then goes into `babelSetting.ignore`, so DevTools
/// compiles only those.
pub fn upload_settings(project: &Project, shipped: &[Shipped], minify: &MinifyConfig) -> Map<String, Value> {
  let mut setting = project.config.raw.get("setting").and_then(Value::as_object).cloned().unwrap_or_default();
  let source_target = minify.js_target == JsTarget::Source;
  let recompiled = devtools_compiled(project, shipped, minify);
  if project.config.es5 && !source_target && !recompiled.is_empty() {
    let mut babel = setting.get("babelSetting").and_then(Value::as_object).cloned().unwrap_or_default();
    let mut ignore: Vec<Value> = babel.get("ignore").and_then(Value::as_array).cloned().unwrap_or_default();
    let js = shipped.iter().filter(|s| s.path.extension() == Some("js") && !recompiled.contains(&&s.path));
    ignore.extend(js.map(|s| json!(s.path.as_str())));
    babel.insert("ignore".into(), Value::Array(ignore));
    setting.insert("babelSetting".into(), Value::Object(babel));
  } else if !(project.config.es5 && source_target) {
    setting.insert("es6".into(), json!(false));
    setting.insert("enhance".into(), json!(false));
  }
  setting.insert("useCompilerPlugins".into(), json!(false));
  let keep_js_minify = project.config.es5 && source_target;
  for (key, on) in
    [("minified", minify.js && !keep_js_minify), ("minifyWXSS", minify.wxss), ("minifyWXML", minify.wxml)]
  {
    if on {
      setting.insert(key.into(), json!(false));
    }
  }
  // wxpack prefixed what it minified ([wxss] prefixes). A statement that shipped as written
  // lacks its prefixes: where DevTools would have prefixed the source (its WXSS pipeline runs
  // when postcss or minifyWXSS is on), postcss stays on so it still does.
  if minify.wxss {
    let unprefixed = minify.prefixes != Prefixes::None
      && project.config.devtools_prefixes
      && shipped.iter().any(|s| s.output.unprefixed);
    setting.insert("postcss".into(), json!(unprefixed));
  }
  setting
}

/// The shipped JS files DevTools compiles at upload: those wxpack had to ship as written
/// although the platform cannot run them uncompiled, when the project compiles to ES5 (without
/// it, DevTools ships them as written too). Empty with `[js] target = "source"`, where DevTools
/// compiles every file.
pub fn devtools_compiled<'a>(project: &Project, shipped: &'a [Shipped], minify: &MinifyConfig) -> Vec<&'a MpPath> {
  if !project.config.es5 || minify.js_target == JsTarget::Source {
    return Vec::new();
  }
  shipped.iter().filter(|s| s.output.devtools_compiles).map(|s| &s.path).collect()
}

/// The source project.config.json, pointed at the shipped files. packOptions were already
/// applied and cloud functions are never shipped, so both are dropped; see [`upload_settings`].
fn output_project_config(project: &Project, shipped: &[Shipped], minify: &MinifyConfig) -> Result<Vec<u8>, Diagnostic> {
  let mut raw: Map<String, Value> = project.config.raw.clone();
  if raw.is_empty() {
    raw.insert("compileType".into(), json!("miniprogram"));
  }
  raw.insert("setting".into(), Value::Object(upload_settings(project, shipped, minify)));
  raw.insert("miniprogramRoot".into(), json!(format!("{CODE_DIR}/")));
  raw.remove("srcMiniprogramRoot");
  raw.remove("cloudfunctionRoot");
  raw.insert("packOptions".into(), json!({"ignore": [], "include": []}));
  pretty(&Value::Object(raw), "project.config.json")
}

/// Refuses an OUT_DIR that is the project or contains it, and an existing folder wxpack did not
/// write. Called before anything is read, so a bad `-o` costs nothing.
pub fn check_out_dir(out_dir: &Path, project_dir: &Path) -> Result<(), Diagnostic> {
  let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
  let canon = |p: &Path| fs::canonicalize(p).unwrap_or_else(|_| abs(p));
  let (out, proj) = (canon(out_dir), canon(project_dir));
  let bad = |m: String| {
    Diagnostic::error(Code::OutDir, m)
      .at(Location::file(out_dir.display().to_string()))
      .with_help("pass another folder with -o OUT_DIR")
  };
  if proj.starts_with(&out) {
    return Err(bad("the output folder is, or contains, the project; wxpack never writes the source tree".into()));
  }
  if out.is_file() {
    return Err(bad("the output path is a file".into()));
  }
  if out.is_dir() && !out.join(MARKER).is_file() && fs::read_dir(&out).map(|mut d| d.next().is_some()).unwrap_or(true) {
    return Err(bad("the output folder exists and was not written by wxpack; refusing to replace it".into()));
  }
  Ok(())
}

/// Writes `files` to `out_dir` (and `zip_path`) atomically.
pub fn write(out_dir: &Path, zip_path: Option<&Path>, files: &[OutFile]) -> Result<(), Diagnostic> {
  let tmp = sibling(out_dir, "tmp");
  let zip_tmp = zip_path.map(|z| sibling(z, "tmp"));
  let result = write_tree(&tmp, files)
    .and_then(|()| zip_tmp.as_deref().map_or(Ok(()), |z| zip::write(z, files)))
    .and_then(|()| swap(&tmp, out_dir))
    .and_then(|()| match (zip_tmp.as_deref(), zip_path) {
      (Some(from), Some(to)) => fs::rename(from, to).map_err(|e| io(to, &e)),
      _ => Ok(()),
    });
  if result.is_err() {
    let _ = fs::remove_dir_all(&tmp);
    if let Some(z) = &zip_tmp {
      let _ = fs::remove_file(z);
    }
  }
  result
}

fn write_tree(dir: &Path, files: &[OutFile]) -> Result<(), Diagnostic> {
  if dir.exists() {
    fs::remove_dir_all(dir).map_err(|e| io(dir, &e))?;
  }
  fs::create_dir_all(dir).map_err(|e| io(dir, &e))?;
  fs::write(dir.join(MARKER), b"written by wxpack; the folder is replaced on each build\n").map_err(|e| io(dir, &e))?;
  for f in files {
    let path = dir.join(&f.path);
    if let Some(parent) = path.parent() {
      fs::create_dir_all(parent).map_err(|e| io(parent, &e))?;
    }
    fs::write(&path, &f.bytes).map_err(|e| io(&path, &e))?;
  }
  Ok(())
}

/// Moves `tmp` to `out_dir`, replacing a previous output only after the new one is complete.
fn swap(tmp: &Path, out_dir: &Path) -> Result<(), Diagnostic> {
  if !out_dir.exists() {
    if let Some(parent) = out_dir.parent() {
      fs::create_dir_all(parent).map_err(|e| io(parent, &e))?;
    }
    return fs::rename(tmp, out_dir).map_err(|e| io(out_dir, &e));
  }
  let old = sibling(out_dir, "old");
  let _ = fs::remove_dir_all(&old);
  fs::rename(out_dir, &old).map_err(|e| io(out_dir, &e))?;
  if let Err(e) = fs::rename(tmp, out_dir) {
    let _ = fs::rename(&old, out_dir);
    return Err(io(out_dir, &e));
  }
  let _ = fs::remove_dir_all(&old);
  Ok(())
}

/// `.NAME.wxpack-TAG-PID` beside `path`, on the same file system so renames are atomic.
fn sibling(path: &Path, tag: &str) -> PathBuf {
  let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "out".into());
  path.with_file_name(format!(".{name}.wxpack-{tag}-{}", std::process::id()))
}

fn io(path: &Path, e: &std::io::Error) -> Diagnostic {
  Diagnostic::error(Code::Io, format!("cannot write: {e}"))
    .at(Location::file(path.display().to_string()))
    .with_help("check that the output folder is writable and the disk has room")
}
