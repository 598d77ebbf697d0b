//! Byte-identical files within one package ship once: the same image saved under two names (a
//! copy per page, a library's and the app's) costs the package its bytes twice. Every reference
//! to a duplicate is re-spelt to the copy that ships, as a moved file's are: the layout shows
//! the keeper wherever a package looks for the duplicate.
//!
//! Only a file that re-spelt references are all that reach is folded: media and other non-code
//! files (never a script, whose module state is its own, nor a page's or a component's files),
//! reached only by WXML `src` and path attributes and WXSS `url()`, not pinned (no code names it
//! and no computed path may), not kept by configuration, and shipping in that one package only.
//! Files of a package are never folded into another's.

use rustc_hash::FxHashMap;

use super::place::Context;
use crate::{
  graph::{AssetId, AssetKind, DepKind, Graph},
  index_vec::IndexVec,
  project::PackageId,
};

/// Per file that may take part: its content hash, and whether it may be folded into another
/// (else it can only be the one the others become). What a file ships as depends on the layout;
/// all this does not, so it is found once per plan.
pub type Contents = IndexVec<AssetId, Option<Candidate>>;

#[derive(Clone, Copy)]
pub struct Candidate {
  hash: blake3::Hash,
  foldable: bool,
}

/// The files [`find`] may fold or keep (shipped media and other non-code files); none without
/// the planner. Folding a file renames it, as moving one does, so it follows the rules moves
/// follow: a pinned file stays (code names it, or a computed path with a static start may), and
/// a path computed from nothing static (`src="{{item.url}}"`) does not stop either, while it
/// does stop pruning, which removes the bytes themselves.
pub fn contents(ctx: &Context) -> Contents {
  let n = ctx.graph.assets.len();
  if !ctx.options.enabled {
    return IndexVec::from_elem(None, n);
  }
  // Files something other than a WXML or WXSS path reaches (app.json's tabBar icons, a module
  // `require`) are left as they are, and so are files nothing reaches: what ships unreferenced
  // (`prune.assets` off) may be loaded by a path no scan sees, and folding it would prune it.
  let (mut fixed, mut reached) = (IndexVec::from_elem(false, n), IndexVec::from_elem(false, n));
  for asset in &ctx.graph.assets {
    let markup = matches!(asset.kind, AssetKind::Wxml | AssetKind::Wxss);
    for dep in &asset.deps {
      reached[dep.target] = true;
      if !markup || !matches!(dep.kind, DepKind::Src | DepKind::Attr | DepKind::CssUrl) {
        fixed[dep.target] = true;
      }
    }
  }
  let candidate = |f: AssetId| {
    let asset = &ctx.graph.assets[f];
    if !matches!(asset.kind, AssetKind::Image | AssetKind::Other) || !(ctx.ships)(f) || ctx.pruned[f] {
      return None;
    }
    let hash = ctx.project.read_bytes(&asset.path).ok().map(|b| blake3::hash(&b))?;
    let foldable = reached[f] && !fixed[f] && ctx.pins.pinned[f].is_none() && !ctx.pins.kept[f];
    Some(Candidate { hash, foldable })
  };
  IndexVec::from_fn(n, candidate)
}

/// What a folded file ships as: `keeper`'s copy in `package`, the one package it shipped in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Same {
  pub keeper: AssetId,
  pub package: PackageId,
}

/// Duplicate -> the file that ships in its place; `packages(f)`: where `f` ships. A file folds
/// only when it ships in one package.
pub fn find(
  graph: &Graph,
  contents: &Contents,
  packages: impl Fn(AssetId) -> Vec<PackageId>,
) -> FxHashMap<AssetId, Same> {
  let path = |f: &AssetId| &graph.assets[*f].path;
  // Per package and content: the files, and whether each may fold.
  let mut groups: FxHashMap<(PackageId, blake3::Hash), Vec<(AssetId, bool)>> = FxHashMap::default();
  for (f, c) in contents.iter_enumerated() {
    let Some(c) = c else { continue };
    let homes = packages(f);
    let foldable = c.foldable && homes.len() == 1;
    for p in homes {
      groups.entry((p, c.hash)).or_default().push((f, foldable));
    }
  }
  let mut same = FxHashMap::default();
  for ((package, _), files) in groups.into_iter().filter(|(_, g)| g.len() > 1) {
    // What cannot go stays, and the first of it is what the rest become; else the first file.
    let stays = files.iter().filter(|(_, fold)| !fold).map(|&(f, _)| f).min_by_key(path);
    let Some(keeper) = stays.or_else(|| files.iter().map(|&(f, _)| f).min_by_key(path)) else { continue };
    for &(f, _) in files.iter().filter(|&&(f, fold)| fold && f != keeper) {
      same.insert(f, Same { keeper, package });
    }
  }
  same
}
