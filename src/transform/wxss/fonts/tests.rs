use base64::Engine;
use kurbo::{BezPath, Rect, Shape};
use read_fonts::FontRef;
use write_fonts::{
  FontBuilder,
  tables::{
    cmap::Cmap,
    glyf::{GlyfLocaBuilder, SimpleGlyph},
    head::Head,
    hhea::Hhea,
    hmtx::{Hmtx, LongMetric},
    maxp::Maxp,
    name::Name,
    os2::Os2,
    post::Post,
  },
  types::GlyphId,
};

use super::*;

/// A small icon font of wxpack's own: `A` and eight icons at U+E600..U+E607, each a
/// rectangle of its own size.
pub(crate) fn icon_font() -> Vec<u8> {
  let mut glyf = GlyfLocaBuilder::new();
  let mut metrics = Vec::new();
  let chars: Vec<char> = std::iter::once('A').chain((0xE600..0xE608).filter_map(char::from_u32)).collect();
  glyf.add_glyph(&SimpleGlyph::default()).unwrap();
  metrics.push(LongMetric { advance: 500, side_bearing: 0 });
  for i in 0..chars.len() {
    let size = 100.0 + 40.0 * i as f64;
    let path: BezPath = Rect::new(50.0, 0.0, 50.0 + size, size).into_path(0.1);
    glyf.add_glyph(&SimpleGlyph::from_bezpath(&path).unwrap()).unwrap();
    metrics.push(LongMetric { advance: 1000, side_bearing: 50 });
  }
  let (glyf, loca, format) = glyf.build();
  let cmap = Cmap::from_mappings(chars.iter().enumerate().map(|(i, c)| (*c, GlyphId::new(i as u32 + 1)))).unwrap();
  let head = Head { units_per_em: 1000, index_to_loc_format: format as i16, ..Default::default() };
  let hhea = Hhea {
    ascender: 800.into(),
    descender: (-200).into(),
    number_of_h_metrics: metrics.len() as u16,
    ..Default::default()
  };
  let mut builder = FontBuilder::new();
  builder
    .add_table(&head)
    .unwrap()
    .add_table(&hhea)
    .unwrap()
    .add_table(&Maxp::new(metrics.len() as u16))
    .unwrap()
    .add_table(&Hmtx::new(metrics, Vec::new()))
    .unwrap()
    .add_table(&cmap)
    .unwrap()
    .add_table(&glyf)
    .unwrap()
    .add_table(&loca)
    .unwrap()
    .add_table(&Os2::default())
    .unwrap()
    .add_table(&Name::default())
    .unwrap()
    .add_table(&Post::default())
    .unwrap();
  builder.build()
}

fn shown(points: &[u32]) -> FxHashSet<u32> {
  points.iter().copied().collect()
}

fn sheet(format: Format) -> String {
  let sfnt = icon_font();
  let bytes = codec::encode(&sfnt, format).unwrap();
  let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
  format!(
    "@font-face {{\n  font-family: \"icons\";\n  src: url('data:font/x;base64,{b64}') format('x');\n}}\n.i:before {{ font-family: icons; content: \"\\e601\"; }}\n"
  )
}

#[test]
fn a_cut_keeps_what_is_shown_and_every_other_character() {
  let sfnt = icon_font();
  let cut = cut::cut(&sfnt, &shown(&[0xE601, 0xE605])).ok().unwrap();
  assert_eq!((cut.glyphs_in, cut.glyphs_out), (10, 4), ".notdef, A and two icons");
  let (a, b) = (FontRef::new(&sfnt).unwrap(), FontRef::new(&cut.sfnt).unwrap());
  let keep: read_fonts::collections::IntSet<u32> = [0x41, 0xE601, 0xE605].into_iter().collect();
  assert!(cut::same_glyphs(&a, &b, &keep));
  use skrifa::MetadataProvider;
  assert_eq!(b.charmap().map(0xE600u32), None);
  assert!(b.charmap().map(0xE605u32).is_some());
}

#[test]
fn the_check_catches_a_different_outline() {
  let sfnt = icon_font();
  let a = FontRef::new(&sfnt).unwrap();
  let keep: read_fonts::collections::IntSet<u32> = [0xE601].into_iter().collect();
  // Against itself, the same; against a font whose U+E601 is another glyph, not.
  assert!(cut::same_glyphs(&a, &a, &keep));
  let other = cut::cut(&sfnt, &shown(&[0xE602])).ok().unwrap();
  let b = FontRef::new(&other.sfnt).unwrap();
  assert!(!cut::same_glyphs(&a, &b, &keep));
}

#[test]
fn every_container_comes_back_as_it_went() {
  let sfnt = icon_font();
  for format in [Format::Sfnt, Format::Woff, Format::Woff2] {
    let encoded = codec::encode(&sfnt, format).unwrap();
    assert_eq!(Format::sniff(&encoded), Some(format));
    let back = codec::decode(&encoded, format).unwrap();
    assert!(codec::same_tables(&back, &sfnt), "{format:?}");
  }
}

#[test]
fn a_sheet_gets_its_fonts_cut_in_their_own_container() {
  let glyphs = Glyphs::from_points(shown(&[0xE601]));
  for format in [Format::Sfnt, Format::Woff, Format::Woff2] {
    let src = sheet(format);
    let out = subset(&src, &glyphs, &Store::none());
    let text = out.text.unwrap();
    let [font] = out.fonts.as_slice() else { panic!("{:?}", out.fonts) };
    assert_eq!((font.kept, font.format, font.family.as_deref(), font.line), (None, Some(format), Some("icons"), 3));
    assert_eq!((font.glyphs_in, font.glyphs_out), (10, 3));
    assert!(font.bytes_out < font.bytes_in);
    assert_eq!(src.len() - text.len(), (font.bytes_in - font.bytes_out) as usize);
    // Only the payload changed.
    let tail = |s: &str| s[s.find("') format").unwrap()..].to_string();
    assert_eq!(tail(&src), tail(&text));
    let payload = text.split("base64,").nth(1).unwrap().split('\'').next().unwrap();
    let bytes = base64::engine::general_purpose::STANDARD.decode(payload).unwrap();
    assert_eq!(Format::sniff(&bytes), Some(format));
  }
}

#[test]
fn fonts_that_stay_say_why() {
  let all = Glyphs::from_points((0xE600..0xE608).collect());
  let out = subset(&sheet(Format::Woff), &all, &Store::none());
  assert!(out.text.is_none());
  assert_eq!(out.fonts[0].kept, Some(Kept::AllUsed));
  let faces = "@font-face{font-family:a;src:url(https://x.cn/a.woff)}\n\
     @font-face{font-family:b;src:url(/fonts/b.ttf)}\n\
     @font-face{font-family:c;src:url(data:font/woff;base64,AAAA)}\n\
     .x{background:url(data:image/png;base64,iVBORw0KGgo=)}";
  let out = subset(faces, &Glyphs::default(), &Store::none());
  assert!(out.text.is_none());
  let kept: Vec<_> = out.fonts.iter().map(|f| (f.family.as_deref().unwrap(), f.kept.unwrap())).collect();
  assert_eq!(kept, [("a", Kept::Remote), ("b", Kept::File), ("c", Kept::Unreadable)]);
}

#[test]
fn a_sheet_names_code_points_outside_its_urls_only() {
  let mut points = FxHashSet::default();
  scan_sheet(".a:before{content:'\\e601'} .b{background:url(data:x;base64,e602/e603)}", &mut points);
  assert_eq!(points, shown(&[0xE601]));
}

/// fixtures/icon-font embeds this font as WOFF: it must stay the font this file builds (a
/// change to [`icon_font`] means writing the fixture's base64 again).
#[test]
fn the_fixture_embeds_the_test_font() {
  let woff = codec::encode(&icon_font(), Format::Woff).unwrap();
  let b64 = base64::engine::general_purpose::STANDARD.encode(woff);
  let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/icon-font/app.wxss");
  let sheet = std::fs::read_to_string(path).unwrap_or_default();
  assert!(sheet.contains(&b64), "write into {path}:\n{b64}");
}
