use super::*;

fn pruned(css: &str, text: &str) -> (String, Vec<(String, String)>) {
  let classes = Classes::from_text(text.as_bytes(), true);
  match prune(css, &classes) {
    Some(p) => (p.text, p.removed.into_iter().map(|r| (r.selector, r.class)).collect()),
    None => (css.to_string(), Vec::new()),
  }
}

#[test]
fn a_rule_whose_every_selector_needs_a_missing_class_goes() {
  let (out, removed) = pruned(".a{color:red}\n.b .gone{color:blue}\n.c{top:0}", "a c");
  assert_eq!(out, ".a{color:red}\n\n.c{top:0}");
  assert_eq!(removed, [(".b .gone".to_string(), "b".to_string())]);
}

#[test]
fn a_list_loses_only_the_selectors_that_cannot_match() {
  let (out, removed) = pruned(".a, .gone::after, view.b:hover { color: red }", "a b");
  assert_eq!(out, ".a, view.b:hover { color: red }");
  assert_eq!(removed.len(), 1);
}

#[test]
fn what_could_match_stays_byte_for_byte() {
  // Tags, ids, attributes, `:host`, `:not()` and functional pseudo-classes require no class;
  // escapes and unknown at-rules are kept whole.
  let css = "view{a:b}#x{a:b}[class*=gone]{a:b}:host{a:b}:not(.gone){a:b}:host(.gone){a:b}.gone\\:x{a:b}\
             @keyframes gone{from{a:b}}@font-face{font-family:gone}@import 'gone.wxss';";
  let (out, removed) = pruned(css, "");
  assert_eq!(out, css);
  assert!(removed.is_empty());
}

#[test]
fn media_and_supports_are_read_inside_and_go_when_emptied() {
  let (out, removed) =
    pruned("@media (min-width:1px){.gone{a:b}.a{a:b}}\n@supports (display:grid){.gone{a:b}}\n.a{a:b}", "a");
  assert_eq!(out, "@media (min-width:1px){.a{a:b}}\n\n.a{a:b}");
  assert_eq!(removed.len(), 2);
}

#[test]
fn an_unclosed_block_keeps_everything() {
  let css = ".a{a:b}\n.gone{a:b\n.gone2{a:b}";
  assert_eq!(pruned(css, "a").0, css);
}

#[test]
fn lines_are_those_of_the_sheet() {
  let classes = Classes::from_text(b"a", true);
  let p = prune("/* x */\n.a{}\n\n.gone{}\n.a,\n.gone2{}", &classes).unwrap();
  let lines: Vec<u32> = p.removed.iter().map(|r| r.line).collect();
  assert_eq!(lines, [4, 5]);
}

#[test]
fn nothing_removed_is_none() {
  assert!(prune(".a{}.b .a{}", &Classes::from_text(b"a b", true)).is_none());
}

#[test]
fn the_cached_path_gives_what_prune_gives() {
  let dir = tempfile::tempdir().unwrap();
  let store = Store::open(Some(dir.path()));
  store.open_pack(&Key::builder("pack").part(b"unused-test").finish());
  let css = ".a{top:0}.gone,.a .b{top:1px}@media (x){.gone2{top:0}}";
  for text in ["a b", "a", "a b gone gone2", "a b gone"] {
    let classes = Classes::from_text(text.as_bytes(), true);
    let fresh = prune(css, &classes).map(|p| (p.text, p.removed));
    // Twice: computed and stored, then read back.
    for _ in 0..2 {
      let cached = prune_cached(&store, css, &classes).map(|p| (p.text, p.removed));
      assert_eq!(cached, fresh, "{text}");
    }
  }
  assert_eq!(needed_classes(css), ["a", "b", "gone", "gone2"]);
}

#[test]
fn kept_selectors_keep_their_bytes() {
  // Found by the `wxss_unused` fuzz target: trimmed, the kept selector lost the newline that
  // ends its unterminated string, and the string swallowed the rest of the sheet.
  let css = ".gone,$'x\r{a:b}.a{c:d}";
  let (out, removed) = pruned(css, "a");
  assert_eq!(out, "$'x\r{a:b}.a{c:d}");
  assert_eq!(removed.len(), 1);
  assert!(prune(&out, &Classes::from_text(b"a", true)).is_none());
}
