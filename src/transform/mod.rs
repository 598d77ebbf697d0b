//! Transform stage: the bytes each shipped file will have in the output, in two passes around
//! the planner. [`first_pass`] minifies every file that ships at its source path, which gives
//! the planner the sizes it weighs; [`second_pass`] gives each planned instance its output: the
//! first pass's, or, where the plan rewrote its references or moved its helpers, its source
//! with the plan's edits applied, through the same minifier again ([`transform`]).
//!
//! Runs over files in parallel and collects by index, so the result is deterministic. Two rules
//! hold for every kind: a file whose transformed form is not smaller ships as it was, and where
//! a minifier's output cannot be trusted the original (or a lossless fallback) ships and the
//! report says why.

mod cached;
pub mod es_level;
pub mod first_pass;
pub mod helper_modules;
pub mod image;
pub mod js;
pub mod json;
pub mod second_pass;
pub mod wxml;
pub mod wxss;

pub use first_pass::{Outputs, first_pass};
pub use second_pass::{Origin, Shipped, second_pass};

use serde::Serialize;

use crate::{
  config::{JsTarget, MinifyConfig},
  diagnostic::{Code, Diagnostic, Location},
  graph::{Asset, AssetKind, Graph},
  mp_path::MpPath,
  project::{Project, compile::Lang},
};

/// Why a file ships without its minifier's output (or with the lossless fallback's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Fallback {
  pub cause: Cause,
  /// What happened, in a sentence.
  pub reason: String,
  /// 1-based, when the minifier pointed at a place.
  pub line: Option<u32>,
  pub column: Option<u32>,
}

impl Fallback {
  pub fn new(cause: Cause, reason: impl Into<String>) -> Self {
    Self { cause, reason: reason.into(), line: None, column: None }
  }
}

/// The one answer to "why does this file ship as written?" (or as the lossless fallback wrote
/// it): the report's `fallbacks[].cause`, stable for tools to group on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cause {
  /// The minifier (or the image decoder) cannot read it.
  Unparsable,
  /// The minifier's output would not do or read the same (a CSS value, a WXML tag, a WXS
  /// identifier, a directive, a pattern its lowering gets wrong).
  ChangesMeaning,
  /// The output would need syntax above the file's level.
  RaisesSyntax,
  /// It nests deeper than wxpack minifies.
  TooDeep,
  /// A lossy result fell under its quality floor (`images.png_min_psnr`).
  BelowQuality,
  /// The minifier failed or broke its own output: a bug in it or in wxpack.
  ToolFault,
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
  /// WXSS: the selectors taken out because no element of the app can match them.
  pub unused_css: wxss::unused::Unused,
  /// WXSS: its embedded fonts, and what became of each.
  pub fonts: Vec<wxss::fonts::Font>,
  /// JS that ships as written although the platform cannot run it uncompiled (an ES module, or
  /// syntax above ES5 where the project compiles to ES5): the output keeps DevTools' compile on
  /// for it (see `emit::Emitted`).
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
      unused_css: wxss::unused::Unused::default(),
      fonts: Vec::new(),
    }
  }
}

/// A WXSS file's text without the selectors no element can match and with its embedded fonts
/// cut to the glyphs the app shows (as far as `styles` says), what was taken out, and each
/// font's fate; any other file as it is.
pub(crate) fn slimmed(
  styles: &wxss::Styles,
  store: &crate::cache::Store,
  asset: &Asset,
  bytes: Vec<u8>,
) -> (Vec<u8>, wxss::unused::Unused, Vec<wxss::fonts::Font>) {
  let none = wxss::unused::Unused::default();
  if asset.kind != AssetKind::Wxss {
    return (bytes, none, Vec::new());
  }
  let Ok(original) = std::str::from_utf8(&bytes) else { return (bytes, none, Vec::new()) };
  let pruned = styles.classes.as_ref().and_then(|classes| wxss::unused::prune_cached(store, original, classes));
  let (mut text, mut unused) = match pruned {
    Some(p) => {
      let removed = (bytes.len() - p.text.len()) as u64;
      (p.text, wxss::unused::Unused { bytes: removed, removed: p.removed })
    }
    None => (original.to_string(), none),
  };
  // Only a sheet that declares a name can lose one: most are not parsed for it.
  let declares = wxss::named::has_keyframes(text.as_bytes()) || wxss::fonts::has_font_face(text.as_bytes());
  if let (Some(classes), Some(words), true) = (&styles.classes, &styles.words, declares) {
    let named = |name: &str| words.contains(&name.to_ascii_lowercase()) || classes.can_be(name);
    if let Some((kept, mut removed)) = wxss::unused::at_rules::drop_unnamed(&text, &named) {
      wxss::unused::at_rules::relocate(original, &mut removed);
      unused.bytes += (text.len() - kept.len()) as u64;
      unused.removed.extend(removed);
      unused.removed.sort_by_key(|r| r.line);
      text = kept;
    }
  }
  let Some(glyphs) = &styles.glyphs else { return (text.into_bytes(), unused, Vec::new()) };
  let embedded = wxss::fonts::subset(&text, glyphs, store);
  (embedded.text.unwrap_or(text).into_bytes(), unused, embedded.fonts)
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
    Ok(None) => Minified::Skipped,
    Err(f) if job.typescript => Minified::Failed(f),
    Err(f) => Minified::AsWritten(f),
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
        None => Minified::Skipped,
      }
    }
    _ => Minified::Skipped,
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
    Minified::Json(..) | Minified::Skipped => Output { bytes: original, ..base },
    Minified::AsWritten(fallback) => {
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
  /// The minifier's output cannot be trusted: the file ships as written, for the fallback's
  /// cause.
  AsWritten(Fallback),
  /// Not a kind wxpack minifies (images, other assets), or minification is off.
  Skipped,
}
