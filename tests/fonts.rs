//! Icon fonts cut on the real apps: each cut font is read back with ttf-parser (not the
//! fontations crates wxpack cuts and checks with), and drawn in Chromium beside the font it was
//! cut from.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

mod common;

use std::{
  collections::{BTreeMap, BTreeSet},
  fs,
  path::{Path, PathBuf},
};

use base64::Engine;

fn private(cp: u32) -> bool {
  (0xE000..=0xF8FF).contains(&cp) || (0xF0000..=0x10FFFD).contains(&cp)
}

/// Every font embedded in a sheet's text, in order: (the base64 payload, the sfnt inside).
fn embedded(sheet: &str) -> Vec<(String, Vec<u8>)> {
  sheet
    .split("base64,")
    .skip(1)
    .filter_map(|rest| {
      let payload: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || "+/=".contains(*c)).collect();
      let bytes = base64::engine::general_purpose::STANDARD.decode(&payload).ok()?;
      let sfnt = match bytes.get(..4)? {
        b"wOFF" => wuff::decompress_woff1(&bytes).ok()?,
        b"wOF2" => wuff::decompress_woff2(&bytes).ok()?,
        [0, 1, 0, 0] | b"OTTO" => bytes,
        _ => return None,
      };
      Some((payload, sfnt))
    })
    .collect()
}

#[derive(Default, PartialEq, Debug)]
struct Outline(Vec<String>);

impl ttf_parser::OutlineBuilder for Outline {
  fn move_to(&mut self, x: f32, y: f32) {
    self.0.push(format!("M{x} {y}"));
  }
  fn line_to(&mut self, x: f32, y: f32) {
    self.0.push(format!("L{x} {y}"));
  }
  fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
    self.0.push(format!("Q{x1} {y1} {x} {y}"));
  }
  fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
    self.0.push(format!("C{x1} {y1} {x2} {y2} {x} {y}"));
  }
  fn close(&mut self) {
    self.0.push("Z".into());
  }
}

fn cmap(face: &ttf_parser::Face) -> BTreeMap<u32, ttf_parser::GlyphId> {
  let mut out = BTreeMap::new();
  for table in face.tables().cmap.iter().flat_map(|c| c.subtables).filter(|s| s.is_unicode()) {
    table.codepoints(|cp| {
      if let Some(g) = table.glyph_index(cp) {
        out.insert(cp, g);
      }
    });
  }
  out
}

fn draw(face: &ttf_parser::Face, g: ttf_parser::GlyphId) -> (Outline, Option<u16>) {
  let mut o = Outline::default();
  face.outline_glyph(g, &mut o);
  (o, face.glyph_hor_advance(g))
}

/// What is wrong with `cut` as a cut of `original`: a kept character drawn differently, a
/// character that is not an icon lost, an icon lost that `named` says the app shows.
fn problems(original: &[u8], cut: &[u8], named: &dyn Fn(u32) -> bool) -> (Vec<String>, Vec<u32>) {
  let (a, b) = (ttf_parser::Face::parse(original, 0).unwrap(), ttf_parser::Face::parse(cut, 0).unwrap());
  let (map_a, map_b) = (cmap(&a), cmap(&b));
  let mut wrong = Vec::new();
  let mut kept_icons = Vec::new();
  for (cp, ga) in &map_a {
    match map_b.get(cp) {
      Some(gb) if draw(&a, *ga) == draw(&b, *gb) => kept_icons.extend(Some(*cp).filter(|c| private(*c))),
      Some(_) => wrong.push(format!("U+{cp:04X} draws differently")),
      None if !private(*cp) => wrong.push(format!("U+{cp:04X} is not an icon and was lost")),
      None if named(*cp) => wrong.push(format!("U+{cp:04X} was lost but the app names it")),
      None => {}
    }
  }
  wrong.extend(map_b.keys().filter(|cp| !map_a.contains_key(cp)).map(|cp| format!("U+{cp:04X} is new")));
  (wrong, kept_icons)
}

/// The text of every shipped file but images, base64 payloads blanked (they are not text).
fn shipped_text(dir: &Path) -> String {
  let mut out = String::new();
  for text in common::files_under(dir).iter().filter_map(|p| fs::read_to_string(p).ok()) {
    for (i, part) in text.split("base64,").enumerate() {
      let skip = if i == 0 {
        0
      } else {
        part.find(|c: char| !(c.is_ascii_alphanumeric() || "+/=".contains(c))).unwrap_or(part.len())
      };
      out.push_str(&part[skip..]);
      out.push('\n');
    }
  }
  out.to_ascii_lowercase()
}

/// The oracle for "the app names this icon": its character, or its hex or decimal digits
/// standing alone (not part of a longer run of such digits) anywhere in the shipped text.
fn named_in(text: &str) -> impl Fn(u32) -> bool + '_ {
  let alone = |digits: String, more: fn(u8) -> bool| {
    text.match_indices(&digits).any(|(i, d)| {
      let before = i.checked_sub(1).map(|j| text.as_bytes()[j]);
      let after = text.as_bytes().get(i + d.len()).copied();
      !before.is_some_and(more) && !after.is_some_and(more)
    })
  };
  move |cp| {
    char::from_u32(cp).is_some_and(|c| text.contains(c))
      || alone(format!("{cp:x}"), |b| b.is_ascii_hexdigit())
      || alone(cp.to_string(), |b| b.is_ascii_digit())
  }
}

fn build(app: &Path, tmp: &Path, subset: bool) -> (PathBuf, serde_json::Value) {
  let (out, report, cfg) = (tmp.join("out"), tmp.join("report.json"), tmp.join("wxpack.toml"));
  fs::write(&cfg, format!("[wxss]\nsubset_fonts = {subset}\n")).unwrap();
  let args = ["build", app.to_str().unwrap(), "-o", out.to_str().unwrap(), "--json", report.to_str().unwrap()];
  let o = common::wxpack(&[&args[..], &["--quiet", "--no-plan", "--config", cfg.to_str().unwrap()]].concat());
  assert!(matches!(o.status.code(), Some(0 | 1)), "{}: {}", app.display(), String::from_utf8_lossy(&o.stderr));
  (out.join("miniprogram"), common::read_json(&report))
}

/// In Chromium, each (original, cut, icons) font pair loads, and every icon kept draws the same
/// pixels with either: `(icons compared, differences)`.
fn drawn_differently(browser: &Path, pairs: &[(String, String, Vec<u32>)], tmp: &Path) -> (u64, Vec<String>) {
  let data = serde_json::to_string(pairs).unwrap();
  let script = r#"
(async function () {
  const pairs = JSON.parse(document.getElementById('pairs').textContent);
  const out = {checked: 0, differences: []};
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 48;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  const pixels = (family, ch) => {
    ctx.clearRect(0, 0, 48, 48);
    ctx.font = '32px "' + family + '"';
    ctx.fillText(ch, 4, 38);
    return Array.from(ctx.getImageData(0, 0, 48, 48).data).join(',');
  };
  for (const [i, [a, b, icons]] of pairs.entries()) {
    const fa = new FontFace('a' + i, 'url(data:font/x;base64,' + a + ')');
    const fb = new FontFace('b' + i, 'url(data:font/x;base64,' + b + ')');
    try { document.fonts.add(await fa.load()); } catch (e) { out.differences.push(i + ': the original does not load'); continue; }
    try { document.fonts.add(await fb.load()); } catch (e) { out.differences.push(i + ': the cut font does not load'); continue; }
    for (const cp of icons) {
      const ch = String.fromCodePoint(cp);
      const pa = pixels('a' + i, ch);
      if (pa !== pixels('b' + i, ch)) out.differences.push(i + ': U+' + cp.toString(16) + ' draws differently');
      if (pa === pixels('serif', ch)) out.differences.push(i + ': U+' + cp.toString(16) + ' did not draw with the font');
      out.checked++;
    }
  }
  document.getElementById('result').textContent = JSON.stringify(out);
})();"#;
  let page = tmp.join("fonts.html");
  fs::write(
    &page,
    format!("<!doctype html><meta charset=utf-8><body><pre id=result></pre><script type=application/json id=pairs>{data}</script><script>{script}</script>"),
  )
  .unwrap();
  common::chromium_result(browser, &page, &["--virtual-time-budget=10000"])
}

#[test]
fn cut_fonts_of_the_real_apps_draw_every_icon_the_app_names() {
  let Some(apps) = common::corpus_apps("cut_fonts_of_the_real_apps_draw_every_icon_the_app_names") else { return };
  let mut wrong = Vec::new();
  let mut pairs = Vec::new();
  let mut cut_fonts = 0;
  for app in &apps {
    let (whole, cut) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (whole_out, _) = build(app, whole.path(), false);
    let (cut_out, report) = build(app, cut.path(), true);
    let text = shipped_text(&cut_out);
    let named = named_in(&text);
    let sheets: BTreeSet<&str> = report["icon_fonts"]
      .as_array()
      .unwrap()
      .iter()
      .filter(|f| f["kept"].is_null())
      .map(|f| f["path"].as_str().unwrap())
      .collect();
    for sheet in sheets {
      let a = embedded(&fs::read_to_string(whole_out.join(sheet)).unwrap());
      let b = embedded(&fs::read_to_string(cut_out.join(sheet)).unwrap());
      assert_eq!(a.len(), b.len(), "{}: {sheet}: fonts in the sheet", app.display());
      for ((pa, fa), (pb, fb)) in a.iter().zip(&b).filter(|((pa, _), (pb, _))| pa != pb) {
        cut_fonts += 1;
        let (problems, icons) = problems(fa, fb, &named);
        // The near miss: had the app named every icon, the icons cut would be caught.
        assert!(
          !self::problems(fa, fb, &|_| true).0.is_empty(),
          "{}: {sheet}: the check catches nothing",
          app.display()
        );
        wrong.extend(problems.into_iter().map(|p| format!("{}: {sheet}: {p}", app.display())));
        pairs.push((pa.clone(), pb.clone(), icons));
      }
    }
  }
  assert!(wrong.is_empty(), "{wrong:#?}");
  assert!(cut_fonts > 0, "no real app had a font to cut: the test tests nothing");
  let Some(browser) = common::chromium("drawing the cut fonts of the real apps") else { return };
  let tmp = tempfile::tempdir().unwrap();
  let (checked, differences) = drawn_differently(&browser, &pairs, tmp.path());
  assert!(differences.is_empty(), "{differences:#?}");
  assert!(checked > 0);
  eprintln!("{cut_fonts} fonts cut; {checked} icons drawn the same in Chromium");
}
