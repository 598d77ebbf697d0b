//! When main is still over its budget after planning: which main pages to move into a
//! subpackage, ranked by the bytes that would leave main with them. wxpack never moves a page
//! itself (routes would change); this is advice.
//!
//! A page frees its exclusive closure: the main-package files that no other main root (another
//! page, app.js, a global component, a tabBar icon) reaches. One walk finds all of them: each
//! file carries "no page", "page p only" or "several", merged along synchronous references.
//! Files that a subpackage also uses are counted too, so the figure is an upper bound.

use serde::Serialize;

use super::{layout::Instance, pins::Pins, reach::Edges};
use crate::{
  graph::{AssetId, DepKind, Graph},
  index_vec::IndexVec,
  mp_path::MpPath,
  project::{PackageId, Project},
};

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct PageSuggestion {
  pub page: MpPath,
  /// Shipped bytes that would leave main with the page.
  pub bytes: u64,
  pub files: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
  None,
  One(usize),
  Many,
}

impl Owner {
  fn merge(self, other: Owner) -> Owner {
    match (self, other) {
      (Owner::None, x) | (x, Owner::None) => x,
      (Owner::One(a), Owner::One(b)) if a == b => self,
      _ => Owner::Many,
    }
  }
}

const SHOWN: usize = 10;

pub fn pages(
  project: &Project,
  graph: &Graph,
  instances: &IndexVec<AssetId, Vec<Instance>>,
  sizes: &IndexVec<AssetId, u64>,
  edges: &Edges,
  pins: &Pins,
) -> Vec<PageSuggestion> {
  let main = &project.packages()[PackageId::MAIN];
  let fixed: Vec<&MpPath> = project
    .app
    .tab_bar
    .iter()
    .flat_map(|t| &t.pages)
    .chain(project.app.entry_page.as_ref().or(main.pages.first()))
    .collect();
  let candidates: Vec<&MpPath> = main.pages.iter().filter(|p| !fixed.contains(p)).collect();
  let n = graph.assets.len();
  let mut owner = IndexVec::from_elem(Owner::None, n);
  let mut work = Vec::new();
  let set = |owner: &mut IndexVec<AssetId, Owner>, f: AssetId, o: Owner, work: &mut Vec<AssetId>| {
    let merged = owner[f].merge(o);
    if merged != owner[f] {
      owner[f] = merged;
      work.push(f);
    }
  };
  for (f, asset) in graph.assets.iter_enumerated() {
    if project.app_file == Some(f) {
      for dep in &asset.deps {
        let target = &graph.assets[dep.target].path;
        if project.package_of(target) != PackageId::MAIN {
          continue;
        }
        let page = (dep.kind == DepKind::Page).then(|| target.stem_path());
        let o = match page.and_then(|p| candidates.iter().position(|c| **c == p)) {
          Some(i) => Owner::One(i),
          None => Owner::Many,
        };
        set(&mut owner, dep.target, o, &mut work);
      }
    } else if pins.is_root(f) && project.package_of(&asset.path) == PackageId::MAIN {
      set(&mut owner, f, Owner::Many, &mut work);
    }
  }
  while let Some(f) = work.pop() {
    let o = owner[f];
    for dep in graph.assets[f].deps.iter().filter(|d| edges.carries(d)) {
      set(&mut owner, dep.target, o, &mut work);
    }
  }
  let mut out: Vec<PageSuggestion> =
    candidates.iter().map(|p| PageSuggestion { page: (*p).clone(), bytes: 0, files: 0 }).collect();
  for f in graph.assets.indices() {
    if let Owner::One(i) = owner[f]
      && instances[f].iter().any(|i| i.package == PackageId::MAIN)
    {
      out[i].bytes += sizes[f];
      out[i].files += 1;
    }
  }
  out.retain(|s| s.bytes > 0);
  out.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.page.cmp(&b.page)));
  out.truncate(SHOWN);
  out
}
