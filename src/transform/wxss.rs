//! WXSS minification.
//!
//! lightningcss parses, minifies and prints with the targets of the project's minimum base
//! library (never without targets: it would print `#00000080`, `(width>=375px)` and `inset`,
//! which old webviews cannot read). Its output is used only when it is safe:
//! - a parser warning means lightningcss dropped something (a rule it could not read, or an
//!   `@import` after other rules), so the file falls back to [`strip`], a lossless
//!   whitespace-and-comment minifier over cssparser's tokens, and the reason is reported;
//! - a file with CSS escapes (`content: "\2713"`) is stripped too, because lightningcss would
//!   reprint the escape as the character and DevTools breaks on non-ASCII `content`;
//! - when the targets' prefixes make lightningcss's output larger than [`strip`]'s, the stripped
//!   form wins.

use std::sync::{Arc, RwLock};

use cssparser::{ParseError, Parser, ParserInput, Token};
use lightningcss::{
  stylesheet::{MinifyOptions, ParserFlags, ParserOptions, PrinterOptions, StyleSheet},
  targets::Targets,
};

use super::Fallback;

/// Minifies one stylesheet. Returns the code and, when lightningcss's output was not used
/// because it could be wrong, why.
pub fn minify(src: &str, targets: Targets) -> (String, Option<Fallback>) {
  let stripped = strip(src);
  if src.contains('\\') {
    return (stripped, Some(Fallback::new("keeps CSS escapes byte for byte (lightningcss would reprint them)")));
  }
  match with_lightningcss(src, targets) {
    Ok(code) if code.len() <= stripped.len() => (code, None),
    Ok(_) => (stripped, None),
    Err(fallback) => (stripped, Some(fallback)),
  }
}

fn with_lightningcss(src: &str, targets: Targets) -> Result<String, Fallback> {
  let warnings = Arc::new(RwLock::new(Vec::new()));
  let options = ParserOptions {
    error_recovery: true,
    warnings: Some(warnings.clone()),
    flags: ParserFlags::DEEP_SELECTOR_COMBINATOR,
    ..ParserOptions::default()
  };
  let mut sheet = StyleSheet::parse(src, options).map_err(|e| located(&e.kind.to_string(), e.loc.as_ref()))?;
  if let Some(w) =
    warnings.read().ok().as_ref().and_then(|w| w.first().map(|w| located(&w.kind.to_string(), w.loc.as_ref())))
  {
    return Err(Fallback { reason: format!("lightningcss would drop what it cannot parse: {}", w.reason), ..w });
  }
  sheet
    .minify(MinifyOptions { targets, ..MinifyOptions::default() })
    .map_err(|e| located(&e.kind.to_string(), e.loc.as_ref()))?;
  let printed = sheet
    .to_css(PrinterOptions { minify: true, targets, ..PrinterOptions::default() })
    .map_err(|e| located(&e.kind.to_string(), e.loc.as_ref()))?;
  Ok(printed.code)
}

/// lightningcss lines start at 0 and columns at 1.
fn located(message: &str, loc: Option<&lightningcss::error::ErrorLocation>) -> Fallback {
  let mut f = Fallback::new(message);
  if let Some(l) = loc {
    f.line = Some(l.line + 1);
    f.column = Some(l.column);
  }
  f
}

/// Lossless minification: drops comments and whitespace that separates nothing, and the `;`
/// before a `}`. Every other token is copied byte for byte from the source. A sheet with an
/// unterminated string or url (which ends at a newline, so no whitespace around it may change)
/// comes back as it was.
pub fn strip(src: &str) -> String {
  let mut input = ParserInput::new(src);
  let mut parser = Parser::new(&mut input);
  let mut out = String::with_capacity(src.len());
  let mut bad = false;
  let mut open_at_rule = false;
  block(&mut parser, src, &mut out, false, &mut bad, &mut open_at_rule);
  if bad {
    return src.to_string();
  }
  // `@import "a.wxss"` at the end of a file, without its `;`: WXSS wants the statement ended.
  if open_at_rule {
    out.push(';');
  }
  out
}

/// Characters after which whitespace never matters, and before which it never matters.
const NO_SPACE_AFTER: &[char] = &['{', '}', ';', ',', '>', '(', '[', ':'];

fn no_space_before(t: &Token) -> bool {
  matches!(t, Token::CurlyBracketBlock | Token::Semicolon | Token::Comma | Token::Delim('>' | '!'))
}

/// Copies the tokens of one block; returns how many `;` it ends with. `declarations`:
/// the block of a style rule, where whitespace before a `:` separates nothing (elsewhere
/// `a :hover` and `a:hover` are different selectors).
/// `open_at_rule` is set when the block ends inside an at-rule statement (no `;`, no block).
fn block<'i>(
  p: &mut Parser<'i, '_>,
  src: &str,
  out: &mut String,
  declarations: bool,
  bad: &mut bool,
  open_at_rule: &mut bool,
) -> usize {
  let (mut space, mut comment, mut trailing_semicolons) = (false, false, 0);
  // Whether the current statement began with an at-keyword (`@media ... {` holds rules).
  let mut at_rule: Option<bool> = None;
  let mut unclosed = false;
  loop {
    let start = p.position();
    let Ok(token) = p.next_including_whitespace_and_comments().cloned() else { break };
    match token {
      Token::WhiteSpace(_) => space = true,
      Token::Comment(_) => comment = true,
      token => {
        // Unterminated strings and urls end at a newline, and an escape outside a string can
        // change what the following characters mean: around these no whitespace can be touched
        // safely, so such a sheet is kept as written.
        *bad |= matches!(token, Token::BadString(_) | Token::BadUrl(_))
          || (!matches!(token, Token::QuotedString(_)) && p.slice_from(start).contains('\\'));
        let prev = out.chars().next_back();
        let after_punct = prev.is_none_or(|c| NO_SPACE_AFTER.contains(&c));
        let before_colon = declarations && matches!(token, Token::Colon);
        if space && !after_punct && !no_space_before(&token) && !before_colon {
          out.push(' ');
        } else if comment && !space && !after_punct && !no_space_before(&token) {
          // `a/**/b` must not become `ab`, nor `.a/**/.b` become `.a .b`.
          out.push_str("/**/");
        }
        (space, comment) = (false, false);
        let statement_is_at_rule = *at_rule.get_or_insert(matches!(token, Token::AtKeyword(_)));
        let raw = p.slice_from(start);
        // A string, url or comment that the end of the file cuts off has no closing character:
        // a `;` added after it would land inside.
        unclosed = match &token {
          Token::QuotedString(_) => raw.len() < 2 || !raw.ends_with(&raw[..1]),
          Token::UnquotedUrl(_) => !raw.ends_with(')'),
          _ => false,
        };
        out.push_str(raw);
        trailing_semicolons = if matches!(token, Token::Semicolon) { trailing_semicolons + 1 } else { 0 };
        if matches!(
          token,
          Token::Function(_) | Token::ParenthesisBlock | Token::SquareBracketBlock | Token::CurlyBracketBlock
        ) {
          let curly = matches!(token, Token::CurlyBracketBlock);
          let inner_declarations = if curly { !statement_is_at_rule } else { declarations };
          let inner = p.parse_nested_block(|inner| -> Result<_, ParseError<'i, ()>> {
            let semi = block(inner, src, out, inner_declarations, bad, &mut false);
            Ok((inner.position().byte_index(), semi))
          });
          if let Ok((inner_end, semicolons)) = inner {
            if curly {
              out.truncate(out.len() - semicolons);
            }
            let closing = src.get(inner_end..p.position().byte_index()).unwrap_or("");
            // A block the file never closes runs to the end: a `;` after it would land inside.
            unclosed |= closing.is_empty();
            out.push_str(closing);
          }
          trailing_semicolons = 0;
          if curly {
            at_rule = None;
          }
        }
        if matches!(token, Token::Semicolon) {
          at_rule = None;
        }
      }
    }
  }
  *open_at_rule = at_rule == Some(true) && !unclosed;
  trailing_semicolons
}

#[cfg(test)]
mod tests {
  use super::*;
  use crate::targets::BaseLibrary;

  fn targets() -> Targets {
    BaseLibrary::default().engines().css_targets()
  }

  #[track_caller]
  fn test(input: &str, expected: &str) {
    let (out, fallback) = minify(input, targets());
    assert_eq!(out, expected, "fallback: {fallback:?}");
    assert_eq!(minify(&out, targets()).0, out, "not idempotent");
  }

  #[track_caller]
  fn test_strip(input: &str, expected: &str) {
    assert_eq!(strip(input), expected);
    assert_eq!(strip(expected), expected, "not idempotent");
  }

  #[test]
  fn keeps_old_webview_syntax() {
    test(".a { color: rgba(0, 0, 0, 0.5); }", ".a{color:rgba(0,0,0,.5)}");
    test(
      "@media (min-width: 375px) { .a { top: 0; left: 0; right: 0; bottom: 0 } }",
      "@media (min-width:375px){.a{top:0;bottom:0;left:0;right:0}}",
    );
  }

  #[test]
  fn rpx_survives() {
    test(".a { width: 750rpx; margin: 0 20rpx; }", ".a{width:750rpx;margin:0 20rpx}");
  }

  #[test]
  fn import_stays_a_statement() {
    test("@import \"../base.wxss\";\n.a { color: red; }", "@import \"../base.wxss\";.a{color:red}");
  }

  #[test]
  fn line_clamp_survives() {
    test(
      ".t { display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; overflow: hidden; }",
      ".t{-webkit-line-clamp:2;-webkit-box-orient:vertical;display:-webkit-box;overflow:hidden}",
    );
  }

  #[test]
  fn dirt_falls_back_losslessly() {
    for src in [
      ".a { *zoom: 1; color: red }",
      ".a >>> .b { color: red }\n.c{}",
      ".a{color:red}\n@import 'late.wxss';",
      "@media (max-width: 750rpx) { .a { color: red } }",
    ] {
      let (out, fallback) = minify(src, targets());
      if fallback.is_some() {
        assert_eq!(out, strip(src), "{src}");
      }
      assert!(out.len() < src.len(), "{src}");
    }
    let (out, fallback) = minify(".a { *zoom: 1; color: red }", targets());
    assert_eq!(out, ".a{*zoom:1;color:red}");
    assert_eq!(fallback.unwrap().line, Some(1));
  }

  #[test]
  fn deep_combinator_is_kept() {
    let (out, _) = minify(".a /deep/ .b { color: red }", targets());
    assert!(out.contains("/deep/"), "{out}");
  }

  #[test]
  fn escapes_are_kept_byte_for_byte() {
    let (out, fallback) = minify(".a::after { content: \"\\2713\"; }", targets());
    assert_eq!(out, ".a::after{content:\"\\2713\"}");
    assert!(fallback.is_some());
  }

  #[test]
  fn strip_is_lossless() {
    test_strip("/* c */ .a  >  .b , .c { color : red ; margin: 0 auto; } ", ".a>.b,.c{color:red;margin:0 auto}");
    test_strip("@media screen and (max-width: 100px) { .a { b: c } }", "@media screen and (max-width:100px){.a{b:c}}");
    test_strip(".a :hover { width: calc(100% - 10rpx) }", ".a :hover{width:calc(100% - 10rpx)}");
    test_strip("@media screen { a :hover { b : c } }", "@media screen{a :hover{b:c}}");
    test_strip(".a/**/.b{x:a/**/b}", ".a/**/.b{x:a/**/b}");
    test_strip(".a{background:url( a b.png ) no-repeat}", ".a{background:url( a b.png ) no-repeat}");
    test_strip("@import \"a.wxss\"", "@import \"a.wxss\";");
    test_strip("@import 'a.wxss'\n/* end */\n", "@import 'a.wxss';");
    test_strip("@J@J(J@J;,@J@", "@J@J(J@J;,@J@");
    test_strip("@import 'a", "@import 'a");
    test_strip("@import url(a", "@import url(a");
    test_strip("@import 'a' /* x", "@import 'a';");
    test_strip(".a{color:red !important;}", ".a{color:red!important}");
    test_strip(".a{", ".a{");
    test_strip(">{;;", ">{");
    test_strip(";'\n'zT  T ", ";'\n'zT  T ");
    test_strip("*(\\\n)\\-\n)", "*(\\\n)\\-\n)");
    test_strip(".w-1\\/2 { a : b }", ".w-1\\/2 { a : b }");
    test_strip(".a::after { content: \"\\2713\" }", ".a::after{content:\"\\2713\"}");
    test_strip(".a{b:c;;}", ".a{b:c}");
  }
}
