//! `wxpack build --watch`: after the first build, rebuild whenever the project (or the config
//! file) changes. Bursts of changes (an editor saving several files, a framework's watcher
//! rewriting its output) are gathered into one rebuild. Each rebuild is a whole build (config
//! read again, so wxpack.toml, app.json and project.config.json edits re-plan everything),
//! made cheap by the build cache and by not writing an output that did not change. One line per
//! rebuild: the time it took, the files that changed, the packages whose size changed (as
//! `wxpack diff` counts them), and a budget passed. A failed rebuild prints its errors and
//! writes nothing, so the last good output stays in place.

use std::{
  collections::BTreeSet,
  path::{Path, PathBuf},
  sync::mpsc,
  time::{Duration, Instant},
};

use notify::{EventKind, RecursiveMode, Watcher, event::ModifyKind};

use super::output::{Messages, Streams, failed, write_reports};
use crate::{
  ExitStatus,
  config::{Config, Overrides},
  diagnostic::{Code, Diagnostic, Location},
  diff::{Breach, Diff, read::Snapshot},
  emit::guard::resolved,
  size::ByteSize,
};

/// A burst ends after this long without a change.
const QUIET: Duration = Duration::from_millis(100);
/// A rebuild starts after this long even if changes keep coming.
const LONGEST_WAIT: Duration = Duration::from_secs(2);
/// How often an idle watcher looks for a stop asked for during a build's write.
const STOP_POLL: Duration = Duration::from_millis(200);

/// Watches until Ctrl-C (the process then ends with 0) or until watching fails (2).
pub fn run(
  project: &Path,
  flags: &Overrides,
  config: Config,
  first: Option<&crate::report::Report>,
  messages: Messages,
  io: &mut Streams,
) -> ExitStatus {
  let (tx, rx) = mpsc::channel();
  let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
    if let Ok(event) = event
      && changes(&event.kind)
    {
      let _ = tx.send((matches!(event.kind, EventKind::Create(_)), event.paths));
    }
  });
  let root = resolved(project);
  let mut watched = vec![root.clone()];
  watched.extend(config.config_file.as_deref().map(resolved).filter(|f| !f.starts_with(&root)));
  let watcher = watcher.and_then(|mut w| {
    for (i, path) in watched.iter().enumerate() {
      let mode = if i == 0 { RecursiveMode::Recursive } else { RecursiveMode::NonRecursive };
      w.watch(path, mode)?;
    }
    Ok(w)
  });
  let _watcher = match watcher {
    Ok(w) => w,
    Err(e) => {
      let d = Diagnostic::error(Code::Io, format!("cannot watch the project: {e}"))
        .at(Location::file(project.display().to_string()))
        .with_help("on Linux, raise fs.inotify.max_user_watches (sysctl), or build without --watch");
      messages.print(io.err, &d);
      return ExitStatus::Error;
    }
  };
  let mut last = first.map(crate::report::Report::snapshot);
  // `--quiet`: errors only, as for one build.
  let quiet = config.verbosity == crate::config::Verbosity::Quiet;
  let say = |io: &mut Streams, line: std::fmt::Arguments<'_>| {
    if !quiet {
      messages.say(io.err, line);
    }
  };
  let mut ignored = Ignored::of(&config);
  say(io, format_args!("wxpack: watching {} (Ctrl-C stops)", project.display()));
  loop {
    // A stop that came while a build was writing did not end the process (the writer finishes
    // or cleans up first): it ends the watch here.
    if crate::interrupt::requested() {
      return ExitStatus::Success;
    }
    let first = match rx.recv_timeout(STOP_POLL) {
      Ok(first) => first,
      Err(mpsc::RecvTimeoutError::Timeout) => continue,
      Err(mpsc::RecvTimeoutError::Disconnected) => return ExitStatus::Error,
    };
    let (mut touched, mut created) = (BTreeSet::new(), BTreeSet::new());
    let mut note = |(create, paths): (bool, Vec<PathBuf>)| {
      for p in paths.into_iter().filter(|p| !ignored.covers(p)) {
        if create {
          created.insert(p.clone());
        }
        touched.insert(p);
      }
    };
    note(first);
    let burst = Instant::now();
    while let Ok(event) = rx.recv_timeout(QUIET) {
      note(event);
      if burst.elapsed() > LONGEST_WAIT {
        break;
      }
    }
    // A file made and removed within the burst (an editor's or a tool's temporary file)
    // changed nothing.
    let changed: BTreeSet<String> =
      touched.iter().filter(|p| !created.contains(*p) || p.exists()).map(|p| shown(&root, p)).collect();
    if changed.is_empty() {
      continue;
    }
    let start = Instant::now();
    let config = match Config::load(project, flags.clone()) {
      Ok(c) => c,
      Err(d) => {
        messages.print(io.err, &d);
        say(io, format_args!("wxpack: not rebuilt; the last good output is left in place; watching"));
        continue;
      }
    };
    ignored = Ignored::of(&config);
    match crate::build(&config) {
      Ok(outcome) => {
        if write_reports(&config, &outcome.report, messages, io).is_err() {
          continue;
        }
        let now = outcome.report.snapshot();
        let line = summary(start.elapsed(), &changed, last.as_ref(), &now, outcome.report.output_written);
        say(io, format_args!("{line}"));
        last = Some(now);
      }
      Err(failure) => {
        if failed(&failure, messages, io) == ExitStatus::Interrupted {
          return ExitStatus::Success;
        }
        say(io, format_args!("wxpack: the last good output is left in place; watching"));
      }
    }
  }
}

/// An event that can change what a build reads: not a read (the build's own reads are events
/// too), not a change of times or permissions only.
fn changes(kind: &EventKind) -> bool {
  match kind {
    EventKind::Access(_) => false,
    EventKind::Modify(m) => !matches!(m, ModifyKind::Metadata(_)),
    _ => true,
  }
}

/// What the build itself writes, never a reason to rebuild: the output, its temporary
/// siblings, the cache, the reports and the zip.
struct Ignored(Vec<PathBuf>);

impl Ignored {
  fn of(config: &Config) -> Self {
    let written = [Some(&config.out_dir), config.cache.dir.as_ref(), config.zip.as_ref()]
      .into_iter()
      .chain([config.json_report.as_ref(), config.html_report.as_ref()])
      .flatten()
      .map(|p| resolved(p));
    Self(written.collect())
  }

  fn covers(&self, path: &Path) -> bool {
    let sibling = path.components().any(|c| {
      let c = c.as_os_str().to_string_lossy();
      (c.starts_with('.') && c.contains(".wxpack-")) || c == ".git"
    });
    sibling || self.0.iter().any(|w| path.starts_with(w))
  }
}

/// `path` as the user knows it: relative to the project folder.
fn shown(root: &Path, path: &Path) -> String {
  path.strip_prefix(root).unwrap_or(path).display().to_string()
}

/// `rebuilt in 84 ms (pages/index/index.js changed): main 412.3 KB (+1.2 KB)`.
fn summary(
  took: Duration,
  changed: &BTreeSet<String>,
  before: Option<&Snapshot>,
  now: &Snapshot,
  written: bool,
) -> String {
  const SHOWN: usize = 3;
  let files: Vec<&str> = changed.iter().map(String::as_str).take(SHOWN).collect();
  let more = changed.len().saturating_sub(SHOWN);
  let more = if more > 0 { format!(" and {more} more") } else { String::new() };
  let mut line = format!("wxpack: rebuilt in {} ms ({}{more} changed)", took.as_millis(), files.join(", "));
  // Without an earlier build to compare with, only the budgets are checked.
  let diff = Diff::compute("before", before.unwrap_or(now), "now", now, &Default::default());
  let sizes: Vec<String> = diff
    .packages
    .iter()
    .chain([&diff.total])
    .filter(|p| p.delta != 0)
    .map(|p| {
      format!(
        "{} {} ({}{})",
        p.name,
        size(p.after),
        if p.delta > 0 { "+" } else { "-" },
        ByteSize(p.delta.unsigned_abs())
      )
    })
    .collect();
  line += &match (written, sizes.is_empty()) {
    (false, _) => ": output unchanged".to_string(),
    (true, true) => ": sizes unchanged".to_string(),
    (true, false) => format!(": {}", sizes.join(", ")),
  };
  let over: Vec<&str> = diff
    .breaches
    .iter()
    .filter_map(|b| if let Breach::OverBudget { package, .. } = b { Some(package.as_str()) } else { None })
    .collect();
  if !over.is_empty() {
    line += &format!("; over budget: {}", over.join(", "));
  }
  line
}

fn size(n: Option<u64>) -> String {
  n.map_or_else(|| "gone".into(), |n| ByteSize(n).to_string())
}
