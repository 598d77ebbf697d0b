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

/// Every JSON file of every real app: each string value's span, looked up by its path in the
/// index `parse_spanned` builds, holds text that reads as that very string (escapes and all),
/// so a reference the planner re-spells, or a message, lands on the value serde read.
#[test]
fn every_json_value_of_the_real_apps_is_located_where_it_is_written() {
  use serde_json::Value;
  use wxpack::project::json::{JsonSpans, parse_spanned};

  fn walk(v: &Value, path: &mut Vec<String>, src: &str, spans: &JsonSpans, checked: &mut usize) {
    match v {
      Value::String(s) => {
        let keys: Vec<&str> = path.iter().map(String::as_str).collect();
        let span = spans.value(&keys).unwrap_or_else(|| panic!("no span for {keys:?}"));
        let written = &src[span.start as usize..span.end as usize];
        let read: String = serde_json::from_str(&format!("\"{written}\"")).unwrap();
        // A key written twice keeps the last value; the first span may hold the earlier one.
        assert!(read == *s || spans.values(&keys).count() > 1, "{keys:?}: {written:?} is not {s:?}");
        *checked += 1;
      }
      Value::Array(items) => {
        for (i, item) in items.iter().enumerate() {
          path.push(i.to_string());
          walk(item, path, src, spans, checked);
          path.pop();
        }
      }
      Value::Object(map) => {
        for (k, item) in map {
          path.push(k.clone());
          walk(item, path, src, spans, checked);
          path.pop();
        }
      }
      _ => {}
    }
  }

  let Some(apps) = common::corpus_apps("every_json_value_of_the_real_apps_is_located_where_it_is_written") else {
    return;
  };
  let (mut files, mut checked) = (0, 0);
  let mut stack = apps;
  while let Some(dir) = stack.pop() {
    for entry in std::fs::read_dir(&dir).unwrap() {
      let p = entry.unwrap().path();
      if p.is_dir() {
        stack.push(p);
      } else if p.extension().is_some_and(|e| e == "json") {
        let Ok(src) = std::fs::read_to_string(&p) else { continue };
        let Ok((value, spans)) = parse_spanned::<Value>("x.json", &src) else { continue };
        walk(&value, &mut Vec::new(), &src, &spans, &mut checked);
        files += 1;
      }
    }
  }
  eprintln!("{checked} string values in {files} JSON files located");
  assert!(files > 100 && checked > 1000, "{files} files, {checked} values");
}
