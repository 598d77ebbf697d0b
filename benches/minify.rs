//! Throughput of each minifier, one thread, over every file of its kind in the npm libraries of
//! ../shared/corpus/fetch.sh (see docs/benchmarks.md).
//!
//!   cargo bench --bench minify
#![allow(clippy::unwrap_used, clippy::expect_used)]

use wxpack_corpus as corpus_app;

use std::fs;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use wxpack::{
  targets::BaseLibrary,
  transform::{js, wxml, wxss},
};

fn minifiers(c: &mut Criterion) {
  let npm = corpus_app::fetch().join("miniprogram_npm");
  let load =
    |ext| corpus_app::files_with_ext(&npm, ext).iter().map(|p| fs::read_to_string(p).unwrap()).collect::<Vec<_>>();
  let (js_src, wxs_src, wxss_src, wxml_src) = (load("js"), load("wxs"), load("wxss"), load("wxml"));
  let bytes = |v: &[String]| v.iter().map(|s| s.len() as u64).sum::<u64>();
  let mut g = c.benchmark_group("minify");
  g.sample_size(10);
  let opts = js::JsOptions::default();
  g.throughput(Throughput::Bytes(bytes(&js_src)));
  g.bench_function("js", |b| {
    b.iter(|| js_src.iter().map(|s| js::minify(s, js::Dialect::Js, opts).map_or(0, |o| o.len())).sum::<usize>())
  });
  g.throughput(Throughput::Bytes(bytes(&wxs_src)));
  g.bench_function("wxs", |b| {
    b.iter(|| wxs_src.iter().map(|s| js::minify(s, js::Dialect::Wxs, opts).map_or(0, |o| o.len())).sum::<usize>())
  });
  let css = wxss::Css { targets: BaseLibrary::default().engines().css_targets(false), autoprefix: false };
  g.throughput(Throughput::Bytes(bytes(&wxss_src)));
  g.bench_function("wxss", |b| b.iter(|| wxss_src.iter().map(|s| wxss::minify(s, css).code.len()).sum::<usize>()));
  g.throughput(Throughput::Bytes(bytes(&wxml_src)));
  g.bench_function("wxml", |b| b.iter(|| wxml_src.iter().map(|s| wxml::minify(s, &|_| None).0.len()).sum::<usize>()));
  g.finish();
}

criterion_group!(benches, minifiers);
criterion_main!(benches);
