//! The transform stage's use of the build cache ([`crate::cache`]): one file's output, keyed by
//! its bytes and everything else its minifier reads, so an unchanged file is not parsed,
//! compiled or minified again; and an image's recompression, keyed by its bytes and the image
//! options. What comes back is what the minifier would have returned, byte for byte.

use serde::{Deserialize, Serialize};

use super::{Compile, Fallback, Output, image, js, transform, wxss};
use crate::{
  cache::{Key, Store, pack, unpack},
  config::{ImageOptions, MinifyConfig},
  diagnostic::Diagnostic,
  graph::{Asset, Graph},
};

/// [`transform`], through the cache. A file that does not transform (a compile error) is not
/// stored: it stops the build.
#[allow(clippy::too_many_arguments)]
pub(crate) fn transformed(
  store: &Store,
  graph: &Graph,
  asset: &Asset,
  compile: Compile,
  helpers: Option<js::Shared>,
  config: &MinifyConfig,
  css: wxss::Css,
  original: Vec<u8>,
) -> Result<Output, Diagnostic> {
  let unused = graph.unused_tags.get(&asset.id).map(|t| t.join("\n")).unwrap_or_default();
  let key = Key::builder("transform")
    // The path names the source map and decides what a `.js` file is; the rest is what the
    // minifiers read.
    .part(asset.path.as_str().as_bytes())
    .part(format!("{:?}|{compile:?}|{helpers:?}|{config:?}|{css:?}", asset.kind).as_bytes())
    .part(unused.as_bytes())
    .part(&original)
    .finish();
  if let Some(out) = store.get_small(&key).and_then(read) {
    return Ok(out);
  }
  let out = transform(graph, asset, compile, helpers, config, css, original)?;
  if let Some(payload) = write(&out) {
    store.put_small(&key, &payload);
  }
  Ok(out)
}

/// An [`Output`] but its bytes, as stored.
#[derive(Serialize, Deserialize)]
struct Meta {
  size_in: u64,
  fallback: Option<Fallback>,
  dropped_components: Vec<String>,
  source_map: Option<String>,
  psnr: Option<f64>,
  unreadable: bool,
  compiled: bool,
  helpers: Vec<String>,
  unprefixed: bool,
  devtools_compiles: bool,
}

fn write(o: &Output) -> Option<Vec<u8>> {
  let source_map = match &o.source_map {
    Some(m) => Some(String::from_utf8(m.clone()).ok()?),
    None => None,
  };
  let meta = Meta {
    size_in: o.size_in,
    fallback: o.fallback.clone(),
    dropped_components: o.dropped_components.clone(),
    source_map,
    psnr: o.psnr,
    unreadable: o.unreadable,
    compiled: o.compiled,
    helpers: o.helpers.iter().map(|h| h.to_string()).collect(),
    unprefixed: o.unprefixed,
    devtools_compiles: o.devtools_compiles,
  };
  pack(&meta, &o.bytes)
}

fn read(payload: Vec<u8>) -> Option<Output> {
  let (m, bytes): (Meta, Vec<u8>) = unpack(payload)?;
  // Helper names are the compiler's own: one this build does not know is not its entry.
  let helpers = m.helpers.iter().map(|h| js::helper_imports::def(h).map(|d| d.local)).collect::<Option<Vec<_>>>()?;
  Some(Output {
    bytes,
    size_in: m.size_in,
    fallback: m.fallback,
    dropped_components: m.dropped_components,
    source_map: m.source_map.map(String::into_bytes),
    psnr: m.psnr,
    unreadable: m.unreadable,
    compiled: m.compiled,
    helpers,
    unprefixed: m.unprefixed,
    devtools_compiles: m.devtools_compiles,
    // Decided before the lookup, from the app's classes: set by the caller.
    unused_css: super::wxss::unused::Unused::default(),
    fonts: Vec::new(),
  })
}

/// [`image::optimize`], through the cache.
pub(crate) fn image(store: &Store, original: &[u8], options: &ImageOptions) -> image::Optimized {
  let key = Key::builder("image").part(format!("{options:?}").as_bytes()).part(original).finish();
  let stored = store.get(&key).and_then(unpack::<(image::Optimized, bool)>);
  if let Some(((mut result, has_bytes), bytes)) = stored {
    result.bytes = has_bytes.then_some(bytes);
    return result;
  }
  let result = image::optimize(original, options);
  if let Some(payload) = pack(&(&result, result.bytes.is_some()), result.bytes.as_deref().unwrap_or_default()) {
    store.put(&key, &payload);
  }
  result
}
