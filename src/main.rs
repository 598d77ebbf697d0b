//! The `wxpack` binary: parse the arguments, watch for Ctrl-C, and run them
//! ([`wxpack::cli::run`]) on stdout and stderr; the only place that knows the process.

use std::{io::IsTerminal, process::ExitCode};

use clap::Parser;
use wxpack::{
  ExitStatus,
  cli::{Cli, Command, run},
};

fn main() -> ExitCode {
  let cli = match Cli::try_parse() {
    Ok(cli) => cli,
    Err(e) => {
      let _ = e.print();
      return ExitCode::from(if e.use_stderr() { ExitStatus::Error as u8 } else { 0 });
    }
  };
  // A build that is stopped cleans up its temporary output; a comparison has nothing to clean.
  let interrupt = match cli.command {
    Command::Build(_) => wxpack::interrupt::install().err(),
    Command::Diff(_) | Command::Cache(_) | Command::Check(_) => None,
  };
  let context =
    run::Context { terminal: std::io::stderr().is_terminal() && std::env::var_os("CI").is_none(), interrupt };
  // Unlocked handles: the progress bars draw to stderr from their own thread.
  let (mut out, mut err) = (std::io::stdout(), std::io::stderr());
  let status = run::run(cli, &context, &mut run::Streams { out: &mut out, err: &mut err });
  ExitCode::from(status as u8)
}
