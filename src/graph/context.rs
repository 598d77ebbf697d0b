//! Relative media paths inside templates.
//!
//! A `<image src="../../images/x.png">` in a WXML file that pages `<import>` or `<include>` is
//! resolved at run time against the page or component that renders it, not against the
//! template's folder. The scanner tries the template's own folder first (a template beside its
//! page means the same either way); what does not resolve there is deferred to here, once the
//! whole graph is known, and resolved against every page or component that renders the template.

use rustc_hash::FxHashSet;
use serde::Serialize;

use super::{AssetId, AssetKind, DepKind, Graph, Ref, Site, resolve};
use crate::{
  diagnostic::{Code, Diagnostic, Location},
  index_vec::IndexVec,
  mp_path::MpPath,
  project::Project,
};

/// A `src` the scanner could not resolve from its own file, kept for [`resolve_deferred`].
#[derive(Debug, Clone)]
pub struct Deferred {
  pub file: AssetId,
  pub r: Ref,
  pub location: Location,
}

/// A template's relative path resolved against the files that render it. The planner keeps the
/// template, its renderers and the targets where they are: moving any of them would change what
/// the path names.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct ContextRef {
  #[serde(flatten)]
  pub at: Site,
  #[serde(skip)]
  pub renderers: Vec<AssetId>,
  #[serde(skip)]
  pub targets: Vec<AssetId>,
}

/// Resolves each deferred `src` against the renderers of its file; returns the warnings (and,
/// under `strict`, errors) for those that resolve for none or only some of them.
pub fn resolve_deferred(project: &Project, graph: &mut Graph, deferred: Vec<Deferred>) -> Vec<Diagnostic> {
  let mut out = Vec::new();
  if deferred.is_empty() {
    return out;
  }
  let mut includers: IndexVec<AssetId, Vec<AssetId>> = IndexVec::from_elem(Vec::new(), graph.assets.len());
  for a in graph.assets.iter().filter(|a| a.kind == AssetKind::Wxml) {
    for d in a.deps.iter().filter(|d| matches!(d.kind, DepKind::WxmlImport | DepKind::WxmlInclude)) {
      includers[d.target].push(a.id);
    }
  }
  for d in deferred {
    let renderers = renderers(&includers, d.file);
    let self_rendered = renderers.len() == 1 && renderers[0] == d.file;
    let mut targets = Vec::new();
    let mut failed = Vec::new();
    for &page in &renderers {
      let at = &graph.assets[page].path;
      match resolve::resolve(project, at, &d.r) {
        resolve::Resolved::Files(files) => targets.extend(files.iter().filter_map(|f| graph.by_path.get(f).copied())),
        resolve::Resolved::External => {}
        _ => failed.push(at.as_str()),
      }
    }
    if self_rendered || targets.is_empty() {
      out.push(unresolved(&d, &renderers, graph));
      continue;
    }
    if !failed.is_empty() {
      let message = format!(
        "{:?} resolves for some of the pages that render this template, not for {}",
        d.r.spec,
        failed.join(", ")
      );
      out.push(Diagnostic::warning(Code::Unresolved, message).at(d.location.clone()).with_help(
        "the path is resolved against each page that renders the template; write it from the root (/images/x.png)",
      ));
    }
    targets.sort_unstable();
    targets.dedup();
    for &t in &targets {
      graph.reached[t] = true;
    }
    graph.contextual.push(ContextRef {
      at: Site {
        file: graph.assets[d.file].path.clone(),
        line: d.location.line,
        column: d.location.column,
        text: d.r.spec.clone(),
      },
      renderers,
      targets,
    });
  }
  out
}

fn unresolved(d: &Deferred, renderers: &[AssetId], graph: &Graph) -> Diagnostic {
  let escapes = d.r.spec.starts_with("..") && MpPath::resolve(&graph.assets[d.file].path, &d.r.spec).is_err();
  let renderers: Vec<&str> =
    renderers.iter().filter(|&&r| r != d.file).take(4).map(|&r| graph.assets[r].path.as_str()).collect();
  let (code, message) = if escapes && renderers.is_empty() {
    (Code::EscapesRoot, format!("{:?} points outside the mini program root", d.r.spec))
  } else {
    (Code::Unresolved, format!("cannot resolve {:?}", d.r.spec))
  };
  let help = if renderers.is_empty() {
    "nothing renders this file as a template; fix the path".to_string()
  } else {
    format!("resolved against the pages that render this template ({}); none has it", renderers.join(", "))
  };
  Diagnostic::warning(code, message).at(d.location.clone()).with_help(help)
}

/// The pages and components whose WXML renders `file`: up the `<import>`/`<include>` chain to
/// files nothing imports. A file nothing imports renders itself.
fn renderers(includers: &IndexVec<AssetId, Vec<AssetId>>, file: AssetId) -> Vec<AssetId> {
  let mut seen = FxHashSet::default();
  let mut stack = vec![file];
  let mut out = Vec::new();
  while let Some(f) = stack.pop() {
    if !seen.insert(f) {
      continue;
    }
    match includers.get(f) {
      Some(up) if !up.is_empty() => stack.extend(up),
      _ => out.push(f),
    }
  }
  out.sort_unstable();
  out
}
