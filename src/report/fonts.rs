//! The report's icon fonts: each font embedded in a shipped stylesheet, cut or kept and why.

use serde::Serialize;

use crate::{mp_path::MpPath, transform::Shipped, transform::wxss::fonts::Font};

#[derive(Debug, Serialize, serde::Deserialize)]
pub struct IconFont {
  /// The stylesheet that embeds it.
  pub path: MpPath,
  #[serde(flatten)]
  pub font: Font,
}

/// Each shipped sheet's fonts, once per source file (a copy's fonts are cut the same).
pub fn icon_fonts(shipped: &[Shipped]) -> Vec<IconFont> {
  let mut seen = rustc_hash::FxHashSet::default();
  shipped
    .iter()
    .filter(|s| !s.output.fonts.is_empty() && seen.insert(s.asset()))
    .flat_map(|s| s.output.fonts.iter().map(|f| IconFont { path: s.path.clone(), font: f.clone() }))
    .collect()
}
