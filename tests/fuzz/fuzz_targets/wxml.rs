//! The WXML tokenizer never panics, its tokens cover the input exactly, and the minifier's
//! output is idempotent and keeps every attribute value but for whitespace inside `{{ }}` (and,
//! in a `style` value, between declarations).
#![no_main]

use libfuzzer_sys::fuzz_target;
use wxpack::{
  transform::wxml::minify,
  wxml::{Token, tokenize},
};

fuzz_target!(|data: &[u8]| {
  let Ok(src) = std::str::from_utf8(data) else { return };
  let mut at = 0;
  for t in tokenize(src) {
    let s = t.span();
    assert_eq!(s.start as usize, at);
    at = s.end as usize;
  }
  assert_eq!(at, src.len());
  let (once, _) = minify(src, &|_| None);
  assert_eq!(minify(&once, &|_| None).0, once);
  let values = |s: &str| -> Vec<String> {
    tokenize(s)
      .into_iter()
      .filter_map(|t| if let Token::Open(tag) = t { Some(tag) } else { None })
      .flat_map(|tag| {
        tag.attrs.into_iter().filter_map(|a| {
          let v = a.value?.text;
          Some(if a.name == "style" { v.chars().filter(|c| !c.is_ascii_whitespace()).collect() } else { unspaced(v) })
        })
      })
      .collect()
  };
  assert_eq!(values(src), values(&once));
});

/// `text` without the whitespace inside its `{{ }}` runs (each ends at the first `}}`).
fn unspaced(text: &str) -> String {
  let (mut out, mut rest) = (String::new(), text);
  while let Some(i) = rest.find("{{") {
    out.push_str(&rest[..i]);
    let end = rest[i + 2..].find("}}").map_or(rest.len(), |j| i + 2 + j + 2);
    out.extend(rest[i..end].chars().filter(|c| !c.is_whitespace()));
    rest = &rest[end..];
  }
  out.push_str(rest);
  out
}
