//! Scan and accounting throughput: `Project::load` + `Graph::scan` + `Report::build` on the
//! largest fixture and on an app assembled from the npm libraries of ../shared/corpus/fetch.sh.
//! Output is not written (emit is disk-bound and measured by the CLI timings instead).
//!
//!   cargo bench --bench pipeline
#![allow(clippy::unwrap_used, clippy::expect_used)]

use wxpack_corpus as corpus_app;

use std::path::Path;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use wxpack::{
  config::{Config, Overrides},
  graph::Graph,
  manifest,
  plan::{self, PackagePlan},
  progress::Progress,
  project::Project,
  report::{Built, Report},
  transform,
};

fn scan_and_account(c: &mut Criterion) {
  let tmp = tempfile::tempdir().unwrap();
  let corpus = corpus_app::assemble(&corpus_app::fetch(), &tmp.path().join("corpus-app"));
  let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo");
  let mut group = c.benchmark_group("scan_and_account");
  for (name, dir) in [("fixture-demo", demo.as_path()), ("npm-libraries", corpus.root.as_path())] {
    // OUT_DIR (and with it the image cache) in a temp folder: a bench never writes a fixture.
    let flags = Overrides { out_dir: Some(tmp.path().join(name).join("dist")), ..Overrides::default() };
    let config = Config::load(dir, flags).unwrap();
    let project = Project::load(dir, &[]).unwrap();
    let bytes: u64 = project.files.values().map(|f| f.size).sum();
    group.throughput(Throughput::Bytes(bytes));
    group.bench_with_input(BenchmarkId::new("load+scan", name), dir, |b, dir| {
      b.iter(|| {
        let project = Project::load(dir, &[]).unwrap();
        Graph::scan(&project, wxpack::diagnostic::Policy::default(), &Progress::hidden()).unwrap()
      });
    });
    let graph = Graph::scan(&project, wxpack::diagnostic::Policy::default(), &Progress::hidden()).unwrap();
    let none = wxpack::cache::Store::none();
    group.bench_with_input(BenchmarkId::new("transform+plan+manifest+report", name), &(), |b, ()| {
      b.iter(|| {
        let analysis = plan::Analysis::compute(&project, &graph, &config.plan, true);
        let classes = transform::wxss::unused::Classes::of(&project, &graph, &config.minify.keep_classes);
        let named = transform::wxss::named::Named::of(&project, &graph, Some(&classes), true, &none);
        let styles = transform::wxss::Styles { classes: Some(classes), glyphs: named.glyphs, words: named.words };
        let outputs = transform::first_pass(
          &project,
          &graph,
          &analysis.pruned,
          &config.minify,
          &config.images,
          &styles,
          // No cache: the step measures minifying, not reading results back.
          &none,
          &Progress::hidden(),
        )
        .unwrap();
        let sizes = outputs.sizes(&project, &graph, &analysis.pruned);
        let plan = PackagePlan::compute(&project, &graph, &analysis, &sizes, &config.plan, &config.budgets).unwrap();
        let shipped = transform::second_pass(&project, &graph, &plan, outputs, &config.minify, &styles, &none).unwrap();
        let loading = manifest::build(
          &project,
          &graph,
          &plan,
          &shipped,
          &config.manifest,
          &config.minify,
          &wxpack::cache::Store::none(),
        )
        .unwrap();
        let shipped = manifest::with_app_json(&project, shipped, &loading);
        let emitted = wxpack::emit::Emitted::of(&project, &shipped, &config.minify);
        let built = Built {
          project: &project,
          graph: &graph,
          plan: &plan,
          first_pass: &sizes,
          shipped: &shipped,
          loading: &loading,
          emitted: &emitted,
        };
        Report::build(&config, &built, Vec::new())
      });
    });
  }
  group.finish();
}

criterion_group!(benches, scan_and_account);
criterion_main!(benches);
