//! Reading a `--json` report for `wxpack diff`: only the fields a comparison needs, from every
//! schema version this wxpack reads. A file that is not such a report is a located error.

use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use crate::diagnostic::{Code, Diagnostic, Location};

/// The schema versions `wxpack diff` reads (docs/report-schema.md).
pub const READS: &[u32] = &[1];

/// What a report says about sizes.
#[derive(Debug, Clone, Deserialize)]
pub struct Snapshot {
  pub schema_version: u32,
  pub packages: Vec<PackageIn>,
  pub total: TotalIn,
  pub files: Vec<FileIn>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PackageIn {
  /// `main`, or the subpackage root.
  pub name: String,
  /// The subpackage's app.json `name`.
  #[serde(default)]
  pub alias: Option<String>,
  pub bytes_out: u64,
  pub budget: u64,
  #[serde(default)]
  pub over_by: Option<u64>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TotalIn {
  pub bytes_out: u64,
  pub budget: u64,
  #[serde(default)]
  pub over_by: Option<u64>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct FileIn {
  pub path: String,
  /// The source file, when the planner moved or copied it to `path`.
  #[serde(default)]
  pub source: Option<String>,
  pub package: String,
  pub kind: String,
  pub bytes_out: u64,
}

impl FileIn {
  /// The file as its author knows it: its source path, wherever the planner put it.
  pub fn origin(&self) -> &str {
    self.source.as_deref().unwrap_or(&self.path)
  }
}

impl Snapshot {
  /// Reads the report at `path` (`-` is stdin: `wxpack build --json - | wxpack diff base.json -`).
  pub fn read(path: &Path) -> Result<Self, Diagnostic> {
    let display = path.display().to_string();
    let text =
      if path.as_os_str() == "-" { std::io::read_to_string(std::io::stdin()) } else { std::fs::read_to_string(path) }
        .map_err(|e| {
        Diagnostic::error(Code::Io, format!("cannot read the report: {e}"))
          .at(Location::file(&display))
          .with_help("pass the file `wxpack build --json FILE` wrote")
      })?;
    Self::parse(&display, &text)
  }

  /// Parses a report's text; `display` names it in errors. A report this wxpack reads is parsed
  /// once; the text is read again, as plain JSON, only to say why it is not one.
  pub fn parse(display: &str, text: &str) -> Result<Self, Diagnostic> {
    match serde_json::from_str::<Snapshot>(text.strip_prefix('\u{feff}').unwrap_or(text)) {
      Ok(s) if READS.contains(&s.schema_version) => Ok(s),
      Ok(_) => Err(why_not(display, text, None)),
      Err(e) => Err(why_not(display, text, Some(&e))),
    }
  }
}

/// Why `text` is no report this wxpack reads: not JSON, no or another schema version, or (`shape`)
/// a field of the wrong type.
fn why_not(display: &str, text: &str, shape: Option<&serde_json::Error>) -> Diagnostic {
  let value: Value = match crate::project::json::parse(display, text) {
    Ok(v) => v,
    Err(d) => return d.with_help("pass the file `wxpack build --json FILE` wrote, complete and unedited"),
  };
  let not_a_report = |what: &str| {
    Diagnostic::error(Code::InvalidJson, format!("not a wxpack report: {what}"))
      .at(Location::file(display))
      .with_help("pass the file `wxpack build --json FILE` wrote")
  };
  let Some(version) = value.get("schema_version") else {
    return not_a_report("it has no schema_version");
  };
  let Some(version) = version.as_u64().and_then(|v| u32::try_from(v).ok()) else {
    return not_a_report("schema_version is not a number");
  };
  if !READS.contains(&version) {
    let newer = READS.iter().all(|&r| version > r);
    let by = value.get("wxpack_version").and_then(Value::as_str).unwrap_or("an unknown version");
    return Diagnostic::error(
      Code::Unsupported,
      format!(
        "the report has schema version {version} (written by wxpack {by}); this wxpack {} reads version {}",
        env!("CARGO_PKG_VERSION"),
        READS.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
      ),
    )
    .at(Location::file(display))
    .with_help(if newer {
      "compare it with the wxpack that wrote it, or rebuild the base with this one"
    } else {
      "rebuild the base with this wxpack (or keep comparing with the older one)"
    });
  }
  let Some(e) = shape else { return not_a_report("it could not be read") };
  let message = e.to_string();
  let message = message.rfind(" at line ").map_or(message.as_str(), |i| &message[..i]).to_string();
  let line = u32::try_from(e.line()).unwrap_or(u32::MAX);
  let column = u32::try_from(e.column()).unwrap_or(u32::MAX);
  Diagnostic::error(Code::InvalidJson, format!("not a wxpack report: {message}"))
    .at(Location::at(display, line, column))
    .with_help("pass the file `wxpack build --json FILE` wrote, unedited")
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn reports_of_other_versions_are_refused_clearly() {
    let err = Snapshot::parse("base.json", r#"{"schema_version": 7, "wxpack_version": "9.0.0"}"#).unwrap_err();
    assert_eq!(err.code, Code::Unsupported);
    assert!(err.message.contains("schema version 7 (written by wxpack 9.0.0)"), "{}", err.message);
    assert!(err.help.unwrap().contains("the wxpack that wrote it"));
    let err = Snapshot::parse("base.json", r#"{"pages": []}"#).unwrap_err();
    assert!(err.message.contains("no schema_version"), "{}", err.message);
  }

  #[test]
  fn a_wrong_shape_is_located() {
    let text = "{\"schema_version\": 1,\n \"packages\": 3}";
    let err = Snapshot::parse("base.json", text).unwrap_err();
    let loc = err.location.unwrap();
    assert_eq!((loc.file.as_str(), loc.line), ("base.json", 2), "{}", err.message);
  }
}
