//! The `wxpack` binary: parse arguments, run the build, print, and turn the outcome into an exit
//! status. The only place that writes to stdout and stderr.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::{
  io::{IsTerminal, Write},
  process::ExitCode,
};

use clap::Parser;
use wxpack::{
  ExitStatus,
  cli::{BuildArgs, Cli, Command, DiffArgs, Format, MessageFormat},
  config::{Verbosity, growth::GrowthLimits},
  diagnostic::{Code, Diagnostic},
  diff::{Diff, read::Snapshot, render},
  report::text,
};

/// Where errors and warnings go: stderr, rendered for a person or one JSON line each.
#[derive(Clone, Copy)]
struct Messages {
  format: MessageFormat,
  color: bool,
}

impl Messages {
  fn print(self, d: &Diagnostic) {
    match self.format {
      MessageFormat::Human => eprint!("{}", d.render(self.color)),
      MessageFormat::Json => {
        if let Ok(line) = serde_json::to_string(d) {
          eprintln!("{line}");
        }
      }
    }
  }

  /// A line for a person only: in JSON mode stderr holds nothing but messages.
  fn say(self, line: std::fmt::Arguments<'_>) {
    if self.format == MessageFormat::Human {
      eprintln!("{line}");
    }
  }
}

fn main() -> ExitCode {
  let cli = match Cli::try_parse() {
    Ok(cli) => cli,
    Err(e) => {
      let _ = e.print();
      return ExitCode::from(if e.use_stderr() { ExitStatus::Error as u8 } else { 0 });
    }
  };
  match cli.command {
    Command::Build(args) => build(args),
    Command::Diff(args) => ExitCode::from(diff(&args) as u8),
  }
}

fn build(args: BuildArgs) -> ExitCode {
  let terminal = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
  let color = terminal && args.color != wxpack::cli::When::Never || args.color == wxpack::cli::When::Always;
  let mut messages = Messages { format: args.messages.message_format, color };
  if let Err(e) = wxpack::interrupt::install() {
    messages.print(&Diagnostic::warning(
      Code::Internal,
      format!("cannot watch for Ctrl-C ({e}); an interrupted build may leave a temporary folder"),
    ));
  }
  let config = match args.into_config(terminal) {
    Ok(c) => c,
    Err(d) => {
      messages.print(&d);
      return ExitCode::from(ExitStatus::Error as u8);
    }
  };
  messages.color = config.color;
  let outcome = match wxpack::build(&config) {
    Ok(o) => o,
    Err(failure) => {
      for d in &failure.diagnostics {
        messages.print(d);
      }
      if failure.diagnostics.iter().any(|d| d.code == Code::Interrupted) {
        return ExitCode::from(wxpack::interrupt::EXIT_STATUS as u8);
      }
      let n = failure.diagnostics.len();
      messages
        .say(format_args!("wxpack: build failed with {n} error{}; nothing was written", if n == 1 { "" } else { "s" }));
      return ExitCode::from(ExitStatus::Error as u8);
    }
  };
  if config.verbosity != Verbosity::Quiet {
    for d in &outcome.report.diagnostics {
      messages.print(d);
    }
  }
  let json_to_stdout = config.json_report.as_deref().is_some_and(|p| p.as_os_str() == "-");
  if let Some(path) = &config.json_report {
    let json = match serde_json::to_string_pretty(&outcome.report) {
      Ok(json) => json + "\n",
      Err(e) => {
        messages.print(&Diagnostic::error(Code::Internal, format!("cannot write the JSON report: {e}")));
        return ExitCode::from(ExitStatus::Error as u8);
      }
    };
    if json_to_stdout {
      if let Err(e) = std::io::stdout().write_all(json.as_bytes()) {
        messages.print(&Diagnostic::error(Code::Io, format!("cannot write the JSON report to stdout: {e}")));
        return ExitCode::from(ExitStatus::Error as u8);
      }
    } else if let Err(d) = wxpack::emit::write::file(path, json.as_bytes()) {
      messages.print(&d);
      messages.say(format_args!("wxpack: the output was written; the JSON report was not"));
      return ExitCode::from(ExitStatus::Error as u8);
    }
  }
  if let Some(path) = &config.html_report
    && let Err(d) = wxpack::emit::write::file(path, wxpack::report::html::render(&outcome.report).as_bytes())
  {
    messages.print(&d);
    messages.say(format_args!("wxpack: the output was written; the HTML report was not"));
    return ExitCode::from(ExitStatus::Error as u8);
  }
  if config.verbosity != Verbosity::Quiet && !json_to_stdout {
    let style = text::Style { color: config.color, verbose: config.verbosity == Verbosity::Verbose };
    let mut out = std::io::stdout().lock();
    if text::render(&outcome.report, &style, &mut out).is_err() {
      return ExitCode::SUCCESS; // stdout closed (a pipe to `head`): not an error of the build
    }
  }
  let human = messages.format == MessageFormat::Human;
  if human && config.verbosity == Verbosity::Quiet && outcome.report.status == wxpack::report::Status::OverBudget {
    let style = text::Style { color: config.color, verbose: false };
    let _ = text::verdict(&outcome.report, &style, &mut std::io::stderr().lock());
  }
  if human && config.verbosity == Verbosity::Verbose {
    for note in &outcome.notes {
      eprintln!("wxpack: {note}");
    }
    for (stage, t) in &outcome.timings {
      eprintln!("  {stage:>9}: {:.1} ms", t.as_secs_f64() * 1000.0);
    }
  }
  let mut status = outcome.exit_status();
  if let Some(base) = &config.baseline {
    // The diff follows the report; with the JSON report on stdout it goes to stderr.
    let mut out: Box<dyn Write> =
      if json_to_stdout { Box::new(std::io::stderr().lock()) } else { Box::new(std::io::stdout().lock()) };
    let head = Ok(outcome.report.snapshot());
    let compared =
      compare(base, Snapshot::read(base), "this build", head, &config.max_growth, Format::Text, messages, &mut out);
    status = status.max(compared);
  }
  ExitCode::from(status as u8)
}

/// `wxpack diff`: 0 within the limits, 1 past one or over a budget, 2 when a report cannot be
/// read or the limits are wrong.
fn diff(args: &DiffArgs) -> ExitStatus {
  let messages = Messages { format: args.messages.message_format, color: false };
  let limits = match wxpack::config::diff_limits(args.config.as_deref(), args.max_growth.as_ref()) {
    Ok(l) => l,
    Err(d) => {
      messages.print(&d);
      return ExitStatus::Error;
    }
  };
  let (base, head) = (Snapshot::read(&args.base), Snapshot::read(&args.head));
  let head_name = args.head.display().to_string();
  compare(&args.base, base, &head_name, head, &limits, args.format, messages, &mut std::io::stdout().lock())
}

#[allow(clippy::too_many_arguments)]
fn compare(
  base_path: &std::path::Path,
  base: Result<Snapshot, wxpack::diagnostic::Diagnostic>,
  head_name: &str,
  head: Result<Snapshot, wxpack::diagnostic::Diagnostic>,
  limits: &GrowthLimits,
  format: Format,
  messages: Messages,
  out: &mut dyn Write,
) -> ExitStatus {
  let (base, head) = match (base, head) {
    (Ok(b), Ok(h)) => (b, h),
    (b, h) => {
      for d in [b.err(), h.err()].into_iter().flatten() {
        messages.print(&d);
      }
      return ExitStatus::Error;
    }
  };
  let d = Diff::compute(&base_path.display().to_string(), &base, head_name, &head, limits);
  let written = match format {
    Format::Text => render::text(&d, out),
    Format::Markdown => render::markdown(&d, out),
    Format::Json => serde_json::to_string_pretty(&d).map_err(std::io::Error::other).and_then(|j| writeln!(out, "{j}")),
  };
  // A closed stdout (a pipe to `head`) cuts the listing short; the verdict stands.
  drop(written);
  if d.passes() { ExitStatus::Success } else { ExitStatus::OverBudget }
}
