//! The whole build, remembered: a rebuild that would read what a finished build read, into an
//! output that still holds what that build wrote, is that build. Its report is read back, and
//! no file is scanned, transformed, planned or written.
//!
//! What a build's result depends on comes in two parts:
//! - the [`Key`]: wxpack's build, the options (the [`Config`], but for how the build is shown
//!   and where its cache and reports go), the project's settings, its listing (each file's
//!   path, size, whether it ships and what it compiles from) and the compiled stylesheets (Less
//!   and Sass compile while the project loads, through cache entries keyed on their imports);
//! - the files the build read, with their hashes: what its stages saw. Which files a stage reads
//!   follows from the listing and from the files read before, so a file no stage read cannot
//!   have changed the result and is not read now either. One a stage read is read again and
//!   hashed (once: a build that goes on finds the bytes in the table).
//!
//! The entry holds those hashes, the output's record (the output in place must be the one the
//! build wrote: [`record::unchanged`]) and the report. A build with `--no-cache`, one that
//! failed, or one that read a file outside the table is never remembered.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
  cache::{Key, Store},
  config::{CacheConfig, Config, Verbosity},
  emit::record,
  mp_path::MpPath,
  project::{AssetId, Project},
  report::Report,
};

/// A build's key, from what is known once the project is loaded.
pub struct Memo(Key);

#[derive(Serialize, Deserialize)]
struct Entry<R> {
  /// The files the build read, in table order, and the hash of their hashes.
  read: Vec<AssetId>,
  digest: String,
  /// The output's record ([`record::files_part`]).
  record: String,
  report: R,
  /// Each launch page's critical files: the HTML report draws them, the JSON leaves them out.
  critical: Vec<Vec<MpPath>>,
}

impl Memo {
  pub fn of(config: &Config, project: &Project) -> Self {
    let shown = Config {
      progress: false,
      color: false,
      verbosity: Verbosity::Normal,
      cache: CacheConfig { dir: None, max_size: 0 },
      json_report: None,
      html_report: None,
      ..config.clone()
    };
    let mut key = Key::builder("build").part(format!("{shown:?}").as_bytes());
    key = key.part(format!("{:?}", project.config).as_bytes()).part(project.root_prefix.as_bytes());
    for (path, f) in project.files.iter() {
      let listed =
        format!("{path}\0{}\0{:?}\0{:?}", f.size, f.excluded, f.compiled.as_ref().map(|c| (&c.from, c.lang)));
      key = key.part(listed.as_bytes());
    }
    let mut compiled: Vec<_> = project.compiled_css.iter().collect();
    compiled.sort_unstable_by(|a, b| a.0.cmp(b.0));
    for (path, css) in compiled {
      key = key.part(path.as_str().as_bytes()).part(css.as_bytes());
    }
    Self(key.finish())
  }

  /// The report of the build this one repeats, if it does and its output is still in place.
  pub fn recall(&self, store: &Store, config: &Config, project: &Project) -> Option<Report> {
    let payload = store.get(&self.0)?;
    let entry: Entry<Report> = serde_json::from_slice(&payload).ok()?;
    let count = project.files.keys().count();
    if entry.read.iter().any(|id| id.index() >= count) || digest(project, &entry.read)? != entry.digest {
      return None;
    }
    if !record::unchanged(&config.out_dir, config.zip.as_deref(), &entry.record) {
      return None;
    }
    let mut report = entry.report;
    report.project = config.project_dir.display().to_string();
    report.out_dir = config.out_dir.display().to_string();
    report.output_written = false;
    if report.startup.pages.len() != entry.critical.len() {
      return None;
    }
    for (page, critical) in report.startup.pages.iter_mut().zip(entry.critical) {
      page.critical = critical;
    }
    Some(report)
  }

  /// Keeps a finished build's report for the next build of the same inputs; `record` is what
  /// its output's record lists.
  pub fn remember(&self, store: &Store, project: &Project, report: &mut Report, record: &str) {
    if project.read_outside_table() {
      return;
    }
    let mut read = Vec::new();
    for (id, _, f) in project.files.iter_enumerated() {
      match f.read_so_far() {
        Some(Ok(_)) => read.push(id),
        Some(Err(_)) => return,
        None => {}
      }
    }
    let Some(digest) = digest(project, &read) else { return };
    let critical = report.startup.pages.iter().map(|p| p.critical.clone()).collect();
    // The folders as given are filled in again on recall: an entry names no folder.
    let shown = (std::mem::take(&mut report.project), std::mem::take(&mut report.out_dir));
    let entry = Entry { read, digest, record: record.to_string(), report: &*report, critical };
    let bytes = serde_json::to_vec(&entry);
    (report.project, report.out_dir) = shown;
    if let Ok(bytes) = bytes {
      store.put(&self.0, &bytes);
    }
  }
}

/// The pack a project's builds keep their scans and transforms in ([`Store::open_pack`]): the
/// project folder as given (a relative one is the same in every CI checkout) and its settings.
/// Projects that share a name only share a pack, which holds entries by content.
pub fn pack_name(config: &Config, project: &Project) -> Key {
  let folder = config.project_dir.to_string_lossy();
  Key::builder("pack").part(folder.as_bytes()).part(format!("{:?}", project.config).as_bytes()).finish()
}

/// The hash of the hashes of `ids`' bytes, in order; `None` when one cannot be read.
fn digest(project: &Project, ids: &[AssetId]) -> Option<String> {
  let hashes: Option<Vec<blake3::Hash>> =
    ids.par_iter().map(|&id| project.files[id].bytes().ok().map(|b| blake3::hash(&b))).collect();
  let mut all = blake3::Hasher::new();
  for (id, h) in ids.iter().zip(hashes?) {
    all.update(&(id.index() as u64).to_le_bytes());
    all.update(h.as_bytes());
  }
  Some(all.finalize().to_hex().to_string())
}

#[cfg(test)]
mod tests {
  use super::*;

  /// Every report the fixtures give reads back as it was: what a recalled build prints is what
  /// the build it repeats printed.
  #[test]
  fn a_report_reads_back_as_it_was_written() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut checked = 0;
    let sets = [fixtures.clone(), fixtures.join("accepts"), fixtures.join("launch"), fixtures.join("preload")];
    for case in sets.iter().flat_map(std::fs::read_dir).flatten().flatten() {
      let project = case.path();
      let Ok(config) = Config::load(&project, crate::config::Overrides::default()) else { continue };
      let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
      let config = Config { out_dir: out.path().join("out"), cache: CacheConfig { dir: None, max_size: 0 }, ..config };
      let Ok(outcome) = crate::build(&config) else { continue };
      let written = serde_json::to_string(&outcome.report).unwrap_or_default();
      let read: Report = serde_json::from_str(&written).unwrap_or_else(|e| panic!("{}: {e}", case.path().display()));
      assert_eq!(serde_json::to_string(&read).unwrap_or_default(), written, "{}", case.path().display());
      checked += 1;
    }
    assert!(checked > 20, "only {checked} fixture cases built");
  }
}
