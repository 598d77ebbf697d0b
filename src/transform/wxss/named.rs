//! What the app names, app-wide, that a stylesheet's at-rules and fonts answer to: the icons
//! (private-use code points, see [`fonts`]) and the words that can name an animation or a font
//! family (see [`unused::at_rules`]). Both are read from every shipped stylesheet once its
//! unused selectors are gone, so a rule taken out names nothing; the icons also from every JS,
//! WXS, WXML and JSON file (the words of those are [`Classes`]' already).

use rayon::prelude::*;
use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};

use super::{
  fonts::{self, Glyphs},
  unused::{self, Classes, at_rules},
};
use crate::{
  cache::{Key, Store},
  graph::{AssetKind, Graph},
  project::Project,
};

/// The stage's result: `None` where nothing needs it (no embedded font, no `@keyframes` or
/// `@font-face`, or that step is off).
#[derive(Debug, Default)]
pub struct Named {
  pub glyphs: Option<Glyphs>,
  /// Lower case.
  pub words: Option<FxHashSet<String>>,
}

/// One sheet's share, stored by its text and the classes ruled out in it.
#[derive(Default, Serialize, Deserialize)]
struct Sheet {
  points: Vec<u32>,
  words: Vec<String>,
}

impl Named {
  /// `classes`: unused selectors are taken out (and at-rules no one names with them);
  /// `subset_fonts`: embedded fonts are cut.
  pub fn of(project: &Project, graph: &Graph, classes: Option<&Classes>, subset_fonts: bool, store: &Store) -> Self {
    let shipped = || graph.assets.as_raw().par_iter().filter(|a| a.ships);
    let (faces, keyframes) = shipped()
      .filter(|a| a.kind == AssetKind::Wxss)
      .filter_map(|a| project.read_bytes(&a.path).ok())
      .map(|b| (fonts::has_font_face(&b), has_keyframes(&b)))
      .reduce(|| (false, false), |a, b| (a.0 || b.0, a.1 || b.1));
    let glyphs = subset_fonts && faces;
    let words = classes.is_some() && (faces || keyframes);
    if !glyphs && !words {
      return Self::default();
    }
    let (points, names) = shipped()
      .filter(|a| {
        a.kind == AssetKind::Wxss
          || (glyphs && matches!(a.kind, AssetKind::Js | AssetKind::Wxml | AssetKind::Wxs | AssetKind::Json))
      })
      .filter_map(|a| Some((a.kind, project.read_bytes(&a.path).ok()?)))
      .fold(<(FxHashSet<u32>, FxHashSet<String>)>::default, |(mut points, mut names), (kind, bytes)| {
        let text = String::from_utf8_lossy(&bytes);
        if kind == AssetKind::Wxss {
          let sheet = sheet(&text, classes, store);
          points.extend(sheet.points);
          names.extend(sheet.words);
        } else {
          fonts::points::scan(&text, &mut points);
        }
        (points, names)
      })
      .reduce(Default::default, |mut a, b| {
        a.0.extend(b.0);
        a.1.extend(b.1);
        a
      });
    Self { glyphs: glyphs.then(|| Glyphs::from_points(points)), words: words.then_some(names) }
  }
}

pub(crate) fn has_keyframes(sheet: &[u8]) -> bool {
  sheet.windows(9).any(|w| w.eq_ignore_ascii_case(b"keyframes"))
}

/// What one sheet names once its unused selectors are gone, through the cache: a rebuild does
/// not read the pruned sheet again.
fn sheet(text: &str, classes: Option<&Classes>, store: &Store) -> Sheet {
  let out = classes.map(|c| unused::ruled_out(store, text, c)).unwrap_or_default();
  let key = Key::builder("sheet-named").part(text.as_bytes()).part(out.join("\n").as_bytes()).finish();
  if let Some(sheet) = store.get_small(&key).and_then(|b| serde_json::from_slice(&b).ok()) {
    return sheet;
  }
  let pruned = classes.filter(|_| !out.is_empty()).and_then(|c| unused::prune_cached(store, text, c));
  let text = pruned.as_ref().map_or(text, |p| &p.text);
  let (mut points, mut words) = (FxHashSet::default(), FxHashSet::default());
  fonts::scan_sheet(text, &mut points);
  at_rules::words(text, &mut words);
  let sheet = Sheet { points: points.into_iter().collect(), words: words.into_iter().collect() };
  if let Ok(json) = serde_json::to_vec(&sheet) {
    store.put_small(&key, &json);
  }
  sheet
}
