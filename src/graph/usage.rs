//! Which `usingComponents` entries a page or component actually uses.
//!
//! An entry whose tag appears nowhere in the sibling WXML (nor in the files it `<include>`s, nor
//! as a `generic:` value, nor in `componentPlaceholder`) is dropped by the JSON minifier, a
//! DevTools code-quality requirement. Deciding it here, once, lets the planner leave such a
//! component out of every package too. When the WXML `<import>`s templates, any declared
//! component may be used by them, so nothing is known and nothing is dropped.

use std::ops::Range;

use rustc_hash::{FxHashMap, FxHashSet};

use super::{AssetId, DepKind, Graph};
use crate::project::app_json;

/// What one scanned file tells about component use.
#[derive(Debug, Default)]
pub(super) struct FileUsage {
  /// WXML: tag names and `generic:` values, lowercased.
  pub tags: Option<Vec<String>>,
  /// Page/component JSON: every `usingComponents` tag, and those `componentPlaceholder` names.
  pub declared_tags: Vec<String>,
  pub placeholder_tags: Vec<String>,
}

/// Collected while the graph is scanned; [`Usage::mark_unused`] runs once at the end.
#[derive(Default)]
pub(super) struct Usage {
  wxml_tags: FxHashMap<AssetId, Vec<String>>,
  json: Vec<(AssetId, FileUsage)>,
  /// For each JSON file, the deps (index range into its `deps`) each tag produced.
  tag_deps: FxHashMap<AssetId, Vec<(String, Range<usize>)>>,
}

impl Usage {
  pub fn add(&mut self, id: AssetId, mut usage: FileUsage) {
    if let Some(tags) = usage.tags.take() {
      self.wxml_tags.insert(id, tags);
    }
    if !usage.declared_tags.is_empty() {
      self.json.push((id, usage));
    }
  }

  pub fn add_tag_deps(&mut self, json: AssetId, tag: String, deps: Range<usize>) {
    self.tag_deps.entry(json).or_default().push((tag, deps));
  }

  /// Fills `graph.unused_tags` and marks the deps of unused entries.
  pub fn mark_unused(self, graph: &mut Graph) {
    for &(json, ref usage) in &self.json {
      if graph.assets[json].path.as_str() == app_json::FILE {
        continue; // global components are never dropped
      }
      let Some(used) = self.used_tags(graph, json) else { continue };
      let unused: Vec<String> = usage
        .declared_tags
        .iter()
        .filter(|t| !used.contains(t.to_ascii_lowercase().as_str()) && !usage.placeholder_tags.contains(t))
        .cloned()
        .collect();
      if unused.is_empty() {
        continue;
      }
      for (tag, range) in self.tag_deps.get(&json).into_iter().flatten() {
        if unused.contains(tag) {
          for dep in &mut graph.assets[json].deps[range.clone()] {
            dep.unused = true;
          }
        }
      }
      graph.unused_tags.insert(json, unused);
    }
  }

  /// The tags the WXML beside `json` uses, with what it includes and imports (an imported
  /// template renders in the importer, its tags resolved by the importer's usingComponents, and
  /// may render the templates of what it imports itself); `None` when unknowable.
  fn used_tags(&self, graph: &Graph, json: AssetId) -> Option<FxHashSet<&str>> {
    let wxml = graph.get(&graph.assets[json].path.stem_path().with_suffix(".wxml"))?;
    let mut used = FxHashSet::default();
    let mut seen = FxHashSet::default();
    let mut stack = vec![wxml.id];
    while let Some(id) = stack.pop() {
      if !seen.insert(id) {
        continue;
      }
      let file = &graph.assets[id];
      used.extend(self.wxml_tags.get(&id)?.iter().map(String::as_str));
      let templates = |d: &&super::Dep| matches!(d.kind, DepKind::WxmlInclude | DepKind::WxmlImport);
      stack.extend(file.deps.iter().filter(templates).map(|d| d.target));
    }
    Some(used)
  }
}
