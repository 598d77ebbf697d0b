//! What compiling costs, per kind, one thread (see docs/benchmarks.md, *Compiling*):
//!
//! - `js/*`: the swc pass of transform/js/ over the npm libraries of ../shared/corpus/fetch.sh:
//!   ES modules to CommonJS, lowering to ES5, each without and with minification, next to
//!   minification alone; TypeScript stripping over the `.ts` sources the libraries publish.
//! - `styles/*`: `Project::load` of a project whose stylesheets are the libraries' WXSS written as
//!   `.wxss` (nothing to compile), `.scss` (grass) and `.less` (the `less` package of
//!   tests/support, in one node process), so the difference is the compile.
//!
//!   npm ci --prefix tests/support && cargo bench --bench compile
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

use wxpack_corpus as corpus_app;

use std::{fs, path::Path};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use wxpack::{
  project::Project,
  transform::{
    es_level,
    js::{self, Dialect, Job, JsOptions},
  },
};

fn job(typescript: bool, es5: bool, minify: bool) -> Job<'static> {
  Job { dialect: Dialect::Js, typescript, es5, minify: minify.then(JsOptions::default), helpers: None }
}

fn bytes(v: &[String]) -> u64 {
  v.iter().map(|s| s.len() as u64).sum()
}

fn js_passes(c: &mut Criterion) {
  let corpus = corpus_app::fetch();
  let read = |paths: Vec<std::path::PathBuf>| paths.iter().map(|p| fs::read_to_string(p).unwrap()).collect::<Vec<_>>();
  let all = read(corpus_app::files_with_ext(&corpus.join("miniprogram_npm"), "js"));
  let esm: Vec<String> = all.iter().filter(|s| es_level::detect(s).is_some_and(|l| l.module)).cloned().collect();
  let ts_paths = corpus_app::files_with_ext(&corpus.join("pkgs"), "ts");
  let ts: Vec<String> = read(ts_paths.into_iter().filter(|p| !p.to_string_lossy().ends_with(".d.ts")).collect())
    .into_iter()
    .filter(|s| es_level::detect_ts(s).is_some())
    .collect();
  let run = |sources: &[String], job: Job| {
    sources.iter().map(|s| js::process(s, job, None).ok().flatten().map_or(0, |o| o.code.len())).sum::<usize>()
  };

  let mut g = c.benchmark_group("js");
  g.sample_size(10);
  eprintln!("inputs: {} JS files ({} ES modules), {} TypeScript files", all.len(), esm.len(), ts.len());
  g.throughput(Throughput::Bytes(bytes(&esm)));
  g.bench_function("esm: minify", |b| b.iter(|| run(&esm, job(false, false, true))));
  g.bench_function("esm: to commonjs", |b| b.iter(|| run(&esm, job(false, false, false))));
  g.throughput(Throughput::Bytes(bytes(&all)));
  g.bench_function("all: minify", |b| b.iter(|| run(&all, job(false, false, true))));
  g.bench_function("all: to es5", |b| b.iter(|| run(&all, job(false, true, false))));
  g.bench_function("all: to es5 + minify", |b| b.iter(|| run(&all, job(false, true, true))));
  g.throughput(Throughput::Bytes(bytes(&ts)));
  g.bench_function("ts: strip", |b| b.iter(|| run(&ts, job(true, false, false))));
  g.bench_function("ts: strip + minify", |b| b.iter(|| run(&ts, job(true, false, true))));
  g.finish();
}

/// A project whose pages each import one of `sheets`, as `.<ext>`, with `plugins` compiled.
fn style_project(dir: &Path, sheets: &[String], ext: &str, plugins: &[&str]) {
  let pages: Vec<String> = (0..sheets.len()).map(|i| format!("pages/p{i}/p{i}")).collect();
  for (page, css) in pages.iter().zip(sheets) {
    fs::create_dir_all(dir.join(page).parent().unwrap()).unwrap();
    fs::write(dir.join(format!("{page}.js")), "Page({})").unwrap();
    fs::write(dir.join(format!("{page}.wxml")), "<view/>").unwrap();
    fs::write(dir.join(format!("{page}.{ext}")), css).unwrap();
  }
  fs::write(dir.join("app.js"), "App({})").unwrap();
  fs::write(dir.join("app.json"), serde_json::json!({ "pages": pages }).to_string()).unwrap();
  let config = serde_json::json!({"compileType": "miniprogram", "setting": {"useCompilerPlugins": plugins}});
  fs::write(dir.join("project.config.json"), config.to_string()).unwrap();
  // lessc as the project would have it.
  let support = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/node_modules");
  assert!(support.join("less").is_dir(), "run npm ci --prefix tests/support first");
  std::os::unix::fs::symlink(&support, dir.join("node_modules")).unwrap();
}

fn styles(c: &mut Criterion) {
  let npm = corpus_app::fetch().join("miniprogram_npm");
  // Stylesheets on their own: imports between them are a separate matter for each compiler.
  let mut sheets: Vec<String> = corpus_app::files_with_ext(&npm, "wxss")
    .iter()
    .map(|p| fs::read_to_string(p).unwrap().lines().filter(|l| !l.contains("@import")).collect::<Vec<_>>().join("\n"))
    .collect();
  let tmp = tempfile::tempdir().unwrap();
  // A sheet one compiler rejects is left out for every kind alike.
  let mut rejected = std::collections::BTreeSet::new();
  for (ext, plugin) in [("scss", "sass"), ("less", "less")] {
    let dir = tmp.path().join(format!("probe-{ext}"));
    style_project(&dir, &sheets, ext, &[plugin]);
    if let Err(errors) = Project::load(&dir, &[]) {
      for e in errors {
        let file = e.location.map(|l| l.file).unwrap_or_default();
        let page = file.strip_prefix("pages/p").and_then(|f| f.split('/').next()).and_then(|n| n.parse::<usize>().ok());
        rejected.insert(page.unwrap_or_else(|| panic!("{ext}: {} ({file})", e.message)));
      }
    }
  }
  eprintln!("{} of {} stylesheets left out: a compiler rejects them", rejected.len(), sheets.len());
  sheets = sheets.into_iter().enumerate().filter(|(i, _)| !rejected.contains(i)).map(|(_, s)| s).collect();
  let mut g = c.benchmark_group("styles");
  g.sample_size(10);
  g.throughput(Throughput::Bytes(bytes(&sheets)));
  for (ext, plugins) in [("wxss", &[][..]), ("scss", &["sass"][..]), ("less", &["less"][..])] {
    let dir = tmp.path().join(ext);
    style_project(&dir, &sheets, ext, plugins);
    assert!(Project::load(&dir, &[]).is_ok(), "{ext}");
    g.bench_function(format!("load with {} sheets as .{ext}", sheets.len()), |b| {
      b.iter(|| Project::load(&dir, &[]).unwrap().compiled_css.len())
    });
  }
  g.finish();
}

criterion_group!(benches, js_passes, styles);
criterion_main!(benches);
