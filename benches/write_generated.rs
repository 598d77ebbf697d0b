//! Writes the generated 2,000-page project of the planner benchmarks (benches/gen_project.rs)
//! to a folder, for command-line timings (docs/benchmarks.md, "Rebuilds"):
//! `cargo bench --bench write_generated -- /tmp/gen` (cargo adds `--bench`, which is skipped).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod gen_project;

fn main() {
  let dir = std::env::args().skip(1).find(|a| !a.starts_with("--")).expect("usage: write_generated DIR");
  let files = gen_project::generate(std::path::Path::new(&dir));
  println!("{files} files in {dir}");
}
