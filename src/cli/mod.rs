//! Command-line arguments (clap), converted into a validated [`Config`].

pub mod check;
mod output;
pub mod run;
mod watch;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::{
  config::{Config, Overrides, Verbosity, growth::GrowthLimits},
  diagnostic::Diagnostic,
  plan::SharedPolicy,
  size::ByteSize,
};

const ABOUT: &str = "Build a WeChat Mini Program into a smaller, upload-ready copy; check its package sizes and what DevTools, the upload and the review refuse.";

const BUILD_HELP: &str = "\
Reads the project in PROJECT_DIR (the folder with project.config.json), follows every reference
from app.json, and writes an upload-ready copy to OUT_DIR: the shipped files under
OUT_DIR/miniprogram and a project.config.json that DevTools or miniprogram-ci open unchanged.
Then it prints what each package weighs against its budget.

Sizes: 1 KB = 1024 bytes, as WeChat counts them (2 MB = 2,097,152 bytes). SIZE accepts 2MB,
2048KB, 2MiB, 1.5MB or plain bytes.

Exit status:
  0    built, and every package is within its budget
  1    built, but a package or the total is over its budget
  2    could not build (bad input or usage); nothing was written
  130  interrupted (Ctrl-C, SIGTERM); the previous output is left as it was

wxpack never writes the project: OUT_DIR may not hold it, and --json, --html and --zip may not
point into the mini program folder or at a file the build reads, except inside OUT_DIR (they
are then written with the output).

Examples:
  wxpack build                                  build the current folder into ./dist
  wxpack build fixtures/demo -o /tmp/demo-out   build a project into another folder
  wxpack build --budget-main 1.5MB              fail (exit 1) when main passes 1.5 MB
  wxpack build --json dist/report.json --zip dist/app.zip
                                                a JSON report and an upload zip, in the output
  wxpack build --html dist/size.html            a treemap of what takes the space
  wxpack build --json - --quiet | jq .total     machine-readable report on stdout
  wxpack build --baseline main.json             also compare with a report of the base branch
  wxpack build --watch                          rebuild on every change (Ctrl-C stops)

A rebuild reuses the build cache (.wxpack-cache beside OUT_DIR; --cache-dir, --no-cache,
`wxpack cache clean`) and writes nothing when the output is already this build's.";

const DIFF_HELP: &str = "\
Compares two reports that `wxpack build --json` wrote: per package (main, each subpackage, the
total) the bytes before and after, the change and its percent, and the budget; then the files
added, removed, moved between packages (matched by source path), grown and shrunk, largest
change first.

Limits (--max-growth, else [diff] max_growth in ./wxpack.toml or --config FILE):
  10KB, 2%                    for every package and the total
  main=10KB,total=2%,shop=5%  per package: `main`, `total`, a subpackage root or name, `all`
A package new in HEAD is held to byte limits only. A report compared with itself says that
nothing changed.

Exit status:
  0  no package grew past its limit, and HEAD is within every budget
  1  a package or the total grew past its limit, or HEAD is over a budget
  2  a report cannot be read (missing, not JSON, not a wxpack report, another schema version)

Examples:
  wxpack diff base.json head.json
  wxpack diff base.json head.json --format markdown > comment.md   a pull-request comment
  wxpack diff base.json head.json --max-growth main=10KB,total=2%  fail CI on growth
  wxpack build --json - --quiet | wxpack diff base.json -          HEAD from stdin

CI recipes (GitHub Actions, GitLab CI): docs/ci.md";

#[derive(Debug, Parser)]
#[command(name = "wxpack", version, about = ABOUT, propagate_version = true)]
pub struct Cli {
  #[command(subcommand)]
  pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
  /// Build a mini program and report its package sizes.
  #[command(long_about = BUILD_HELP)]
  Build(BuildArgs),
  /// Compare two --json reports: what grew, shrank or moved, and whether it passes the limits.
  #[command(long_about = DIFF_HELP)]
  Diff(DiffArgs),
  /// Check a project: DevTools' code-quality checks, what the upload refuses, what the review
  /// rejects; with file and line.
  #[command(long_about = check::CHECK_HELP)]
  Check(check::CheckArgs),
  /// Manage the build cache (.wxpack-cache beside OUT_DIR, [cache] dir, --cache-dir).
  #[command(subcommand)]
  Cache(CacheCommand),
}

#[derive(Debug, Subcommand)]
pub enum CacheCommand {
  /// Remove the build cache a build of PROJECT_DIR uses (found as `wxpack build` finds it:
  /// --cache-dir, WXPACK_CACHE_DIR, [cache] dir, else .wxpack-cache beside OUT_DIR). The next
  /// build transforms every file again; its output is the same.
  Clean(CacheArgs),
}

#[derive(Debug, Args)]
pub struct CacheArgs {
  #[command(flatten)]
  pub target: ProjectArgs,

  /// The cache folder itself.
  #[arg(long, value_name = "DIR", env = "WXPACK_CACHE_DIR", hide_env_values = true)]
  pub cache_dir: Option<PathBuf>,
}

/// How errors and warnings are printed on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum MessageFormat {
  /// `file:line:col: error[code]: message`, the line, a caret and what to do.
  #[default]
  Human,
  /// One JSON object per line (`code`, `severity`, `message`, `location`, `help`: the report's
  /// *diagnostic*) and nothing else on stderr; for programs, such as the JS API.
  Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
  Text,
  Markdown,
  Json,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
  /// The report to compare against (the base branch's). `-` reads it from stdin.
  #[arg(value_name = "BASE.json")]
  pub base: PathBuf,

  /// The report of the change. `-` reads it from stdin.
  #[arg(value_name = "HEAD.json")]
  pub head: PathBuf,

  /// `text` for a terminal, `markdown` for a pull-request comment, `json` for scripts (every
  /// changed file). [default: text]
  #[arg(long, value_enum, default_value_t = Format::Text, value_name = "FORMAT", hide_default_value = true)]
  pub format: Format,

  /// How much a package may grow: a size or a percentage for all (10KB, 2%), or per package
  /// (main=10KB,total=2%). Replaces [diff] max_growth of wxpack.toml.
  #[arg(long, value_name = "LIMITS")]
  pub max_growth: Option<GrowthLimits>,

  /// Read [diff] from this file instead of ./wxpack.toml.
  #[arg(long, value_name = "FILE")]
  pub config: Option<PathBuf>,

  #[command(flatten)]
  pub messages: MessageArgs,
}

/// Which project, where its output goes, which settings: what `build` and `cache clean` share.
#[derive(Debug, Args)]
pub struct ProjectArgs {
  /// The project folder: it holds project.config.json (or app.json). Example: wxpack build ./my-app
  #[arg(default_value = ".", value_name = "PROJECT_DIR")]
  pub project: PathBuf,

  /// Where to write the output project [default: PROJECT_DIR/dist]. Replaced on each build;
  /// an existing folder that wxpack did not write is refused. Example: -o build/wx
  #[arg(short = 'o', long = "out-dir", value_name = "OUT_DIR")]
  pub out_dir: Option<PathBuf>,

  /// Read settings from this file instead of PROJECT_DIR/wxpack.toml. Flags override it.
  /// Example: --config ci/wxpack.toml
  #[arg(long, value_name = "FILE")]
  pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
  #[command(flatten)]
  pub target: ProjectArgs,

  /// Also write the report as JSON (schema in docs/report-schema.md); `-` prints it on stdout
  /// instead of the text report. Not inside the mini program folder, unless inside OUT_DIR.
  /// Example: --json dist/report.json
  #[arg(long, value_name = "REPORT.json")]
  pub json: Option<PathBuf>,

  /// Also write the report as one self-contained HTML page: a treemap of packages, folders and
  /// files, each package against its budget, the launch pages, a file search. Opens from disk,
  /// no network. Example: --html dist/size.html
  #[arg(long, value_name = "FILE")]
  pub html: Option<PathBuf>,

  /// Budget for the main package [default: 2MB]. Example: --budget-main 1.5MB
  #[arg(long, value_name = "SIZE")]
  pub budget_main: Option<ByteSize>,

  /// Budget for each subpackage [default: 2MB]. Example: --budget-sub 1MB
  #[arg(long, value_name = "SIZE")]
  pub budget_sub: Option<ByteSize>,

  /// Budget for all packages together [default: 30MB; 20MB for apps built by a service
  /// provider]. Example: --budget-total 20MB
  #[arg(long, value_name = "SIZE")]
  pub budget_total: Option<ByteSize>,

  /// Also write a deterministic zip of the output project. Example: --zip dist/app.zip
  #[arg(long, value_name = "FILE")]
  pub zip: Option<PathBuf>,

  /// Keep the build cache here instead of `[cache] dir` (default: .wxpack-cache beside
  /// OUT_DIR); a CI job points it at a folder it restores between runs.
  /// Example: --cache-dir ~/.cache/wxpack
  #[arg(long, value_name = "DIR", env = "WXPACK_CACHE_DIR", hide_env_values = true)]
  pub cache_dir: Option<PathBuf>,

  /// Neither read nor write the build cache: every file is transformed again. The output is
  /// the same either way. Wins over --cache-dir and WXPACK_CACHE_DIR.
  #[arg(long)]
  pub no_cache: bool,

  /// Make the warnings about what DevTools compiles but the platform cannot load errors (exit 2):
  /// unresolved references, package rules broken, missing pages, paths above the root.
  #[arg(long)]
  pub strict: bool,

  /// Ship a file with a syntax error unchanged (reported as a warning) instead of failing.
  #[arg(long)]
  pub keep_going: bool,

  /// Ship every file as it is: no minification (sizes are still reported and gated).
  #[arg(long)]
  pub no_minify: bool,

  /// Write a source map for every minified JS file to OUT_DIR/sourcemaps (never shipped, never
  /// counted; upload them to your error monitoring).
  #[arg(long)]
  pub source_maps: bool,

  /// Ship every file where it is: nothing moved, copied or pruned (the package rules are still
  /// checked).
  #[arg(long)]
  pub no_plan: bool,

  /// Where files that several subpackages (and not main) use go: `auto` keeps them once in main
  /// while main fits its budget, then copies them into each subpackage; `main` always keeps them
  /// in main; `copy` always copies. [default: auto]
  #[arg(long, value_enum, value_name = "POLICY", hide_possible_values = true)]
  pub shared: Option<SharedPolicy>,

  /// After the build, compare its report with this one (`wxpack diff BASE.json`): exit 1 when a
  /// package grew past [diff] max_growth or --max-growth. Example: --baseline main.json
  #[arg(long, value_name = "BASE.json")]
  pub baseline: Option<PathBuf>,

  /// Growth limits for --baseline (see `wxpack diff --help`). Example: --max-growth main=10KB
  #[arg(long, value_name = "LIMITS", requires = "baseline")]
  pub max_growth: Option<GrowthLimits>,

  /// After the build, watch PROJECT_DIR (and the config file) and rebuild on every change:
  /// one line per rebuild (time, files changed, packages whose size changed); a failed
  /// rebuild prints its errors and leaves the last good output in place. Ctrl-C stops (exit 0).
  #[arg(short, long, conflicts_with = "baseline")]
  pub watch: bool,

  /// Print nothing but errors (and the JSON report when it goes to stdout).
  #[arg(short, long, conflicts_with = "verbose")]
  pub quiet: bool,

  /// List every unreferenced file, unanalysable reference and excluded file, and stage timings.
  #[arg(short, long)]
  pub verbose: bool,

  /// When to use colors and progress bars.
  #[arg(long, value_enum, default_value_t = When::Auto, value_name = "WHEN")]
  pub color: When,

  #[command(flatten)]
  pub messages: MessageArgs,
}

/// `--message-format`, shared by both commands.
#[derive(Debug, Args)]
pub struct MessageArgs {
  /// `human` [default], or `json`: each error and warning on stderr as one line of JSON
  /// (docs/report-schema.md, *diagnostic*) and nothing else there, for programs such as the
  /// JavaScript API (docs/javascript-api.md). Example: --message-format json
  #[arg(
    long,
    value_enum,
    default_value_t,
    value_name = "FORMAT",
    hide_default_value = true,
    hide_possible_values = true
  )]
  pub message_format: MessageFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum When {
  Auto,
  Always,
  Never,
}

impl BuildArgs {
  /// `terminal`: stderr is a terminal and CI is not set.
  pub fn into_config(self, terminal: bool) -> Result<Config, Diagnostic> {
    let (project, flags) = self.into_parts(terminal);
    Config::load(&project, flags)
  }

  /// The project folder and the flags, for [`Config::load`] (again, when watching).
  pub fn into_parts(self, terminal: bool) -> (PathBuf, Overrides) {
    let verbosity = if self.quiet {
      Verbosity::Quiet
    } else if self.verbose {
      Verbosity::Verbose
    } else {
      Verbosity::Normal
    };
    let color = match self.color {
      When::Always => true,
      When::Never => false,
      When::Auto => terminal,
    };
    let flags = Overrides {
      config: self.target.config,
      out_dir: self.target.out_dir,
      zip: self.zip,
      cache_dir: self.cache_dir,
      no_cache: self.no_cache,
      json_report: self.json,
      html_report: self.html,
      budget_main: self.budget_main,
      budget_sub: self.budget_sub,
      budget_total: self.budget_total,
      strict: self.strict,
      keep_going: self.keep_going,
      no_minify: self.no_minify,
      source_maps: self.source_maps,
      no_plan: self.no_plan,
      shared: self.shared,
      verbosity: Some(verbosity),
      progress: terminal
        && !self.watch
        && verbosity != Verbosity::Quiet
        && self.messages.message_format == MessageFormat::Human,
      color,
      baseline: self.baseline,
      max_growth: self.max_growth,
    };
    (self.target.project, flags)
  }
}
