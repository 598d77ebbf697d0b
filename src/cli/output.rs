//! What the commands print and write besides their results: where they write ([`Streams`]),
//! messages in either format ([`Messages`]), a failed build's errors, a build's reports.

use std::io::Write;

use super::MessageFormat;
use crate::{
  ExitStatus,
  diagnostic::{Code, Diagnostic},
  report::html,
};

/// Where a run writes.
pub struct Streams<'a> {
  pub out: &'a mut dyn Write,
  pub err: &'a mut dyn Write,
}

/// Where errors and warnings go: stderr, rendered for a person or one JSON line each.
#[derive(Clone, Copy)]
pub(super) struct Messages {
  pub(super) format: MessageFormat,
  pub(super) color: bool,
}

impl Messages {
  pub(super) fn print(self, err: &mut dyn Write, d: &Diagnostic) {
    let _ = match self.format {
      MessageFormat::Human => write!(err, "{}", d.render(self.color)),
      MessageFormat::Json => serde_json::to_string(d).map_or(Ok(()), |line| writeln!(err, "{line}")),
    };
  }

  /// A line for a person only: in JSON mode stderr holds nothing but messages.
  pub(super) fn say(self, err: &mut dyn Write, line: std::fmt::Arguments<'_>) {
    if self.format == MessageFormat::Human {
      let _ = writeln!(err, "{line}");
    }
  }
}

/// A build that stopped: its errors, and the status that says why.
pub(super) fn failed(failure: &crate::Failure, messages: Messages, io: &mut Streams) -> ExitStatus {
  for d in &failure.diagnostics {
    messages.print(io.err, d);
  }
  if failure.diagnostics.iter().any(|d| d.code == Code::Interrupted) {
    return ExitStatus::Interrupted;
  }
  let n = failure.diagnostics.len();
  let s = if n == 1 { "" } else { "s" };
  messages.say(io.err, format_args!("wxpack: build failed with {n} error{s}; nothing was written"));
  ExitStatus::Error
}

/// The `--json` and `--html` reports of a build, written; `Err` once it said what went wrong.
pub(super) fn write_reports(
  config: &crate::config::Config,
  report: &crate::report::Report,
  messages: Messages,
  io: &mut Streams,
) -> Result<(), ExitStatus> {
  let json_to_stdout = config.json_report.as_deref().is_some_and(|p| p.as_os_str() == "-");
  if let Some(path) = &config.json_report {
    let json = match serde_json::to_string_pretty(report) {
      Ok(json) => json + "\n",
      Err(e) => {
        messages.print(io.err, &Diagnostic::error(Code::Internal, format!("cannot write the JSON report: {e}")));
        return Err(ExitStatus::Error);
      }
    };
    if json_to_stdout {
      if let Err(e) = io.out.write_all(json.as_bytes()) {
        messages.print(io.err, &Diagnostic::error(Code::Io, format!("cannot write the JSON report to stdout: {e}")));
        return Err(ExitStatus::Error);
      }
    } else if let Err(d) = crate::emit::write::file(path, json.as_bytes()) {
      messages.print(io.err, &d);
      messages.say(io.err, format_args!("wxpack: the output was written; the JSON report was not"));
      return Err(ExitStatus::Error);
    }
  }
  if let Some(path) = &config.html_report
    && let Err(d) = crate::emit::write::file(path, html::render(report).as_bytes())
  {
    messages.print(io.err, &d);
    messages.say(io.err, format_args!("wxpack: the output was written; the HTML report was not"));
    return Err(ExitStatus::Error);
  }
  Ok(())
}
