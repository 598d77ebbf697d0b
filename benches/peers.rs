//! wxpack's minifiers against their peers on the same files: every `.js` and `.wxss` of the npm
//! libraries that ../shared/corpus/fetch.sh brings. Prints a markdown table of bytes and time.
//! One thread everywhere: wxpack's loop here and each peer's loop in node.
//!
//!   cargo bench --bench peers
//!
//! The peers (terser, esbuild, @swc/core, lightningcss) are installed with npm into
//! $WXPACK_PEERS or ~/.cache/wxpack-peers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout, clippy::print_stderr)]

use wxpack_corpus as corpus_app;

use std::{
  fs,
  path::{Path, PathBuf},
  process::Command,
  time::Instant,
};

use serde_json::{Value, json};
use wxpack::{
  targets::BaseLibrary,
  transform::{js, wxss},
};

/// (files, bytes in, bytes out, ms, fallbacks) of one wxpack minifier over `paths`.
fn measure(paths: &[PathBuf], f: impl Fn(&str) -> (String, bool)) -> Value {
  let sources: Vec<String> = paths.iter().map(|p| fs::read_to_string(p).unwrap()).collect();
  let start = Instant::now();
  let (mut out, mut fallbacks) = (0, 0);
  for s in &sources {
    let (code, fell_back) = f(s);
    // Never larger: the original ships when minifying does not help.
    out += code.len().min(s.len());
    fallbacks += usize::from(fell_back);
  }
  let ms = start.elapsed().as_secs_f64() * 1000.0;
  json!({"files": sources.len(), "bytes_in": sources.iter().map(String::len).sum::<usize>(), "bytes_out": out, "ms": ms, "failed": fallbacks})
}

fn main() {
  let npm = corpus_app::fetch().join("miniprogram_npm");
  let (js_files, css_files) = (corpus_app::files_with_ext(&npm, "js"), corpus_app::files_with_ext(&npm, "wxss"));

  let css = wxss::Css { targets: BaseLibrary::default().engines().css_targets(false), autoprefix: false };
  let mut rows = vec![
    (
      "wxpack js (swc, gated by oxc)".to_string(),
      measure(&js_files, |s| match js::minify(s, js::Dialect::Js, js::JsOptions::default()) {
        Ok(code) => (code, false),
        Err(_) => (s.to_string(), true),
      }),
    ),
    (
      "wxpack wxss (lightningcss, targets ios 8 / chrome 53)".to_string(),
      measure(&css_files, |s| {
        let sheet = wxss::minify(s, css);
        (sheet.code, sheet.fallback.is_some())
      }),
    ),
  ];

  let peers = corpus_app::peers();
  let list = peers.join("list.json");
  fs::write(&list, json!({"js": js_files, "wxss": css_files}).to_string()).unwrap();
  let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/peers.mjs");
  let out = Command::new("node").arg(script).arg(peers.join("node_modules")).arg(&list).output().unwrap();
  assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
  let peer_rows: serde_json::Map<String, Value> = serde_json::from_slice(&out.stdout).unwrap();
  rows.extend(peer_rows);

  println!("| tool | files | bytes in | bytes out | saved | time (1 thread) | failed / fell back |");
  println!("|---|---|---|---|---|---|---|");
  for (name, r) in &rows {
    let (i, o) = (r["bytes_in"].as_f64().unwrap(), r["bytes_out"].as_f64().unwrap());
    println!(
      "| {name} | {} | {} | {} | {:.1}% | {:.0} ms | {} |",
      r["files"],
      i,
      o,
      (i - o) * 100.0 / i,
      r["ms"].as_f64().unwrap(),
      r["failed"]
    );
  }
}
