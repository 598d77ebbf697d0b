//! WXML minification, mirroring DevTools' own WXML minifier (html-minifier with
//! `collapseWhitespace: true, conservativeCollapse: false`, platform doc section 8), which runs on
//! upload anyway when `minifyWXML` is on:
//! - comments go;
//! - whitespace runs in text collapse to one space, and whitespace next to a tag is trimmed,
//!   except next to the inline tags html-minifier knows (`button`, `input`, `label`, `textarea`),
//!   where one space stays;
//! - inside `<text>` everything is kept byte for byte (all spaces and newlines render there);
//! - attribute values, entities and `{{ }}` expressions are never touched (a space between `}}`
//!   and the closing quote changes the value); only the whitespace between attributes goes;
//! - `<wxs>` bodies are minified as WXS by the caller's function, or kept.

use crate::wxml::{Tag, Token, tokenize};

const INLINE: &[&str] = &["button", "input", "label", "textarea"];

pub fn minify(src: &str, wxs: &dyn Fn(&str) -> Option<String>) -> String {
  let tokens = tokenize(src);
  let mut out = String::with_capacity(src.len());
  let mut in_text = 0usize;
  let text_of = |s: crate::diagnostic::Span| &src[s.start as usize..s.end as usize];
  for (i, token) in tokens.iter().enumerate() {
    if in_text > 0 {
      // Inside <text>: copy everything; only track nesting.
      out.push_str(text_of(token.span()));
      match token {
        Token::Open(t) if t.name == "text" && !t.self_closing => in_text += 1,
        Token::Close { name: "text", .. } => in_text -= 1,
        _ => {}
      }
      continue;
    }
    match token {
      Token::Comment(_) => {}
      Token::Open(tag) => {
        open_tag(src, tag, &mut out);
        if tag.name == "text" && !tag.self_closing {
          in_text = 1;
        }
      }
      Token::Close { name, .. } => {
        out.push_str("</");
        out.push_str(name);
        out.push('>');
      }
      Token::Script(span) => {
        let body = text_of(*span);
        match wxs(body) {
          Some(min) if min.len() < body.len() => out.push_str(&min),
          _ => out.push_str(body),
        }
      }
      Token::Text(span) => {
        let inline = |t: Option<&Token>| match t {
          Some(Token::Open(tag)) => INLINE.contains(&tag.name),
          Some(Token::Close { name, .. }) => INLINE.contains(name),
          _ => false,
        };
        let before = tokens[..i].iter().rev().find(|t| !matches!(t, Token::Comment(_)));
        let after = tokens[i + 1..].iter().find(|t| !matches!(t, Token::Comment(_)));
        collapse(text_of(*span), !inline(before), !inline(after), &mut out);
      }
    }
  }
  out
}

/// `<name a="v" b>` with the source's quotes and values, single spaces between attributes.
fn open_tag(src: &str, tag: &Tag, out: &mut String) {
  out.push('<');
  out.push_str(tag.name);
  for attr in &tag.attrs {
    out.push(' ');
    out.push_str(attr.name);
    if let Some(v) = &attr.value {
      out.push('=');
      let quote =
        src.as_bytes().get((v.span.start as usize).wrapping_sub(1)).copied().filter(|&q| q == b'"' || q == b'\'');
      let q = quote.map(char::from);
      out.extend(q);
      out.push_str(v.text);
      out.extend(q);
    }
  }
  out.push_str(if tag.self_closing { "/>" } else { ">" });
}

/// Collapses whitespace runs outside `{{ }}` to one space, trimming the ends when asked.
fn collapse(text: &str, trim_start: bool, trim_end: bool, out: &mut String) {
  let mut buf = String::with_capacity(text.len());
  let mut rest = text;
  let mut pending_space = false;
  while !rest.is_empty() {
    if rest.starts_with("{{") {
      let end = rest.find("}}").map_or(rest.len(), |i| i + 2);
      if pending_space {
        buf.push(' ');
        pending_space = false;
      }
      buf.push_str(&rest[..end]);
      rest = &rest[end..];
      continue;
    }
    let c = rest.chars().next().unwrap_or(' ');
    if c.is_ascii_whitespace() {
      pending_space = true;
    } else {
      if pending_space {
        buf.push(' ');
        pending_space = false;
      }
      buf.push(c);
    }
    rest = &rest[c.len_utf8()..];
  }
  if pending_space && !trim_end {
    buf.push(' ');
  }
  let s = if trim_start { buf.trim_start_matches(' ') } else { &buf };
  out.push_str(s);
}

#[cfg(test)]
mod tests {
  use super::*;

  fn no_wxs(_: &str) -> Option<String> {
    None
  }

  #[track_caller]
  fn test(input: &str, expected: &str) {
    let out = minify(input, &no_wxs);
    assert_eq!(out, expected);
    assert_eq!(minify(&out, &no_wxs), out, "not idempotent");
  }

  #[track_caller]
  fn test_same(input: &str) {
    test(input, input);
  }

  #[test]
  fn collapses_like_devtools() {
    test("<view>\n  a    a\n</view>", "<view>a a</view>");
    test(
      "<view>\n  <view>x</view>\n  <!-- note -->\n  <view>y</view>\n</view>\n",
      "<view><view>x</view><view>y</view></view>",
    );
  }

  #[test]
  fn text_is_kept_byte_for_byte() {
    test_same("<text>  two  spaces\n and a newline <text> nested </text> </text>");
    test("<view> <text decode>&nbsp; x </text> </view>", "<view><text decode>&nbsp; x </text></view>");
  }

  #[test]
  fn attribute_values_are_untouched() {
    test(
      "<view\n   wx:for=\"{{[1, 2, 3]}} \"\n   class='a  b'   hidden\n/>",
      "<view wx:for=\"{{[1, 2, 3]}} \" class='a  b' hidden/>",
    );
    test_same("<image src=\"a.png\" mode=aspectFit/>");
  }

  #[test]
  fn mustache_is_untouched() {
    test("<view>  {{ a + '  ' + b }}   x  </view>", "<view>{{ a + '  ' + b }} x</view>");
  }

  #[test]
  fn entities_are_not_decoded() {
    test_same("<view>&lt;&amp;&#x4e2d;</view>");
  }

  #[test]
  fn inline_tags_keep_a_space() {
    test("<view>Pay <button>now</button> please</view>", "<view>Pay <button>now</button> please</view>");
  }

  #[test]
  fn wxs_bodies_go_through_the_callback() {
    let out = minify("<wxs module=\"m\">\n var a = 1;\n</wxs>", &|_| Some("var a=1;".into()));
    assert_eq!(out, "<wxs module=\"m\">var a=1;</wxs>");
  }

  #[test]
  fn stray_text_and_broken_tags_survive() {
    test("a < b", "a < b");
    test_same("<view");
  }
}
