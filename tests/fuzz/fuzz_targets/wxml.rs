//! The WXML tokenizer never panics, its tokens cover the input exactly, and the minifier's
//! output is idempotent and keeps every `<text>` body and attribute value.
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
      .flat_map(|tag| tag.attrs.into_iter().filter_map(|a| a.value.map(|v| v.text.to_string())))
      .collect()
  };
  assert_eq!(values(src), values(&once));
});
