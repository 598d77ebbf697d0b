//! The first pass: every file that ships, at its source path, through its minifier, before the
//! planner decides where it ships; what each weighs is what the planner weighs.

use rayon::prelude::*;

use super::{Compile, Output, cached, helper_modules, image, located, slimmed, wxss};
use crate::{
  cache::Store,
  config::{ImageConfig, MinifyConfig},
  diagnostic::Diagnostic,
  graph::{AssetId, AssetKind, Graph},
  index_vec::IndexVec,
  progress::Progress,
  project::Project,
};

/// `files[asset id]` is `Some` for every file that ships.
#[derive(Debug)]
pub struct Outputs {
  pub files: IndexVec<AssetId, Option<Output>>,
  /// The module of each helper the files require.
  pub helpers: helper_modules::Modules,
  /// What each file weighs before the planner decides where it ships: its bytes, with the
  /// helpers it requires counted as inlined, which is what a file alone in its package gets.
  weights: IndexVec<AssetId, u64>,
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
      .map(|(i, _)| match self.weight(i) {
        Some(n) => n,
        None if pruned.get(i).copied().unwrap_or(false) => project.files[i].size,
        None => 0,
      })
      .collect()
  }
}

/// Every file that ships, from its source, at its source path; `skip[file]`
/// (pruned by the planner) leaves a file out; `styles` takes unused selectors and glyphs out of
/// each stylesheet first.
#[allow(clippy::too_many_arguments)]
pub fn first_pass(
  project: &Project,
  graph: &Graph,
  skip: &IndexVec<AssetId, bool>,
  config: &MinifyConfig,
  images: &ImageConfig,
  styles: &wxss::Styles,
  store: &Store,
  progress: &Progress,
) -> Result<Outputs, Vec<Diagnostic>> {
  let css = wxss::Css::of(config);
  let no_store = Store::none();
  let image_store = if images.cached { store } else { &no_store };
  let results: Vec<Result<Option<Output>, Diagnostic>> = graph
    .assets
    .as_raw()
    .par_iter()
    .map(|asset| {
      if !asset.ships || skip[asset.id] {
        return Ok(None);
      }
      let original = project.read_bytes(&asset.path)?.to_vec();
      let out = if asset.kind == AssetKind::Image {
        optimize_image(original, images, image_store)
      } else {
        let compile = Compile::of(project, &asset.path, config);
        let route = helper_modules::prefix(project, &asset.path, project.package_of(&asset.path), config)
          .map(helper_modules::Route::all_shared);
        let helpers = route.as_ref().map(helper_modules::Route::shared);
        let size_in = original.len() as u64;
        let (original, unused_css, fonts) = slimmed(styles, store, asset, original);
        let out = cached::transformed(store, graph, asset, compile, helpers, config, css, original)
          .map_err(|d| located(project, asset, d))?;
        Output { size_in, unused_css, fonts, ..out }
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
  let helpers =
    helper_modules::Modules::of(files.iter().flatten().flat_map(|o| &o.helpers), config, store).map_err(|d| vec![d])?;
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
        let prefix = helper_modules::prefix(project, &asset.path, project.package_of(&asset.path), config);
        bytes + helpers.inlined_minus_required(&o.helpers, prefix.as_deref().unwrap_or_default())
      })
    })
    .collect();
  Ok(Outputs { files, helpers, weights })
}

/// Images go through the cache: a hit returns the stored result without decoding anything.
fn optimize_image(original: Vec<u8>, images: &ImageConfig, store: &Store) -> Output {
  let size_in = original.len() as u64;
  let result =
    if images.options.enabled { cached::image(store, &original, &images.options) } else { image::Optimized::default() };
  let fallback = result.fallback;
  let bytes = result.bytes.filter(|b| b.len() < original.len()).unwrap_or(original);
  Output { fallback, psnr: result.psnr, unreadable: result.unreadable, ..Output::plain(bytes, size_in) }
}
