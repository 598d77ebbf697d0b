//! The newest ECMAScript syntax a file uses, read with oxc.
//!
//! The transform's invariant is that a file's syntax level never rises: ES5 in, ES5 out (WXS is
//! always ES5). [`detect`] runs on every input and every output; an output above
//! `max(input, target)` is a bug, and the original ships instead. It also reports what strict ES5
//! rejects outright, duplicate plain keys in one object literal (a minifier can fold a computed
//! `["onReady"]` into a second `onReady`), and, for WXS, identifiers containing `$`.

use oxc_allocator::Allocator;
use oxc_ast_visit::Visit;
use oxc_parser::{ParseOptions, Parser};
use oxc_span::SourceType;
use serde::Serialize;

mod detector;
pub mod loops;
use detector::Detector;

/// ECMAScript editions, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EsLevel {
  Es5,
  Es2015,
  Es2016,
  Es2017,
  Es2018,
  Es2019,
  Es2020,
  Es2021,
  Es2022,
  EsNext,
}

impl EsLevel {
  pub fn as_str(self) -> &'static str {
    match self {
      EsLevel::Es5 => "ES5",
      EsLevel::Es2015 => "ES2015",
      EsLevel::Es2016 => "ES2016",
      EsLevel::Es2017 => "ES2017",
      EsLevel::Es2018 => "ES2018",
      EsLevel::Es2019 => "ES2019",
      EsLevel::Es2020 => "ES2020",
      EsLevel::Es2021 => "ES2021",
      EsLevel::Es2022 => "ES2022",
      EsLevel::EsNext => "ESNext",
    }
  }
}

/// What [`detect`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Syntax {
  pub level: EsLevel,
  /// The feature that set the level, for messages.
  pub feature: &'static str,
  /// An object literal repeats a plain key (a syntax error in strict ES5).
  pub duplicate_key: Option<String>,
  /// An identifier contains `$` (forbidden in WXS).
  pub dollar_identifier: Option<String>,
  /// It imports or exports (an ES module).
  pub module: bool,
  /// The level of everything but regular expression literals, and of those alone: swc cannot
  /// lower a regular expression (`/\p{L}/u`), so they are judged apart.
  pub code_level: EsLevel,
  pub regex_level: EsLevel,
  /// Loops with closures over their per-iteration bindings ([`loops`]); read only for files
  /// with `let` or `const`.
  pub loops: loops::Loops,
  /// `'worklet'` directive prologues (Skyline runs those functions on the render thread and
  /// finds them by the directive).
  pub worklets: usize,
}

/// Parses `src` (sloppy script first, then module) and reports its syntax level. `None` when it
/// does not parse.
pub fn detect(src: &str) -> Option<Syntax> {
  detect_as(src, &[SourceType::unambiguous(), SourceType::script(), SourceType::mjs()])
}

/// [`detect`] for TypeScript: the ECMAScript features it uses (types do not count).
pub fn detect_ts(src: &str) -> Option<Syntax> {
  detect_as(src, &[SourceType::ts()])
}

fn detect_as(src: &str, types: &[SourceType]) -> Option<Syntax> {
  let allocator = Allocator::default();
  let options = ParseOptions { allow_return_outside_function: true, ..ParseOptions::default() };
  for &source_type in types {
    let ret = Parser::new(&allocator, src, source_type).with_options(options).parse();
    if ret.panicked || !ret.diagnostics.is_empty() {
      continue;
    }
    let mut d = Detector {
      src,
      syntax: Syntax {
        level: EsLevel::Es5,
        feature: "",
        duplicate_key: None,
        dollar_identifier: None,
        module: false,
        code_level: EsLevel::Es5,
        regex_level: EsLevel::Es5,
        worklets: 0,
        loops: loops::Loops::default(),
      },
    };
    d.visit_program(&ret.program);
    d.syntax.loops = loops::scan(&ret.program);
    return Some(d.syntax);
  }
  None
}

#[cfg(test)]
mod tests;
