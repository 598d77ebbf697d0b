//! Finds `@import` and `url()` references in WXSS.
//!
//! lightningcss parses the sheet (with `/deep/` and `>>>` allowed) and reports its dependencies.
//! In error-recovery mode it drops what it cannot parse, and with it any reference inside, and it
//! drops an `@import` that follows other rules. So when lightningcss warns, the references come
//! from a walk over cssparser's tokens (lightningcss's own tokenizer), which loses nothing.
//! Either way each reference gets the exact span of its string for later rewriting.

use std::sync::{Arc, RwLock};

use cssparser::{ParseError, Parser, ParserInput, Token};
use lightningcss::{
  dependencies::{Dependency, DependencyOptions},
  stylesheet::{ParserFlags, ParserOptions, PrinterOptions, StyleSheet},
};

use super::asset::{DepKind, Ref};
use crate::diagnostic::{Source, Span};

/// Scans one WXSS file. `file` names it in lightningcss's messages.
pub fn scan_wxss(source: &Source) -> Vec<Ref> {
  with_lightningcss(source).unwrap_or_else(|| with_tokens(source.text()))
}

fn with_lightningcss(source: &Source) -> Option<Vec<Ref>> {
  let (file, src) = (source.file(), source.text());
  let warnings = Arc::new(RwLock::new(Vec::new()));
  let options = ParserOptions {
    filename: file.to_string(),
    error_recovery: true,
    warnings: Some(warnings.clone()),
    flags: ParserFlags::DEEP_SELECTOR_COMBINATOR,
    ..ParserOptions::default()
  };
  let sheet = StyleSheet::parse(src, options).ok()?;
  if !warnings.read().ok()?.is_empty() {
    return None;
  }
  let printed = sheet
    .to_css(PrinterOptions {
      analyze_dependencies: Some(DependencyOptions { remove_imports: false }),
      ..PrinterOptions::default()
    })
    .ok()?;
  let mut cursor = 0;
  let mut refs = Vec::new();
  for dep in printed.dependencies.unwrap_or_default() {
    let (spec, loc, kind) = match dep {
      Dependency::Import(d) => (d.url, d.loc, DepKind::CssImport),
      Dependency::Url(d) => (d.url, d.loc, DepKind::CssUrl),
    };
    // lightningcss's columns are approximate (they count from the rule start); find the exact
    // text from the start of the reported line, after the previous reference.
    let line_start = source.line_start(loc.start.line)?;
    let from = line_start.max(cursor);
    let at = src.get(from..)?.find(spec.as_str())? + from;
    cursor = at + spec.len();
    refs.push(Ref::new(spec, kind, Span::new(at, cursor)));
  }
  Some(refs)
}

/// The lossless fallback: walk every token, including those inside blocks.
fn with_tokens(src: &str) -> Vec<Ref> {
  let mut input = ParserInput::new(src);
  let mut parser = Parser::new(&mut input);
  let mut refs = Vec::new();
  walk(&mut parser, src, &mut refs);
  refs
}

fn walk<'i>(p: &mut Parser<'i, '_>, src: &str, refs: &mut Vec<Ref>) {
  let mut importing = false;
  loop {
    let start = p.position().byte_index();
    let Ok(token) = p.next_including_whitespace_and_comments().cloned() else { break };
    let end = p.position().byte_index();
    let kind = if importing { DepKind::CssImport } else { DepKind::CssUrl };
    match token {
      Token::WhiteSpace(_) | Token::Comment(_) => {}
      Token::AtKeyword(name) => importing = name.eq_ignore_ascii_case("import"),
      Token::QuotedString(s) if importing => {
        refs.push(Ref::new(s.to_string(), DepKind::CssImport, Span::new(start + 1, end.saturating_sub(1))));
        importing = false;
      }
      Token::UnquotedUrl(u) => {
        if let Some(at) = src.get(start..end).and_then(|raw| raw.find(u.as_ref())) {
          refs.push(Ref::new(u.to_string(), kind, Span::new(start + at, start + at + u.len())));
        }
        importing = false;
      }
      Token::Function(name) if name.eq_ignore_ascii_case("url") => {
        let _ = p.parse_nested_block(|inner| -> Result<(), ParseError<'i, ()>> {
          loop {
            let s = inner.position().byte_index();
            match inner.next_including_whitespace_and_comments()?.clone() {
              Token::QuotedString(v) => {
                let e = inner.position().byte_index();
                refs.push(Ref::new(v.to_string(), kind, Span::new(s + 1, e.saturating_sub(1))));
                return Ok(());
              }
              Token::WhiteSpace(_) | Token::Comment(_) => {}
              _ => return Ok(()),
            }
          }
        });
        importing = false;
      }
      Token::Function(_) | Token::ParenthesisBlock | Token::SquareBracketBlock | Token::CurlyBracketBlock => {
        let _ = p.parse_nested_block(|inner| -> Result<(), ParseError<'i, ()>> {
          walk(inner, src, refs);
          Ok(())
        });
        importing = false;
      }
      Token::Semicolon => importing = false,
      _ => {}
    }
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  fn refs(src: &str, f: fn(&str) -> Vec<Ref>) -> Vec<(String, DepKind, String)> {
    f(src).into_iter().map(|r| (r.spec, r.kind, src[r.span.start as usize..r.span.end as usize].to_string())).collect()
  }

  fn both(src: &str) -> Vec<(String, DepKind, String)> {
    let a = refs(src, |s| scan_wxss(&Source::new("a.wxss", s)));
    assert_eq!(a, refs(src, with_tokens), "lightningcss and token scan disagree on {src:?}");
    a
  }

  #[test]
  fn imports_and_urls_with_exact_spans() {
    let got = both(
      "@import \"../common.wxss\";\n.a { background: url('/img/a.png') no-repeat; width: 750rpx }\n.b{background-image:url(b.png)}",
    );
    let k = |s: &str, k| (s.to_string(), k, s.to_string());
    assert_eq!(
      got,
      [k("../common.wxss", DepKind::CssImport), k("/img/a.png", DepKind::CssUrl), k("b.png", DepKind::CssUrl)]
    );
  }

  #[test]
  fn dirt_falls_back_without_losing_references() {
    // `*zoom` and an @import after rules make lightningcss drop things; the token walk keeps them.
    let src = ".a{*zoom:1;background:url(x.png)} .b /deep/ .c{color:red}\n@import 'late.wxss'";
    let got: Vec<_> = refs(src, |s| scan_wxss(&Source::new("a.wxss", s))).into_iter().map(|r| r.0).collect();
    assert_eq!(got, ["x.png", "late.wxss"]);
  }

  #[test]
  fn import_without_semicolon_at_eof() {
    let got: Vec<_> =
      refs("@import \"a.wxss\"", |s| scan_wxss(&Source::new("a.wxss", s))).into_iter().map(|r| r.0).collect();
    assert_eq!(got, ["a.wxss"]);
  }
}
