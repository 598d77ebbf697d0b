//! Real open-source mini programs (`../shared/corpus/apps`, third-party code read in place, never
//! copied here): each builds with and without the planner (exit 0 or 1, never 2, never a panic),
//! and each output passes the same check as the fixtures' (every reference that resolved still
//! resolves, the package rules hold, routes unchanged, moved modules load). Nothing here names an
//! app: every folder with a project.config.json is a user's project like any other.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

mod common;

use std::time::Instant;

use common::check::check_output;

#[test]
fn every_real_app_builds_with_and_without_the_planner() {
  let Some(apps) = common::corpus_apps("every_real_app_builds_with_and_without_the_planner") else { return };
  eprintln!("{:<22} {:>5} {:>10} {:>8} {:>5} {:>10} {:>8}", "app", "exit", "main", "time", "exit", "main", "time");
  eprintln!("{:<22} {:^25} {:^25}", "", "planner", "--no-plan");
  for app in &apps {
    let mut row = format!("{:<22}", app.file_name().unwrap().to_string_lossy());
    for extra in [&[][..], &["--no-plan"][..]] {
      let started = Instant::now();
      let checked = check_output(app, extra);
      let main = checked.report["packages"][0]["bytes_out"].as_u64().unwrap();
      row += &format!(" {:>5} {:>10} {:>7}ms", checked.code, main, started.elapsed().as_millis());
    }
    eprintln!("{row}");
  }
}
