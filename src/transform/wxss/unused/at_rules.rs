//! `@keyframes` and `@font-face` that nothing can name.
//!
//! An animation runs only where some `animation` or `animation-name` value names its
//! `@keyframes`, and a font loads only where some `font-family` or `font` value names its
//! family. Those values sit in the rules that ship (after the unused selectors are gone) or in
//! inline styles and style strings that WXML, JS, WXS and JSON hold. So a name is in use when it
//! is a word of a shipped sheet outside the at-rules that declare names ([`words`]), or when the
//! app's text can produce it ([`Classes::can_be`]: whole, or assembled with a joined-on prefix,
//! as `'fade-' + dir` makes `fade-in`); font families are compared without case, as the
//! platform compares them. A `@keyframes` or `@font-face` whose name is in use nowhere goes;
//! everything else stays as written.

use cssparser::{ParseError, Parser, ParserInput, Token};
use rustc_hash::FxHashSet;

use super::{DEPTH, Removed};

/// Adds the words of `sheet` that can name an animation or a font (lower case): every word
/// outside a `@keyframes` name and a `@font-face` block, and outside URLs.
pub fn words(sheet: &str, out: &mut FxHashSet<String>) {
  fn walk<'i>(p: &mut Parser<'i, '_>, out: &mut FxHashSet<String>, depth: usize) {
    let mut skip_name = false;
    let mut skip_block = false;
    while let Ok(token) = p.next_including_whitespace_and_comments().cloned() {
      let text = match &token {
        Token::AtKeyword(k) => {
          let k = k.to_ascii_lowercase();
          skip_name = k.ends_with("keyframes");
          skip_block = k == "font-face";
          continue;
        }
        Token::WhiteSpace(_) | Token::Comment(_) => continue,
        Token::Ident(s) | Token::QuotedString(s) if !std::mem::take(&mut skip_name) => Some(s.to_string()),
        Token::Function(name) if name.eq_ignore_ascii_case("url") => {
          let _ = p.parse_nested_block(|_| -> Result<(), ParseError<'i, ()>> { Ok(()) });
          continue;
        }
        Token::UnquotedUrl(_) => continue,
        _ => None,
      };
      for word in text.iter().flat_map(|t| t.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))) {
        if !word.is_empty() {
          out.insert(word.to_ascii_lowercase());
        }
      }
      if matches!(
        token,
        Token::CurlyBracketBlock | Token::Function(_) | Token::ParenthesisBlock | Token::SquareBracketBlock
      ) {
        let skip = std::mem::take(&mut skip_block) || depth >= DEPTH;
        let _ = p.parse_nested_block(|b| -> Result<(), ParseError<'i, ()>> {
          if !skip {
            walk(b, out, depth + 1);
          }
          Ok(())
        });
      }
      if matches!(token, Token::Semicolon | Token::CloseCurlyBracket) {
        skip_block = false;
      }
    }
  }
  let mut input = ParserInput::new(sheet);
  walk(&mut Parser::new(&mut input), out, 0);
}

/// `src` without the `@keyframes` and `@font-face` whose name `named` (given the name, and
/// for a font each word of its family) says nothing uses; `None` when every one is used.
pub fn drop_unnamed(src: &str, named: &dyn Fn(&str) -> bool) -> Option<(String, Vec<Removed>)> {
  let mut edits: Vec<(usize, usize)> = Vec::new();
  let mut removed = Vec::new();
  let mut input = ParserInput::new(src);
  block(&mut Parser::new(&mut input), src, named, 0, &mut edits, &mut removed);
  if edits.is_empty() {
    return None;
  }
  let mut out = String::with_capacity(src.len());
  let mut at = 0;
  for (start, end) in edits {
    out.push_str(src.get(at..start)?);
    at = end;
  }
  out.push_str(src.get(at..)?);
  Some((out, removed))
}

fn block<'i>(
  p: &mut Parser<'i, '_>,
  src: &str,
  named: &dyn Fn(&str) -> bool,
  depth: usize,
  edits: &mut Vec<(usize, usize)>,
  removed: &mut Vec<Removed>,
) {
  let mut start = p.position().byte_index();
  let mut at_rule: Option<String> = None;
  let mut prelude_from = start;
  loop {
    let Ok(token) = p.next_including_whitespace_and_comments().cloned() else { break };
    match token {
      Token::Semicolon | Token::CloseCurlyBracket => (start, at_rule) = (p.position().byte_index(), None),
      Token::AtKeyword(name) if at_rule.is_none() => {
        at_rule = Some(name.to_ascii_lowercase());
        prelude_from = p.position().byte_index();
      }
      Token::CurlyBracketBlock => {
        let open = p.position().byte_index() - 1;
        let kind = at_rule.take();
        let mut family = None;
        let _ = p.parse_nested_block(|b| -> Result<(), ParseError<'i, ()>> {
          match kind.as_deref() {
            Some("media" | "supports") if depth < DEPTH => block(b, src, named, depth + 1, edits, removed),
            Some("font-face") => family = font_family(b),
            _ => {}
          }
          while b.next_including_whitespace_and_comments().is_ok() {}
          Ok(())
        });
        let end = p.position().byte_index();
        let keyword = kind.as_deref().unwrap_or_default();
        let prelude = src.get(prelude_from..open).unwrap_or_default().trim();
        let verdict = if keyword.ends_with("keyframes") {
          let name = prelude.trim_matches(['"', '\'']);
          (!name.is_empty() && !name.contains('\\') && !named(name)).then(|| (name.to_string(), name.to_string()))
        } else if keyword == "font-face" {
          family.filter(|f| !f.contains('\\')).and_then(|f| {
            let unnamed = f
              .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
              .find(|w| !w.is_empty() && !named(w));
            unnamed.map(|w| (f.clone(), w.to_string()))
          })
        } else {
          None
        };
        if let Some((name, decided)) = verdict {
          let at = src.get(start..open).and_then(|s| s.find('@')).map_or(start, |i| start + i);
          let line = 1 + src.get(..at).map_or(0, |s| s.matches('\n').count()) as u32;
          removed.push(Removed { selector: format!("@{keyword} {name}"), class: decided, line });
          edits.push((start, end));
        }
        start = end;
      }
      _ => {}
    }
  }
}

/// Gives each at-rule of `removed` (found in `pruned`, a copy of `original` with selectors
/// taken out, in the same order) its line in `original`, where the report points.
pub fn relocate(original: &str, removed: &mut [Removed]) {
  let lower = original.to_ascii_lowercase();
  let mut from = 0;
  for r in removed.iter_mut() {
    let Some((keyword, name)) = r.selector.split_once(' ') else { continue };
    let keyword = keyword.to_ascii_lowercase();
    let found = lower.get(from..).and_then(|rest| {
      rest.match_indices(&keyword).map(|(i, _)| from + i).find(|&i| {
        let after = original.get(i + keyword.len()..).unwrap_or_default();
        let near = after.get(..after.len().min(512)).or(Some(after)).unwrap_or_default();
        if keyword == "@font-face" {
          near.contains(name)
        } else {
          after.trim_start().trim_start_matches(['"', '\'']).starts_with(name)
        }
      })
    });
    if let Some(at) = found {
      r.line = 1 + original.get(..at).map_or(0, |s| s.matches('\n').count()) as u32;
      from = at + keyword.len();
    }
  }
}

/// The family a `@font-face` block declares, as written without quotes.
fn font_family(p: &mut Parser) -> Option<String> {
  let mut family = None;
  loop {
    let got = p.parse_until_after(cssparser::Delimiter::Semicolon, |d| -> Result<Option<String>, ParseError<'_, ()>> {
      let Ok(Token::Ident(name)) = d.next().cloned() else { return Ok(None) };
      if !name.eq_ignore_ascii_case("font-family") || !matches!(d.next(), Ok(Token::Colon)) {
        return Ok(None);
      }
      let mut parts = Vec::new();
      while let Ok(t) = d.next() {
        match t {
          Token::Ident(s) | Token::QuotedString(s) => parts.push(s.to_string()),
          _ => return Ok(None),
        }
      }
      Ok(Some(parts.join(" ")))
    });
    if let Ok(Some(f)) = got {
      family = Some(f);
    }
    if p.is_exhausted() {
      return family.filter(|f| !f.is_empty());
    }
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  fn words_of(sheet: &str) -> Vec<String> {
    let mut out = FxHashSet::default();
    words(sheet, &mut out);
    let mut v: Vec<String> = out.into_iter().collect();
    v.sort();
    v
  }

  #[test]
  fn names_declared_are_not_words_names_used_are() {
    let sheet = "@keyframes spin{to{transform:rotate(1turn)}}@font-face{font-family:Icons;src:url(a.woff)}.a{animation:Fade 1s;font-family:'Text Font'}";
    let w = words_of(sheet);
    assert!(w.contains(&"fade".to_string()) && w.contains(&"text".to_string()) && w.contains(&"font".to_string()));
    assert!(!w.contains(&"spin".to_string()) && !w.contains(&"icons".to_string()), "{w:?}");
  }

  fn dropped(src: &str, used: &[&str]) -> (String, Vec<String>) {
    let named = |n: &str| used.iter().any(|u| u.eq_ignore_ascii_case(n));
    match drop_unnamed(src, &named) {
      Some((text, removed)) => (text, removed.into_iter().map(|r| format!("{}:{}", r.selector, r.line)).collect()),
      None => (src.to_string(), Vec::new()),
    }
  }

  #[test]
  fn unnamed_keyframes_and_faces_go() {
    let src = ".a{top:0}\n@keyframes spin{to{top:1px}}\n@-webkit-keyframes spin{to{top:1px}}\n@keyframes fade{to{top:1px}}\n@font-face{font-family:\"My Icons\";src:url(a.woff)}\n@media (min-width:1px){@keyframes pop{to{top:0}}}";
    let (text, removed) = dropped(src, &["fade", "my"]);
    assert_eq!(text, ".a{top:0}\n@keyframes fade{to{top:1px}}\n@media (min-width:1px){}");
    assert_eq!(
      removed,
      ["@keyframes spin:2", "@-webkit-keyframes spin:3", "@font-face My Icons:5", "@keyframes pop:6"]
    );
  }

  #[test]
  fn what_cannot_be_read_stays() {
    for src in ["@font-face{src:url(a.woff)}", "@keyframes \\66 ade{to{top:0}}", "@font-face{font-family:a,b}"] {
      assert_eq!(dropped(src, &[]).1, Vec::<String>::new(), "{src}");
    }
  }
}
