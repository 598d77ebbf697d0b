//! Emit stage: the output project's files ([`files`]), written atomically ([`write`]) where
//! [`guard`] allowed: never onto what the project reads.

pub mod guard;
pub mod record;
pub mod spare;
pub mod write;
pub mod zip;

use serde_json::{Map, Value, json};

use crate::{
  config::{JsTarget, MinifyConfig},
  diagnostic::{Code, Diagnostic},
  manifest::Manifest,
  mp_path::MpPath,
  project::Project,
  targets::Prefixes,
  transform::Shipped,
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

/// What the emit stage wrote, for the report.
#[derive(Debug)]
pub struct Emitted {
  /// The `setting` of the output project.config.json ([`upload_settings`]).
  pub settings: Map<String, Value>,
  /// The shipped JS files DevTools compiles at upload ([`devtools_compiled`]).
  pub devtools_compiled: Vec<MpPath>,
  /// `false`: the output in place was already this build's, and nothing was written.
  pub written: bool,
  /// The output's record of its files ([`record::files_part`]).
  pub record: String,
}

/// Writes the output project atomically to `out_dir` (and the zip), and returns what it wrote.
pub fn emit(
  out_dir: &std::path::Path,
  zip: Option<&std::path::Path>,
  project: &Project,
  shipped: &[Shipped],
  manifest: &Manifest,
  minify: &MinifyConfig,
  cache: Option<&std::path::Path>,
) -> Result<Emitted, Diagnostic> {
  let emitted = Emitted::of(project, shipped, minify);
  let spare = cache.map(|c| spare::place(c, out_dir));
  let files = files(project, shipped, manifest, &emitted.settings)?;
  let record = record::files_part(&files);
  let written = write::tree(out_dir, zip, &files, &record, spare.as_deref())?;
  Ok(Emitted { written: written == write::Written::All, record, ..emitted })
}

impl Emitted {
  /// What the output's project.config.json says for `shipped`, without writing anything.
  pub fn of(project: &Project, shipped: &[Shipped], minify: &MinifyConfig) -> Self {
    let settings = upload_settings(project, shipped, minify);
    let devtools_compiled = devtools_compiled(project, shipped, minify).into_iter().cloned().collect();
    Self { settings, devtools_compiled, written: true, record: String::new() }
  }
}

/// Every file of the output project, sorted by path; `settings` is the `setting` of its
/// project.config.json.
pub fn files<'a>(
  project: &Project,
  shipped: &'a [Shipped],
  manifest: &Manifest,
  settings: &Map<String, Value>,
) -> Result<Vec<OutFile<'a>>, Diagnostic> {
  let mut files: Vec<OutFile> = shipped
    .iter()
    .map(|s| OutFile { path: format!("{CODE_DIR}/{}", s.path), bytes: s.output.bytes.as_slice().into() })
    .collect();
  files.extend(shipped.iter().filter_map(|s| {
    let map = s.output.source_map.as_ref()?;
    Some(OutFile { path: format!("{MAPS_DIR}/{}.map", s.path), bytes: map.as_slice().into() })
  }));
  files.push(OutFile { path: "project.config.json".into(), bytes: output_project_config(project, settings)?.into() });
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
fn upload_settings(project: &Project, shipped: &[Shipped], minify: &MinifyConfig) -> Map<String, Value> {
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
fn devtools_compiled<'a>(project: &Project, shipped: &'a [Shipped], minify: &MinifyConfig) -> Vec<&'a MpPath> {
  if !project.config.es5 || minify.js_target == JsTarget::Source {
    return Vec::new();
  }
  shipped.iter().filter(|s| s.output.devtools_compiles).map(|s| &s.path).collect()
}

/// The source project.config.json, pointed at the shipped files. packOptions were already
/// applied and cloud functions are never shipped, so both are dropped; see [`upload_settings`].
fn output_project_config(project: &Project, settings: &Map<String, Value>) -> Result<Vec<u8>, Diagnostic> {
  let mut raw: Map<String, Value> = project.config.raw.clone();
  if raw.is_empty() {
    raw.insert("compileType".into(), json!("miniprogram"));
  }
  raw.insert("setting".into(), Value::Object(settings.clone()));
  raw.insert("miniprogramRoot".into(), json!(format!("{CODE_DIR}/")));
  raw.remove("srcMiniprogramRoot");
  raw.remove("cloudfunctionRoot");
  raw.insert("packOptions".into(), json!({"ignore": [], "include": []}));
  pretty(&Value::Object(raw), "project.config.json")
}
