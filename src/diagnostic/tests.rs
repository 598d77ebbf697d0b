use super::*;

#[test]
fn locates_lines_and_columns() {
  let src = "a\n  bc\n中文x";
  let source = Source::new("f", src);
  let loc = source.at(Span::new(4, 6));
  assert_eq!((loc.line, loc.column, loc.line_text.as_str()), (2, 3, "  bc"));
  let loc = source.at(Span::new(src.len() - 1, src.len()));
  assert_eq!((loc.line, loc.column), (3, 3));
  assert_eq!(source.line_col(0), (1, 1));
  assert_eq!(source.line_col(2), (2, 1));
  // Inside a character: the character's own position; past the end: the last line.
  assert_eq!(source.line_col(8), (3, 1));
  assert_eq!(source.line_col(src.len() + 5), (3, 4));
  assert_eq!((source.line_start(1), source.line_start(3), source.line_start(4)), (Some(0), Some(7), None));
  assert_eq!(source.line_start(0), None);
}

#[test]
fn renders_code_frame() {
  let d = Diagnostic::error(Code::Unresolved, "cannot resolve './x'")
    .at(Source::new("pages/a.js", "require('./x')").at(Span::new(9, 12)))
    .with_help("check the path");
  assert_eq!(
    d.render(false),
    "pages/a.js:1:10: error[unresolved]: cannot resolve './x'\n  |\n1 | require('./x')\n  |          ^^^\n  = help: check the path\n"
  );
}

#[test]
fn long_lines_are_windowed_around_the_column() {
  let line = format!("{}require('x'){}", "a".repeat(500), "b".repeat(500));
  let d = Diagnostic::error(Code::Unresolved, "m").at(Source::new("f.js", &line).at(Span::new(509, 510)));
  let r = d.render(false);
  let text_line = r.lines().nth(2).unwrap();
  assert!(text_line.chars().count() < 110 && text_line.contains("require('x')"), "{r}");
  let caret_line = r.lines().nth(3).unwrap();
  let caret_at = caret_line.find('^').unwrap();
  assert_eq!(&text_line[..].chars().nth(caret_at).unwrap(), &'x', "{r}");
}

/// `Source::at` against the rescan it replaced (`Location::of_span` before the index), on many
/// small texts of newlines, `\r`, multi-byte characters and spans anywhere, out of range too.
#[test]
fn indexed_locations_equal_a_rescan_from_the_start() {
  fn rescan(source: &str, span: Span) -> (u32, u32, String, u32) {
    let start = floor_char_boundary(source, span.start as usize);
    let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[start..].find('\n').map_or(source.len(), |i| start + i);
    let line = source[..start].bytes().filter(|&b| b == b'\n').count() + 1;
    let column = source[line_start..start].chars().count() + 1;
    let end = floor_char_boundary(source, (span.end as usize).clamp(start, line_end));
    let text = source[line_start..line_end].trim_end_matches('\r').to_string();
    (count(line), count(column), text, count(source[start..end].chars().count()))
  }
  let alphabet = ['a', '\n', '\r', '中', 'é', ' ', '\n'];
  let mut seed = 0x9e37_79b9_u32;
  let mut next = |n: usize| {
    seed ^= seed << 13;
    seed ^= seed >> 17;
    seed ^= seed << 5;
    seed as usize % n.max(1)
  };
  for _ in 0..3000 {
    let len = next(40);
    let text: String = (0..len).map(|_| alphabet[next(alphabet.len())]).collect();
    let source = Source::new("f", &text);
    for _ in 0..8 {
      let (a, b) = (next(text.len() + 4), next(text.len() + 4));
      let span = Span::new(a.min(b), a.max(b));
      let loc = source.at(span);
      assert_eq!((loc.line, loc.column, loc.line_text, loc.len), rescan(&text, span), "{text:?} {span:?}");
      assert_eq!(source.line_col(span.start as usize), (loc.line, loc.column));
    }
  }
}
