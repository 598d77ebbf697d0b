//! wxpack: a build tool for WeChat Mini Programs.
//!
//! [`build`] is the whole pipeline: load the project, scan its dependency graph, transform each
//! shipped file, plan which package each file ships in (weighing the transformed sizes), finish
//! the files whose references the plan rewrote, emit the output project atomically, and report
//! sizes against budgets. Each stage takes the previous stages' values and returns a new one;
//! none mutates what came before.
//!
//! ```no_run
//! let config = wxpack::config::Config::load("fixtures/demo".as_ref(), Default::default()).unwrap();
//! let outcome = wxpack::build(&config).unwrap();
//! assert_eq!(outcome.exit_status(), wxpack::ExitStatus::Success);
//! ```

pub mod cache;
pub mod check;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod diff;
pub mod emit;
pub mod graph;
pub mod index_vec;
pub mod interrupt;
pub mod manifest;
pub mod memo;
pub mod mp_path;
pub mod nesting;
pub mod plan;
pub mod progress;
pub mod project;
pub mod report;
pub mod size;
pub mod targets;
pub mod transform;
pub mod wxml;

use std::time::{Duration, Instant};

use config::Config;
use diagnostic::Diagnostic;
use graph::Graph;
use plan::PackagePlan;
use progress::Progress;
use project::Project;
use report::{Report, Status};

/// The process exit status: 0 built and within budget, 1 built but over a budget, 2 could not
/// build. Documented in docs/user-guide.md; never renumber.
/// Ordered by severity: the worse of two statuses is their `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExitStatus {
  Success = 0,
  OverBudget = 1,
  Error = 2,
  /// Ctrl-C or SIGTERM before the output was in place (128 + SIGINT, as shells report it).
  Interrupted = 130,
}

/// A finished build: the report (which holds the warnings) and how long each stage took.
#[derive(Debug)]
pub struct Outcome {
  pub report: Report,
  pub timings: Vec<(&'static str, Duration)>,
  /// What `--verbose` says besides the timings (the build went right either way).
  pub notes: Vec<String>,
}

impl Outcome {
  pub fn exit_status(&self) -> ExitStatus {
    match self.report.status {
      Status::Ok => ExitStatus::Success,
      Status::OverBudget => ExitStatus::OverBudget,
    }
  }
}

/// Why a build stopped. Nothing was written.
#[derive(Debug)]
pub struct Failure {
  pub diagnostics: Vec<Diagnostic>,
}

impl From<Diagnostic> for Failure {
  fn from(d: Diagnostic) -> Self {
    Self { diagnostics: vec![d] }
  }
}

impl From<Vec<Diagnostic>> for Failure {
  fn from(diagnostics: Vec<Diagnostic>) -> Self {
    Self { diagnostics }
  }
}

/// The stack of each of a build's threads. The parsers, printers and minifiers wxpack uses
/// (oxc, swc, lightningcss) recurse as deep as the input nests, and generated code nests deep
/// (a 5,000-branch `else if`, a 2,000-term string sum); a thread only touches as much of its
/// stack as it uses, so a large one costs address space, not memory.
const STACK: usize = 512 << 20;

pub fn build(config: &Config) -> Result<Outcome, Failure> {
  let pool =
    rayon::ThreadPoolBuilder::new().stack_size(STACK).thread_name(|i| format!("wxpack-{i}")).build().map_err(|e| {
      Failure::from(Diagnostic::error(diagnostic::Code::Internal, format!("cannot start threads: {e}")))
    })?;
  pool.install(|| build_on(config))
}

/// [`build`], on a thread of its pool.
fn build_on(config: &Config) -> Result<Outcome, Failure> {
  let mut timer = Timer::default();
  // A build killed while it swapped outputs left the previous one aside: put it back first.
  emit::write::recover(&config.out_dir);
  for written in [&config.zip, &config.json_report, &config.html_report].into_iter().flatten() {
    emit::write::recover(written);
  }
  emit::guard::check_out_dir(&config.out_dir, &config.project_dir)?;
  // The cache only when it is one (a folder set onto project files stays input, and is refused).
  let cache = config.cache.dir.as_ref().filter(|d| cache::is_cache_folder(d));
  let skip: Vec<_> =
    std::iter::once(&config.out_dir).chain(&config.zip).chain(cache).map(|p| emit::guard::resolved(p)).collect();
  let store = cache::Store::open(config.cache.dir.as_deref());
  let project = timer.time("load", || Project::load_cached(&config.project_dir, &skip, &store))?;
  emit::guard::check_outputs(config, &project)?;
  let checked = project::against_config::check(config, &project);
  if !checked.errors.is_empty() {
    return Err(checked.errors.into());
  }
  let budget_keys = checked.warnings;
  let policy = diagnostic::Policy { strict: config.strict, keep_going: config.keep_going };
  gate(policy, project.warnings.iter().chain(&budget_keys))?;
  let memo = memo::Memo::of(config, &project);
  if let Some(report) = timer.time("recall", || memo.recall(&store, config, &project)) {
    return Ok(Outcome { report, timings: timer.0, notes: cache_notes(&project, &store, config.cache.max_size) });
  }
  store.open_pack(&memo::pack_name(config, &project));
  let graph = timer.time("scan", || {
    let bar = Progress::new(config.progress, "scan", 0);
    let g = Graph::scan_cached(&project, policy, &bar, &store);
    bar.finish();
    g
  })?;
  let skip_unused = config.minify.drops_unused_components();
  let analysis = timer.time("analysis", || plan::Analysis::compute(&project, &graph, &config.plan, skip_unused));
  let classes = config.minify.removes_unused_css().then(|| {
    timer.time("classes", || transform::wxss::unused::Classes::of(&project, &graph, &config.minify.keep_classes))
  });
  let named = timer.time("named", || {
    transform::wxss::named::Named::of(&project, &graph, classes.as_ref(), config.minify.subsets_fonts(), &store)
  });
  let styles = transform::wxss::Styles { classes, glyphs: named.glyphs, words: named.words };
  let first = timer.time("first pass", || {
    let shipping = graph.assets.iter().filter(|a| a.ships && !analysis.pruned[a.id]).count();
    let bar = Progress::new(config.progress, "build", shipping as u64);
    let (minify, images) = (&config.minify, &config.images);
    let o = transform::first_pass(&project, &graph, &analysis.pruned, minify, images, &styles, &store, &bar);
    bar.finish();
    o
  })?;
  let sizes = first.sizes(&project, &graph, &analysis.pruned);
  let plan =
    timer.time("plan", || PackagePlan::compute(&project, &graph, &analysis, &sizes, &config.plan, &config.budgets))?;
  gate(policy, plan.warnings.iter())?;
  let shipped = timer
    .time("second pass", || transform::second_pass(&project, &graph, &plan, first, &config.minify, &styles, &store))?;
  let loading = timer.time("manifest", || {
    manifest::build(&project, &graph, &plan, &shipped, &config.manifest, &config.minify, &store)
  })?;
  let shipped = manifest::with_app_json(&project, shipped, &loading);
  let emitted = timer.time("emit", || {
    let cache = config.cache.dir.as_deref();
    emit::emit(&config.out_dir, config.zip.as_deref(), &project, &shipped, &loading.manifest, &config.minify, cache)
  })?;
  let mut warnings = project.warnings.clone();
  warnings.extend(budget_keys);
  warnings.extend(graph.warnings.iter().cloned());
  warnings.extend(check::upload_summary(&project, &graph));
  warnings.extend(plan.warnings.iter().cloned());
  warnings.extend(loading.warnings.iter().cloned());
  let built = report::Built {
    project: &project,
    graph: &graph,
    plan: &plan,
    first_pass: &sizes,
    shipped: &shipped,
    loading: &loading,
    emitted: &emitted,
  };
  let mut report = timer.time("report", || Report::build(config, &built, warnings));
  memo.remember(&store, &project, &mut report, &emitted.record);
  store.seal(true);
  let notes = cache_notes(&project, &store, config.cache.max_size);
  Ok(Outcome { report, timings: timer.0, notes })
}

/// Bounds the cache when this build added to it, and says what `-v` should about it.
fn cache_notes(project: &Project, store: &cache::Store, max_size: u64) -> Vec<String> {
  let mut notes = Vec::new();
  let styles = project.compiled_css.len();
  if styles > 0 {
    let reused = project.compiled_css_reused;
    notes.push(format!("Less and Sass: {} stylesheets compiled, {reused} from the cache", styles - reused));
  }
  let n = store.bad();
  if n > 0 {
    notes.push(format!("{n} damaged cache entr{} ignored and rewritten", if n == 1 { "y" } else { "ies" }));
  }
  if store.written() > 0 {
    let t = store.bound(max_size);
    if t.removed > 0 {
      notes.push(format!("cache over [cache] max_size: {} oldest entries removed", t.removed));
    }
  }
  notes
}

/// The flags applied to the warnings of a stage that does not apply them itself (the loader's
/// missing custom tab bar, the planner's package rules): what they make errors stops the build.
fn gate<'a>(policy: diagnostic::Policy, warnings: impl Iterator<Item = &'a Diagnostic>) -> Result<(), Failure> {
  let (errors, _) = policy.split(warnings.cloned());
  if errors.is_empty() { Ok(()) } else { Err(errors.into()) }
}

/// Stage timings, as esbuild brackets its phases; shown with `--verbose`.
#[derive(Default)]
struct Timer(Vec<(&'static str, Duration)>);

impl Timer {
  fn time<T>(&mut self, stage: &'static str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    self.0.push((stage, start.elapsed()));
    out
  }
}
