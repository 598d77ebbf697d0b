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
  cli::{Cli, Command},
  config::Verbosity,
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
  let Command::Build(args) = cli.command;
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
    let written =
      if json_to_stdout { std::io::stdout().write_all(json.as_bytes()) } else { std::fs::write(path, json) };
    if let Err(e) = written {
      eprintln!("wxpack: cannot write the JSON report to {}: {e}", path.display());
      return ExitCode::from(ExitStatus::Error as u8);
    }
  }
  if config.verbosity != Verbosity::Quiet && !json_to_stdout {
    let style = text::Style { color: config.color, verbose: config.verbosity == Verbosity::Verbose };
    let mut out = std::io::stdout().lock();
    if text::render(&outcome.report, &style, &mut out).is_err() {
      return ExitCode::SUCCESS; // stdout closed (a pipe to `head`): not an error of the build
    }
  }
  if config.verbosity == Verbosity::Verbose {
    for (stage, t) in &outcome.timings {
      eprintln!("  {stage:>9}: {:.1} ms", t.as_secs_f64() * 1000.0);
    }
  }
  ExitCode::from(outcome.exit_status() as u8)
}
