//! `wxpack check`: DevTools' code-quality checks, the declarations the upload requires and the
//! review's rejection reasons, offline, with file and line.
//!
//! It reuses the build's stages up to the planner's analysis (load, scan, reach): no second
//! parser. Each rule module turns what those found into [`CheckResult`]s; [`check`] applies
//! `[check]` (levels, ignored paths) and [`render`] prints text, JSON or SARIF.

mod devtools;
mod payment;
mod privacy;
pub mod render;
pub mod rules;
mod unused;
mod words;

use serde::Serialize;

pub use crate::config::check::Level;
use crate::{
  Failure,
  config::{Config, check::CheckOptions},
  diagnostic::{Code, Diagnostic, Location, Policy},
  graph::Graph,
  mp_path::MpPath,
  plan::Analysis,
  progress::Progress,
  project::Project,
};
pub use rules::{Origin, Rule};

/// Whether `wxpack build` takes care of a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BuildFix {
  /// The output no longer has the problem.
  Fixed,
  /// The output is smaller, which may or may not be enough.
  Reduced,
  /// wxpack does the work itself and turns DevTools' switch off in the output, so that
  /// DevTools does not do it twice: the output's files are minified, its switch still reads off.
  Superseded,
  /// Only the project's authors can fix it.
  No,
}

/// One thing a rule found.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
  pub level: Level,
  pub message: String,
  #[serde(skip_serializing_if = "Option::is_none")]
  pub location: Option<Location>,
  pub help: String,
  pub build: BuildFix,
  /// The bytes at stake (a package's size, a file's), when the rule is about size.
  #[serde(skip_serializing_if = "Option::is_none")]
  pub bytes: Option<u64>,
  /// The file it is about, for `[check] ignore`.
  #[serde(skip)]
  pub file: Option<MpPath>,
}

impl Finding {
  pub fn new(level: Level, message: impl Into<String>, help: impl Into<String>, build: BuildFix) -> Self {
    Self { level, message: message.into(), location: None, help: help.into(), build, bytes: None, file: None }
  }

  #[must_use]
  pub fn at(mut self, file: &MpPath, location: Location) -> Self {
    self.file = Some(file.clone());
    self.location = Some(location);
    self
  }

  #[must_use]
  pub fn bytes(mut self, n: u64) -> Self {
    self.bytes = Some(n);
    self
  }
}

/// One rule's verdict. DevTools' rules pass or fail as miniprogram-ci's `checkCodeQuality`
/// says (a passed one may still list what it saw, as info); wxpack's own pass when they find
/// nothing.
#[derive(Debug, Clone)]
pub struct CheckResult {
  pub rule: Rule,
  pub passed: bool,
  pub findings: Vec<Finding>,
}

/// `{"name", "origin", "passed", "title", "doc", "findings"}`: the rule's name first, as
/// docs/check.md shows it.
impl Serialize for CheckResult {
  fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeStruct;
    let mut m = s.serialize_struct("CheckResult", 6)?;
    m.serialize_field("name", self.rule.name())?;
    m.serialize_field("origin", &self.rule.origin())?;
    m.serialize_field("passed", &self.passed)?;
    m.serialize_field("title", self.rule.title())?;
    m.serialize_field("doc", self.rule.doc())?;
    m.serialize_field("findings", &self.findings)?;
    m.end()
  }
}

impl CheckResult {
  /// A rule of wxpack's own: passed when it found nothing.
  fn of(rule: Rule, findings: Vec<Finding>) -> Self {
    Self { rule, passed: findings.is_empty(), findings }
  }
}

/// Everything `wxpack check` found, one entry per rule that is on.
#[derive(Debug, Serialize)]
pub struct Checked {
  pub checks: Vec<CheckResult>,
}

impl Checked {
  /// Findings at error level fail the check.
  pub fn failed(&self) -> bool {
    self.checks.iter().flat_map(|c| &c.findings).any(|f| f.level == Level::Error)
  }

  pub fn count(&self, level: Level) -> usize {
    self.checks.iter().flat_map(|c| &c.findings).filter(|f| f.level == level).count()
  }
}

/// What every rule reads.
pub struct Input<'a> {
  pub project: &'a Project,
  pub graph: &'a Graph,
  pub analysis: &'a Analysis,
  pub options: &'a CheckOptions,
}

/// Checks the project `config` names. An error means it could not be checked (exit 2).
pub fn check(config: &Config) -> Result<Checked, Failure> {
  let levels = levels(&config.check)?;
  // Nothing is skipped but wxpack's own outputs (marked folders): the check writes nothing.
  let project = Project::load(&config.project_dir, &[])?;
  // A file with a syntax error is checked as far as it reads: the check is not the build.
  let policy = Policy { strict: false, keep_going: true };
  let graph = Graph::scan(&project, policy, &Progress::hidden())?;
  let analysis = Analysis::compute(&project, &graph, &config.plan, config.minify.drops_unused_components());
  let input = Input { project: &project, graph: &graph, analysis: &analysis, options: &config.check };
  let mut checks = devtools::run(&input);
  checks.extend(privacy::run(&project, &graph));
  checks.extend(words::run(&input));
  checks.extend(payment::run(&input));
  Ok(Checked { checks: apply(checks, &levels, &config.check) })
}

/// What `wxpack build` says of the upload blockers (at their default levels): one warning
/// naming them and pointing at `wxpack check`, or none.
pub fn upload_summary(project: &Project, graph: &Graph) -> Option<Diagnostic> {
  let checks = privacy::run(project, graph);
  let errors: Vec<(Rule, &Finding)> = checks
    .iter()
    .flat_map(|c| c.findings.iter().filter(|f| f.level == Level::Error).map(move |f| (c.rule, f)))
    .collect();
  let &(_, first) = errors.first()?;
  let n = errors.len();
  let mut names: Vec<&str> = errors.iter().map(|(r, _)| r.name()).collect();
  names.dedup();
  let message = format!(
    "{n} finding{} the upload refuses ({}): {}",
    if n == 1 { "" } else { "s" },
    names.join(", "),
    first.message
  );
  let d = Diagnostic::warning(Code::UploadBlocker, message)
    .with_help("run `wxpack check` for each one, with its file and line");
  // The place without its code frame: the summary stays one line and its help.
  Some(match &first.location {
    Some(l) => d.at(Location::at(l.file.clone(), l.line, l.column)),
    None => d,
  })
}

/// `[check] rules`, by rule; an unknown name is an error where it is written.
fn levels(options: &CheckOptions) -> Result<Vec<(Rule, Level)>, Failure> {
  let mut out = Vec::new();
  for (name, level, at) in &options.levels {
    let Some(rule) = Rule::by_name(name) else {
      let known: Vec<_> = Rule::ALL.iter().map(|r| r.name()).collect();
      return Err(
        Diagnostic::error(Code::InvalidToml, format!("check.rules: no rule is called {name:?}"))
          .at(at.clone())
          .with_help(format!("the rules are {}", known.join(", ")))
          .into(),
      );
    };
    out.push((rule, *level));
  }
  Ok(out)
}

/// Drops the rules turned off and the findings in ignored files, and sets each finding's level.
fn apply(checks: Vec<CheckResult>, levels: &[(Rule, Level)], options: &CheckOptions) -> Vec<CheckResult> {
  let level_of = |r: Rule| levels.iter().rev().find(|(k, _)| *k == r).map_or(r.default_level(), |(_, l)| *l);
  let mut out: Vec<CheckResult> = checks
    .into_iter()
    .filter(|c| level_of(c.rule) != Level::Off)
    .map(|mut c| {
      let level = level_of(c.rule);
      c.findings.retain(|f| !f.file.as_ref().is_some_and(|p| options.ignore.is_match(p)));
      for f in &mut c.findings {
        // What a passed DevTools check lists is information, whatever the rule's level.
        f.level = if c.passed && c.rule.origin() == Origin::Devtools { Level::Info } else { level };
      }
      if c.rule.origin() != Origin::Devtools {
        c.passed = c.findings.is_empty();
      }
      c
    })
    .collect();
  out.sort_by_key(|c| c.rule);
  out
}
