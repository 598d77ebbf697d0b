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
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::{
  config::{ImageConfig, JsTarget, MinifyConfig},
  diagnostic::{Code, Diagnostic, Location},
  graph::{Asset, AssetId, AssetKind, Graph},
  mp_path::MpPath,
  plan::{Edit, Instance, PackagePlan},
  progress::Progress,
  project::{PackageId, Project, compile::Lang},
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
}

impl Output {
  /// The output of a file shipped as `bytes`, nothing noted.
  fn plain(bytes: Vec<u8>, size_in: u64) -> Self {
    Self {
      bytes,
      size_in,
      fallback: None,
      dropped_components: Vec::new(),
      source_map: None,
      psnr: None,
      unreadable: false,
      compiled: false,
      helpers: Vec::new(),
      unprefixed: false,
    }
  }
}

/// `files[asset id]` is `Some` for every file that ships.
#[derive(Debug)]
pub struct Outputs {
  pub files: Vec<Option<Output>>,
  /// The module of each helper the files require.
  pub helpers: helpers::Modules,
  /// What each file weighs before the planner decides where it ships: its bytes, with the
  /// helpers it requires counted as inlined, which is what a file alone in its package gets.
  weights: Vec<u64>,
}

impl Outputs {
  pub fn get(&self, index: usize) -> Option<&Output> {
    self.files.get(index).and_then(Option::as_ref)
  }

  /// What file `index` weighs before the planner decides where it ships (see `weights`).
  pub fn weight(&self, index: usize) -> Option<u64> {
    self.get(index).map(|_| self.weights[index])
  }
}

/// The first pass: every file that ships, from its source, at its source path; `skip[file]`
/// (pruned by the planner) leaves a file out.
pub fn run(
  project: &Project,
  graph: &Graph,
  skip: &[bool],
  config: &MinifyConfig,
  images: &ImageConfig,
  progress: &Progress,
) -> Result<Outputs, Vec<Diagnostic>> {
  let css = wxss::Css::of(project, config);
  let cache = image::cache::Cache::new(images.cache_dir.as_deref().filter(|_| images.options.enabled));
  let fingerprint = images.options.fingerprint();
  let results: Vec<Result<Option<Output>, Diagnostic>> = graph
    .assets
    .par_iter()
    .map(|asset| {
      let Some(file) = project.files.get(&asset.path).filter(|f| f.ships() && !skip[asset.id.index()]) else {
        return Ok(None);
      };
      let original = match project.compiled_css.get(&asset.path) {
        Some(css) => css.clone().into_bytes(),
        None => std::fs::read(&file.os_path).map_err(|e| {
          Diagnostic::error(Code::Io, format!("cannot read: {e}")).at(Location::file(project.display(&asset.path)))
        })?,
      };
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
  let mut files = Vec::with_capacity(results.len());
  let mut errors = Vec::new();
  for r in results {
    match r {
      Ok(o) => files.push(o),
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
  Ok(Outputs { files, helpers, weights })
}

/// One file of the output project: an instance of a source file, or a module wxpack wrote (a
/// shared helper), and its bytes.
#[derive(Debug, Clone)]
pub struct Shipped {
  pub origin: Origin,
  pub kind: AssetKind,
  pub package: PackageId,
  /// Where it ships: its source path, or where the planner moved or copied it.
  pub path: MpPath,
  pub output: Output,
}

/// The second pass: each planned instance gets its first-pass output, or, when the planner
/// rewrote references in it, the output of its rewritten source. Sorted by path.
pub fn finish(
  project: &Project,
  graph: &Graph,
  plan: &PackagePlan,
  outputs: Outputs,
  config: &MinifyConfig,
) -> Result<Vec<Shipped>, Vec<Diagnostic>> {
  let css = wxss::Css::of(project, config);
  let helpers_of = |f: usize| outputs.get(f).map_or(&[][..], |o| o.helpers.as_slice());
  let sharing = helpers::Sharing::compute(project, &plan.instances, helpers_of, &outputs.helpers, config);
  let route = |f: usize, inst: &Instance| sharing.route(project, helpers_of(f), inst, config);
  // Files whose helpers change (inlined, or required from elsewhere) are compiled again.
  let helpers_moved = |f: usize, inst: &Instance| {
    let path = &graph.assets[f].path;
    let first = helpers::prefix(project, path, project.package_of(path), config).map(helpers::Route::all_shared);
    !helpers_of(f).is_empty() && route(f, inst) != first
  };
  let jobs: Vec<(usize, usize, &Instance)> = plan
    .instances
    .iter()
    .enumerate()
    .flat_map(|(f, all)| all.iter().enumerate().map(move |(k, i)| (f, k, i)))
    .filter(|&(f, _, i)| !i.edits.is_empty() || helpers_moved(f, i))
    .collect();
  let results: Vec<Result<Redone, Diagnostic>> = jobs
    .par_iter()
    .map(|&(f, k, inst)| {
      let asset = &graph.assets[f];
      let src = project.read_text(&asset.path)?;
      let size_in = src.len() as u64;
      let compile = Compile::of(project, &asset.path, config);
      let route = route(f, inst);
      let src = apply(&src, &inst.edits).into_bytes();
      let mut out = transform(graph, asset, compile, route.as_ref().map(helpers::Route::shared), config, css, src)
        .map_err(|d| located(project, asset, d))?;
      out.size_in = size_in;
      Ok(((f, k), out))
    })
    .collect();
  let mut errors = Vec::new();
  let mut redone: FxHashMap<(usize, usize), Output> = FxHashMap::default();
  for r in results {
    match r {
      Ok((key, out)) => {
        redone.insert(key, out);
      }
      Err(d) => errors.push(d),
    }
  }
  if !errors.is_empty() {
    return Err(errors);
  }
  let mut first = outputs.files;
  let mut shipped = Vec::new();
  for (f, all) in plan.instances.iter().enumerate() {
    for (k, inst) in all.iter().enumerate() {
      let output = match redone.remove(&(f, k)) {
        Some(o) => Some(o),
        // The last instance takes the first-pass output; earlier ones copy it.
        None if k + 1 == all.len() => first[f].take(),
        None => first[f].clone(),
      }
      .ok_or_else(|| vec![Diagnostic::error(Code::Internal, format!("no output for {}", inst.path))])?;
      shipped.push(Shipped {
        origin: Origin::Source(AssetId(u32::try_from(f).unwrap_or(u32::MAX))),
        kind: graph.assets[f].kind,
        package: inst.package,
        path: inst.path.clone(),
        output,
      });
    }
  }
  let helpers = sharing.modules(project, &shipped, &outputs.helpers, config).map_err(|d| vec![d])?;
  shipped.extend(helpers);
  shipped.sort_by(|a, b| a.path.cmp(&b.path));
  Ok(shipped)
}

/// Where a shipped file comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
  Source(AssetId),
  /// A shared helper module wxpack wrote, by name (`_create_class`).
  Helper(&'static str),
}

impl Shipped {
  /// The source file, unless wxpack wrote this one.
  pub fn asset(&self) -> Option<AssetId> {
    match self.origin {
      Origin::Source(a) => Some(a),
      Origin::Helper(_) => None,
    }
  }
}

/// A transform error names the source file as the user knows it.
fn located(project: &Project, asset: &Asset, mut d: Diagnostic) -> Diagnostic {
  d.location = Some(Location::file(project.display(&asset.path)));
  d
}

/// A rewritten instance's output, keyed by (file, instance).
type Redone = ((usize, usize), Output);

/// `src` with each edit's span replaced (edits are sorted and never overlap).
fn apply(src: &str, edits: &[Edit]) -> String {
  let mut out = String::with_capacity(src.len() + 64);
  let mut at = 0;
  for e in edits {
    out.push_str(&src[at..e.span.start as usize]);
    out.push_str(&e.text);
    at = e.span.end as usize;
  }
  out.push_str(&src[at..]);
  out
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

fn transform(
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
    Minified::Keep(fallback) => Output { bytes: original, fallback: Some(fallback), ..base },
  })
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
