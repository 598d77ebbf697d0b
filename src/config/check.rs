//! `[check]`: what `wxpack check` reports and how loudly.

pub use super::file::{CheckFile, Level};
use super::options::Globs;
use crate::diagnostic::{Code, Diagnostic, Location, Source};

/// `[check]`, read.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
  /// (rule name, level, where the key is written): the check module knows the names.
  pub levels: Vec<(String, Level, Location)>,
  pub words: Vec<String>,
  pub allow_words: Vec<String>,
  pub ignore: Globs,
}

pub(super) fn check_options(
  file: CheckFile,
  source: &Source,
  at: impl Fn(std::ops::Range<usize>) -> Location,
) -> Result<CheckOptions, Diagnostic> {
  let patterns = file.ignore.unwrap_or_default();
  let ignore = Globs::new(patterns.iter().map(|p| p.get_ref().clone()).collect()).map_err(|(i, m)| {
    let d =
      Diagnostic::error(Code::InvalidToml, format!("check.ignore: {m}")).with_help("see [check] in docs/check.md");
    match i.and_then(|i| patterns.get(i)) {
      Some(p) => d.at(at(p.span())),
      None => d.at(Location::file(source.file())),
    }
  })?;
  let levels = file.rules.into_iter().map(|(k, level)| (k.get_ref().clone(), level, at(k.span()))).collect();
  Ok(CheckOptions { levels, words: file.words, allow_words: file.allow_words, ignore })
}
