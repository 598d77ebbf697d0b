//! A deterministic zip of the output project: entries sorted by path, fixed timestamps and
//! permissions, deflate. Two builds of the same input give byte-identical zips.

use std::{
  io::{Cursor, Write},
  path::Path,
};

use zip::{CompressionMethod, DateTime, ZipWriter, write::SimpleFileOptions};

use super::OutFile;
use crate::diagnostic::{Code, Diagnostic, Location};

pub fn write(path: &Path, files: &[OutFile]) -> Result<(), Diagnostic> {
  let err = |e: &dyn std::fmt::Display| {
    Diagnostic::error(Code::Io, format!("cannot write zip: {e}")).at(Location::file(path.display().to_string()))
  };
  if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
    std::fs::create_dir_all(parent).map_err(|e| err(&e))?;
  }
  // Built in memory (an upload is at most tens of MB) and written in one call: a full disk is
  // then one located error, not the zip writer's own message when it is dropped unfinished.
  let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
  let options = SimpleFileOptions::default()
    .compression_method(CompressionMethod::Deflated)
    .last_modified_time(DateTime::default())
    .unix_permissions(0o644);
  // `files` is sorted by path already; sort again so the guarantee does not depend on a caller.
  // Source maps are for error monitoring and the manifest for people and tools, not for upload.
  let mut sorted: Vec<&OutFile> = files
    .iter()
    .filter(|f| !f.path.starts_with(&format!("{}/", super::MAPS_DIR)) && f.path != super::MANIFEST)
    .collect();
  sorted.sort_by(|a, b| a.path.cmp(&b.path));
  for f in sorted {
    zip.start_file(f.path.as_str(), options).map_err(|e| err(&e))?;
    zip.write_all(&f.bytes).map_err(|e| err(&e))?;
  }
  let bytes = zip.finish().map_err(|e| err(&e))?.into_inner();
  std::fs::write(path, bytes).map_err(|e| err(&e))
}
