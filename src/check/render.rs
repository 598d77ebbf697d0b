//! `wxpack check`'s outputs: text for people, JSON for scripts, SARIF 2.1.0 for code scanning
//! (GitHub's `upload-sarif`: each finding a result with its rule and region).

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::{BuildFix, Checked, Level, Origin, Rule};
use crate::diagnostic::Headline;

/// The findings (errors and warnings in full; info counted, `--format json` lists them), then
/// one line per rule and a summary.
pub fn text(checked: &Checked, color: bool) -> String {
  let paint = |code: &'static str| if color { code } else { "" };
  let off = paint("\x1b[0m");
  let mut out = String::new();
  for c in &checked.checks {
    for f in c.findings.iter().filter(|f| f.level > Level::Info) {
      let (label, on) = match f.level {
        Level::Error => ("error", paint("\x1b[1;31m")),
        _ => ("warning", paint("\x1b[1;33m")),
      };
      Headline { label, code: c.rule.name(), on, off }.write(&mut out, f.location.as_ref(), &f.message);
      let _ = writeln!(out, "  = help: {}", f.help);
      if let Some(fix) = fix_note(f.build) {
        let _ = writeln!(out, "  = wxpack build: {fix}");
      }
      let _ = writeln!(out, "  = see: {}", c.rule.doc());
      out.push('\n');
    }
  }
  let width = Rule::ALL.iter().map(|r| r.name().len()).max().unwrap_or(0);
  for c in &checked.checks {
    let mark = match (c.passed, c.findings.iter().map(|f| f.level).max()) {
      (_, Some(Level::Error)) => "error",
      (false, _) => "failed",
      (true, _) => "ok",
    };
    let info = c.findings.iter().filter(|f| f.level == Level::Info).count();
    let listed = if info > 0 { format!(" ({info} listed in --format json)") } else { String::new() };
    let _ = writeln!(out, "  {mark:<6} {:<width$}  {}{listed}", c.rule.name(), c.rule.title());
  }
  let failed = checked.checks.iter().filter(|c| !c.passed).count();
  let _ = writeln!(
    out,
    "\n{} rules checked, {failed} not passed: {} errors, {} warnings",
    checked.checks.len(),
    checked.count(Level::Error),
    checked.count(Level::Warning)
  );
  out
}

fn fix_note(build: BuildFix) -> Option<&'static str> {
  match build {
    BuildFix::Fixed => Some("fixed in its output"),
    BuildFix::Reduced => Some("its output is smaller; see its report"),
    BuildFix::Superseded => {
      Some("minifies every file itself, and leaves the switch off in its output so DevTools does not minify twice")
    }
    BuildFix::No => None,
  }
}

/// `{"checks": [{"name", "passed", "findings": [...]}, ...]}`.
pub fn json(checked: &Checked) -> String {
  let mut s = serde_json::to_string_pretty(checked).unwrap_or_else(|_| "{}".to_string());
  s.push('\n');
  s
}

fn sarif_level(l: Level) -> &'static str {
  match l {
    Level::Error => "error",
    Level::Warning => "warning",
    Level::Info | Level::Off => "note",
  }
}

/// SARIF 2.1.0: one run, the rules that ran, one result per finding. `base` is the project
/// folder relative to the working directory (`app/` for `wxpack check app`, empty for `.`):
/// code scanning reads each path from the repository's root, where CI runs the check.
pub fn sarif(checked: &Checked, base: &str) -> String {
  let rules: Vec<Value> = checked
    .checks
    .iter()
    .map(|c| {
      json!({
        "id": c.rule.name(),
        "name": c.rule.name(),
        "shortDescription": { "text": c.rule.title() },
        "helpUri": c.rule.doc(),
        "properties": { "origin": origin(c.rule.origin()) },
      })
    })
    .collect();
  let mut results = Vec::new();
  for (index, c) in checked.checks.iter().enumerate() {
    for f in &c.findings {
      let mut result = json!({
        "ruleId": c.rule.name(),
        "ruleIndex": index,
        "level": sarif_level(f.level),
        "message": { "text": format!("{} ({})", f.message, f.help) },
      });
      if let Some(loc) = &f.location {
        let uri = format!("{base}{}", loc.file.replace('\\', "/"));
        let mut physical = json!({ "artifactLocation": { "uri": uri } });
        if loc.line > 0 {
          physical["region"] = json!({ "startLine": loc.line, "startColumn": loc.column.max(1) });
        }
        result["locations"] = json!([{ "physicalLocation": physical }]);
      }
      results.push(result);
    }
  }
  let log = json!({
    "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
    "version": "2.1.0",
    "runs": [{
      "tool": { "driver": {
        "name": "wxpack",
        "version": env!("CARGO_PKG_VERSION"),
        "informationUri": "https://github.com/wxpack/wxpack/blob/main/docs/check.md",
        "rules": rules,
      }},
      "results": results,
    }],
  });
  let mut s = serde_json::to_string_pretty(&log).unwrap_or_else(|_| "{}".to_string());
  s.push('\n');
  s
}

fn origin(o: Origin) -> &'static str {
  match o {
    Origin::Devtools => "devtools",
    Origin::Upload => "upload",
    Origin::Review => "review",
  }
}
