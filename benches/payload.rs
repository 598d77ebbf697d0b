//! What the payload weighs under the choices that shape it (see docs/benchmarks.md, *Payload*):
//!
//! 1. Shared helper modules against inlined helpers: the two apps `benches/corpus_app.rs`
//!    assembles from the npm libraries, built as they are and with "compile to ES5", each with
//!    `[js] shared_helpers` on and off. Prints bytes per build.
//! 2. Re-minifying the output: the peers (terser, esbuild, swc, lightningcss; see peers.rs) run
//!    over every JS and WXSS file wxpack shipped, as DevTools' upload minify would run over them
//!    with the minify switches on. Prints what each would change.
//!
//!   cargo bench --bench payload
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout, clippy::print_stderr)]

use wxpack_corpus as corpus_app;

use std::{
  fs,
  path::{Path, PathBuf},
  process::Command,
};

use serde_json::{Value, json};
use wxpack::{
  config::{Config, Overrides},
  graph::AssetKind,
};

const BUILDS: [(&str, &str); 4] = [
  ("as published", ""),
  ("as published, helpers inline", "[js]\nshared_helpers = false\n"),
  ("ES5", "[js]\ntarget = \"es5\"\n"),
  ("ES5, helpers inline", "[js]\ntarget = \"es5\"\nshared_helpers = false\n"),
];

fn build(app: &Path, toml: &str, tmp: &Path, name: &str) -> (wxpack::report::Report, PathBuf) {
  let config = tmp.join(format!("{name}.toml"));
  fs::write(&config, toml).unwrap();
  let out = tmp.join(format!("out-{name}"));
  let overrides = Overrides { config: Some(config), out_dir: Some(out.clone()), ..Overrides::default() };
  let outcome = wxpack::build(&Config::load(app, overrides).unwrap()).unwrap();
  (outcome.report, out.join("miniprogram"))
}

fn main() {
  let corpus = corpus_app::fetch();
  let tmp = tempfile::tempdir().unwrap();
  let apps = [
    ("libraries", corpus_app::assemble(&corpus, &tmp.path().join("app")).root),
    ("libraries, split", corpus_app::assemble_split(&corpus, &tmp.path().join("split"))),
  ];
  println!("| app | build | total | JS | helper modules | main |");
  println!("|---|---|---|---|---|---|");
  let mut es5_output = None;
  for (app, root) in &apps {
    for (i, (build_name, toml)) in BUILDS.iter().enumerate() {
      let (report, out) = build(root, toml, tmp.path(), &format!("{}-{i}", app.replace([',', ' '], "")));
      let js: Vec<_> = report.files.iter().filter(|f| f.kind == AssetKind::Js).collect();
      let generated: Vec<_> = js.iter().filter(|f| f.generated).collect();
      println!(
        "| {app} | {build_name} | {} | {} | {} ({} B) | {} |",
        report.total.bytes_out,
        js.iter().map(|f| f.bytes_out).sum::<u64>(),
        generated.len(),
        generated.iter().map(|f| f.bytes_out).sum::<u64>(),
        report.packages[0].bytes_out,
      );
      if *app == "libraries" && *build_name == "ES5" {
        es5_output = Some((report, out));
      }
    }
  }

  // The peers over wxpack's own output.
  let (report, out) = es5_output.unwrap();
  let files = |kind: AssetKind| -> Vec<PathBuf> {
    report.files.iter().filter(|f| f.kind == kind).map(|f| out.join(f.path.as_str())).collect()
  };
  let peers = corpus_app::peers();
  let list = peers.join("payload-list.json");
  fs::write(&list, json!({"js": files(AssetKind::Js), "wxss": files(AssetKind::Wxss)}).to_string()).unwrap();
  let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/peers.mjs");
  let o = Command::new("node").arg(script).arg(peers.join("node_modules")).arg(&list).output().unwrap();
  assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
  let rows: serde_json::Map<String, Value> = serde_json::from_slice(&o.stdout).unwrap();
  println!("\n| peer over wxpack's ES5 output | files | bytes in | bytes out | change |");
  println!("|---|---|---|---|---|");
  for (name, r) in &rows {
    let (i, o) = (r["bytes_in"].as_i64().unwrap(), r["bytes_out"].as_i64().unwrap());
    println!("| {name} | {} | {i} | {o} | {:+} ({:+.2}%) |", r["files"], o - i, (o - i) as f64 * 100.0 / i as f64);
  }
}
