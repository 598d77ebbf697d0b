//! One font cut to the code points a project can show: skera (fontations' port of HarfBuzz's
//! subsetter) does the cutting, and skrifa checks the result before it is used.

use read_fonts::{
  FontRef, TableProvider,
  collections::IntSet,
  types::{GlyphId, NameId, Tag},
};
use rustc_hash::FxHashSet;
use skera::{Plan, SubsetFlags, subset_font};
use skrifa::{
  MetadataProvider,
  instance::{LocationRef, Size},
  outline::{DrawSettings, OutlinePen},
};

use super::{Kept, points::private};

/// The tables wxpack lets skera cut; a font with any other keeps every glyph, as written.
const CUT: [&[u8; 4]; 17] = [
  b"cmap", b"head", b"hhea", b"hmtx", b"maxp", b"name", b"OS/2", b"post", b"glyf", b"loca", b"cvt ", b"fpgm", b"prep",
  b"gasp", b"GSUB", b"GPOS", b"GDEF",
];
/// Tables no renderer reads: a font editor's time stamp, a signature the cut breaks anyway.
const DROP: [&[u8; 4]; 4] = [b"FFTM", b"DSIG", b"LTSH", b"PCLT"];

/// Why a font stays whole, and the table that kept it when one did.
pub struct Why(pub Kept, pub Option<String>);

impl From<Kept> for Why {
  fn from(kept: Kept) -> Self {
    Self(kept, None)
  }
}

/// What a cut made.
pub struct Cut {
  pub sfnt: Vec<u8>,
  pub glyphs_in: u32,
  pub glyphs_out: u32,
}

/// `sfnt` with only the glyphs a code point in `shown` (or any code point that is not private
/// use) reaches, or why it stays whole.
pub fn cut(sfnt: &[u8], shown: &FxHashSet<u32>) -> Result<Cut, Why> {
  let font = FontRef::new(sfnt).map_err(|_| Why::from(Kept::Unreadable))?;
  let glyphs_in = font.maxp().map_err(|_| Why::from(Kept::Unreadable))?.num_glyphs() as u32;
  let records = font.table_directory.table_records();
  if let Some(other) =
    records.iter().map(|r| r.tag()).find(|t| !CUT.contains(&&t.to_be_bytes()) && !DROP.contains(&&t.to_be_bytes()))
  {
    return Err(Why(Kept::Table, Some(other.to_string())));
  }
  let mut keep = IntSet::<u32>::empty();
  let (mut icons, mut dropped) = (0, 0);
  for (cp, _) in font.charmap().mappings() {
    icons += usize::from(private(cp));
    if !private(cp) || shown.contains(&cp) {
      keep.insert(cp);
    } else {
      dropped += 1;
    }
  }
  if icons == 0 {
    return Err(Kept::NoIcons.into());
  }
  if dropped == 0 {
    return Err(Kept::AllUsed.into());
  }
  let everything = |mut set: IntSet<Tag>| {
    set.invert();
    set
  };
  let mut names = IntSet::<NameId>::empty();
  names.invert();
  let mut languages = IntSet::<u16>::empty();
  languages.invert();
  let drop: IntSet<Tag> = DROP.iter().map(|t| Tag::new(t)).collect();
  let flags = SubsetFlags::SUBSET_FLAGS_NOTDEF_OUTLINE | SubsetFlags::SUBSET_FLAGS_NO_PRUNE_UNICODE_RANGES;
  let run = || {
    let plan = Plan::new(
      &IntSet::<GlyphId>::empty(),
      &keep,
      &font,
      flags,
      &drop,
      &everything(IntSet::empty()),
      &everything(IntSet::empty()),
      &names,
      &languages,
    );
    subset_font(&font, &plan)
  };
  let sfnt_out = run().map_err(|_| Why::from(Kept::Fault))?;
  let out = FontRef::new(&sfnt_out).map_err(|_| Why::from(Kept::Fault))?;
  let glyphs_out = out.maxp().map_err(|_| Why::from(Kept::Fault))?.num_glyphs() as u32;
  if !same_glyphs(&font, &out, &keep) {
    return Err(Kept::Changed.into());
  }
  Ok(Cut { sfnt: sfnt_out, glyphs_in, glyphs_out })
}

/// Every code point of `keep` the original maps draws the same outline with the same advance
/// in the cut font (composite glyphs drawn through their components).
pub fn same_glyphs(original: &FontRef, cut: &FontRef, keep: &IntSet<u32>) -> bool {
  let (outlines_a, outlines_b) = (original.outline_glyphs(), cut.outline_glyphs());
  let metrics_a = original.glyph_metrics(Size::unscaled(), LocationRef::default());
  let metrics_b = cut.glyph_metrics(Size::unscaled(), LocationRef::default());
  let charmap_b = cut.charmap();
  original.charmap().mappings().filter(|(cp, _)| keep.contains(*cp)).all(|(cp, gid_a)| {
    let Some(gid_b) = charmap_b.map(cp) else { return false };
    metrics_a.advance_width(gid_a) == metrics_b.advance_width(gid_b)
      && draw(&outlines_a, gid_a) == draw(&outlines_b, gid_b)
  })
}

/// A glyph's outline as a list of commands and coordinates; `None` for no outline at all.
fn draw(outlines: &skrifa::OutlineGlyphCollection, gid: GlyphId) -> Option<Vec<f32>> {
  let glyph = outlines.get(gid)?;
  let mut pen = Record(Vec::new());
  glyph.draw(DrawSettings::unhinted(Size::unscaled(), LocationRef::default()), &mut pen).ok()?;
  Some(pen.0)
}

/// Records what a glyph draws; the leading number says which command.
struct Record(Vec<f32>);

impl OutlinePen for Record {
  fn move_to(&mut self, x: f32, y: f32) {
    self.0.extend([0.0, x, y]);
  }
  fn line_to(&mut self, x: f32, y: f32) {
    self.0.extend([1.0, x, y]);
  }
  fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
    self.0.extend([2.0, cx0, cy0, x, y]);
  }
  fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
    self.0.extend([3.0, cx0, cy0, cx1, cy1, x, y]);
  }
  fn close(&mut self) {
    self.0.push(4.0);
  }
}
