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
  cli::{BuildArgs, Cli, Command, DiffArgs, Format},
  config::{Verbosity, growth::GrowthLimits},
  diff::{Diff, read::Snapshot, render},
  report::text,
};

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
  if let Err(e) = wxpack::interrupt::install() {
    eprintln!("wxpack: cannot watch for Ctrl-C ({e}); an interrupted build may leave a temporary folder");
  }
  let terminal = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
  let color = terminal && args.color != wxpack::cli::When::Never || args.color == wxpack::cli::When::Always;
  let config = match args.into_config(terminal) {
    Ok(c) => c,
    Err(d) => {
      eprint!("{}", d.render(color));
      return ExitCode::from(ExitStatus::Error as u8);
    }
  };
  let outcome = match wxpack::build(&config) {
    Ok(o) => o,
    Err(failure) => {
      for d in &failure.diagnostics {
        eprint!("{}", d.render(config.color));
      }
      if failure.diagnostics.iter().any(|d| d.code == wxpack::diagnostic::Code::Interrupted) {
        return ExitCode::from(wxpack::interrupt::EXIT_STATUS as u8);
      }
      let n = failure.diagnostics.len();
      eprintln!("wxpack: build failed with {n} error{}; nothing was written", if n == 1 { "" } else { "s" });
      return ExitCode::from(ExitStatus::Error as u8);
    }
  };
  if config.verbosity != Verbosity::Quiet {
    for d in &outcome.report.diagnostics {
      eprint!("{}", d.render(config.color));
    }
  }
  let json_to_stdout = config.json_report.as_deref().is_some_and(|p| p.as_os_str() == "-");
  if let Some(path) = &config.json_report {
    let json = match serde_json::to_string_pretty(&outcome.report) {
      Ok(json) => json + "\n",
      Err(e) => {
        eprintln!("wxpack: cannot write the JSON report: {e}");
        return ExitCode::from(ExitStatus::Error as u8);
      }
    };
    if json_to_stdout {
      if let Err(e) = std::io::stdout().write_all(json.as_bytes()) {
        eprintln!("wxpack: cannot write the JSON report to stdout: {e}");
        return ExitCode::from(ExitStatus::Error as u8);
      }
    } else if let Err(d) = wxpack::emit::write::file(path, json.as_bytes()) {
      eprint!("{}", d.render(config.color));
      eprintln!("wxpack: the output was written; the JSON report was not");
      return ExitCode::from(ExitStatus::Error as u8);
    }
  }
  if let Some(path) = &config.html_report
    && let Err(d) = wxpack::emit::write::file(path, wxpack::report::html::render(&outcome.report).as_bytes())
  {
    eprint!("{}", d.render(config.color));
    eprintln!("wxpack: the output was written; the HTML report was not");
    return ExitCode::from(ExitStatus::Error as u8);
  }
  if config.verbosity != Verbosity::Quiet && !json_to_stdout {
    let style = text::Style { color: config.color, verbose: config.verbosity == Verbosity::Verbose };
    let mut out = std::io::stdout().lock();
    if text::render(&outcome.report, &style, &mut out).is_err() {
      return ExitCode::SUCCESS; // stdout closed (a pipe to `head`): not an error of the build
    }
  }
  if config.verbosity == Verbosity::Quiet && outcome.report.status == wxpack::report::Status::OverBudget {
    let style = text::Style { color: config.color, verbose: false };
    let _ = text::verdict(&outcome.report, &style, &mut std::io::stderr().lock());
  }
  if config.verbosity == Verbosity::Verbose {
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
    let head = serde_json::to_value(&outcome.report).and_then(serde_json::from_value::<Snapshot>);
    let compared = match head {
      Ok(head) => {
        compare(base, Snapshot::read(base), "this build", Ok(head), &config.max_growth, Format::Text, &mut out)
      }
      Err(e) => {
        eprintln!("wxpack: cannot compare the report: {e}");
        ExitStatus::Error
      }
    };
    status = status.max(compared);
  }
  ExitCode::from(status as u8)
}

/// `wxpack diff`: 0 within the limits, 1 past one or over a budget, 2 when a report cannot be
/// read or the limits are wrong.
fn diff(args: &DiffArgs) -> ExitStatus {
  let limits = match wxpack::config::diff_limits(args.config.as_deref(), args.max_growth.as_ref()) {
    Ok(l) => l,
    Err(d) => {
      eprint!("{}", d.render(false));
      return ExitStatus::Error;
    }
  };
  let (base, head) = (Snapshot::read(&args.base), Snapshot::read(&args.head));
  let head_name = args.head.display().to_string();
  compare(&args.base, base, &head_name, head, &limits, args.format, &mut std::io::stdout().lock())
}

fn compare(
  base_path: &std::path::Path,
  base: Result<Snapshot, wxpack::diagnostic::Diagnostic>,
  head_name: &str,
  head: Result<Snapshot, wxpack::diagnostic::Diagnostic>,
  limits: &GrowthLimits,
  format: Format,
  out: &mut dyn Write,
) -> ExitStatus {
  let (base, head) = match (base, head) {
    (Ok(b), Ok(h)) => (b, h),
    (b, h) => {
      for d in [b.err(), h.err()].into_iter().flatten() {
        eprint!("{}", d.render(false));
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
