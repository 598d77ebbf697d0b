//! Cutting a sheet's embedded fonts never panics and changes nothing but font payloads. The
//! first byte chooses: odd, the rest is a font file, embedded in a sheet as base64; even, the
//! rest is the sheet itself. (Panics inside the font crates are caught and keep the font: the
//! hook is quiet so that a caught one is not taken for a crash.)
#![no_main]

use base64::Engine;
use libfuzzer_sys::fuzz_target;
use wxpack::{
  cache::Store,
  transform::wxss::fonts::{Glyphs, subset},
};

fn without_payloads(sheet: &str) -> String {
  sheet
    .split("base64,")
    .enumerate()
    .map(|(i, part)| {
      let skip = if i == 0 { 0 } else { part.find(|c: char| !(c.is_ascii_alphanumeric() || "+/=".contains(c))).unwrap_or(part.len()) };
      &part[skip..]
    })
    .collect()
}

fuzz_target!(|data: &[u8]| {
  std::panic::set_hook(Box::new(|_| {}));
  let Some((&mode, rest)) = data.split_first() else { return };
  let sheet = if mode % 2 == 1 {
    let b64 = base64::engine::general_purpose::STANDARD.encode(rest);
    format!("@font-face{{font-family:f;src:url(data:font/x;base64,{b64})}}.a:before{{content:'\\e601'}}")
  } else {
    let Ok(text) = std::str::from_utf8(rest) else { return };
    text.to_string()
  };
  let glyphs = Glyphs::from_points((0xE600..0xE604).collect());
  let out = subset(&sheet, &glyphs, &Store::none());
  if let Some(text) = out.text {
    assert_eq!(without_payloads(&text), without_payloads(&sheet));
    assert!(text.len() < sheet.len());
  }
});
