use super::*;

/// A report with main (budget 1000) and subpackage `pkgA` alias `shop`, from (path, source,
/// package, kind, bytes) rows; package and total sizes are the sums.
fn report(files: &[(&str, Option<&str>, &str, &str, u64)]) -> Snapshot {
  let sum = |pkg: &str| files.iter().filter(|f| f.2 == pkg).map(|f| f.4).sum::<u64>();
  let file = |f: &(&str, Option<&str>, &str, &str, u64)| serde_json::json!({"path": f.0, "source": f.1, "package": f.2, "kind": f.3, "bytes_out": f.4});
  let json = serde_json::json!({
    "schema_version": 1,
    "wxpack_version": "0.1.0",
    "packages": [
      {"name": "main", "bytes_out": sum("main"), "budget": 1000, "over_by": null},
      {"name": "pkgA", "alias": "shop", "bytes_out": sum("pkgA"), "budget": 1000, "over_by": null},
    ],
    "total": {"bytes_out": sum("main") + sum("pkgA"), "budget": 5000, "over_by": null},
    "files": files.iter().map(file).collect::<Vec<_>>(),
  });
  Snapshot::parse("r.json", &json.to_string()).unwrap()
}

fn base() -> Snapshot {
  report(&[
    ("app.js", None, "main", "js", 100),
    ("utils/a.js", None, "main", "js", 200),
    ("pkgA/index.js", None, "pkgA", "js", 300),
  ])
}

#[test]
fn a_report_against_itself_is_unchanged_and_passes() {
  let d = Diff::compute("a", &base(), "a", &base(), &"1B".parse().unwrap());
  assert!(d.is_unchanged() && d.passes());
  assert!(d.files.is_empty());
  assert_eq!(d.total.delta, 0);
}

#[test]
fn files_are_matched_by_source_across_packages() {
  let head = report(&[
    ("app.js", None, "main", "js", 100),
    ("pkgA/__wxpack__/utils/a.js", Some("utils/a.js"), "pkgA", "js", 200),
    ("pkgA/index.js", None, "pkgA", "js", 320),
    ("images/new.png", None, "main", "image", 50),
  ]);
  let d = Diff::compute("b", &base(), "h", &head, &GrowthLimits::default());
  let changes: Vec<(&str, Change, i64)> = d.files.iter().map(|f| (f.path.as_str(), f.change, f.delta)).collect();
  assert_eq!(
    changes,
    [("images/new.png", Change::Added, 50), ("pkgA/index.js", Change::Grew, 20), ("utils/a.js", Change::Moved, 0)]
  );
  let moved = &d.files[2];
  assert_eq!(
    (moved.packages_before.as_slice(), moved.packages_after.as_slice()),
    (&["main".to_string()][..], &["pkgA".to_string()][..])
  );
  let main = &d.packages[0];
  assert_eq!((main.before, main.after, main.delta), (Some(300), Some(150), -150));
  assert!(d.passes());
}

#[test]
fn growth_past_a_limit_or_a_budget_fails() {
  let head = report(&[
    ("app.js", None, "main", "js", 100),
    ("utils/a.js", None, "main", "js", 200),
    ("pkgA/index.js", None, "pkgA", "js", 1200),
  ]);
  // By the subpackage's app.json name.
  let d = Diff::compute("b", &base(), "h", &head, &"shop=500B".parse().unwrap());
  let reasons: Vec<String> = d.breaches.iter().map(|b| serde_json::to_string(b).unwrap()).collect();
  assert_eq!(
    reasons,
    [
      r#"{"reason":"growth","package":"pkgA","grew":900,"limit":"500 B"}"#,
      r#"{"reason":"over-budget","package":"pkgA","bytes":1200,"budget":1000}"#,
    ]
  );
  let within = Diff::compute("b", &base(), "h", &head, &"main=0B".parse().unwrap());
  assert_eq!(within.breaches.len(), 1, "main did not grow; pkgA is still over its budget");
}

#[test]
fn markdown_is_a_table_per_package_and_the_changes_in_details() {
  let head = report(&[
    ("app.js", None, "main", "js", 100),
    ("utils/a|b.js", None, "main", "js", 200),
    ("pkgA/index.js", None, "pkgA", "js", 300),
  ]);
  let d = Diff::compute("b", &base(), "h", &head, &GrowthLimits::default());
  let mut out = Vec::new();
  render::markdown(&d, &mut out).unwrap();
  let md = String::from_utf8(out).unwrap();
  assert!(md.contains("| main | 300 B | 300 B | 0 B | 0% | 30% of 1000 B |"), "{md}");
  assert!(md.contains("| pkgA (shop) |"), "{md}");
  assert!(md.contains("| **total** |"), "{md}");
  assert!(md.contains("<details><summary>2 files changed</summary>"), "{md}");
  assert!(md.contains("`utils/a\\|b.js`"), "a | in a path is escaped: {md}");
}
