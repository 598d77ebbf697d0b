//! How deep a JS, WXS or WXSS text nests its brackets, found without recursion. The parsers
//! and minifiers wxpack uses recurse as deep as the input nests; past a limit a file is shipped
//! as written (WXSS: lightningcss's minifier also takes memory quadratic in the depth) or
//! refused with its location, instead of overflowing the stack.

/// Brackets in WXSS any real stylesheet stays far below; deeper, WXSS ships as written.
pub const WXSS_MINIFY: usize = 256;
/// Brackets past which a file is not read at all (the parsers' own limit, on wxpack's stack).
pub const READ: usize = 100_000;

/// Which comments and strings a text has: JS and WXS (`//` and `/* */`, three quotes) or WXSS
/// (`/* */` only, where `//` is text: `url(http://...)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
  Js,
  Css,
}

/// What one pass over a text found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Nesting {
  /// The deepest nesting of `(`, `[` and `{`.
  pub depth: usize,
  /// The byte offset where that depth was first reached.
  pub deepest_at: usize,
  /// The offset of the first `{` that is never closed, if one is.
  pub unclosed_brace: Option<usize>,
}

/// Brackets outside strings and comments, counted without recursion. A regular expression's
/// brackets may count (they can only make a file look deeper than it is).
pub fn scan(text: &str, syntax: Syntax) -> Nesting {
  let bytes = text.as_bytes();
  let (mut max, mut at) = (0usize, 0usize);
  // The open brackets, innermost last: (offset, is a brace).
  let mut open: Vec<(usize, bool)> = Vec::new();
  let mut i = 0;
  while let Some(&b) = bytes.get(i) {
    match b {
      b'(' | b'[' | b'{' => {
        open.push((i, b == b'{'));
        if open.len() > max {
          (max, at) = (open.len(), i);
        }
      }
      b')' | b']' | b'}' => {
        open.pop();
      }
      b'"' | b'\'' => i = skip_string(bytes, i),
      b'`' if syntax == Syntax::Js => i = skip_string(bytes, i),
      b'/' if bytes.get(i + 1) == Some(&b'*') => {
        i = find(bytes, i + 2, b"*/").map_or(bytes.len(), |e| e + 1);
      }
      b'/' if syntax == Syntax::Js && bytes.get(i + 1) == Some(&b'/') => {
        i = find(bytes, i + 2, b"\n").unwrap_or(bytes.len());
      }
      _ => {}
    }
    i += 1;
  }
  let unclosed_brace = open.iter().find(|(_, brace)| *brace).map(|&(at, _)| at);
  Nesting { depth: max, deepest_at: at, unclosed_brace }
}

/// The index of the closing quote of the string opening at `start` (or the end).
fn skip_string(bytes: &[u8], start: usize) -> usize {
  let quote = bytes[start];
  let mut i = start + 1;
  while let Some(&b) = bytes.get(i) {
    if b == b'\\' {
      i += 2;
      continue;
    }
    // A quote or a line end closes it: CSS and JS strings do not span lines (templates do).
    if b == quote || (b == b'\n' && quote != b'`') {
      return i;
    }
    i += 1;
  }
  bytes.len()
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
  bytes.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| p + from)
}

#[cfg(test)]
mod tests {
  use super::*;

  fn depth(text: &str) -> (usize, usize) {
    let n = scan(text, Syntax::Js);
    (n.depth, n.deepest_at)
  }

  #[test]
  fn counts_brackets_outside_strings_and_comments() {
    assert_eq!(depth("a(b[c{d}])"), (3, 5));
    assert_eq!(depth("f('(((', \"[[\", `{{`) /* ((( */ // [[[\n"), (1, 1));
    assert_eq!(depth(".a{content:'\\'{'}"), (1, 2));
    assert_eq!(depth("))) (("), (2, 5));
    assert_eq!(depth(&"(".repeat(10_000)), (10_000, 9_999));
    assert_eq!(depth("'unclosed"), (0, 0));
  }

  #[test]
  fn in_wxss_two_slashes_are_text() {
    let sheet = ".a{background:url(http://x.com/a.png)}\n".repeat(300);
    assert_eq!(scan(&sheet, Syntax::Css).depth, 2);
    assert_eq!(scan(&sheet, Syntax::Css).unclosed_brace, None);
  }

  #[test]
  fn finds_the_first_unclosed_brace() {
    let unclosed = |t: &str| scan(t, Syntax::Css).unclosed_brace;
    assert_eq!(unclosed(".a{color:red}.b{x:y}"), None);
    assert_eq!(unclosed(".a { color: red;\n.b { color: blue; }\n"), Some(3));
    assert_eq!(unclosed(".a{content:'{'} /* { */"), None);
  }
}
