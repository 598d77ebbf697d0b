//! Custom property values as the author wrote them.
//!
//! A custom property's value is a token stream the cascade substitutes later, through `var()`,
//! into any context: lightningcss reads colors and numbers in it and reprints them
//! (`--un-ring-shadow: 0 0 rgb(0 0 0 / 0)` became `0 0 transparent`, which Chromium's cascade
//! tells apart; UnoCSS writes such values into every uni-app build that uses it). Each value is
//! taken out before lightningcss runs and put back after, with only its whitespace and comments
//! compacted ([`compact`]): every other token stays byte for byte.

/// Where each custom property's value lies in `src` (after the `:`, without surrounding
/// whitespace and without `!important`), in order.
pub(super) fn values(src: &str) -> Vec<(usize, usize)> {
  let mut blocks = Vec::new();
  super::declarations_of(src, &mut blocks);
  let mut out = Vec::new();
  for (name, start, end) in blocks.into_iter().flatten() {
    if !name.starts_with("--") || name.starts_with(super::MARK) || name.starts_with(super::HIDDEN) {
      continue;
    }
    let Some(decl) = src.get(start..end) else { continue };
    let Some(colon) = decl.get(name.len()..).and_then(|rest| rest.find(':')) else { continue };
    let value_at = start + name.len() + colon + 1;
    let mut value = src.get(value_at..end).unwrap_or("").trim_end();
    value = value.strip_suffix(';').unwrap_or(value).trim_end();
    if let Some(i) = important_at(value) {
      value = value[..i].trim_end();
    }
    let lead = value.len() - value.trim_start().len();
    let value = value.trim_start();
    if !value.is_empty() {
      out.push((value_at + lead, value_at + lead + value.len()));
    }
  }
  out
}

/// Where a trailing `!important` (any case, spaces allowed after `!`) starts.
fn important_at(value: &str) -> Option<usize> {
  let lower = value.to_ascii_lowercase();
  let body = lower.strip_suffix("important")?.trim_end();
  body.strip_suffix('!').map(str::len)
}

/// `value` with each run of whitespace and comments written as one space, or none next to a
/// comma, after an opening parenthesis, before a closing one, and at either end. Strings,
/// `url(...)` and escapes are copied as they are: no other token changes.
pub(super) fn compact(value: &str) -> String {
  let chars: Vec<char> = value.chars().collect();
  let mut out = String::with_capacity(value.len());
  let mut pending = false;
  // The last thing written is a comma or an opening parenthesis of the value itself (not one
  // inside an escape, a string or a url).
  let mut after_open = false;
  let mut i = 0;
  let glue = |out: &mut String, pending: &mut bool, after_open: bool, next: char| {
    if *pending && !out.is_empty() && !after_open && !matches!(next, ',' | ')') {
      out.push(' ');
    }
    *pending = false;
  };
  while i < chars.len() {
    let c = chars[i];
    if c.is_whitespace() {
      pending = true;
      i += 1;
      continue;
    }
    if c == '/' && chars.get(i + 1) == Some(&'*') {
      let end = (i + 2..chars.len().saturating_sub(1)).find(|&j| chars[j] == '*' && chars[j + 1] == '/');
      i = end.map_or(chars.len(), |j| j + 2);
      pending = true;
      continue;
    }
    glue(&mut out, &mut pending, after_open, c);
    let end = if c == '"' || c == '\'' {
      let mut j = i + 1;
      while j < chars.len() && chars[j] != c {
        j += if chars[j] == '\\' { 2 } else { 1 };
      }
      (j + 1).min(chars.len())
    } else if c == '\\' {
      (i + 2).min(chars.len())
    } else if is_url_start(&chars, i) {
      (i..chars.len()).find(|&j| chars[j] == ')').map_or(chars.len(), |j| j + 1)
    } else {
      i + 1
    };
    out.extend(&chars[i..end]);
    after_open = end == i + 1 && matches!(c, ',' | '(');
    i = end;
  }
  out
}

/// `url(` without a quote after it: its argument is one token whatever it holds.
fn is_url_start(chars: &[char], i: usize) -> bool {
  let word: String = chars.iter().skip(i).take(4).collect();
  let before = i.checked_sub(1).and_then(|j| chars.get(j));
  if !word.eq_ignore_ascii_case("url(") || before.is_some_and(|c| c.is_alphanumeric() || matches!(c, '-' | '_')) {
    return false;
  }
  let next = chars.iter().skip(i + 4).find(|c| !c.is_whitespace());
  !matches!(next, Some('"' | '\''))
}

#[cfg(test)]
mod tests {
  use cssparser::{Parser, ParserInput, Token};

  use super::*;

  /// The value's tokens, whitespace and comments left out, as text.
  fn tokens(value: &str) -> Vec<String> {
    fn walk<'i>(p: &mut Parser<'i, '_>, out: &mut Vec<String>) {
      while let Ok(t) = p.next() {
        let t = t.clone();
        out.push(format!("{t:?}"));
        if matches!(
          t,
          Token::Function(_) | Token::ParenthesisBlock | Token::SquareBracketBlock | Token::CurlyBracketBlock
        ) {
          let _ = p.parse_nested_block(|inner| -> Result<(), cssparser::ParseError<'i, ()>> {
            walk(inner, out);
            Ok(())
          });
          out.push("close".into());
        }
      }
    }
    let mut input = ParserInput::new(value);
    let mut out = Vec::new();
    walk(&mut Parser::new(&mut input), &mut out);
    out
  }

  #[test]
  fn compacts_whitespace_and_keeps_every_token() {
    for (value, expected) in [
      ("0 0 rgb(0 0 0 / 0)", "0 0 rgb(0 0 0 / 0)"),
      ("  var( --a ,  #0052D9 )  ", "var(--a,#0052D9)"),
      ("1px /* c */ solid\n\tred", "1px solid red"),
      ("a/**/b", "a b"),
      ("\"a  ,  b\" , 'c\\' d'", "\"a  ,  b\",'c\\' d'"),
      ("url( a b.png ) x", "url( a b.png ) x"),
      ("url( \"a b\" ) , y", "url(\"a b\"),y"),
      ("calc( 1px  -  -2px )", "calc(1px - -2px)"),
      ("a\\  b", "a\\  b"),
      ("{ a: b }", "{ a: b }"),
    ] {
      let got = compact(value);
      assert_eq!(got, expected, "{value:?}");
      assert_eq!(tokens(&got), tokens(value), "{value:?} -> {got:?}");
    }
  }

  /// Generated values of the tokens custom properties hold: every compaction reads as the same
  /// tokens (whitespace and comments aside) and compacting twice changes nothing.
  #[test]
  fn compacting_keeps_the_tokens_of_generated_values() {
    let parts = [
      " ",
      "  ",
      "\n",
      "/* x */",
      ",",
      "(",
      ")",
      "a",
      "-b",
      "1px",
      "0",
      ".5",
      "#fff",
      "rgb(",
      "var(",
      "--x",
      "\"s t\"",
      "'u'",
      "url(a.png)",
      "url( 'q r' )",
      "/",
      "+",
      "\\,",
      "!",
      "calc(",
      "%",
      "e",
      "10",
    ];
    let mut seed = 7u64;
    for _ in 0..20_000 {
      let mut value = String::new();
      for _ in 0..(seed % 12) {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        value.push_str(parts[(seed >> 33) as usize % parts.len()]);
      }
      seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
      let got = compact(&value);
      assert_eq!(tokens(&got), tokens(&value), "{value:?} -> {got:?}");
      assert_eq!(compact(&got), got, "{value:?}");
    }
  }

  #[test]
  fn finds_values_without_importance() {
    let src = ".a{--x: 0 0 rgb(0 0 0 / 0) ;color:red;--y:a !IMPORTANT}@media (x){.b{--z:1}}";
    let found: Vec<&str> = values(src).into_iter().map(|(s, e)| &src[s..e]).collect();
    assert_eq!(found, ["0 0 rgb(0 0 0 / 0)", "a", "1"]);
  }
}
