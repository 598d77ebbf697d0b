//! Located, user-facing messages.
//!
//! Scanners record byte spans; a [`Location`] (1-based line and column, plus the line's text) is
//! computed only when a message is created, from the file's source. Every diagnostic carries a
//! stable [`Code`] (documented in docs/user-guide.md) so scripts can match on it.

mod policy;
pub use policy::Policy;

use std::{
  borrow::Cow,
  fmt::{self, Write as _},
};

use serde::Serialize;

/// A byte range in one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, Default)]
pub struct Span {
  pub start: u32,
  pub end: u32,
}

impl Span {
  pub fn new(start: usize, end: usize) -> Self {
    let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Self { start: clamp(start), end: clamp(end) }
  }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
  Error,
  Warning,
}

/// Stable identifiers for every message wxpack prints. Never renumber; add at the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
  /// A file the build needs could not be read.
  Io,
  /// A JSON file does not parse.
  InvalidJson,
  /// A JSON file parses but a field has the wrong shape.
  InvalidConfig,
  /// wxpack.toml is malformed or has an unknown key.
  InvalidToml,
  /// A page listed in app.json lacks its .wxml or .js file.
  MissingPage,
  /// Two subpackage roots nest.
  NestedSubpackage,
  /// A tabBar page is not a main-package page.
  TabBarPage,
  /// A path climbs above the mini program root.
  EscapesRoot,
  /// A symlink points outside the project.
  SymlinkOutside,
  /// A reference names a file that does not exist.
  Unresolved,
  /// A reference is computed at run time and cannot be followed.
  Unanalysable,
  /// A JS/WXS/WXSS file has a syntax error the scanner could not recover from.
  Syntax,
  /// The output directory is not usable.
  OutDir,
  /// A source feature wxpack does not handle yet.
  Unsupported,
  /// A `require('/abs')` path, which the platform does not support by default.
  AbsoluteRequire,
  /// An image cannot be read (corrupt, truncated, over the pixel budget); it ships unchanged.
  Image,
  /// An image's extension says one format and its bytes another.
  ImageFormat,
  /// A reference breaks the platform's package rules (a subpackage using another's files); DevTools
  /// compiles it, the client fails to load it.
  PackageRule,
  /// An independent subpackage inherits global usingComponents it cannot load.
  IndependentGlobals,
  /// wxpack contradicted itself; a bug to report.
  Internal,
  /// The project's own preloadRule names no package, or passes the preload quota.
  Preload,
  /// A navigation opens a URL that is no declared page.
  UnknownPage,
  /// A source DevTools would compile (TypeScript, Less, Sass) does not compile.
  Compile,
  /// A source is not compiled because its output already exists (DevTools uses that one).
  Shadowed,
  /// An app.json key wxpack does not know names files; they ship as entries.
  UnknownKey,
  /// A `[budget.packages]` key in wxpack.toml names no subpackage.
  UnknownPackage,
  /// The planner undid a placement that would have broken a reference.
  PlanKept,
  /// A page or component has its styles in a `.css` file, which the platform never loads.
  IgnoredCss,
  /// A report, zip or cache path would land on what the project reads.
  OutputPath,
  /// The build was stopped (Ctrl-C, SIGTERM) before its output was in place.
  Interrupted,
  /// What the upload refuses (an undeclared privacy API): `wxpack check` says where.
  UploadBlocker,
}

impl Code {
  /// A warning of this code is an error under `--strict`: DevTools compiles the project, but
  /// the platform cannot load what it names.
  pub fn is_strict_error(self) -> bool {
    matches!(
      self,
      Code::MissingPage
        | Code::Unresolved
        | Code::EscapesRoot
        | Code::UnknownKey
        | Code::UnknownPackage
        | Code::IgnoredCss
        | Code::PackageRule
    )
  }

  pub fn as_str(self) -> &'static str {
    match self {
      Code::Io => "io",
      Code::InvalidJson => "invalid-json",
      Code::InvalidConfig => "invalid-config",
      Code::InvalidToml => "invalid-toml",
      Code::MissingPage => "missing-page",
      Code::NestedSubpackage => "nested-subpackage",
      Code::TabBarPage => "tabbar-page",
      Code::EscapesRoot => "escapes-root",
      Code::SymlinkOutside => "symlink-outside",
      Code::Unresolved => "unresolved",
      Code::Unanalysable => "unanalysable",
      Code::Syntax => "syntax",
      Code::OutDir => "out-dir",
      Code::Unsupported => "unsupported",
      Code::AbsoluteRequire => "absolute-require",
      Code::Image => "image",
      Code::ImageFormat => "image-format",
      Code::PackageRule => "package-rule",
      Code::IndependentGlobals => "independent-globals",
      Code::Internal => "internal",
      Code::Preload => "preload",
      Code::UnknownPage => "unknown-page",
      Code::Compile => "compile",
      Code::Shadowed => "shadowed",
      Code::UnknownKey => "unknown-key",
      Code::UnknownPackage => "unknown-package",
      Code::PlanKept => "plan-kept",
      Code::IgnoredCss => "ignored-css",
      Code::OutputPath => "output-path",
      Code::Interrupted => "interrupted",
      Code::UploadBlocker => "upload-blocker",
    }
  }
}

/// Where a message points: a display path (project-relative) and 1-based line/column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Location {
  pub file: String,
  pub line: u32,
  pub column: u32,
  #[serde(skip)]
  pub line_text: String,
  #[serde(skip)]
  pub len: u32,
}

impl Location {
  /// A location without a code frame (from a foreign parser that reports line and column).
  pub fn at(file: impl Into<String>, line: u32, column: u32) -> Self {
    Self { file: file.into(), line, column, line_text: String::new(), len: 0 }
  }

  /// A whole-file location.
  pub fn file(file: impl Into<String>) -> Self {
    Self::at(file, 0, 0)
  }
}

/// One file's text and where its lines start, found once on first use: every message about the
/// file is located through it in O(log lines), however many there are.
#[derive(Debug, Default)]
pub struct Source<'a> {
  file: Cow<'a, str>,
  text: Cow<'a, str>,
  line_starts: std::cell::OnceCell<Vec<usize>>,
}

impl<'a> Source<'a> {
  /// `file` is the display path messages show.
  pub fn new(file: &'a str, text: &'a str) -> Self {
    Self { file: Cow::Borrowed(file), text: Cow::Borrowed(text), line_starts: std::cell::OnceCell::new() }
  }

  /// A source that owns its text (a config file read for one purpose).
  pub fn owned(file: String, text: String) -> Source<'static> {
    Source { file: Cow::Owned(file), text: Cow::Owned(text), line_starts: std::cell::OnceCell::new() }
  }

  pub fn text(&self) -> &str {
    &self.text
  }

  pub fn file(&self) -> &str {
    &self.file
  }

  /// 1-based line and column of byte `offset`. Columns count characters, not bytes, so a caret
  /// lines up under Chinese text too.
  pub fn line_col(&self, offset: usize) -> (u32, u32) {
    let (line, line_start, start) = self.line_of(offset);
    (count(line + 1), count(self.text[line_start..start].chars().count() + 1))
  }

  /// The location of `span`, with the line's text for a code frame.
  pub fn at(&self, span: Span) -> Location {
    let (line, line_start, start) = self.line_of(span.start as usize);
    let text = self.text();
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let end = floor_char_boundary(text, (span.end as usize).clamp(start, line_end));
    Location {
      file: self.file().to_string(),
      line: count(line + 1),
      column: count(text[line_start..start].chars().count() + 1),
      line_text: text[line_start..line_end].trim_end_matches('\r').to_string(),
      len: count(text[start..end].chars().count()),
    }
  }

  /// The byte offset where 1-based `line` starts (as a foreign parser counts lines).
  pub fn line_start(&self, line: u32) -> Option<usize> {
    self.starts().get((line as usize).checked_sub(1)?).copied()
  }

  fn starts(&self) -> &[usize] {
    self
      .line_starts
      .get_or_init(|| std::iter::once(0).chain(self.text.match_indices('\n').map(|(i, _)| i + 1)).collect())
  }

  /// (0-based line, its start, `offset` moved back to a char boundary).
  fn line_of(&self, offset: usize) -> (usize, usize, usize) {
    let starts = self.starts();
    let start = floor_char_boundary(self.text(), offset);
    let line = starts.partition_point(|&s| s <= start).saturating_sub(1);
    (line, starts.get(line).copied().unwrap_or(0), start)
  }
}

/// Lines and columns are u32 in every report; a file is read whole into memory, so one past
/// u32::MAX cannot occur (and would show as the largest value rather than wrap).
fn count(n: usize) -> u32 {
  u32::try_from(n).unwrap_or(u32::MAX)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
  i = i.min(s.len());
  while !s.is_char_boundary(i) {
    i -= 1;
  }
  i
}

/// One message for the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Diagnostic {
  pub code: Code,
  pub severity: Severity,
  pub message: String,
  #[serde(skip_serializing_if = "Option::is_none")]
  pub location: Option<Location>,
  #[serde(skip_serializing_if = "Option::is_none")]
  pub help: Option<String>,
}

impl Diagnostic {
  #[cold]
  pub fn error(code: Code, message: impl Into<String>) -> Self {
    Self { code, severity: Severity::Error, message: message.into(), location: None, help: None }
  }

  #[cold]
  pub fn warning(code: Code, message: impl Into<String>) -> Self {
    Self { severity: Severity::Warning, ..Self::error(code, message) }
  }

  #[must_use]
  pub fn at(mut self, location: Location) -> Self {
    self.location = Some(location);
    self
  }

  #[must_use]
  pub fn with_help(mut self, help: impl Into<String>) -> Self {
    self.help = Some(help.into());
    self
  }

  pub fn is_error(&self) -> bool {
    self.severity == Severity::Error
  }

  /// Renders the message as `file:line:col: error[code]: message`, the offending line with a
  /// caret, and the help line.
  pub fn render(&self, color: bool) -> String {
    let (label, paint) = match self.severity {
      Severity::Error => ("error", "\x1b[1;31m"),
      Severity::Warning => ("warning", "\x1b[1;33m"),
    };
    let (on, off) = if color { (paint, "\x1b[0m") } else { ("", "") };
    let mut out = String::new();
    let head = Headline { label, code: self.code.as_str(), on, off };
    head.write(&mut out, self.location.as_ref(), &self.message);
    if let Some(help) = &self.help {
      let _ = writeln!(out, "  = help: {help}");
    }
    out
  }
}

/// How a message starts: `label[code]`, colored by `on`/`off`.
pub struct Headline<'a> {
  pub label: &'a str,
  pub code: &'a str,
  pub on: &'a str,
  pub off: &'a str,
}

impl Headline<'_> {
  /// `file:line:col: label[code]: message` and the code frame, as every message of wxpack's
  /// (diagnostics, `wxpack check`'s findings) starts.
  pub fn write(&self, out: &mut String, location: Option<&Location>, message: &str) {
    let Self { label, code, on, off } = self;
    if let Some(loc) = location {
      out.push_str(&loc.file);
      if loc.line > 0 {
        let _ = write!(out, ":{}:{}", loc.line, loc.column);
      }
      out.push_str(": ");
    }
    let _ = writeln!(out, "{on}{label}[{code}]{off}: {message}");
    if let Some(loc) = location {
      code_frame(out, loc, on, off);
    }
  }
}

/// The located line with a caret under the span (nothing when the location has no line text),
/// as [`Diagnostic::render`] and `wxpack check` print it; `on`/`off` color the caret.
fn code_frame(out: &mut String, loc: &Location, on: &str, off: &str) {
  if loc.line_text.is_empty() {
    return;
  }
  let gutter = loc.line.to_string();
  let pad = " ".repeat(gutter.len());
  let (text, caret_col) = frame_window(&loc.line_text, loc.column.saturating_sub(1) as usize);
  let _ = writeln!(out, "{pad} |");
  let _ = writeln!(out, "{gutter} | {text}");
  let indent: String = text.chars().take(caret_col).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
  let _ = writeln!(out, "{pad} | {indent}{on}{}{off}", "^".repeat((loc.len.max(1) as usize).min(FRAME_WIDTH)));
}

/// The widest code frame printed: minified files put a whole program on one line.
const FRAME_WIDTH: usize = 100;

/// A window of at most [`FRAME_WIDTH`] characters of `line` around `col` (0-based, in chars),
/// with `…` where it was cut; returns the text and the caret's column within it.
fn frame_window(line: &str, col: usize) -> (String, usize) {
  let chars: Vec<char> = line.chars().collect();
  if chars.len() <= FRAME_WIDTH {
    return (line.to_string(), col);
  }
  let start = col.saturating_sub(FRAME_WIDTH / 3).min(chars.len().saturating_sub(FRAME_WIDTH));
  let end = (start + FRAME_WIDTH).min(chars.len());
  let mut text: String = chars[start..end].iter().collect();
  let mut caret = col - start;
  if start > 0 {
    text.insert(0, '…');
    caret += 1;
  }
  if end < chars.len() {
    text.push('…');
  }
  (text, caret)
}

impl fmt::Display for Diagnostic {
  fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    f.write_str(&self.render(false))
  }
}

#[cfg(test)]
mod tests;
