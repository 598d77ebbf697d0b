//! Planning on a generated project of 2,000 pages and 20,000 files (benches/gen_project.rs):
//! the time of `PackagePlan::compute` (reach sets, placement, the budget solver, layout and every
//! reference re-spelt and checked), and the peak memory one plan adds. Loading and scanning are
//! done once, outside the measurement; their time is printed for scale.
//!
//!   cargo bench --bench plan
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

#[path = "gen_project.rs"]
mod gen_project;

use std::time::Instant;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use wxpack::{
  config::Budgets,
  graph::Graph,
  plan::{Analysis, PackagePlan, PlanOptions, SharedPolicy},
  progress::Progress,
  project::Project,
  size::ByteSize,
};

/// Runs `f` and returns its result and how far the peak resident set rose above the resident
/// set before it (Linux: writing 5 to /proc/self/clear_refs resets the peak).
fn peak_growth<T>(f: impl FnOnce() -> T) -> (T, Option<u64>) {
  let field = |name: &str| -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(name))?;
    line.split_whitespace().nth(1)?.parse::<u64>().ok().map(|kb| kb * 1024)
  };
  let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
  let before = field("VmRSS:");
  let out = f();
  let peak = field("VmHWM:");
  (out, before.zip(peak).filter(|_| reset).map(|(b, p)| p.saturating_sub(b)))
}

fn plan(c: &mut Criterion) {
  let tmp = tempfile::tempdir().unwrap();
  let files = gen_project::generate(tmp.path());
  let started = Instant::now();
  let project = Project::load(tmp.path(), &[]).unwrap();
  let graph = Graph::scan(&project, wxpack::diagnostic::Policy::default(), &Progress::hidden()).unwrap();
  let deps: usize = graph.assets.iter().map(|a| a.deps.len()).sum();
  println!(
    "generated: {files} files, {} pages, {deps} references; load+scan {:?}",
    gen_project::PAGES,
    started.elapsed()
  );
  let sizes: wxpack::index_vec::IndexVec<_, u64> = graph.assets.iter().map(|a| project.files[a.id].size).collect();
  let roomy = Budgets::default();
  // A main budget the shared files must leave for: the solver copies until main fits.
  let tight = Budgets { main: ByteSize(600 * 1024), ..Budgets::default() };
  // Freed memory stays with the process, so only the first plan shows its peak: the heaviest one.
  let copy = PlanOptions { shared: SharedPolicy::Copy, ..PlanOptions::default() };
  let (_, grew) = peak_growth(|| {
    PackagePlan::compute(&project, &graph, &Analysis::compute(&project, &graph, &copy, true), &sizes, &copy, &roomy)
      .unwrap()
  });
  println!(
    "peak memory of one plan (shared = copy): +{} KiB",
    grew.map_or_else(|| "?".to_string(), |b| (b / 1024).to_string())
  );
  let mut group = c.benchmark_group("plan");
  group.sample_size(20);
  for (name, budgets, shared) in [
    ("auto-room", &roomy, SharedPolicy::Auto),
    ("auto-tight", &tight, SharedPolicy::Auto),
    ("copy", &roomy, SharedPolicy::Copy),
  ] {
    let options = PlanOptions { shared, ..PlanOptions::default() };
    let analysis = Analysis::compute(&project, &graph, &options, true);
    let plan = PackagePlan::compute(&project, &graph, &analysis, &sizes, &options, budgets).unwrap();
    let count = |d: wxpack::plan::Decision| plan.decisions.iter().filter(|&&x| x == d).count();
    let sizes_ref = &sizes;
    let main: u64 = plan
      .instances
      .iter_enumerated()
      .flat_map(|(f, i)| i.iter().filter(|i| i.package == wxpack::project::PackageId::MAIN).map(move |_| sizes_ref[f]))
      .sum();
    println!(
      "{name}: moved {}, copied {}, shared {}, pruned {}; main {main} bytes; {} references re-spelt",
      count(wxpack::plan::Decision::Moved),
      count(wxpack::plan::Decision::Copied),
      count(wxpack::plan::Decision::Shared),
      count(wxpack::plan::Decision::Pruned),
      plan.instances.iter().flatten().map(|i| i.edits.len()).sum::<usize>(),
    );
    group.bench_with_input(BenchmarkId::new("generated-2000-pages", name), &options, |b, options| {
      b.iter(|| {
        let analysis = Analysis::compute(&project, &graph, options, true);
        PackagePlan::compute(&project, &graph, &analysis, &sizes, options, budgets).unwrap()
      });
    });
  }
  group.finish();
}

criterion_group!(benches, plan);
criterion_main!(benches);
