//! The shape of `src/` (docs/architecture.md): the top-level modules, read from the `crate::`
//! paths outside `#[cfg(test)]`, form no cycle, so each stage depends only on the stages before
//! it and on leaf modules; and no source file passes 400 lines (unit tests live in `tests.rs` beside their module).
#![allow(clippy::unwrap_used, clippy::print_stderr)]

use std::{
  collections::{BTreeMap, BTreeSet},
  fs,
  path::{Path, PathBuf},
};

fn src() -> PathBuf {
  Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
  for e in fs::read_dir(dir).unwrap() {
    let p = e.unwrap().path();
    if p.is_dir() {
      rust_files(&p, out);
    } else if p.extension().is_some_and(|x| x == "rs") {
      out.push(p);
    }
  }
}

/// The top-level module a file of `src/` belongs to (`None` for lib.rs and main.rs).
fn module_of(file: &Path) -> Option<String> {
  let rel = file.strip_prefix(src()).unwrap();
  let first = rel.components().next()?.as_os_str().to_string_lossy().to_string();
  let name = first.strip_suffix(".rs").unwrap_or(&first).to_string();
  (name != "lib" && name != "main").then_some(name)
}

/// Which top-level modules each one names through `crate::` (`use crate::{a::x, b}` too).
fn imports() -> BTreeMap<String, BTreeSet<String>> {
  let mut files = Vec::new();
  rust_files(&src(), &mut files);
  let modules: BTreeSet<String> = files.iter().filter_map(|f| module_of(f)).collect();
  let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
  for file in &files {
    let Some(from) = module_of(file) else { continue };
    let text = fs::read_to_string(file).unwrap();
    // A file's tests start at its first `#[cfg(test)]`; a tests.rs file is all tests.
    if file.file_name().is_some_and(|n| n == "tests.rs") {
      continue;
    }
    let code = text.split("#[cfg(test)]").next().unwrap_or("");
    let mut names = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
      rest = &rest[i + "crate::".len()..];
      if let Some(group) = rest.strip_prefix('{') {
        // `crate::{a::x, b, c::{d, e}}`: the first segment of each item at depth 0.
        let (mut depth, mut item_start) = (0usize, true);
        for (k, c) in group.char_indices() {
          match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => item_start = true,
            c if item_start && (c.is_ascii_alphabetic() || c == '_') => {
              let word: String = group[k..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
              names.insert(word);
              item_start = false;
            }
            _ => {}
          }
        }
      } else {
        names.insert(rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect());
      }
    }
    let entry = graph.entry(from.clone()).or_default();
    entry.extend(names.into_iter().filter(|n| modules.contains(n) && *n != from));
  }
  graph
}

/// The modules on some cycle of `graph`, with the edges between them.
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<(String, String)> {
  let reaches = |from: &str, to: &str| {
    let (mut seen, mut stack) = (BTreeSet::new(), vec![from.to_string()]);
    while let Some(m) = stack.pop() {
      if m == to {
        return true;
      }
      if seen.insert(m.clone()) {
        stack.extend(graph.get(&m).into_iter().flatten().cloned());
      }
    }
    false
  };
  let mut out = Vec::new();
  for (a, bs) in graph {
    for b in bs {
      if reaches(b, a) {
        out.push((a.clone(), b.clone()));
      }
    }
  }
  out
}

#[test]
fn top_level_modules_form_no_cycle() {
  let graph = imports();
  for (m, uses) in &graph {
    eprintln!("{m} -> {}", uses.iter().cloned().collect::<Vec<_>>().join(", "));
  }
  assert!(graph.len() >= 10, "{graph:?}");
  let on_cycles = cycles(&graph);
  assert!(on_cycles.is_empty(), "edges on a cycle: {on_cycles:?}");
}

#[test]
fn the_check_sees_a_cycle() {
  let graph: BTreeMap<String, BTreeSet<String>> = [
    ("plan".to_string(), ["report".to_string()].into()),
    ("report".to_string(), ["plan".to_string(), "size".to_string()].into()),
  ]
  .into();
  assert_eq!(cycles(&graph), [("plan".into(), "report".into()), ("report".into(), "plan".into())]);
}

#[test]
fn no_source_file_passes_400_lines() {
  let mut files = Vec::new();
  rust_files(&src(), &mut files);
  let long: Vec<String> = files
    .iter()
    .map(|f| (f, fs::read_to_string(f).unwrap().lines().count()))
    .filter(|(_, n)| *n > 400)
    .map(|(f, n)| format!("{}: {n} lines", f.display()))
    .collect();
  assert!(long.is_empty(), "{long:?}");
}
