//! A parsed command line, run: the build or the comparison, its messages, reports and exit
//! status. Writes only to the two streams it is given, so a test can run it in-process; the
//! binary (main.rs) passes stdout and stderr.

use std::io::Write;

pub use super::output::Streams;
use super::{
  BuildArgs, CacheArgs, CacheCommand, Cli, Command, DiffArgs, Format, MessageFormat, When,
  output::{Messages, failed, write_reports},
};
use crate::{
  ExitStatus,
  config::{Verbosity, growth::GrowthLimits},
  diagnostic::{Code, Diagnostic},
  diff::{Diff, read::Snapshot, render},
  report::{Status, text},
};

/// What the process knows that a run cannot find out itself.
pub struct Context {
  /// stderr is a terminal and `CI` is not set: colors and progress bars by default.
  pub terminal: bool,
  /// Why Ctrl-C is not handled, when it is not (main.rs installs the handler, once).
  pub interrupt: Option<String>,
}

pub fn run(cli: Cli, context: &Context, io: &mut Streams) -> ExitStatus {
  match cli.command {
    Command::Build(args) => build(args, context, io),
    Command::Diff(args) => diff(&args, io),
    Command::Check(args) => super::check::run(args, context.terminal, io),
    Command::Cache(CacheCommand::Clean(args)) => cache_clean(args, io),
  }
}

/// `wxpack cache clean`: the folder a build with the same arguments would use, removed.
fn cache_clean(args: CacheArgs, io: &mut Streams) -> ExitStatus {
  let messages = Messages { format: MessageFormat::Human, color: false };
  let flags = crate::config::Overrides {
    config: args.target.config,
    out_dir: args.target.out_dir,
    cache_dir: args.cache_dir,
    ..Default::default()
  };
  let dir = match crate::config::Config::load(&args.target.project, flags) {
    Ok(c) => c.cache.dir.unwrap_or_else(|| crate::config::CacheConfig::default_dir(&c.out_dir)),
    Err(d) => {
      messages.print(io.err, &d);
      return ExitStatus::Error;
    }
  };
  match crate::cache::clear(&dir) {
    Ok(()) => {
      let _ = writeln!(io.err, "wxpack: removed the build cache {}", dir.display());
      ExitStatus::Success
    }
    Err(e) => {
      let d = Diagnostic::error(Code::Io, format!("cannot remove the build cache: {e}"))
        .at(crate::diagnostic::Location::file(dir.display().to_string()));
      messages.print(io.err, &d);
      ExitStatus::Error
    }
  }
}

fn build(args: BuildArgs, context: &Context, io: &mut Streams) -> ExitStatus {
  let color = context.terminal && args.color != When::Never || args.color == When::Always;
  let mut messages = Messages { format: args.messages.message_format, color };
  if let Some(why) = &context.interrupt {
    let message = format!("cannot watch for Ctrl-C ({why}); an interrupted build may leave a temporary folder");
    messages.print(io.err, &Diagnostic::warning(Code::Internal, message));
  }
  let watching = args.watch;
  let (project, flags) = args.into_parts(context.terminal);
  let config = match crate::config::Config::load(&project, flags.clone()) {
    Ok(c) => c,
    Err(d) => {
      messages.print(io.err, &d);
      return ExitStatus::Error;
    }
  };
  messages.color = config.color;
  if watching {
    // Ctrl-C ends a watch with 0: stopping it is how it is used.
    crate::interrupt::stop_status(0);
  }
  let (status, report) = match crate::build(&config) {
    Ok(outcome) => (finish(&config, &outcome, messages, io), Some(outcome.report)),
    Err(failure) => (failed(&failure, messages, io), None),
  };
  if !watching {
    return status;
  }
  super::watch::run(&project, &flags, config, report.as_ref(), messages, io)
}

/// Everything a finished build prints and writes besides the output: warnings, reports, the
/// text report or the verdict, `-v`'s notes and timings, the `--baseline` comparison.
fn finish(
  config: &crate::config::Config,
  outcome: &crate::Outcome,
  messages: Messages,
  io: &mut Streams,
) -> ExitStatus {
  if config.verbosity != Verbosity::Quiet {
    for d in &outcome.report.diagnostics {
      messages.print(io.err, d);
    }
  }
  if let Err(status) = write_reports(config, &outcome.report, messages, io) {
    return status;
  }
  let json_to_stdout = config.json_report.as_deref().is_some_and(|p| p.as_os_str() == "-");
  if config.verbosity != Verbosity::Quiet && !json_to_stdout {
    let style = text::Style { color: config.color, verbose: config.verbosity == Verbosity::Verbose };
    if text::render(&outcome.report, &style, io.out).is_err() {
      return ExitStatus::Success; // stdout closed (a pipe to `head`): not an error of the build
    }
  }
  let human = messages.format == MessageFormat::Human;
  if human && config.verbosity == Verbosity::Quiet && outcome.report.status == Status::OverBudget {
    let style = text::Style { color: config.color, verbose: false };
    let _ = text::verdict(&outcome.report, &style, io.err);
  }
  if human && config.verbosity == Verbosity::Verbose {
    for note in &outcome.notes {
      let _ = writeln!(io.err, "wxpack: {note}");
    }
    for (stage, t) in &outcome.timings {
      let _ = writeln!(io.err, "  {stage:>9}: {:.1} ms", t.as_secs_f64() * 1000.0);
    }
  }
  let mut status = outcome.exit_status();
  if let Some(base) = &config.baseline {
    let compared = match readable(Snapshot::read(base), Ok(outcome.report.snapshot()), messages, io.err) {
      Some((before, after)) => {
        // The diff follows the report; with the JSON report on stdout it goes to stderr.
        let out: &mut dyn Write = if json_to_stdout { &mut *io.err } else { &mut *io.out };
        compare(base, &before, "this build", &after, &config.max_growth, Format::Text, out)
      }
      None => ExitStatus::Error,
    };
    status = status.max(compared);
  }
  status
}

/// `wxpack diff`: 0 within the limits, 1 past one or over a budget, 2 when a report cannot be
/// read or the limits are wrong.
fn diff(args: &DiffArgs, io: &mut Streams) -> ExitStatus {
  let messages = Messages { format: args.messages.message_format, color: false };
  let limits = match crate::config::diff_limits(args.config.as_deref(), args.max_growth.as_ref()) {
    Ok(l) => l,
    Err(d) => {
      messages.print(io.err, &d);
      return ExitStatus::Error;
    }
  };
  let Some((base, head)) = readable(Snapshot::read(&args.base), Snapshot::read(&args.head), messages, io.err) else {
    return ExitStatus::Error;
  };
  compare(&args.base, &base, &args.head.display().to_string(), &head, &limits, args.format, io.out)
}

/// Both reports, or `None` once what is wrong with them is printed.
fn readable(
  base: Result<Snapshot, Diagnostic>,
  head: Result<Snapshot, Diagnostic>,
  messages: Messages,
  err: &mut dyn Write,
) -> Option<(Snapshot, Snapshot)> {
  match (base, head) {
    (Ok(b), Ok(h)) => Some((b, h)),
    (b, h) => {
      for d in [b.err(), h.err()].into_iter().flatten() {
        messages.print(err, &d);
      }
      None
    }
  }
}

/// The comparison, written to `out`; its verdict.
fn compare(
  base_path: &std::path::Path,
  base: &Snapshot,
  head_name: &str,
  head: &Snapshot,
  limits: &GrowthLimits,
  format: Format,
  out: &mut dyn Write,
) -> ExitStatus {
  let d = Diff::compute(&base_path.display().to_string(), base, head_name, head, limits);
  let written = match format {
    Format::Text => render::text(&d, out),
    Format::Markdown => render::markdown(&d, out),
    Format::Json => serde_json::to_string_pretty(&d).map_err(std::io::Error::other).and_then(|j| writeln!(out, "{j}")),
  };
  // A closed stdout (a pipe to `head`) cuts the listing short; the verdict stands.
  drop(written);
  if d.passes() { ExitStatus::Success } else { ExitStatus::OverBudget }
}
