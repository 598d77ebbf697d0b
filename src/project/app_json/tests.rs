use super::*;

fn parse(s: &str) -> Result<AppJson, Diagnostic> {
  AppJson::parse(FILE, s)
}

#[test]
fn accepts_both_subpackage_spellings() {
  let app = parse(r#"{"pages":["p/a"],"subpackages":[{"root":"s1/","pages":["x"]}],"subPackages":[{"root":"/s2","pages":["y"],"independent":true}]}"#).unwrap();
  let roots: Vec<_> = app.packages.iter().map(|p| (p.root.to_string(), p.kind)).collect();
  assert_eq!(
    roots,
    [("".into(), PackageKind::Main), ("s1".into(), PackageKind::Subpackage), ("s2".into(), PackageKind::Independent)]
  );
  assert_eq!(app.packages[PackageId(2)].pages[0].as_str(), "s2/y");
}

#[test]
fn rejects_nested_roots() {
  let src =
    "{\"pages\":[\"p/a\"],\n\"subpackages\":[{\"root\":\"pkg\",\"pages\":[]},{\"root\":\"pkg/inner\",\"pages\":[]}]}";
  let err = parse(src).unwrap_err();
  assert_eq!(err.code, Code::NestedSubpackage);
  assert_eq!(err.location.unwrap().line, 2);
}

#[test]
fn rejects_tabbar_page_in_subpackage() {
  let err =
    parse(r#"{"pages":["p/a"],"subpackages":[{"root":"s","pages":["b"]}],"tabBar":{"list":[{"pagePath":"s/b"}]}}"#)
      .unwrap_err();
  assert_eq!(err.code, Code::TabBarPage);
  assert!(err.message.contains("subpackage page"));
}

#[test]
fn workers_as_string_or_object() {
  let a = parse(r#"{"pages":["a"],"workers":"workers"}"#).unwrap();
  assert!(!a.workers.unwrap().is_subpackage);
  let b = parse(r#"{"pages":["a"],"workers":{"path":"w","isSubpackage":true}}"#).unwrap();
  assert_eq!(b.packages.as_raw().last().unwrap().kind, PackageKind::Worker);
}

#[test]
fn alias_needs_star_suffix() {
  assert!(parse(r#"{"pages":["a"],"resolveAlias":{"@u":"utils"}}"#).is_err());
  let a = parse(r#"{"pages":["a"],"resolveAlias":{"@u/*":"utils/*"}}"#).unwrap();
  assert_eq!(a.resolve_alias, [("@u".to_string(), "utils".to_string())]);
}

#[test]
fn missing_pages_is_error() {
  assert_eq!(parse(r#"{"window":{}}"#).unwrap_err().code, Code::InvalidConfig);
  assert_eq!(parse(r#"{"pages":[1]}"#).unwrap_err().code, Code::InvalidConfig);
}
