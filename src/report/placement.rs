//! The placement section: what the package planner did, in files and bytes, and main before and
//! after. "Before" is main as the source lays it out (every shipped file outside all subpackage
//! roots, minified; a pruned file is never minified and counts at its source size); "after" is
//! the main package that was written.

use serde::Serialize;

use crate::{
  config::Config,
  graph::{AssetId, Graph},
  index_vec::IndexVec,
  mp_path::MpPath,
  plan::{Decision, PackagePlan, Pin, SharedPolicy, pins::Site, solve::Unmet, suggest::PageSuggestion},
  project::{PackageId, Project},
};

#[derive(Debug, Serialize, serde::Deserialize)]
pub struct PlacementReport {
  /// False with `--no-plan` (or `plan.enabled = false`).
  pub enabled: bool,
  pub shared_policy: SharedPolicy,
  pub main_bytes_before: u64,
  pub main_bytes_after: u64,
  pub moved: Tally,
  /// `bytes` counts every copy.
  pub copied: Tally,
  pub shared: Tally,
  pub pruned: Tally,
  /// Byte-identical to another file of their package, which ships in their place; `bytes`: what
  /// that saves.
  #[serde(default)]
  pub identical: Tally,
  /// Files that may not move, and why.
  pub pinned: usize,
  /// Every file the planner did not leave as it was, and every pinned file, sorted by path.
  pub files: Vec<Placement>,
  pub unmet: Vec<Unmet>,
  pub suggestions: Vec<PageSuggestion>,
  pub notes: Vec<String>,
}

#[derive(Debug, Default, Serialize, serde::Deserialize)]
pub struct Tally {
  pub files: usize,
  pub bytes: u64,
}

#[derive(Debug, Serialize, serde::Deserialize)]
pub struct Placement {
  pub path: MpPath,
  pub decision: Decision,
  /// The packages it ships in.
  pub packages: Vec<String>,
  /// Its shipped size (first pass; for a pruned file, its source size).
  pub bytes: u64,
  #[serde(skip_serializing_if = "Option::is_none")]
  pub pin: Option<Pin>,
  /// For an identical file: the file that ships in its place.
  #[serde(default, skip_serializing_if = "Option::is_none")]
  pub same_as: Option<MpPath>,
}

impl PlacementReport {
  pub fn build(
    config: &Config,
    project: &Project,
    graph: &Graph,
    plan: &PackagePlan,
    first_pass: &IndexVec<AssetId, u64>,
    main_bytes_after: u64,
  ) -> Self {
    let packages = project.packages();
    let mut r = Self {
      enabled: config.plan.enabled,
      shared_policy: config.plan.shared,
      main_bytes_before: 0,
      main_bytes_after,
      moved: Tally::default(),
      copied: Tally::default(),
      shared: Tally::default(),
      pruned: Tally::default(),
      identical: Tally::default(),
      pinned: 0,
      files: Vec::new(),
      unmet: plan.unmet.clone(),
      suggestions: plan.suggestions.clone(),
      notes: plan.notes.clone(),
    };
    for (f, asset) in graph.assets.iter_enumerated() {
      let bytes = first_pass[f];
      if project.package_of(&asset.path) == PackageId::MAIN {
        r.main_bytes_before += bytes;
      }
      let instances = &plan.instances[f];
      let decision = plan.decisions[f];
      let tally = match decision {
        Decision::Moved => Some(&mut r.moved),
        Decision::Copied => Some(&mut r.copied),
        Decision::Shared => Some(&mut r.shared),
        Decision::Pruned => Some(&mut r.pruned),
        Decision::Identical => Some(&mut r.identical),
        Decision::Stay => None,
      };
      if let Some(t) = tally {
        t.files += 1;
        t.bytes += if decision == Decision::Copied {
          bytes * instances.iter().filter(|i| i.package != PackageId::MAIN).count() as u64
        } else {
          bytes
        };
      }
      let pin = plan.pins[f].clone().filter(|_| !instances.is_empty());
      r.pinned += usize::from(pin.is_some());
      if decision != Decision::Stay || pin.is_some() {
        r.files.push(Placement {
          path: asset.path.clone(),
          decision,
          packages: instances.iter().map(|i| packages[i.package].label()).collect(),
          bytes,
          pin,
          same_as: plan.same_as[f].map(|s| graph.assets[s.keeper].path.clone()),
        });
      }
    }
    r
  }
}

/// Why a pinned file stays, in words (the text and HTML reports).
pub fn pin_reason(pin: &Pin) -> String {
  let at = |s: &Site| format!("{}:{}:{}", s.file, s.line, s.column);
  match pin {
    Pin::Config => "plan.pin".into(),
    Pin::Computed { at: s } => format!("a computed path at {} may name it", at(s)),
    Pin::HoldsComputed { at: s } => format!("computes a relative path at {}", at(s)),
    Pin::Mentioned { at: s } => format!("named in code at {}", at(s)),
    Pin::HoldsMention { at: s } => format!("writes a relative asset path at {}", at(s)),
    Pin::AnyModule { at: s } => format!("{} may require any module", at(s)),
    Pin::RendersTemplate { at: s } => {
      format!("renders a template whose relative path at {} names files from here", at(s))
    }
  }
}
