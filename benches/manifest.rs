//! The manifest stage on the generated project of 2,000 pages and 20,000 files
//! (benches/gen_project.rs; every page has three `wx.navigateTo` calls and a `<navigator>`):
//! the navigation graph alone (each page's closure walked and its URLs resolved), and the whole
//! stage (navigation, preloadRule within the quota, zstd of every package, startup bytes, the
//! manifest). The output is the source, unminified, so that only this stage is measured.
//!
//!   cargo bench --bench manifest
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

#[path = "gen_project.rs"]
mod gen_project;

use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use wxpack::{
  config::{Budgets, ImageConfig, MinifyConfig},
  graph::Graph,
  manifest::{self, navigation, options::ManifestOptions},
  plan::{Analysis, PackagePlan, PlanOptions},
  progress::Progress,
  project::Project,
  transform,
};

fn manifest_stage(c: &mut Criterion) {
  let tmp = tempfile::tempdir().unwrap();
  gen_project::generate(tmp.path());
  let started = Instant::now();
  let project = Project::load(tmp.path(), &[]).unwrap();
  let graph = Graph::scan(&project, wxpack::diagnostic::Policy::default(), &Progress::hidden()).unwrap();
  println!(
    "load+scan {:?}; {} navigations found, {} computed",
    started.elapsed(),
    graph.navigations.len(),
    graph.unanalysable.iter().filter(|u| u.kind == wxpack::graph::DynamicKind::Navigate).count()
  );
  let options = PlanOptions::default();
  let analysis = Analysis::compute(&project, &graph, &options, true);
  let minify = MinifyConfig::all(false);
  let images = ImageConfig {
    options: wxpack::transform::image::ImageOptions { enabled: false, ..Default::default() },
    cached: false,
  };
  let none = wxpack::cache::Store::none();
  let first = transform::first_pass(
    &project,
    &graph,
    &analysis.pruned,
    &minify,
    &images,
    &Default::default(),
    &none,
    &Progress::hidden(),
  )
  .unwrap();
  let sizes = first.sizes(&project, &graph, &analysis.pruned);
  let plan = PackagePlan::compute(&project, &graph, &analysis, &sizes, &options, &Budgets::default()).unwrap();
  let shipped =
    wxpack::transform::second_pass(&project, &graph, &plan, first, &minify, &Default::default(), &none).unwrap();
  let opts = ManifestOptions::default();
  let loading =
    manifest::build(&project, &graph, &plan, &shipped, &opts, &minify, &wxpack::cache::Store::none()).unwrap();
  let links: usize = loading.manifest.pages.iter().map(|p| p.opens.len()).sum();
  let added: usize = loading.manifest.preload.rules.iter().map(|r| r.added.len()).sum();
  println!(
    "{} pages open {links} pages; {} rules, {added} packages added, {} left out by the quota",
    loading.manifest.pages.len(),
    loading.manifest.preload.rules.len(),
    loading.manifest.preload.left_out.len()
  );
  let mut group = c.benchmark_group("manifest");
  group.sample_size(20);
  group.bench_function("navigation/generated-2000-pages", |b| b.iter(|| navigation::pages(&project, &graph, true)));
  group.bench_function("stage/generated-2000-pages", |b| {
    b.iter(|| {
      manifest::build(&project, &graph, &plan, &shipped, &opts, &minify, &wxpack::cache::Store::none()).unwrap()
    });
  });
  group.finish();
}

criterion_group!(benches, manifest_stage);
criterion_main!(benches);
