//! Declarations lightningcss would print differently from how engines read them: the
//! protection keeps them out of its property handlers (see [`super`]).

use cssparser::{Parser, ParserInput, Token};

/// Values lightningcss rewrites in ways the guard must then reject: a `system-ui` font it
/// expands into a font stack the author did not write. (A quoted `url("...")` it unquotes and
/// escapes even in a custom property; [`hide`] keeps those out.) And values it reads more
/// leniently than browsers, where its "fix" would start applying what engines ignore: a
/// unitless length in a transform function (`translateY(0.5)`, which Chromium and WebKit drop,
/// it prints as `translateY(.5px)`; found by the browser comparison in tests/meaning.rs).
pub(super) fn rewritten_wrongly(name: &str, value: &str) -> bool {
  (name == "font-family" && value.contains("system-ui")) || unitless_length(value) || unitless_size(name, value)
}

/// Properties that take lengths and no plain numbers, where lightningcss (with vendor prefixes
/// among its targets) reads a unitless `height:32`, which browsers drop, as `32px` (UnoCSS's
/// icon rules in the Taro build; found by the browser comparison in tests/meaning.rs).
const LENGTHS: &[&str] = &[
  "width",
  "height",
  "min-width",
  "min-height",
  "max-width",
  "max-height",
  "margin",
  "margin-top",
  "margin-right",
  "margin-bottom",
  "margin-left",
  "padding",
  "padding-top",
  "padding-right",
  "padding-bottom",
  "padding-left",
  "top",
  "right",
  "bottom",
  "left",
  "inset",
  "font-size",
  "border-width",
  "border-radius",
  "outline-width",
  "letter-spacing",
  "word-spacing",
  "text-indent",
  "gap",
  "row-gap",
  "column-gap",
  "flex-basis",
];

/// A non-zero number without a unit in the value of a length property.
fn unitless_size(name: &str, value: &str) -> bool {
  if !LENGTHS.contains(&name) {
    return false;
  }
  let value = value.trim_start().trim_start_matches(':');
  let mut input = ParserInput::new(value);
  let mut p = Parser::new(&mut input);
  let mut found = false;
  while let Ok(token) = p.next() {
    found |= matches!(token, Token::Number { value, .. } if *value != 0.0);
  }
  found
}

/// A non-zero number without a unit where a transform function takes a length.
fn unitless_length(value: &str) -> bool {
  fn walk<'i>(p: &mut Parser<'i, '_>, in_length: bool) -> bool {
    let mut found = false;
    while let Ok(token) = p.next() {
      match token {
        Token::Number { value, .. } if in_length && *value != 0.0 => found = true,
        Token::Function(name) => {
          let name = name.to_ascii_lowercase();
          let lengths = name.starts_with("translate") || name == "perspective";
          found |=
            p.parse_nested_block(|inner| Ok::<_, cssparser::ParseError<'i, ()>>(walk(inner, lengths))).unwrap_or(false);
        }
        _ => {}
      }
    }
    found
  }
  if !(value.contains("translate") || value.contains("perspective")) {
    return false;
  }
  let mut input = ParserInput::new(value);
  walk(&mut Parser::new(&mut input), false)
}
