//! The load stage's table of files: every file under the root, numbered in path order. The
//! number is the [`AssetId`] every later stage keys its side tables by (the graph's assets are
//! the same files in the same order), so a stage that holds an id reaches the file, its bytes
//! and whether it ships without looking a path up.

use std::{collections::BTreeMap, ops::Index};

use rustc_hash::FxHashMap;

use super::files::SourceFile;
use crate::{index_vec::IndexVec, mp_path::MpPath};

crate::define_idx!(
  /// A file of the project: its position in [`Files`] (and in the graph's assets).
  AssetId(u32)
);

/// Every file under the root with its path, by id and by path.
#[derive(Debug, Default)]
pub struct Files {
  paths: IndexVec<AssetId, MpPath>,
  files: IndexVec<AssetId, SourceFile>,
  ids: FxHashMap<MpPath, AssetId>,
}

impl From<BTreeMap<MpPath, SourceFile>> for Files {
  fn from(listed: BTreeMap<MpPath, SourceFile>) -> Self {
    let mut table = Self::default();
    for (path, file) in listed {
      let id = table.files.push(file);
      table.ids.insert(path.clone(), id);
      table.paths.push(path);
    }
    table
  }
}

impl Files {
  pub fn id(&self, path: &MpPath) -> Option<AssetId> {
    self.ids.get(path).copied()
  }

  pub fn get(&self, path: &MpPath) -> Option<&SourceFile> {
    self.id(path).map(|id| &self.files[id])
  }

  pub fn contains_key(&self, path: &MpPath) -> bool {
    self.ids.contains_key(path)
  }

  /// The paths, in order.
  pub fn keys(&self) -> impl Iterator<Item = &MpPath> {
    self.paths.iter()
  }

  pub fn values(&self) -> impl Iterator<Item = &SourceFile> {
    self.files.iter()
  }

  /// (path, file), in order.
  pub fn iter(&self) -> impl Iterator<Item = (&MpPath, &SourceFile)> {
    self.paths.iter().zip(self.files.iter())
  }

  /// (id, path, file), in order.
  pub fn iter_enumerated(&self) -> impl Iterator<Item = (AssetId, &MpPath, &SourceFile)> {
    self.files.iter_enumerated().map(|(id, f)| (id, &self.paths[id], f))
  }
}

impl Index<AssetId> for Files {
  type Output = SourceFile;

  fn index(&self, id: AssetId) -> &SourceFile {
    &self.files[id]
  }
}
