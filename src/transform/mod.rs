//! Transform stage: the bytes each shipped file will have in the output.
//!
//! Runs over files in parallel and collects by index, so the result is deterministic. Two rules
//! hold for every kind: a file whose transformed form is not smaller ships as it was, and where
//! a minifier's output cannot be trusted the original (or a lossless fallback) ships and the
//! report says why.

pub mod es_level;
pub mod helpers;
pub mod image;
pub mod js;
pub mod json;
pub mod wxml;
pub mod wxss;

use rayon::prelude::*;
use serde::Serialize;

use crate::{
  config::{ImageConfig, JsTarget, MinifyConfig},
  diagnostic::{Code, Diagnostic, Location},
  graph::{Asset, AssetId, AssetKind, Graph},
  index_vec::IndexVec,
  mp_path::MpPath,
  progress::Progress,
  project::{Project, compile::Lang},
};

/// Why a file ships without its minifier's output (or with the lossless fallback's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fallback {
  pub reason: String,
  /// 1-based, when the minifier pointed at a place.
  pub line: Option<u32>,
  pub column: Option<u32>,
}

impl Fallback {
  pub fn new(reason: impl Into<String>) -> Self {
    Self { reason: reason.into(), line: None, column: None }
  }
}

/// One shipped file's output.
#[derive(Debug, Clone)]
pub struct Output {
  pub bytes: Vec<u8>,
  /// The size of the source file.
  pub size_in: u64,
  pub fallback: Option<Fallback>,
  /// `usingComponents` tags removed because the WXML never uses them.
  pub dropped_components: Vec<String>,
  /// The source map of minified JS, when asked for; written outside the mini program root.
  pub source_map: Option<Vec<u8>>,
  /// Images: the PSNR of a lossy result that shipped.
  pub psnr: Option<f64>,
  /// Images: the file could not be read (corrupt, or over the pixel budget).
  pub unreadable: bool,
  /// JS compiled (TypeScript, an ES module, lowered syntax), not only minified.
  pub compiled: bool,
  /// The shared helper modules the JS requires, by name (see [`js::helper_module`]).
  pub helpers: Vec<&'static str>,
  /// WXSS that was to be autoprefixed and ships (partly) without: the output keeps
  /// `setting.postcss` on so DevTools still adds them.
  pub unprefixed: bool,
  /// JS that ships as written although the platform cannot run it uncompiled (an ES module, or
  /// syntax above ES5 where the project compiles to ES5): the output keeps DevTools' compile on
  /// for it (see `emit::upload_settings`).
  pub devtools_compiles: bool,
}

impl Output {
  /// The output of a file shipped as `bytes`, nothing noted.
  pub(crate) fn plain(bytes: Vec<u8>, size_in: u64) -> Self {
    Self {
      bytes,
      size_in,
      fallback: None,
      dropped_components: Vec::new(),
      source_map: None,
      psnr: None,
      unreadable: false,
      devtools_compiles: false,
      compiled: false,
      helpers: Vec::new(),
      unprefixed: false,
    }
  }
}

/// `files[asset id]` is `Some` for every file that ships.
#[derive(Debug)]
pub struct Outputs {
  pub files: IndexVec<AssetId, Option<Output>>,
  /// The module of each helper the files require.
  pub helpers: helpers::Modules,
  /// What each file weighs before the planner decides where it ships: its bytes, with the
  /// helpers it requires counted as inlined, which is what a file alone in its package gets.
  weights: IndexVec<AssetId, u64>,
  /// Image cache entries found damaged, ignored and rewritten.
  pub damaged_cache_entries: usize,
}

impl Outputs {
  pub fn get(&self, file: AssetId) -> Option<&Output> {
    self.files.get(file).and_then(Option::as_ref)
  }

  /// What `file` weighs before the planner decides where it ships (see `weights`).
  pub fn weight(&self, file: AssetId) -> Option<u64> {
    self.get(file).map(|_| self.weights[file])
  }

  /// What each file of the graph weighs for the planner: its first-pass weight when it ships,
  /// its source size when it was left out (`pruned`), else nothing.
  pub fn sizes(&self, project: &Project, graph: &Graph, pruned: &IndexVec<AssetId, bool>) -> IndexVec<AssetId, u64> {
    graph
      .assets
      .iter_enumerated()
      .map(|(i, a)| match self.weight(i) {
        Some(n) => n,
        None if pruned.get(i).copied().unwrap_or(false) => project.files.get(&a.path).map_or(0, |f| f.size),
        None => 0,
      })
      .collect()
  }
}

/// The first pass: every file that ships, from its source, at its source path; `skip[file]`
/// (pruned by the planner) leaves a file out.
pub fn run(
  project: &Project,
  graph: &Graph,
  skip: &IndexVec<AssetId, bool>,
  config: &MinifyConfig,
  images: &ImageConfig,
  progress: &Progress,
) -> Result<Outputs, Vec<Diagnostic>> {
  let css = wxss::Css::of(config);
  let cache = image::cache::Cache::new(images.cache_dir.as_deref().filter(|_| images.options.enabled));
  let fingerprint = images.options.fingerprint();
  let results: Vec<Result<Option<Output>, Diagnostic>> = graph
    .assets
    .as_raw()
    .par_iter()
    .map(|asset| {
      if !project.files.get(&asset.path).is_some_and(|f| f.ships() && !skip[asset.id]) {
        return Ok(None);
      }
      let original = project.read_bytes(&asset.path)?.to_vec();
      let out = if asset.kind == AssetKind::Image {
        optimize_image(original, images, &cache, &fingerprint)
      } else {
        let compile = Compile::of(project, &asset.path, config);
        let route = helpers::prefix(project, &asset.path, project.package_of(&asset.path), config)
          .map(helpers::Route::all_shared);
        transform(graph, asset, compile, route.as_ref().map(helpers::Route::shared), config, css, original)
          .map_err(|d| located(project, asset, d))?
      };
      progress.inc();
      Ok(Some(out))
    })
    .collect();
  let mut files: IndexVec<AssetId, Option<Output>> = IndexVec::with_capacity(results.len());
  let mut errors = Vec::new();
  for r in results {
    match r {
      Ok(o) => {
        files.push(o);
      }
      Err(d) => {
        errors.push(d);
        files.push(None);
      }
    }
  }
  if !errors.is_empty() {
    return Err(errors);
  }
  let helpers = helpers::Modules::of(files.iter().flatten().flat_map(|o| &o.helpers), config).map_err(|d| vec![d])?;
  let weights = graph
    .assets
    .iter()
    .zip(&files)
    .map(|(asset, o)| {
      o.as_ref().map_or(0, |o| {
        let bytes = o.bytes.len() as u64;
        if o.helpers.is_empty() {
          return bytes;
        }
        let prefix = helpers::prefix(project, &asset.path, project.package_of(&asset.path), config);
        bytes + helpers.inlined_minus_required(&o.helpers, prefix.as_deref().unwrap_or_default())
      })
    })
    .collect();
  Ok(Outputs { files, helpers, weights, damaged_cache_entries: cache.bad() })
}

/// A transform error names the source file as the user knows it.
pub(crate) fn located(project: &Project, asset: &Asset, mut d: Diagnostic) -> Diagnostic {
  d.location = Some(Location::file(project.display(&asset.path)));
  d
}

/// How a JS file is compiled: TypeScript or not, lowered to ES5 or not.
#[derive(Debug, Clone, Copy, Default)]
pub struct Compile {
  pub typescript: bool,
  pub es5: bool,
}

impl Compile {
  /// What `path` needs: TypeScript when it is compiled from `.ts`; ES5 when the project asks
  /// (`js_target`), except under `babelSetting.ignore`.
  pub fn of(project: &Project, path: &MpPath, config: &MinifyConfig) -> Self {
    let file = project.files.get(path);
    let typescript = file.and_then(|f| f.compiled.as_ref()).is_some_and(|c| c.lang == Lang::TypeScript);
    let ignored = project.config.babel_ignore.iter().any(|dir| path.is_within(dir));
    let es5 = match config.js_target {
      JsTarget::Auto => project.config.es5 && !ignored,
      JsTarget::Es5 => true,
      JsTarget::Source => false,
    };
    Self { typescript, es5 }
  }
}

/// One file through its minifier (and compiler): the first pass and the rewrite stage both
/// use it.
pub(crate) fn transform(
  graph: &Graph,
  asset: &Asset,
  compile: Compile,
  helpers: Option<js::Shared>,
  config: &MinifyConfig,
  css: wxss::Css,
  original: Vec<u8>,
) -> Result<Output, Diagnostic> {
  let size_in = original.len() as u64;
  let text = std::str::from_utf8(&original).ok();
  let mut source_map = None;
  let mut used_helpers = Vec::new();
  let mut unprefixed = false;
  let map_name = config.source_maps.then(|| asset.path.as_str());
  let minify = |on: bool| on.then_some(config.js_options);
  let mut js = |src: &str, job: js::Job| match js::process(src, job, map_name) {
    Ok(Some(out)) => {
      source_map = out.map;
      used_helpers = out.helpers;
      if out.compiled {
        Minified::Compiled(out.code.into_bytes(), out.note)
      } else {
        Minified::Code(out.code.into_bytes(), out.note)
      }
    }
    Ok(None) => Minified::Untouched,
    Err(f) if job.typescript => Minified::Failed(f),
    Err(f) => Minified::Keep(f),
  };
  let minified = match (asset.kind, text) {
    (AssetKind::Js, Some(src)) if asset.path.extension() == Some("js") => js(
      src,
      js::Job {
        dialect: js::Dialect::Js,
        typescript: compile.typescript,
        es5: compile.es5,
        minify: minify(config.js),
        helpers,
      },
    ),
    (AssetKind::Wxs, Some(src)) if config.js => js(src, js::Job::minify(js::Dialect::Wxs, config.js_options)),
    (AssetKind::Wxss, Some(src)) if config.wxss => {
      let sheet = wxss::minify(src, css);
      unprefixed = sheet.unprefixed;
      // Prefixed for DevTools' postcss, the output is what would upload, whatever its size.
      if css.autoprefix {
        Minified::Prefixed(sheet.code.into_bytes(), sheet.fallback)
      } else {
        Minified::Code(sheet.code.into_bytes(), sheet.fallback)
      }
    }
    (AssetKind::Wxml, Some(src)) if config.wxml => {
      let wxs = |body: &str| js::minify(body, js::Dialect::Wxs, config.js_options).ok();
      let (code, fallback) = wxml::minify(src, &wxs);
      Minified::Code(code.into_bytes(), fallback)
    }
    (AssetKind::Json, Some(src)) if config.json => {
      let unused = graph.unused_tags.get(&asset.id).filter(|_| config.prune_components);
      match json::minify(src, unused.map(Vec::as_slice)) {
        Some((code, dropped)) => Minified::Json(code, dropped),
        None => Minified::Untouched,
      }
    }
    _ => Minified::Untouched,
  };
  let base = Output { unprefixed, ..Output::plain(Vec::new(), size_in) };
  Ok(match minified {
    Minified::Prefixed(bytes, fallback) => Output { bytes, fallback, ..base },
    // Compiled code ships whatever its size: the platform cannot run the source.
    Minified::Compiled(bytes, fallback) => {
      Output { bytes, source_map, fallback, compiled: true, helpers: used_helpers, ..base }
    }
    Minified::Failed(f) => {
      let mut d = Diagnostic::error(Code::Compile, format!("cannot compile TypeScript: {}", f.reason));
      d.location = Some(Location::file(asset.path.to_string()));
      return Err(d.with_help("DevTools' TypeScript compiler would reject this file too; fix its syntax"));
    }
    Minified::Code(code, fallback) if code.len() < original.len() => {
      Output { bytes: code, source_map, fallback, helpers: used_helpers, ..base }
    }
    Minified::Code(_, fallback) => Output { bytes: original, fallback, ..base },
    Minified::Json(code, dropped) if code.len() < original.len() => {
      Output { bytes: code, dropped_components: dropped, ..base }
    }
    Minified::Json(..) | Minified::Untouched => Output { bytes: original, ..base },
    Minified::Keep(fallback) => {
      let devtools_compiles = asset.kind == AssetKind::Js && text.is_some_and(|src| needs_compile(src, compile));
      Output { bytes: original, fallback: Some(fallback), devtools_compiles, ..base }
    }
  })
}

/// JS the platform cannot run as written: an ES module, or syntax above ES5 where the project
/// compiles to ES5.
fn needs_compile(src: &str, compile: Compile) -> bool {
  es_level::detect(src).is_some_and(|s| s.module || (compile.es5 && s.level > es_level::EsLevel::Es5))
}

/// Images go through the cache: a hit returns the stored result without decoding anything.
fn optimize_image(original: Vec<u8>, images: &ImageConfig, cache: &image::cache::Cache, fingerprint: &str) -> Output {
  let size_in = original.len() as u64;
  let result = if images.options.enabled {
    let key = image::cache::Cache::key(&original, fingerprint);
    cache.get(&key).unwrap_or_else(|| {
      let r = image::optimize(&original, &images.options);
      cache.put(&key, &r);
      r
    })
  } else {
    image::Optimized::default()
  };
  let fallback = result.note.map(Fallback::new);
  let bytes = result.bytes.filter(|b| b.len() < original.len()).unwrap_or(original);
  Output { fallback, psnr: result.psnr, unreadable: result.unreadable, ..Output::plain(bytes, size_in) }
}

/// What a minifier made of one file.
enum Minified {
  /// Compiled code (TypeScript, an ES module, lowered syntax): it must ship; and what the
  /// compiler could not do.
  Compiled(Vec<u8>, Option<Fallback>),
  /// TypeScript that does not compile.
  Failed(Fallback),
  /// New code, and why a lossless fallback produced it if one did.
  Code(Vec<u8>, Option<Fallback>),
  /// WXSS with the prefixes DevTools' postcss would add at upload: it ships whatever its size.
  Prefixed(Vec<u8>, Option<Fallback>),
  /// Compact JSON and the component tags dropped from it.
  Json(Vec<u8>, Vec<String>),
  /// The minifier's output cannot be trusted: ship the original.
  Keep(Fallback),
  /// Not a kind wxpack minifies (images, other assets), or minification is off.
  Untouched,
}
