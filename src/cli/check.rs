//! `wxpack check`: its arguments and its run.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{
  MessageArgs, When,
  output::{Messages, Streams},
};
use crate::{ExitStatus, check, config::Config};

pub(super) const CHECK_HELP: &str = "\
Runs, offline, what the platform holds against a project before it reaches users:
  - DevTools' code-quality checks (the 代码质量 panel), under miniprogram-ci's names and with
    its verdicts: PACKAGE_SIZE_LIMIT, JS/WXML/WXSS_COMPRESS_OPEN, LAZYCODE_LOADING_OPEN,
    IMAGE_AND_AUDIO_LIMIT, CONTAINS_OTHER_PKG_JS/COMPONENTS, CONTAINS_UNUSED_PLUGINS,
    CONTAINS_UNUSED_COMPONENTS, CONTAINS_UNUSED_CODES (warnings: advice, never a blocker);
  - what makes the upload fail: location APIs the code uses that app.json's
    requiredPrivateInfos does not declare, plugin components no \"plugins\" declares (errors);
  - what the review rejects: absolute terms of the advertising law (第一, 最佳, 国家级...) in
    titles, tab texts and the project name (errors) and in page text (warnings); payment SDKs
    and gateways other than WeChat Pay (warnings).
Each finding has a location, what to do, whether `wxpack build` fixes it, and a link to the
platform's document. Every rule, and how to silence it: docs/check.md.

Exit status:
  0  no finding at error level
  1  a finding at error level
  2  could not check (bad input or usage)

[check] in wxpack.toml sets a rule's level (error, warning, info, off), adds or allows words
and ignores paths.

Examples:
  wxpack check                              the current folder, for a person
  wxpack check ./app --format json          {\"checks\": [{\"name\", \"passed\", \"findings\"}]}
  wxpack check --format sarif > check.sarif for GitHub code scanning (upload-sarif)";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
  Text,
  Json,
  Sarif,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
  /// The project folder: it holds project.config.json (or app.json).
  #[arg(default_value = ".", value_name = "PROJECT_DIR")]
  pub project: PathBuf,

  /// Read [check] from this file instead of PROJECT_DIR/wxpack.toml.
  #[arg(long, value_name = "FILE")]
  pub config: Option<PathBuf>,

  /// `text` for a person, `json` for scripts, `sarif` (2.1.0) for code scanning. [default: text]
  #[arg(long, value_enum, default_value_t = CheckFormat::Text, value_name = "FORMAT", hide_default_value = true)]
  pub format: CheckFormat,

  /// Color the text output.
  #[arg(long, value_enum, default_value_t = When::Auto, value_name = "WHEN")]
  pub color: When,

  #[command(flatten)]
  pub messages: MessageArgs,
}

/// `terminal`: stderr is a terminal and CI is not set.
pub(super) fn run(args: CheckArgs, terminal: bool, io: &mut Streams) -> ExitStatus {
  let color = terminal && args.color != When::Never || args.color == When::Always;
  let messages = Messages { format: args.messages.message_format, color };
  let flags = crate::config::Overrides { config: args.config, ..Default::default() };
  let config = match Config::load(&args.project, flags) {
    Ok(c) => c,
    Err(d) => {
      messages.print(io.err, &d);
      return ExitStatus::Error;
    }
  };
  let checked = match check::check(&config) {
    Ok(c) => c,
    Err(f) => {
      for d in &f.diagnostics {
        messages.print(io.err, d);
      }
      let n = f.diagnostics.len();
      let s = if n == 1 { "" } else { "s" };
      messages.say(io.err, format_args!("wxpack: could not check the project ({n} error{s})"));
      return ExitStatus::Error;
    }
  };
  let out = match args.format {
    CheckFormat::Text => check::render::text(&checked, color),
    CheckFormat::Json => check::render::json(&checked),
    CheckFormat::Sarif => check::render::sarif(&checked, &uri_base(&args.project)),
  };
  let _ = io.out.write_all(out.as_bytes());
  // 1, as a build over budget: the project is readable, and not fit to ship.
  if checked.failed() { ExitStatus::OverBudget } else { ExitStatus::Success }
}

/// The project folder as a path prefix from the working directory (`app/`; empty for the
/// working directory itself, and for a folder outside it, whose paths stay project-relative).
fn uri_base(project: &std::path::Path) -> String {
  let (Ok(abs), Ok(cwd)) = (std::path::absolute(project), std::env::current_dir()) else { return String::new() };
  let Ok(rel) = crate::emit::guard::resolved(&abs)
    .strip_prefix(crate::emit::guard::resolved(&cwd))
    .map(std::path::Path::to_path_buf)
  else {
    return String::new();
  };
  let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
  parts.iter().map(|p| format!("{p}/")).collect()
}
