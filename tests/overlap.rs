//! Elements two neighbouring rules both match look the same with the source and the output
//! stylesheets of the real apps (`../shared/corpus/apps`), in headless Chromium
//! (tests/support/wxss_overlap.js). wxpack writes what neighbouring rules both declare once,
//! under both selectors; this is the check of that move that looks at an element with both
//! classes, which the per-selector comparison of tests/meaning.rs does not build. Unused WXSS
//! removal is off here: a probe with a class the app never uses is not a page the app can show.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

mod common;

use std::{fs, path::Path};

fn differences(browser: &Path, sheets: &[(String, String, String)], tmp: &Path) -> (u64, Vec<String>) {
  common::css_check(browser, "wxss_overlap.js", &sheets, tmp)
}

#[test]
fn elements_two_neighbouring_rules_match_keep_their_styles() {
  let Some(apps) = common::corpus_apps("elements_two_neighbouring_rules_match_keep_their_styles") else { return };
  let Some(browser) = common::chromium("elements_two_neighbouring_rules_match_keep_their_styles") else { return };
  let tmp = tempfile::tempdir().unwrap();
  let config = tmp.path().join("wxpack.toml");
  fs::write(&config, "[wxss]\nremove_unused = false\n").unwrap();
  let mut sheets = Vec::new();
  for app in &apps {
    let dir = tempfile::tempdir().unwrap();
    let pairs = common::source_output_pairs(app, dir.path(), &["--config", config.to_str().unwrap()]);
    for (src, out) in pairs.iter().filter(|(s, _)| s.extension().is_some_and(|e| e == "wxss")) {
      let (a, b) = (fs::read_to_string(src).unwrap(), fs::read_to_string(out).unwrap());
      sheets.push((src.display().to_string(), a, b));
    }
  }
  let (checked, differences) = differences(&browser, &sheets, tmp.path());
  eprintln!("chromium: {checked} elements matched by two neighbouring rules compared over {} sheets", sheets.len());
  assert!(checked > 1000, "too little compared: {checked}");
  assert!(differences.is_empty(), "{} differences:\n{}", differences.len(), differences.join("\n"));
}

#[test]
fn a_pair_styled_in_another_order_is_caught() {
  let Some(browser) = common::chromium("a_pair_styled_in_another_order_is_caught") else { return };
  let tmp = tempfile::tempdir().unwrap();
  // Each class alone looks the same; an element with both is red in one and blue in the other.
  let sheets = [
    ("swapped".to_string(), ".a{color:red}.b{color:blue}".to_string(), ".b{color:blue}.a{color:red}".to_string()),
    (
      "same".to_string(),
      ".a{top:0;color:red}.b{left:0;color:red}".to_string(),
      ".a{top:0}.a,.b{color:red}.b{left:0}".to_string(),
    ),
  ];
  let (checked, differences) = differences(&browser, &sheets, tmp.path());
  assert_eq!(checked, 3, "{differences:?}");
  assert_eq!(differences.len(), 2, "{differences:?}");
  assert!(
    differences.iter().all(|d| d.starts_with("swapped: ") && d.contains("rgb(0, 0, 255) -> rgb(255, 0, 0)")),
    "{differences:?}"
  );
}
