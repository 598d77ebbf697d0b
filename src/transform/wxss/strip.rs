//! The lossless WXSS minifier, and the split of a sheet into its top-level statements.

use cssparser::{ParseError, Parser, ParserInput, Token};

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

/// The top-level statements of a sheet (a rule with its block, or an at-rule up to its `;`), as
/// slices of `src` with their byte offsets; the comments and whitespace before each go with it.
pub fn statements(src: &str) -> Vec<(usize, &str)> {
  let mut input = ParserInput::new(src);
  let mut p = Parser::new(&mut input);
  let mut out = Vec::new();
  let mut start = 0;
  while let Ok(token) = p.next_including_whitespace_and_comments() {
    let (semicolon, block) = (matches!(token, Token::Semicolon), matches!(token, Token::CurlyBracketBlock));
    if semicolon || block {
      let end = p.position().byte_index();
      // cssparser skips a block's inside on the next call; its end is after the `}`.
      let end = if block {
        let _ = p.parse_nested_block(|_| -> Result<(), ParseError<'_, ()>> { Ok(()) });
        p.position().byte_index()
      } else {
        end
      };
      if let Some(stmt) = src.get(start..end) {
        out.push((start, stmt));
      }
      start = end;
    }
  }
  if let Some(rest) = src.get(start..).filter(|r| !r.trim().is_empty()) {
    out.push((start, rest));
  }
  out
}

#[cfg(test)]
mod tests {
  use super::*;

  #[track_caller]
  fn test_strip(input: &str, expected: &str) {
    assert_eq!(strip(input), expected);
    assert_eq!(strip(expected), expected, "not idempotent");
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

  #[test]
  fn statements_cover_the_sheet() {
    let src = "@import 'a.wxss';\n/* c */ .a{color:red}\n@media (x){.b{c:d}} .c{";
    let parts = statements(src);
    let texts: Vec<&str> = parts.iter().map(|p| p.1).collect();
    assert_eq!(texts, ["@import 'a.wxss';", "\n/* c */ .a{color:red}", "\n@media (x){.b{c:d}}", " .c{"]);
    assert_eq!(texts.concat(), src);
    assert_eq!(parts[1].0, 17);
  }
}
