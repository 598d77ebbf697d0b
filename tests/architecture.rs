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

/// The module path of a file of `src/` (`graph/scan_js/mod.rs` is `["graph", "scan_js"]`).
fn module_path(file: &Path) -> Vec<String> {
  let rel = file.strip_prefix(src()).unwrap();
  let mut segs: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().to_string()).collect();
  let last = segs.pop().unwrap();
  let stem = last.strip_suffix(".rs").unwrap_or(&last).to_string();
  if stem != "mod" && stem != "lib" && stem != "main" {
    segs.push(stem);
  }
  segs
}

/// Every path a file names through `crate::`, `super::` or `self::`, made absolute, with `use`
/// groups expanded (`super::{a::X, b}` is `parent::a::X` and `parent::b`).
fn named_paths(module: &[String], code: &str) -> Vec<Vec<String>> {
  let ident = |s: &str| -> usize {
    s.char_indices().find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_')).map_or(s.len(), |(i, _)| i)
  };
  // A use tree at `s` below `base`: `a::b`, `a::{..}` or `{..}`; the paths it names.
  fn tree(s: &str, base: Vec<String>, ident: &dyn Fn(&str) -> usize, out: &mut Vec<Vec<String>>) {
    let s = s.trim_start();
    if let Some(group) = s.strip_prefix('{') {
      let (mut depth, mut start) = (0usize, 0usize);
      for (k, c) in group.char_indices() {
        match c {
          '{' => depth += 1,
          '}' if depth == 0 => {
            tree(&group[start..k], base.clone(), ident, out);
            return;
          }
          '}' => depth -= 1,
          ',' if depth == 0 => {
            tree(&group[start..k], base.clone(), ident, out);
            start = k + 1;
          }
          _ => {}
        }
      }
      return;
    }
    let n = ident(s);
    if n == 0 {
      if !base.is_empty() {
        out.push(base);
      }
      return;
    }
    let mut path = base;
    path.push(s[..n].to_string());
    match s[n..].strip_prefix("::") {
      Some(rest) => tree(rest, path, ident, out),
      None => out.push(path),
    }
  }
  let mut out = Vec::new();
  for (i, _) in code.match_indices("::") {
    // The start of a path: `crate`, `self` or `super` right before this `::`, not part of a
    // longer path (`a::super::` does not occur in our code).
    let before = &code[..i];
    let word_start = before.rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).map_or(0, |p| p + 1);
    let word = &before[word_start..];
    if word_start >= 2 && &before[word_start - 2..word_start] == "::" {
      continue;
    }
    let mut rest = &code[i + 2..];
    let base: Vec<String> = match word {
      "crate" => Vec::new(),
      "self" => module.to_vec(),
      "super" => {
        // A mod.rs's module is its folder, so `super` climbs one module either way.
        let mut up = 1;
        while let Some(r) = rest.strip_prefix("super::") {
          rest = r;
          up += 1;
        }
        module[..module.len().saturating_sub(up)].to_vec()
      }
      _ => continue,
    };
    tree(rest, base, &ident, &mut out);
  }
  out
}

/// For each folder of `src/` below the top: which of its files and subfolders name which others
/// (mod.rs, which declares and re-exports them, and tests.rs are left out).
fn sibling_imports() -> BTreeMap<Vec<String>, BTreeMap<String, BTreeSet<String>>> {
  let mut files = Vec::new();
  rust_files(&src(), &mut files);
  let mut levels: BTreeMap<Vec<String>, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
  for file in &files {
    let name = file.file_name().unwrap().to_string_lossy().to_string();
    if name == "tests.rs" {
      continue;
    }
    let module = module_path(file);
    let text = fs::read_to_string(file).unwrap();
    let code = text.split("#[cfg(test)]").next().unwrap_or("");
    // Comments link to siblings (`[super::solve]`) without depending on them.
    let code: String = code.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
    let paths = named_paths(&module, &code);
    // At each folder level L above this file (but the crate's), the file is part of node
    // module[L.len()]; a path into L names node path[L.len()].
    // (A mod.rs is never a node at its own folder's level: it declares and re-exports.)
    for depth in 1..module.len() {
      let level = &module[..depth];
      let node = &module[depth];
      let entry = levels.entry(level.to_vec()).or_default().entry(node.clone()).or_default();
      for p in &paths {
        if p.len() > depth && p[..depth] == *level && p[depth] != *node {
          entry.insert(p[depth].clone());
        }
      }
    }
  }
  // Only names of files and folders at that level count (types re-exported by mod.rs do not).
  for (level, graph) in &mut levels {
    let dir = level.iter().fold(src(), |d, s| d.join(s));
    let nodes: BTreeSet<String> = fs::read_dir(&dir)
      .unwrap()
      .filter_map(|e| {
        let n = e.ok()?.file_name().to_string_lossy().to_string();
        let n = n.strip_suffix(".rs").map_or(n.clone(), str::to_string);
        (n != "mod" && n != "tests").then_some(n)
      })
      .collect();
    for uses in graph.values_mut() {
      uses.retain(|u| nodes.contains(u));
    }
  }
  levels
}

#[test]
fn files_in_a_folder_form_no_cycle() {
  let mut found = Vec::new();
  for (level, graph) in sibling_imports() {
    for (a, b) in cycles(&graph) {
      found.push(format!("{}: {a} -> {b}", level.join("/")));
    }
  }
  assert!(found.is_empty(), "files on a cycle with a sibling:\n{}", found.join("\n"));
}

#[test]
fn the_sibling_check_reads_use_groups_and_super() {
  let module: Vec<String> = ["plan".to_string(), "settle".to_string()].into();
  let paths = named_paths(&module, "use super::{edits::{self, Problem}, layout::Layout};\nuse crate::graph::AssetId;");
  let shown: Vec<String> = paths.iter().map(|p| p.join("::")).collect();
  assert_eq!(shown, ["plan::edits::self", "plan::edits::Problem", "plan::layout::Layout", "graph::AssetId"]);
}
