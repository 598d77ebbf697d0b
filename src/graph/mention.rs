//! Asset paths written where wxpack follows no reference: `'/images/a.png'` in page data, an
//! icon table in a util, a path in a `{{ }}` expression or a comment. The planner must not move or
//! prune what they may name, because the code computes the real path at run time.
//!
//! A byte scan, not a parser: it finds every run of path characters ending in an asset suffix,
//! whatever the file kind, so nothing written anywhere is missed. Runs inside a reference the
//! scanners already follow (a static `src`, a `url()`) are skipped: those are rewritten instead.

use crate::diagnostic::Span;

/// Suffixes of files a mention can name: the upload whitelist's non-code files, plus JSON data.
const SUFFIXES: &[&str] = &[
  "png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico", "cur", "mp3", "aac", "m4a", "mp4", "wav", "ogg", "silk",
  "wasm", "br", "cer", "cert", "crt", "skel", "json",
];

fn is_path_char(c: char) -> bool {
  c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | '~' | '@' | '%' | '+')
}

/// The spans of asset paths in `src` that lie outside every span in `refs`.
pub fn find(src: &str, refs: &[Span]) -> Vec<Span> {
  let mut out = Vec::new();
  for (dot, _) in src.match_indices('.') {
    let rest = &src[dot + 1..];
    let ext_len = rest.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(rest.len());
    let ext = &rest[..ext_len];
    // Most dots in code are member accesses: rule them out on length before comparing names.
    if !(2..=4).contains(&ext_len) || !SUFFIXES.iter().any(|s| s.eq_ignore_ascii_case(ext)) {
      continue;
    }
    let end = dot + 1 + ext_len;
    if src[end..].chars().next().is_some_and(|c| is_path_char(c) && c != '.' && c != '/') {
      continue; // `a.pngx`, `a.png_b`: not a file name
    }
    let start = src[..dot].char_indices().rev().take_while(|&(_, c)| is_path_char(c)).last().map_or(dot, |(i, _)| i);
    let text = &src[start..end];
    // `configuration in app.json`, `see bg.svg`: a word, a space, a name is prose, not a path.
    let before = src[..start].trim_end_matches([' ', '\t']);
    if before.len() < start && before.chars().next_back().is_some_and(char::is_alphanumeric) {
      continue;
    }
    // `//cdn.example.com/a.png` (after `https:`) is a URL; `.png` alone names nothing.
    if text.starts_with("//") || text.starts_with('.') && text[1..] == *ext {
      continue;
    }
    let span = Span::new(start, end);
    if refs.iter().any(|r| r.start < span.end && span.start < r.end) || out.last() == Some(&span) {
      continue;
    }
    out.push(span);
  }
  out
}

#[cfg(test)]
mod tests {
  use super::*;

  fn texts<'s>(src: &'s str, refs: &[Span]) -> Vec<&'s str> {
    find(src, refs).into_iter().map(|s| &src[s.start as usize..s.end as usize]).collect()
  }

  #[test]
  fn every_suffix_passes_the_length_filter() {
    assert!(SUFFIXES.iter().all(|s| (2..=4).contains(&s.len())));
  }

  #[test]
  fn finds_asset_paths_in_any_text() {
    let src = "data: { icon: '/images/home.png', list: ['../../img/a@2x.JPG', \"图片/猫.gif\"] } /*bg.svg*/";
    assert_eq!(texts(src, &[]), ["/images/home.png", "../../img/a@2x.JPG", "图片/猫.gif", "bg.svg"]);
  }

  #[test]
  fn prose_is_not_a_path() {
    let src = "throw new Error('Please check the workers directory configuration in app.json'); // see bg.svg";
    assert_eq!(texts(src, &[]), Vec::<&str>::new());
    assert_eq!(texts("x = cond ? 'a.png' : 'b.png'", &[]), ["a.png", "b.png"]);
  }

  #[test]
  fn skips_urls_followed_references_and_non_names() {
    let src = "url('https://cdn.x.com/a.png') x.pngx .png src=\"/a/b.png\"";
    let at = src.find("/a/b.png").unwrap();
    assert_eq!(texts(src, &[Span::new(at, at + 8)]), Vec::<&str>::new());
  }

  #[test]
  fn member_access_looks_like_a_name_and_is_kept() {
    // `imageProps.webp` names no file in practice; the planner drops mentions that match nothing.
    assert_eq!(texts("{{imageProps.webp}}", &[]), ["imageProps.webp"]);
  }
}
