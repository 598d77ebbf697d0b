//! A build's small entries, kept together: the scan and transform results of a project are
//! thousands of entries of a few KB, and one file each made a cold build create thousands of
//! files (on ext4, a create and a rename cost more than the minifying they save on small files)
//! and a rebuild open thousands. A project's entries live instead in a few segment files
//! (`v1/packs/<project>-<unique>`), read whole when the build first asks for one, and the
//! entries a build adds go to one new segment when it ends.
//!
//! Segments keep the store's promises: each record carries its payload's length and hash,
//! checked when it is used (a damaged one is a miss, counted, and is written again); a segment
//! is written to a temporary name and renamed, so a reader never sees half of one; a segment
//! that cannot be read, or has been removed by another build, is a miss. When a project has
//! [`MAX_SEGMENTS`], the build writes one segment of the entries it used and removes the ones it
//! read, so entries nobody uses leave with them. A trim evicts segments as it does entries.

use std::{
  collections::HashMap,
  fs,
  path::{Path, PathBuf},
  sync::{
    Mutex,
    atomic::{AtomicBool, AtomicU64, Ordering},
  },
};

use super::Key;

/// Starts every segment.
const MAGIC: &[u8; 8] = b"wxpkp\x01\0\0";
/// A record's header: its key, its payload's length and hash.
const RECORD: usize = 32 + 8 + 32;
/// A project with this many segments has its used entries written into one.
pub const MAX_SEGMENTS: usize = 8;

/// Where a record's payload is.
struct Record {
  segment: usize,
  start: usize,
  len: usize,
  hash: [u8; 32],
  used: AtomicBool,
}

/// The segments of one project, read.
struct Loaded {
  files: Vec<(PathBuf, Vec<u8>)>,
  index: HashMap<[u8; 32], Record>,
  /// Records that ran past their segment's end.
  cut: usize,
}

pub struct Pack {
  dir: PathBuf,
  name: String,
  loaded: std::sync::OnceLock<Loaded>,
  fresh: Mutex<Vec<([u8; 32], Vec<u8>)>>,
  bad: AtomicU64,
}

/// What [`Pack::seal`] did to the folder.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Sealed {
  pub added: u64,
  pub freed: u64,
}

impl Pack {
  /// The pack named `name` in `dir` (the store's `v1/packs`); nothing is read yet.
  pub fn new(dir: PathBuf, name: &Key) -> Self {
    let hex = name.0.to_hex();
    Self {
      dir,
      name: hex[..32].to_string(),
      loaded: std::sync::OnceLock::new(),
      fresh: Mutex::new(Vec::new()),
      bad: AtomicU64::new(0),
    }
  }

  fn loaded(&self) -> &Loaded {
    self.loaded.get_or_init(|| load(&self.dir, &self.name))
  }

  /// The payload stored under `key`, if a whole one is there.
  pub fn get(&self, key: &Key) -> Option<Vec<u8>> {
    let loaded = self.loaded();
    let record = loaded.index.get(key.0.as_bytes())?;
    let payload = loaded.files.get(record.segment)?.1.get(record.start..record.start + record.len)?;
    if blake3::hash(payload) != blake3::Hash::from_bytes(record.hash) {
      self.bad.fetch_add(1, Ordering::Relaxed);
      return None;
    }
    record.used.store(true, Ordering::Relaxed);
    Some(payload.to_vec())
  }

  pub fn put(&self, key: &Key, payload: &[u8]) {
    if let Ok(mut fresh) = self.fresh.lock() {
      fresh.push((*key.0.as_bytes(), payload.to_vec()));
    }
  }

  /// Damaged records met so far: altered ones asked for, and ones cut short.
  pub fn bad(&self) -> u64 {
    self.bad.load(Ordering::Relaxed) + self.loaded.get().map_or(0, |l| l.cut as u64)
  }

  /// Writes the entries added since the last seal as one segment; with `compact` and
  /// [`MAX_SEGMENTS`] segments read, the entries used as well, in place of those segments.
  pub fn seal(&self, compact: bool) -> Sealed {
    let fresh = self.fresh.lock().map(|mut f| std::mem::take(&mut *f)).unwrap_or_default();
    let loaded = self.loaded.get();
    let compact = compact && loaded.is_some_and(|l| l.files.len() >= MAX_SEGMENTS);
    if fresh.is_empty() && !compact {
      return Sealed::default();
    }
    let mut data = MAGIC.to_vec();
    let mut keys = std::collections::HashSet::new();
    for (key, payload) in &fresh {
      if keys.insert(*key) {
        record(&mut data, key, blake3::hash(payload).as_bytes(), payload);
      }
    }
    let old = loaded.filter(|_| compact);
    for (key, r) in old.iter().flat_map(|l| &l.index) {
      let payload = old.and_then(|l| l.files.get(r.segment)?.1.get(r.start..r.start + r.len));
      if let Some(payload) = payload.filter(|_| r.used.load(Ordering::Relaxed) && keys.insert(*key)) {
        record(&mut data, key, &r.hash, payload);
      }
    }
    let mut sealed = Sealed::default();
    if write(&self.dir, &self.name, &data) {
      sealed.added = data.len() as u64;
      for (path, bytes) in old.iter().flat_map(|l| &l.files) {
        if fs::remove_file(path).is_ok() {
          sealed.freed += bytes.len() as u64;
        }
      }
    }
    sealed
  }
}

/// Appends a record: key, payload length and hash, payload.
fn record(data: &mut Vec<u8>, key: &[u8; 32], hash: &[u8; 32], payload: &[u8]) {
  data.extend_from_slice(key);
  data.extend_from_slice(&(payload.len() as u64).to_le_bytes());
  data.extend_from_slice(hash);
  data.extend_from_slice(payload);
}

fn load(dir: &Path, name: &str) -> Loaded {
  let mut loaded = Loaded { files: Vec::new(), index: HashMap::new(), cut: 0 };
  let prefix = format!("{name}-");
  let mut paths: Vec<PathBuf> = fs::read_dir(dir)
    .into_iter()
    .flatten()
    .flatten()
    .filter(|e| e.file_name().to_str().is_some_and(|n| n.starts_with(&prefix)))
    .map(|e| e.path())
    .collect();
  paths.sort();
  for path in paths {
    // Removed by another build since the listing: its entries are misses.
    let Ok(bytes) = fs::read(&path) else { continue };
    let segment = loaded.files.len();
    if bytes.get(..MAGIC.len()) != Some(&MAGIC[..]) {
      loaded.cut += 1;
      loaded.files.push((path, bytes));
      continue;
    }
    let mut at = MAGIC.len();
    while at < bytes.len() {
      let Some(header) = bytes.get(at..at + RECORD) else {
        loaded.cut += 1;
        break;
      };
      let (key, rest) = header.split_at(32);
      let (len, hash) = rest.split_at(8);
      let (Ok(key), Ok(len), Ok(hash)) =
        (<[u8; 32]>::try_from(key), <[u8; 8]>::try_from(len), <[u8; 32]>::try_from(hash))
      else {
        break;
      };
      let len = u64::from_le_bytes(len);
      let start = at + RECORD;
      let Some(end) = usize::try_from(len).ok().and_then(|l| start.checked_add(l)).filter(|&e| e <= bytes.len()) else {
        loaded.cut += 1;
        break;
      };
      let record = Record { segment, start, len: end - start, hash, used: AtomicBool::new(false) };
      loaded.index.insert(key, record);
      at = end;
    }
    loaded.files.push((path, bytes));
  }
  loaded
}

/// Writes a segment under a name no other build or seal uses; whether it is in place.
fn write(dir: &Path, name: &str, data: &[u8]) -> bool {
  static NEXT: AtomicU64 = AtomicU64::new(0);
  let n = NEXT.fetch_add(1, Ordering::Relaxed);
  let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
  let unique = format!("{nanos:032}-{}-{n}", std::process::id());
  let tmp = dir.join(format!(".tmp-{unique}"));
  let put = || fs::write(&tmp, data).and_then(|()| fs::rename(&tmp, dir.join(format!("{name}-{unique}"))));
  let done = put().or_else(|e| match e.kind() {
    std::io::ErrorKind::NotFound => fs::create_dir_all(dir).and_then(|()| put()),
    _ => Err(e),
  });
  if done.is_err() {
    let _ = fs::remove_file(&tmp);
  }
  done.is_ok()
}

#[cfg(test)]
mod tests;
