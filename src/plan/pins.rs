//! Pins: files the planner must leave where they are, and ship even if nothing reaches them.
//!
//! Static references are followed and rewritten when their target moves. Paths computed at run
//! time are not, so what they may name stays put:
//! - a computed `require` with a static start (`require('./locales/' + lang)`) pins every file
//!   under that start; one with no static start pins its own npm package's JS when it sits in
//!   `miniprogram_npm`, and anywhere else may load any module, so every JS file is pinned
//!   (DevTools' build-npm loader is not computed: see `graph::npm_loader`);
//! - a `{{ }}` image path with a static start (`/images/{{name}}.png`) pins the files under it;
//! - an asset path written in code (`icon: '/images/home.png'` in page data) pins that asset;
//! - a file that computes or writes a *relative* path is pinned itself: moving it would change
//!   what the path means;
//! - `plan.pin` globs pin what they match.
//!
//! Only files that ship and can run count as holders: those reached from app.json, kept by
//! `prune.keep`, or pinned themselves (a locale bundle loaded by a computed require).

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::Globs;
pub use crate::graph::Site;
use crate::{
  graph::{AssetId, AssetKind, DynamicKind, Graph},
  index_vec::IndexVec,
  mp_path::MpPath,
  project::Project,
};

/// Why a file may not move (and ships even when unreferenced).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case", tag = "reason")]
pub enum Pin {
  /// `plan.pin` in wxpack.toml matches it.
  Config,
  /// A computed reference may load it.
  Computed { at: Site },
  /// It holds a computed relative reference, which would name other files if it moved.
  HoldsComputed { at: Site },
  /// Code writes its path where wxpack follows no reference.
  Mentioned { at: Site },
  /// It writes a relative asset path that wxpack does not follow.
  HoldsMention { at: Site },
  /// A `require` computed from nothing static may load any module.
  AnyModule { at: Site },
  /// It renders a template whose relative media path is resolved against it.
  RendersTemplate { at: Site },
}

/// The pins of a project, and what they switch off.
#[derive(Debug, Default)]
pub struct Pins {
  /// `pinned[file]`: the first reason found.
  pub pinned: IndexVec<AssetId, Option<Pin>>,
  /// Files kept by `prune.keep`; with the pinned ones, roots of the package they sit in.
  pub kept: IndexVec<AssetId, bool>,
  /// A `{{ }}` path with no static start: assets are never pruned.
  pub assets_unprunable: Option<Site>,
}

impl Pins {
  pub fn is_root(&self, file: AssetId) -> bool {
    self.kept[file] || self.pinned[file].is_some()
  }
}

const EXTERNAL: &[&str] = &["http:", "https:", "//", "data:", "wxfile:", "cloud:", "blob:"];

pub fn compute(project: &Project, graph: &Graph, pin: &Globs, keep: &Globs) -> Pins {
  let n = graph.assets.len();
  let mut pins =
    Pins { pinned: IndexVec::from_elem(None, n), kept: IndexVec::from_elem(false, n), assets_unprunable: None };
  for (i, a) in graph.assets.iter_enumerated() {
    // DevTools' unused-file filter never drops what packOptions.include names.
    pins.kept[i] = keep.is_match(&a.path) || project.config.include.iter().any(|r| r.matches(&a.path));
    if pin.is_match(&a.path) {
      pins.pinned[i] = Some(Pin::Config);
    }
  }
  let id = |p: &MpPath| graph.by_path.get(p).copied();
  // Computed references: their targets may themselves hold computed references, so repeat until
  // no new holder turns up.
  let mut done = vec![false; graph.unanalysable.len()];
  loop {
    let live = |pins: &Pins, f: AssetId| graph.reached[f] || pins.is_root(f);
    let mut changed = false;
    // Page URLs name pages, which never move.
    for (k, u) in graph.unanalysable.iter().enumerate().filter(|(_, u)| u.kind != DynamicKind::Navigate) {
      let Some(holder) = id(&u.at.file).filter(|&f| !done[k] && live(&pins, f)) else { continue };
      done[k] = true;
      changed = true;
      if u.prefix.as_deref().is_some_and(|p| EXTERNAL.iter().any(|e| p.starts_with(e))) {
        continue; // `https://cdn.example.com/{{name}}.png` names no local file
      }
      let Some(pattern) = u.prefix.as_deref().and_then(|p| pattern(project, &u.at.file, p)) else {
        match u.kind {
          DynamicKind::Require => {
            set(&mut pins, holder, Pin::HoldsComputed { at: u.at.clone() });
            // Inside an npm package, a computed require loads that package's own modules (a
            // loader, a plugin table); anywhere else it may load any module.
            let scope = npm_package(&u.at.file);
            for f in graph.assets.indices().filter(|&f| graph.assets[f].kind == AssetKind::Js) {
              match scope {
                Some(dir) if !graph.assets[f].path.as_str().starts_with(dir) => {}
                Some(_) => set(&mut pins, f, Pin::Computed { at: u.at.clone() }),
                None => set(&mut pins, f, Pin::AnyModule { at: u.at.clone() }),
              }
            }
          }
          DynamicKind::Asset | DynamicKind::Navigate => {
            pins.assets_unprunable.get_or_insert_with(|| u.at.clone());
          }
        }
        continue;
      };
      if pattern.relative {
        set(&mut pins, holder, Pin::HoldsComputed { at: u.at.clone() });
      }
      for (f, a) in graph.assets.iter_enumerated() {
        if a.path.as_str().starts_with(&pattern.start) {
          set(&mut pins, f, Pin::Computed { at: u.at.clone() });
        }
      }
    }
    if !changed {
      break;
    }
  }
  mentions(graph, &mut pins);
  contextual(graph, &mut pins);
  pins
}

/// A template's relative path means what it means only while the template, the pages that
/// render it and the files it names stay where they are.
fn contextual(graph: &Graph, pins: &mut Pins) {
  for c in &graph.contextual {
    let at = c.at.clone();
    if let Some(id) = graph.by_path.get(&at.file) {
      set(pins, *id, Pin::HoldsMention { at: at.clone() });
    }
    // A renderer nothing loads renders nothing: it may still be pruned.
    let live: Vec<AssetId> = c.renderers.iter().copied().filter(|&r| graph.reached[r] || pins.is_root(r)).collect();
    for r in live {
      set(pins, r, Pin::RendersTemplate { at: at.clone() });
    }
    for t in &c.targets {
      set(pins, *t, Pin::Mentioned { at: at.clone() });
    }
  }
}

/// The folder of the npm package `file` belongs to, with its trailing `/`:
/// `miniprogram_npm/@vant/weapp/` for `miniprogram_npm/@vant/weapp/common/utils.js`.
fn npm_package(file: &MpPath) -> Option<&str> {
  const NPM: &str = "miniprogram_npm/";
  let path = file.as_str();
  let start = path.rmatch_indices(NPM).map(|(i, _)| i).find(|&i| i == 0 || path[..i].ends_with('/'))?;
  let rest = path.get(start + NPM.len()..)?;
  let first = rest.find('/')?; // none: a file directly in miniprogram_npm belongs to no package
  let name = if rest.starts_with('@') { first + 1 + rest.get(first + 1..)?.find('/')? } else { first };
  path.get(..start + NPM.len() + name + 1)
}

fn set(pins: &mut Pins, file: AssetId, pin: Pin) {
  pins.pinned[file].get_or_insert(pin);
}

/// The paths a computed reference's static start can name: a string prefix of root-relative
/// paths, and whether it was written relative to its file.
struct Pattern {
  start: String,
  relative: bool,
}

fn pattern(project: &Project, file: &MpPath, prefix: &str) -> Option<Pattern> {
  let (base, relative) = if let Some(abs) = prefix.strip_prefix('/') {
    (MpPath::new(abs).ok()?, false)
  } else if let Some((k, v)) =
    project.app.resolve_alias.iter().filter(|(k, _)| prefix.starts_with(k.as_str())).max_by_key(|(k, _)| k.len())
  {
    (MpPath::new(&format!("{v}{}", &prefix[k.len()..])).ok()?, false)
  } else {
    (file.resolve(prefix).ok()?, true)
  };
  // `./locales/` names what is inside the folder; `./locales/zh` also `zh-tw.js` beside it.
  let mut start = base.as_str().to_string();
  if prefix.ends_with('/') && !start.is_empty() {
    start.push('/');
  }
  Some(Pattern { start, relative })
}

/// Pins the files that mentions name (only those that name something), and the holders of
/// relative mentions.
fn mentions(graph: &Graph, pins: &mut Pins) {
  let mut by_name: FxHashMap<&str, Vec<AssetId>> = FxHashMap::default();
  for (i, a) in graph.assets.iter_enumerated() {
    if !matches!(a.kind, AssetKind::Js | AssetKind::Wxss | AssetKind::Wxml | AssetKind::Wxs) {
      by_name.entry(a.path.file_name()).or_default().push(i);
    }
  }
  for m in &graph.mentions {
    let Some(&holder) = graph.by_path.get(&m.at.file) else { continue };
    if !(graph.reached[holder] || pins.is_root(holder)) {
      continue;
    }
    let mut rest = m.at.text.as_str();
    while let Some(r) = rest.strip_prefix("./").or_else(|| rest.strip_prefix("../")) {
      rest = r;
    }
    let name = rest.rsplit('/').next().unwrap_or(rest);
    let named: Vec<AssetId> = by_name
      .get(name)
      .into_iter()
      .flatten()
      .copied()
      .filter(|&f| {
        let path = graph.assets[f].path.as_str();
        match rest.strip_prefix('/') {
          Some(abs) => path == abs,
          None => path == rest || path.ends_with(&format!("/{rest}")),
        }
      })
      .collect();
    if named.is_empty() {
      continue;
    }
    for f in named {
      set(pins, f, Pin::Mentioned { at: m.at.clone() });
    }
    if m.is_relative() {
      set(pins, holder, Pin::HoldsMention { at: m.at.clone() });
    }
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn npm_package_folders() {
    let dir = |p: &str| npm_package(&MpPath::new(p).unwrap_or_else(|_| MpPath::root())).map(str::to_string);
    assert_eq!(dir("miniprogram_npm/@vant/weapp/common/utils.js").as_deref(), Some("miniprogram_npm/@vant/weapp/"));
    assert_eq!(dir("miniprogram_npm/dayjs/index.js").as_deref(), Some("miniprogram_npm/dayjs/"));
    assert_eq!(
      dir("pkg/miniprogram_npm/x/miniprogram_npm/y/i.js").as_deref(),
      Some("pkg/miniprogram_npm/x/miniprogram_npm/y/")
    );
    assert_eq!(dir("miniprogram_npm/index.js"), None);
    assert_eq!(dir("my_miniprogram_npm/x/i.js"), None);
    assert_eq!(dir("utils/loader.js"), None);
  }
}
