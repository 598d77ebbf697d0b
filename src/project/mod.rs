//! Load stage: project.config.json, app.json and the file list, validated against each other.
//!
//! Produces a [`Project`]: the packages, every file under the mini program root with whether it
//! ships, and the settings later stages read. Nothing here follows references between files;
//! that is the graph's job.

pub mod against_config;
pub mod app_json;
pub mod app_keys;
pub mod compile;
pub mod files;
pub mod json;
mod json_spans;
pub mod package;
pub mod project_config;
pub mod table;

use rustc_hash::FxHashMap;
use std::{
  fs,
  path::{Path, PathBuf},
  sync::Arc,
};

pub use app_json::AppJson;
pub use files::{Excluded, SourceFile};
pub use package::{Package, PackageId, PackageKind, package_of};
pub use project_config::ProjectConfig;
pub use table::{AssetId, Files};

use crate::{
  diagnostic::{Code, Diagnostic, Location, Source},
  index_vec::IndexVec,
  mp_path::MpPath,
};

#[derive(Debug)]
pub struct Project {
  /// The folder holding project.config.json.
  pub dir: PathBuf,
  /// `miniprogramRoot` on disk.
  pub root_dir: PathBuf,
  /// `miniprogramRoot` as written, normalized, for display ("" or "miniprogram/").
  pub root_prefix: String,
  pub config: ProjectConfig,
  pub app: AppJson,
  /// Every file under the root, numbered: the ids every later stage uses.
  pub files: Files,
  /// app.json's id in `files`.
  pub app_file: Option<AssetId>,
  /// Compiled stylesheets (`x.wxss` from `x.scss` or `x.less`), by output path.
  pub compiled_css: FxHashMap<MpPath, String>,
  /// How many of them came from the build cache.
  pub compiled_css_reused: usize,
  /// Some file or folder under the root is reached through a symbolic link.
  pub linked: bool,
  /// Problems that do not stop the build.
  pub warnings: Vec<Diagnostic>,
  /// A stage read a file the table does not list ([`Self::read_bytes`]): the build depends on
  /// more than the table, and is not remembered whole for the next build to recall.
  outside_table: std::sync::atomic::AtomicBool,
}

impl Project {
  /// Loads the project in `dir`. `skip` lists canonical folders never to scan (the output folder).
  pub fn load(dir: &Path, skip: &[PathBuf]) -> Result<Self, Vec<Diagnostic>> {
    Self::load_cached(dir, skip, &crate::cache::Store::none())
  }

  /// [`Project::load`], with Less compiles through the build cache.
  pub fn load_cached(dir: &Path, skip: &[PathBuf], store: &crate::cache::Store) -> Result<Self, Vec<Diagnostic>> {
    let config_path = dir.join(project_config::FILE);
    let mut config = if config_path.is_file() {
      ProjectConfig::parse(&read_text(&config_path).map_err(|d| vec![d])?).map_err(|d| vec![d])?
    } else if dir.join(app_json::FILE).is_file() {
      ProjectConfig::default()
    } else {
      return Err(vec![
        Diagnostic::error(Code::Io, "no project.config.json or app.json here")
          .at(Location::file(dir.display().to_string()))
          .with_help("pass the folder that holds project.config.json: wxpack build path/to/project"),
      ]);
    };
    let root_rel = MpPath::new(&config.miniprogram_root).map_err(|_| {
      vec![
        Diagnostic::error(Code::EscapesRoot, "miniprogramRoot points outside the project")
          .at(Location::file(project_config::FILE)),
      ]
    })?;
    let root_prefix = if root_rel.is_root() { String::new() } else { format!("{root_rel}/") };
    let root_dir = dir.join(root_rel.as_str());
    let app_path = root_dir.join(app_json::FILE);
    let app_display = format!("{root_prefix}{}", app_json::FILE);
    let app_src = read_text(&app_path).map_err(|d| {
      vec![d.with_help(format!("miniprogramRoot is {:?}; app.json must be inside it", config.miniprogram_root))]
    })?;
    let mut app = AppJson::parse(&app_display, &app_src).map_err(|d| vec![d])?;
    let mut skip = skip.to_vec();
    if let Some(cloud) = &config.cloudfunction_root {
      let cloud = dir.join(cloud.trim_end_matches('/'));
      skip.push(std::fs::canonicalize(&cloud).unwrap_or(cloud));
    }
    let mut warnings = std::mem::take(&mut config.warnings);
    warnings.append(&mut app.preload_problems);
    let listing = files::list(dir, &root_dir, &skip, &config, &mut warnings).map_err(|d| vec![d])?;
    let mut files = listing.files;
    let show = |p: &MpPath| format!("{root_prefix}{p}");
    compile::add_outputs(&mut files, &config, &mut warnings, &show);
    let files = Files::from(files);
    let display = |p: &MpPath| {
      let from = files.get(p).and_then(|f| f.compiled.as_ref()).map_or(p, |c| &c.from);
      show(from)
    };
    let styles = compile::styles(dir, &root_dir, &files, &config.style_common, &display, store)?;
    // The scan reads app.json from the table: the text parsed here, not a later save.
    let app_file = MpPath::new(app_json::FILE).ok().and_then(|p| files.id(&p));
    if let Some(id) = app_file {
      files[id].read_as(app_src.as_bytes());
    }
    let mut project = Self {
      dir: dir.to_path_buf(),
      root_dir,
      root_prefix,
      config,
      app,
      files,
      app_file,
      compiled_css: styles.css,
      compiled_css_reused: styles.reused,
      linked: listing.linked,
      warnings,
      outside_table: Default::default(),
    };
    let errors = project.validate();
    if !errors.is_empty() {
      return Err(errors);
    }
    let lints = project.lint();
    project.warnings.extend(lints);
    Ok(project)
  }

  pub fn packages(&self) -> &IndexVec<PackageId, Package> {
    &self.app.packages
  }

  pub fn package_of(&self, path: &MpPath) -> PackageId {
    package_of(self.packages(), path)
  }

  /// The project-relative path shown in messages: for a compiled output, its source.
  pub fn display(&self, path: &MpPath) -> String {
    let shown = self.files.get(path).and_then(|f| f.compiled.as_ref()).map_or(path, |c| &c.from);
    format!("{}{shown}", self.root_prefix)
  }

  /// Whether a stage read a file the table does not list.
  pub fn read_outside_table(&self) -> bool {
    self.outside_table.load(std::sync::atomic::Ordering::Relaxed)
  }

  pub fn exists(&self, path: &MpPath) -> bool {
    self.files.contains_key(path)
  }

  /// A file under the root (a compiled stylesheet's CSS), as the build first read it: every
  /// stage that asks gets the same bytes. A located error when it cannot be read.
  pub fn read_bytes(&self, path: &MpPath) -> Result<Arc<[u8]>, Diagnostic> {
    if let Some(css) = self.compiled_css.get(path) {
      return Ok(Arc::from(css.as_bytes()));
    }
    let read = match self.files.get(path) {
      Some(f) => f.bytes(),
      None => {
        self.outside_table.store(true, std::sync::atomic::Ordering::Relaxed);
        fs::read(self.root_dir.join(path.as_str())).map(Arc::from).map_err(|e| e.to_string())
      }
    };
    read.map_err(|e| {
      Diagnostic::error(Code::Io, format!("cannot read: {e}"))
        .at(Location::file(self.display(path)))
        .with_help("check that the file exists and that wxpack may read it")
    })
  }

  /// [`Self::read_bytes`] as text; a located error when it is not UTF-8.
  pub fn read_text(&self, path: &MpPath) -> Result<String, Diagnostic> {
    utf8(self.read_bytes(path)?.to_vec(), &self.display(path))
  }

  /// Pages need their .wxml and .js; compile inputs without outputs are not handled yet.
  fn validate(&self) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let app_file = format!("{}{}", self.root_prefix, app_json::FILE);
    let source = Source::new(&app_file, &self.app.source);
    let at = |span: Option<crate::diagnostic::Span>| span.map_or_else(|| Location::file(&app_file), |s| source.at(s));
    let at_value = |v: &str| at(self.app.spans.find(v, None));
    for package in self.packages() {
      for page in &package.pages {
        let written = page.strip_dir(&package.root).unwrap_or(page.as_str());
        let at_page = |w: &str| at(app_json::page_span(&self.app.spans, package, w));
        if page.is_root() || written.is_empty() {
          let at = self.app.spans.find("/", None).map_or_else(|| at_value(""), |_| at_value("/"));
          errors.push(
            Diagnostic::error(Code::MissingPage, "a page path is empty: it names no file".to_string())
              .at(at)
              .with_help("write the page as its path without a suffix, like \"pages/index/index\""),
          );
          continue;
        }
        for ext in [".wxml", ".js"] {
          if self.exists(&page.with_suffix(ext)) {
            continue;
          }
          let ts = ext == ".js" && self.exists(&page.with_suffix(".ts"));
          errors.push(if ts {
            Diagnostic::error(Code::MissingPage, format!("page {page} has only {page}.ts, and TypeScript is not on"))
              .at(at_page(written))
              .with_help("add \"typescript\" to setting.useCompilerPlugins in project.config.json, as DevTools needs")
          } else {
            Diagnostic::error(Code::MissingPage, format!("page {page} has no {page}{ext}"))
              .at(at_page(written))
              .with_help(format!("create {}{page}{ext}, or remove the page from app.json", self.root_prefix))
          });
        }
      }
      if let Some(entry) = &package.entry
        && !self.exists(entry)
      {
        errors.push(
          Diagnostic::error(Code::MissingPage, format!("subpackage entry {entry} does not exist"))
            .at(at(app_json::entry_span(&self.app.spans, package))),
        );
      }
    }
    errors
  }

  /// What DevTools compiles but the platform may not run: warned here, errors under `--strict`.
  fn lint(&self) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let app_file = format!("{}{}", self.root_prefix, app_json::FILE);
    let source = Source::new(&app_file, &self.app.source);
    // The platform knows one value; any other is read as no lazy injection at all.
    if let Some(v) = self.app.lazy_code_loading.as_deref().filter(|v| *v != app_json::LAZY_CODE_LOADING) {
      let at = self.app.spans.value(&["lazyCodeLoading"]).map_or_else(|| Location::file(&app_file), |s| source.at(s));
      warnings.push(
        Diagnostic::warning(
          Code::InvalidConfig,
          format!(
            "lazyCodeLoading is {v:?}; the platform knows only \"requiredComponents\" and injects every component"
          ),
        )
        .at(at)
        .with_help("write \"lazyCodeLoading\": \"requiredComponents\", or remove the key"),
      );
    }
    if self.app.tab_bar.as_ref().is_some_and(|t| t.custom) {
      let missing: Vec<String> = ["js", "wxml", "json"]
        .iter()
        .map(|ext| format!("custom-tab-bar/index.{ext}"))
        .filter(|f| MpPath::new(f).is_ok_and(|p| !self.exists(&p)))
        .collect();
      if !missing.is_empty() {
        let at = self.app.spans.key(&["tabBar", "custom"]).map_or_else(|| Location::file(&app_file), |s| source.at(s));
        warnings.push(
          Diagnostic::warning(
            Code::MissingPage,
            format!(
              "tabBar.custom is true but {} {} missing; the platform shows no tab bar",
              missing.join(", "),
              if missing.len() == 1 { "is" } else { "are" }
            ),
          )
          .at(at)
          .with_help("add custom-tab-bar/index.{js,json,wxml,wxss} at the code root, or set tabBar.custom to false"),
        );
      }
    }
    warnings
  }
}

fn read_text(path: &Path) -> Result<String, Diagnostic> {
  let bytes = fs::read(path).map_err(|e| files::io_error(path, &e))?;
  utf8(bytes, &path.display().to_string())
}

/// `bytes` as text, or where the first byte that is not UTF-8 is (`shown` names the file).
fn utf8(bytes: Vec<u8>, shown: &str) -> Result<String, Diagnostic> {
  String::from_utf8(bytes).map_err(|e| {
    let at = e.utf8_error().valid_up_to();
    let before = e.as_bytes().get(..at).unwrap_or_default();
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = String::from_utf8_lossy(before.get(line_start..).unwrap_or_default()).chars().count() + 1;
    Diagnostic::error(Code::Io, format!("not valid UTF-8 (byte {at})"))
      .at(Location::at(shown, line as u32, column as u32))
      .with_help("save the file as UTF-8")
  })
}
