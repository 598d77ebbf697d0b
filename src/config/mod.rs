//! The validated build configuration: `wxpack.toml` (optional) with CLI flags on top.
//!
//! Every key is documented in docs/configuration.md. Unknown keys are an error naming the key and
//! the file, because a misspelt budget that silently falls back to the default is worse than none.

use std::{
  collections::BTreeMap,
  path::{Path, PathBuf},
};

use serde::Deserialize;

pub mod check;
mod file;
pub mod growth;
pub use growth::diff_limits;
pub mod manifest;
pub mod options;

pub use file::*;
use growth::GrowthLimits;
use manifest::ManifestOptions;
pub use options::{CacheConfig, Globs, ImageConfig, ImageOptions, JsOptions, PlanOptions, SharedPolicy};

use crate::{
  diagnostic::{Code, Diagnostic, Location, Source, Span},
  mp_path::MpPath,
  size::ByteSize,
  targets::{BaseLibrary, Prefixes},
};

/// The file name looked up in the project directory when `--config` is not given.
pub const CONFIG_FILE: &str = "wxpack.toml";

/// What the transform stage does to code files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinifyConfig {
  pub js: bool,
  pub wxss: bool,
  pub wxml: bool,
  pub json: bool,
  /// Drop `usingComponents` entries the WXML never uses (page and component JSON only).
  pub prune_components: bool,
  pub js_options: JsOptions,
  /// Write a source map per minified JS file to OUT_DIR/sourcemaps (never shipped).
  pub source_maps: bool,
  /// Decides the WXSS targets (platform doc section 10).
  pub min_base_library: BaseLibrary,
  /// When JS is lowered to ES5.
  pub js_target: JsTarget,
  /// The vendor prefixes WXSS gets.
  pub prefixes: Prefixes,
  /// Take out WXSS selectors no element can match (`[wxss] remove_unused`), but those of
  /// classes matching `keep_classes`.
  pub remove_unused_css: bool,
  pub keep_classes: Vec<String>,
  /// Cut the icon fonts embedded in WXSS to the glyphs the app shows (`[wxss] subset_fonts`).
  pub subset_fonts: bool,
  /// Where each package keeps the helper modules compiled JS requires (`__wxpack__/helpers`,
  /// under the package root); `None` inlines the helpers into every file that uses them.
  pub helpers_dir: Option<MpPath>,
}

/// `helpers` under the planner's folder: `__wxpack__/helpers` by default.
fn helpers_dir(folder: &str) -> Option<MpPath> {
  MpPath::new(folder).ok()?.join("helpers").ok()
}

/// `[js] target`: when JS is lowered to ES5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JsTarget {
  /// As project.config.json says (`setting.es6` / `enhance`: DevTools' "compile to ES5").
  #[default]
  Auto,
  /// Always.
  Es5,
  /// Never: the syntax stays as written (ES modules still become CommonJS).
  Source,
}

impl Default for MinifyConfig {
  fn default() -> Self {
    Self::all(true)
  }
}

impl MinifyConfig {
  /// The JSON minifier drops `usingComponents` entries the WXML never uses.
  pub fn drops_unused_components(&self) -> bool {
    self.json && self.prune_components
  }

  /// WXSS is minified and its unused selectors taken out.
  pub fn removes_unused_css(&self) -> bool {
    self.wxss && self.remove_unused_css
  }

  /// WXSS is minified and its embedded icon fonts cut to the glyphs in use.
  pub fn subsets_fonts(&self) -> bool {
    self.wxss && self.subset_fonts
  }

  /// Everything on (`true`) or off, with default JS options.
  pub fn all(on: bool) -> Self {
    Self {
      js: on,
      wxss: on,
      wxml: on,
      json: on,
      prune_components: on,
      js_options: JsOptions::default(),
      source_maps: false,
      min_base_library: BaseLibrary::default(),
      js_target: JsTarget::Auto,
      prefixes: Prefixes::Auto,
      remove_unused_css: on,
      keep_classes: Vec::new(),
      subset_fonts: on,
      helpers_dir: helpers_dir(&PlanOptions::default().folder),
    }
  }

  fn from_file(f: &MinifyFile, base: Option<BaseLibrary>, enabled: bool) -> Self {
    let d = JsOptions::default();
    let on = |v: Option<bool>| enabled && v.unwrap_or(true);
    Self {
      js: on(f.js),
      wxss: on(f.wxss),
      wxml: on(f.wxml),
      json: on(f.json),
      prune_components: on(f.prune_components),
      js_options: JsOptions {
        drop_console: f.drop_console.unwrap_or(d.drop_console),
        drop_debugger: f.drop_debugger.unwrap_or(d.drop_debugger),
        mangle: f.mangle.unwrap_or(d.mangle),
      },
      source_maps: f.source_maps.unwrap_or(false),
      min_base_library: base.unwrap_or_default(),
      ..Self::all(true)
    }
  }
}

/// Size budgets. Defaults are the platform's limits (platform doc 1.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Budgets {
  pub main: ByteSize,
  pub subpackage: ByteSize,
  pub total: ByteSize,
  pub packages: BTreeMap<String, ByteSize>,
  /// Where each `packages` key is written in wxpack.toml.
  pub written_at: BTreeMap<String, Location>,
}

impl Default for Budgets {
  fn default() -> Self {
    Self {
      main: ByteSize::mb(2),
      subpackage: ByteSize::mb(2),
      total: ByteSize::mb(30),
      packages: BTreeMap::new(),
      written_at: BTreeMap::new(),
    }
  }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbosity {
  Quiet,
  Normal,
  Verbose,
}

/// Everything one build needs, validated.
#[derive(Debug, Clone)]
pub struct Config {
  /// The folder holding project.config.json (or app.json when there is none).
  pub project_dir: PathBuf,
  /// The wxpack.toml that was read, if one was (an input: never written).
  pub config_file: Option<PathBuf>,
  pub out_dir: PathBuf,
  pub zip: Option<PathBuf>,
  /// Where to write the JSON report; `-` means stdout.
  pub json_report: Option<PathBuf>,
  /// Where to write the HTML report.
  pub html_report: Option<PathBuf>,
  pub budgets: Budgets,
  /// Unresolved references become errors.
  pub strict: bool,
  /// A source file with a syntax error ships unchanged (reported) instead of stopping the build.
  pub keep_going: bool,
  pub minify: MinifyConfig,
  pub images: ImageConfig,
  pub cache: CacheConfig,
  pub plan: PlanOptions,
  pub manifest: ManifestOptions,
  pub verbosity: Verbosity,
  /// Draw progress bars (only on a terminal, never in CI).
  pub progress: bool,
  /// Color terminal output.
  pub color: bool,
  /// `--baseline`: the report to compare the build with, and the growth limits.
  pub baseline: Option<PathBuf>,
  pub max_growth: GrowthLimits,
  /// `[check]`: the levels and word lists of `wxpack check`.
  pub check: check::CheckOptions,
}

/// Flags from the command line that override the file.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
  pub config: Option<PathBuf>,
  pub out_dir: Option<PathBuf>,
  pub zip: Option<PathBuf>,
  /// `--cache-dir` (or `WXPACK_CACHE_DIR`), over `[cache] dir`.
  pub cache_dir: Option<PathBuf>,
  /// `--no-cache`: nothing read from or written to the cache.
  pub no_cache: bool,
  pub json_report: Option<PathBuf>,
  pub html_report: Option<PathBuf>,
  pub budget_main: Option<ByteSize>,
  pub budget_sub: Option<ByteSize>,
  pub budget_total: Option<ByteSize>,
  pub strict: bool,
  pub keep_going: bool,
  /// `--no-minify`: ship every file as it is (still accounted, still gated).
  pub no_minify: bool,
  pub source_maps: bool,
  /// `--no-plan`: ship every file where it is.
  pub no_plan: bool,
  pub shared: Option<SharedPolicy>,
  pub verbosity: Option<Verbosity>,
  pub progress: bool,
  pub color: bool,
  pub baseline: Option<PathBuf>,
  /// `--max-growth`, over `[diff] max_growth`.
  pub max_growth: Option<GrowthLimits>,
}

impl Config {
  /// Reads `wxpack.toml` (from `--config` or the project folder) and applies the flags.
  pub fn load(project_dir: &Path, flags: Overrides) -> Result<Self, Diagnostic> {
    let explicit = flags.config.is_some();
    let path = flags.config.clone().unwrap_or_else(|| project_dir.join(CONFIG_FILE));
    let config_file = (explicit || path.is_file()).then(|| path.clone());
    let (mut file, base, source) = if explicit || path.is_file() {
      let (file, text) = read_config_file(&path)?;
      (file, path.parent().map(Path::to_path_buf).unwrap_or_default(), Source::owned(path.display().to_string(), text))
    } else {
      (ConfigFile::default(), project_dir.to_path_buf(), Source::default())
    };

    let manifest = manifest::options(&file, &source)?;
    let mut budgets = Budgets::default();
    let b = file.budget;
    budgets.main = flags.budget_main.or(b.main).unwrap_or(budgets.main);
    budgets.subpackage = flags.budget_sub.or(b.subpackage).unwrap_or(budgets.subpackage);
    budgets.total = flags.budget_total.or(b.total).unwrap_or(budgets.total);
    for (key, size) in b.packages {
      budgets.written_at.insert(key.get_ref().clone(), toml_at(&source, key.span()));
      budgets.packages.insert(key.into_inner(), size);
    }
    let from_file = |p: Option<PathBuf>| p.map(|p| base.join(p));
    let out_dir = flags.out_dir.or_else(|| from_file(file.out_dir)).unwrap_or_else(|| project_dir.join("dist"));
    let images = options::images_config(&file.images, flags.no_minify, |span| toml_at(&source, span))?;
    // `[images] cache_dir` is the older name of `[cache] dir`.
    let cache_dir =
      flags.cache_dir.clone().or_else(|| from_file(file.cache.dir.clone().or(file.images.cache_dir.clone())));
    let cache = CacheConfig {
      dir: (!flags.no_cache && file.cache.enabled.unwrap_or(true))
        .then(|| cache_dir.unwrap_or_else(|| CacheConfig::default_dir(&out_dir))),
      max_size: file.cache.max_size.map_or(CacheConfig::DEFAULT_MAX_SIZE, |s| s.0),
    };
    let plan = plan_options(&file.plan, &file.prune, flags.no_plan, flags.shared, &source)?;
    let check = check::check_options(std::mem::take(&mut file.check), &source, |s| toml_at(&source, s))?;
    Ok(Self {
      project_dir: project_dir.to_path_buf(),
      config_file,
      images,
      cache,
      out_dir,
      zip: flags.zip.or_else(|| from_file(file.zip)),
      json_report: flags.json_report,
      html_report: flags.html_report,
      budgets,
      strict: flags.strict || file.strict.unwrap_or(false),
      keep_going: flags.keep_going || file.keep_going.unwrap_or(false),
      minify: MinifyConfig {
        source_maps: flags.source_maps || file.minify.source_maps.unwrap_or(false),
        js_target: file.js.target.unwrap_or_default(),
        prefixes: file.wxss.prefixes.unwrap_or_default(),
        remove_unused_css: !flags.no_minify && file.wxss.remove_unused.unwrap_or(true),
        keep_classes: file.wxss.keep.take().unwrap_or_default(),
        subset_fonts: !flags.no_minify && file.wxss.subset_fonts.unwrap_or(true),
        helpers_dir: helpers_dir(&plan.folder).filter(|_| file.js.shared_helpers.unwrap_or(true)),
        ..MinifyConfig::from_file(&file.minify, file.min_base_library, !flags.no_minify)
      },
      plan,
      manifest,
      verbosity: flags.verbosity.unwrap_or(Verbosity::Normal),
      progress: flags.progress,
      color: flags.color,
      baseline: flags.baseline,
      max_growth: growth::growth_limits(file.diff.max_growth, flags.max_growth.as_ref()),
      check,
    })
  }
}

fn plan_options(
  plan: &PlanFile,
  prune: &PruneFile,
  no_plan: bool,
  shared: Option<SharedPolicy>,
  source: &Source,
) -> Result<PlanOptions, Diagnostic> {
  let d = PlanOptions::default();
  let bad = |key: &str, m: String| {
    Diagnostic::error(Code::InvalidToml, format!("{key}: {m}"))
      .with_help("see [plan] and [prune] in docs/configuration.md")
  };
  let folder = plan.folder.clone().unwrap_or(d.folder);
  if folder.is_empty()
    || folder.starts_with('.')
    || folder.contains(['/', '\\'])
    || matches!(folder.as_str(), "miniprogram_npm" | "node_modules")
  {
    return Err(bad("plan.folder", format!("{folder:?} must be a plain folder name such as \"__wxpack__\"")));
  }
  let globs = |key: &str, v: &Option<Vec<toml::Spanned<String>>>| {
    let patterns = v.as_deref().unwrap_or_default();
    Globs::new(patterns.iter().map(|p| p.get_ref().clone()).collect()).map_err(|(at, m)| {
      let d = bad(key, m);
      match at.and_then(|i| patterns.get(i)) {
        Some(p) => d.at(toml_at(source, p.span())),
        None => d,
      }
    })
  };
  Ok(PlanOptions {
    enabled: !no_plan && plan.enabled.unwrap_or(true),
    shared: shared.or(plan.shared).unwrap_or_default(),
    reserve: plan.reserve.unwrap_or(d.reserve),
    folder,
    pin: globs("plan.pin", &plan.pin)?,
    prune_code: prune.code.unwrap_or(d.prune_code),
    prune_assets: prune.assets.unwrap_or(d.prune_assets),
    keep: globs("prune.keep", &prune.keep)?,
  })
}

/// wxpack.toml's text, for locating what is found wrong after parsing: `at` a span of it, or the
/// file alone when there is no file.
pub(super) fn toml_at(source: &Source, span: std::ops::Range<usize>) -> Location {
  if source.text().is_empty() {
    return Location::file(source.file());
  }
  source.at(Span::new(span.start, span.end))
}

pub(super) fn read_config_file(path: &Path) -> Result<(ConfigFile, String), Diagnostic> {
  let display = path.display().to_string();
  let text = std::fs::read_to_string(path).map_err(|e| {
    Diagnostic::error(Code::Io, format!("cannot read config file: {e}"))
      .at(Location::file(&display))
      .with_help("pass an existing file to --config, or remove the flag")
  })?;
  let file = toml::from_str(&text).map_err(|e| {
    let loc = match e.span() {
      Some(r) => Source::new(&display, &text).at(Span::new(r.start, r.end)),
      None => Location::file(&display),
    };
    Diagnostic::error(Code::InvalidToml, e.message().to_string())
      .at(loc)
      .with_help("every key is listed in docs/configuration.md")
  })?;
  Ok((file, text))
}

#[cfg(test)]
mod tests;
