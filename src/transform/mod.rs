//! Transform stage: the bytes each shipped file will have in the output.
//!
//! Runs over files in parallel and collects by index, so the result is deterministic. The rule
//! every transform obeys: a file whose transformed form is not smaller ships as it was.

pub mod json;

use rayon::prelude::*;

use crate::{
  diagnostic::{Code, Diagnostic, Location},
  graph::{AssetKind, Graph},
  progress::Progress,
  project::Project,
};

/// One shipped file's output.
#[derive(Debug, Clone)]
pub struct Output {
  pub bytes: Vec<u8>,
  /// The size of the source file.
  pub size_in: u64,
}

/// `files[asset id]` is `Some` for every file that ships.
#[derive(Debug)]
pub struct Outputs {
  pub files: Vec<Option<Output>>,
}

impl Outputs {
  pub fn get(&self, index: usize) -> Option<&Output> {
    self.files.get(index).and_then(Option::as_ref)
  }
}

pub fn run(project: &Project, graph: &Graph, progress: &Progress) -> Result<Outputs, Vec<Diagnostic>> {
  let results: Vec<Result<Option<Output>, Diagnostic>> = graph
    .assets
    .par_iter()
    .map(|asset| {
      let Some(file) = project.files.get(&asset.path).filter(|f| f.ships()) else { return Ok(None) };
      let original = std::fs::read(&file.os_path).map_err(|e| {
        Diagnostic::error(Code::Io, format!("cannot read: {e}")).at(Location::file(project.display(&asset.path)))
      })?;
      let size_in = original.len() as u64;
      let bytes = match asset.kind {
        AssetKind::Json => smaller(original, json::minify),
        _ => original,
      };
      progress.inc();
      Ok(Some(Output { bytes, size_in }))
    })
    .collect();
  let mut files = Vec::with_capacity(results.len());
  let mut errors = Vec::new();
  for r in results {
    match r {
      Ok(o) => files.push(o),
      Err(d) => {
        errors.push(d);
        files.push(None);
      }
    }
  }
  if errors.is_empty() { Ok(Outputs { files }) } else { Err(errors) }
}

/// Applies `f` and keeps its result only when it is strictly smaller.
fn smaller(original: Vec<u8>, f: impl FnOnce(&[u8]) -> Option<Vec<u8>>) -> Vec<u8> {
  match f(&original) {
    Some(out) if out.len() < original.len() => out,
    _ => original,
  }
}
