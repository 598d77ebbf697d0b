//! Keeps the author's vendor-prefixed declarations out of lightningcss's property handlers.
//!
//! lightningcss merges `display:-webkit-box;display:flex`, `-webkit-box-align` with
//! `align-items`, `-ms-flex-align`, `-webkit-backdrop-filter` and the like by its model of
//! what the targets need, and drops the forms it thinks none of them does; old engines need
//! them (the guard in [`super::guard`] would otherwise strip the whole statement). A
//! declaration whose name or value carries a vendor prefix is renamed to a custom property
//! (`--wxpack-keep-3_-webkit-box-align`) before minifying: custom properties are copied through
//! in place, ahead of the merged ones, which is where a fallback belongs. [`restore`] renames
//! them back.
//!
//! `animation` shorthands are kept out too: lightningcss prints one without a name as
//! `animation:none`, losing the rest (vant's popup `animation: ease both` loses its fill mode).
//! When autoprefixing, the `-webkit-animation` copy lightningcss would have added (iOS 8 and
//! Chrome 37 need it, as autoprefixer says) is written beside it, unless the block has one.
//!
//! What lightningcss would reprint with escapes ([`hide`]: strings with a backslash, quoted
//! URLs it would unquote) is replaced by placeholders before it runs and put back after
//! ([`show`]), so the rest of the rule is still minified.

mod custom;
mod misread;
mod restore;
mod twins;

use misread::rewritten_wrongly;
pub use restore::restore;

use cssparser::{Parser, ParserInput, Token};

use super::PREFIXES;

const MARK: &str = "--wxpack-keep-";

/// `src` with its prefixed declarations renamed, or `None` when it has none (or already uses
/// the mark, which [`restore`] could not tell apart).
pub fn protect(src: &str, autoprefix: bool) -> Option<String> {
  let worth =
    ["animation", "system-ui", "translate", "perspective"].iter().any(|w| src.contains(w)) || has_digit_end(src);
  if src.contains(MARK) || !(PREFIXES.iter().any(|p| src.contains(p)) || worth) {
    return None;
  }
  let mut input = ParserInput::new(src);
  let mut names = Vec::new();
  rules(&mut Parser::new(&mut input), src, &mut Collect::Prefixed { names: &mut names, autoprefix });
  if names.is_empty() {
    return None;
  }
  let mut out = String::with_capacity(src.len() + names.len() * 20);
  let mut at = 0;
  for (n, (start, copy)) in names.into_iter().enumerate() {
    out.push_str(src.get(at..start)?);
    if let Some(copy) = copy {
      out.push_str(&format!("{MARK}{n}_{copy};"));
    }
    out.push_str(&format!("{MARK}{n}_"));
    at = start;
  }
  out.push_str(src.get(at..)?);
  Some(out)
}

const HIDDEN: &str = "--wxpack-hidden-";

#[derive(Clone, Copy)]
enum Hidden {
  Url,
  Str,
  Comment,
  /// A custom property's value ([`custom`]).
  Custom,
}

/// A token [`spans`] reports, found at any depth.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Seen {
  /// `url(` with its argument, quoted or not, up to its `)`.
  Url,
  Str,
  Comment,
}

/// The spans of every URL, string and comment of `src`, in order (strings inside `url()` are
/// part of the URL).
pub(super) fn spans(src: &str) -> Vec<(usize, usize, Seen)> {
  fn walk<'i>(p: &mut Parser<'i, '_>, out: &mut Vec<(usize, usize, Seen)>) {
    loop {
      let start = p.position().byte_index();
      let Ok(token) = p.next_including_whitespace_and_comments() else { break };
      let seen = match token {
        Token::Function(name) if name.eq_ignore_ascii_case("url") => Some(Seen::Url),
        Token::UnquotedUrl(_) => Some(Seen::Url),
        Token::QuotedString(_) => Some(Seen::Str),
        Token::Comment(_) => Some(Seen::Comment),
        _ => None,
      };
      let nested = matches!(
        token,
        Token::Function(_) | Token::ParenthesisBlock | Token::SquareBracketBlock | Token::CurlyBracketBlock
      );
      if nested {
        let _ = p.parse_nested_block(|inner| -> Result<(), cssparser::ParseError<'i, ()>> {
          if seen == Some(Seen::Url) {
            while inner.next_including_whitespace_and_comments().is_ok() {}
          } else {
            walk(inner, out);
          }
          Ok(())
        });
      }
      if let Some(seen) = seen {
        out.push((start, p.position().byte_index(), seen));
      }
    }
  }
  let mut input = ParserInput::new(src);
  let mut all = Vec::new();
  walk(&mut Parser::new(&mut input), &mut all);
  all
}

/// The spans of what lightningcss would reprint with escapes: a quoted `url("...")` holding a
/// parenthesis, quote, backslash or space (it unquotes URLs and escapes those: an SVG data URL
/// grows and reads differently), and a string with a backslash (it writes `'\e666'` as the raw
/// character), a comment with a backslash (it drops comments, but the escape check would
/// see it), and an attribute selector's quoted value with a space (it writes `\ `).
fn escaped(src: &str) -> Vec<(usize, usize, Hidden)> {
  let hidden = |&(start, end, seen): &(usize, usize, Seen)| {
    let text = src.get(start..end)?;
    match seen {
      Seen::Url => {
        let inner = text.get(4..text.len().saturating_sub(1)).unwrap_or("").trim();
        let quoted = inner.starts_with(['"', '\'']);
        let body = inner.get(1..inner.len().saturating_sub(1)).unwrap_or("");
        (quoted && body.contains(['(', ')', '\'', '"', '\\', ' ', '\t', '\n'])).then_some((start, end, Hidden::Url))
      }
      // An attribute selector's value with a space: lightningcss unquotes it as an escape
      // (`[class*=" a"]` as `[class*=\\ a]`).
      Seen::Str
        if src.get(..start).is_some_and(|b| b.trim_end().ends_with('=')) && text.contains(char::is_whitespace) =>
      {
        Some((start, end, Hidden::Str))
      }
      Seen::Str => text.contains('\\').then_some((start, end, Hidden::Str)),
      Seen::Comment => text.contains('\\').then_some((start, end, Hidden::Comment)),
    }
  };
  spans(src).iter().filter_map(hidden).collect()
}

/// `src` with what lightningcss would reprint with escapes ([`escaped`]) replaced by
/// `url(--wxpack-hidden-N)` or `"--wxpack-hidden-N"`, and every custom property's value by
/// `--wxpack-hidden-N` (see [`custom`]), with the texts [`show`] puts back; `None` when there is
/// nothing to hide.
pub fn hide(src: &str) -> Option<(String, Vec<String>)> {
  if !(src.contains("url(") || src.contains('\\') || src.contains("--") || src.contains('[')) || src.contains(HIDDEN) {
    return None;
  }
  let values = if src.contains("--") { custom::values(src) } else { Vec::new() };
  let inside = |start: usize| values.iter().any(|&(s, e)| s <= start && start < e);
  let mut spans: Vec<(usize, usize, Hidden)> = escaped(src).into_iter().filter(|&(s, _, _)| !inside(s)).collect();
  spans.extend(values.iter().map(|&(s, e)| (s, e, Hidden::Custom)));
  spans.sort_by_key(|&(s, _, _)| s);
  if spans.is_empty() {
    return None;
  }
  let (mut out, mut texts, mut at) = (String::with_capacity(src.len()), Vec::new(), 0);
  for (start, end, what) in spans {
    out.push_str(src.get(at..start)?);
    let n = texts.len();
    match what {
      Hidden::Url => out.push_str(&format!("url({HIDDEN}{n})")),
      Hidden::Str => out.push_str(&format!("\"{HIDDEN}{n}\"")),
      Hidden::Custom => out.push_str(&format!("{HIDDEN}{n}")),
      // An empty comment still separates what it separated (`.a/**/.b` is no `.a .b`).
      Hidden::Comment => out.push_str("/**/"),
    }
    match what {
      Hidden::Comment => {}
      Hidden::Custom => texts.push(custom::compact(src.get(start..end)?)),
      Hidden::Url | Hidden::Str => texts.push(src.get(start..end)?.to_string()),
    }
    at = end;
  }
  out.push_str(src.get(at..)?);
  Some((out, texts))
}

/// The printed sheet with what [`hide`] took out written back as the source had it.
pub fn show(printed: &str, texts: &[String]) -> String {
  let mut out = String::with_capacity(printed.len() + texts.iter().map(String::len).sum::<usize>());
  let mut rest = printed;
  while let Some(i) = rest.find(HIDDEN) {
    let after = &rest[i + HIDDEN.len()..];
    let digits = after.bytes().take_while(u8::is_ascii_digit).count();
    let text = after.get(..digits).and_then(|d| d.parse::<usize>().ok()).and_then(|n| texts.get(n));
    let tail = after.get(digits..).unwrap_or("");
    let open = if rest[..i].ends_with("url(") {
      Some(("url(", Some(')')))
    } else if rest[..i].ends_with('"') {
      Some(("\"", Some('"')))
    } else if rest[..i].ends_with('=') {
      // An attribute selector's value, printed unquoted.
      Some(("", None))
    } else if rest[..i].trim_end().ends_with(':') {
      // A custom property's whole value.
      Some(("", None))
    } else {
      None
    };
    match (text, open) {
      (Some(text), Some((before, close))) if close.is_none_or(|c| tail.starts_with(c)) => {
        out.push_str(&rest[..i - before.len()]);
        out.push_str(text);
        rest = &tail[close.map_or(0, char::len_utf8)..];
      }
      _ => {
        out.push_str(&rest[..i + HIDDEN.len()]);
        rest = after;
      }
    }
  }
  out.push_str(rest);
  out
}

/// One declaration of a block: its bytes, with its `;`.
struct Declaration {
  start: usize,
  end: usize,
}

enum Collect<'a> {
  /// Where each declaration to keep out starts, with a declaration to write before it.
  Prefixed { names: &'a mut Vec<(usize, Option<String>)>, autoprefix: bool },
  /// Every declaration, block by block.
  Blocks(&'a mut Vec<Vec<Declaration>>),
  /// Every declaration with its name (lowercase), block by block.
  Named(&'a mut Vec<Vec<(String, usize, usize)>>),
}

/// Every declaration of `src` (name in lowercase, start, end after its `;`), block by block.
fn declarations_of(src: &str, blocks: &mut Vec<Vec<(String, usize, usize)>>) {
  let mut input = ParserInput::new(src);
  rules(&mut Parser::new(&mut input), src, &mut Collect::Named(blocks));
}

/// A list of rules: a block that follows a selector holds declarations; `@media`, `@supports`
/// and `@keyframes` blocks hold rules again; other at-rules are left alone.
fn rules<'i>(p: &mut Parser<'i, '_>, src: &str, names: &mut Collect) {
  let mut at_rule: Option<String> = None;
  let mut first = true;
  while let Ok(token) = p.next() {
    let token = token.clone();
    if first {
      at_rule = match &token {
        Token::AtKeyword(name) => Some(name.to_ascii_lowercase()),
        _ => None,
      };
      first = false;
    }
    match token {
      Token::Semicolon => first = true,
      Token::CurlyBracketBlock => {
        let _ = p.parse_nested_block(|inner| -> Result<(), cssparser::ParseError<'i, ()>> {
          match at_rule.as_deref() {
            None => declarations(inner, src, names),
            Some(a) if a == "media" || a == "supports" || a.ends_with("keyframes") => rules(inner, src, names),
            _ => {}
          }
          Ok(())
        });
        first = true;
      }
      _ => {}
    }
  }
}

fn declarations<'i>(p: &mut Parser<'i, '_>, src: &str, names: &mut Collect) {
  let mut block = Vec::new();
  loop {
    let start = p.position().byte_index();
    let declaration =
      p.parse_until_after(cssparser::Delimiter::Semicolon, |d| -> Result<_, cssparser::ParseError<'i, ()>> {
        let name = match d.next() {
          Ok(Token::Ident(name)) => name.to_string(),
          _ => return Ok(None),
        };
        // Comments may come before the name; a name written with escapes is left alone.
        let end = d.position().byte_index();
        let name_at = end.checked_sub(name.len()).filter(|&at| src.get(at..end) == Some(name.as_str()));
        while d.next().is_ok() {}
        Ok(name_at.map(|at| (name, at)))
      });
    let end = p.position().byte_index();
    if let Ok(Some((name, name_at))) = declaration {
      block.push((name.to_ascii_lowercase(), Declaration { start: name_at, end }));
    }
    if end == start || p.is_exhausted() {
      break;
    }
  }
  match names {
    Collect::Prefixed { names, autoprefix } => {
      let has_webkit = block.iter().any(|(n, _)| n == "-webkit-animation");
      for (name, d) in &block {
        let value = src.get(d.start + name.len()..d.end).unwrap_or("");
        if name.starts_with("--") {
          continue;
        }
        if has_prefix(name) || has_prefix(value) || rewritten_wrongly(name, value) {
          names.push((d.start, None));
        } else if name == "animation" {
          let value = value.trim_start().trim_start_matches(':').trim().trim_end_matches(';').trim_end();
          let copy = (*autoprefix && !has_webkit).then(|| format!("-webkit-animation:{value}"));
          names.push((d.start, copy));
        }
      }
    }
    Collect::Blocks(blocks) => blocks.push(block.into_iter().map(|(_, d)| d).collect()),
    Collect::Named(blocks) => blocks.push(block.into_iter().map(|(n, d)| (n, d.start, d.end)).collect()),
  }
}

/// A digit right before a `;` or `}` (maybe a unitless `height:32`): worth a closer look.
fn has_digit_end(src: &str) -> bool {
  src.as_bytes().windows(2).any(|w| w[0].is_ascii_digit() && matches!(w[1], b';' | b'}' | b' ' | b'!'))
}

/// A vendor prefix at the start of a word.
fn has_prefix(text: &str) -> bool {
  PREFIXES.iter().any(|prefix| {
    text.match_indices(prefix).any(|(i, _)| {
      let before = text[..i].chars().next_back();
      !before.is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '_')
    })
  })
}

#[cfg(test)]
mod tests;
