//! JSON reading with located errors. The platform's JSON files are plain JSON; a syntax error
//! names file, line and column. A UTF-8 BOM is read past: DevTools' compiler (miniprogram-ci
//! 2.1.42) refuses an app.json that starts with one, and the JSON minifier writes none.

use serde::de::DeserializeOwned;

use crate::diagnostic::{Code, Diagnostic, Location};

pub use super::json_spans::{JsonSpans, Seg};

/// Parses `src` as `T`. `file` is the display path used in the error.
pub fn parse<T: DeserializeOwned>(file: &str, src: &str) -> Result<T, Diagnostic> {
  serde_json::from_str(src.strip_prefix('\u{feff}').unwrap_or(src)).map_err(|e| error(file, src, &e))
}

/// [`parse`], and where each value is written. The index is built only from text serde read,
/// so it never sees what serde refuses (deeper than 128 levels among it).
pub fn parse_spanned<T: DeserializeOwned>(file: &str, src: &str) -> Result<(T, JsonSpans), Diagnostic> {
  let value = parse(file, src)?;
  Ok((value, JsonSpans::of(src)))
}

fn error(file: &str, src: &str, e: &serde_json::Error) -> Diagnostic {
  let (code, help) = match e.classify() {
    serde_json::error::Category::Data => {
      (Code::InvalidConfig, "fix the value's type; see the platform's app.json / page.json reference")
    }
    _ => (Code::InvalidJson, "JSON allows no comments, trailing commas or single quotes"),
  };
  let line = e.line();
  let text = src.lines().nth(line.saturating_sub(1)).unwrap_or("").trim_end_matches('\r');
  let message = e.to_string();
  // serde_json appends " at line L column C"; the location already says it.
  let message = message.rfind(" at line ").map_or(message.as_str(), |i| &message[..i]).to_string();
  let mut loc = Location::at(file, u32::try_from(line).unwrap_or(0), u32::try_from(e.column()).unwrap_or(0));
  loc.line_text = text.to_string();
  loc.len = 1;
  Diagnostic::error(code, message).at(loc).with_help(help)
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn syntax_error_is_located() {
    let err = parse::<serde_json::Value>("app.json", "{\n  \"pages\": [\"a\",]\n}").unwrap_err();
    assert_eq!(err.code, Code::InvalidJson);
    let loc = err.location.unwrap();
    assert_eq!((loc.line, loc.line_text.as_str()), (2, "  \"pages\": [\"a\",]"));
  }

  #[test]
  fn bom_is_tolerated() {
    assert!(parse::<serde_json::Value>("a.json", "\u{feff}{}").is_ok());
  }
}
