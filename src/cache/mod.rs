//! A content-addressed store for what a build computed once and can reuse: each stage that
//! caches (the transform of a file, an image's recompression) asks for an entry under a [`Key`]
//! that hashes everything its result depends on (the input bytes, the options, wxpack's build)
//! and gets the bytes it stored, or nothing.
//!
//! The cache is a speed-up only, never a source of truth:
//! - an entry carries the length and blake3 hash of its payload, checked on every read; a
//!   truncated, emptied or altered entry is a miss (counted, so `-v` says so) and is rewritten;
//! - entries are written to a unique temporary name and renamed, so two builds may share the
//!   folder and a reader never sees half an entry;
//! - any read or write failure is a miss; keys and entries hold no absolute path, so the folder
//!   can move between machines (a CI cache);
//! - [`Store::trim`] bounds its size, evicting the entries written longest ago.
//!
//! Layout: `DIR/v1/<2 hex>/<62 hex>`, and a project's many small entries (scans, transforms)
//! together in `DIR/v1/packs/` ([`pack`]). No name in it is on WeChat's upload whitelist, so a cache
//! inside a project is never uploaded by DevTools.

use std::{
  fs,
  path::{Path, PathBuf},
  sync::atomic::{AtomicU64, AtomicUsize, Ordering},
};

mod pack;

/// The folder of the entries this layout writes; other folders are left alone by a trim.
const LAYOUT: &str = "v1";
/// Starts every entry: the layout, so a file of another kind is a miss.
const MAGIC: &[u8; 8] = b"wxpkc\x01\0\0";
const HEADER: usize = MAGIC.len() + 8 + 32;
/// Beside the entries: the output each build replaced, kept for the next (the emit stage's spare).
pub const SPARES: &str = "outputs";
/// Inside the layout's folder: the projects' packs.
const PACKS: &str = "packs";
/// Inside the layout's folder: the bytes its entries hold, as far as builds know ([`Store::bound`]).
const USAGE: &str = "usage";

/// What every key includes: the build of wxpack that computes the results (a hash of its
/// sources, see build.rs), so no build reads another's entry.
pub const BUILD: &str = env!("WXPACK_BUILD_ID");

/// A hash of everything a result depends on. Parts are length-prefixed, so no two different
/// lists of parts hash alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key(blake3::Hash);

pub struct KeyBuilder(blake3::Hasher);

impl Key {
  /// Starts a key for results of `domain` ("transform", "image").
  pub fn builder(domain: &str) -> KeyBuilder {
    let mut h = blake3::Hasher::new();
    h.update(BUILD.as_bytes());
    KeyBuilder(h).part(domain.as_bytes())
  }
}

impl KeyBuilder {
  pub fn part(mut self, bytes: &[u8]) -> Self {
    self.0.update(&(bytes.len() as u64).to_le_bytes());
    self.0.update(bytes);
    self
  }

  /// Another key as a part.
  pub fn key(self, key: &Key) -> Self {
    self.part(key.0.as_bytes())
  }

  pub fn finish(self) -> Key {
    Key(self.0.finalize())
  }
}

/// Marks the folder as a cache (the Cache Directory Tagging standard, which backup tools honour):
/// a project that holds its cache never reads it as input (see [`is_cache_folder`]).
const TAG: &str = "CACHEDIR.TAG";
const TAG_TEXT: &str =
  "Signature: 8a477f597d28d172789f06886806bc55\n# wxpack's build cache: delete it at any time (wxpack cache clean).\n";

/// The cache folder, or none (`--no-cache`): then every lookup misses and nothing is written.
pub struct Store {
  root: Option<PathBuf>,
  dir: Option<PathBuf>,
  tagged: std::sync::Once,
  bad: AtomicUsize,
  written: AtomicU64,
  freed: AtomicU64,
  pack: std::sync::OnceLock<pack::Pack>,
}

impl Store {
  pub fn open(dir: Option<&Path>) -> Self {
    Self {
      root: dir.map(Path::to_path_buf),
      dir: dir.map(|d| d.join(LAYOUT)),
      tagged: std::sync::Once::new(),
      bad: AtomicUsize::new(0),
      written: AtomicU64::new(0),
      freed: AtomicU64::new(0),
      pack: std::sync::OnceLock::new(),
    }
  }

  /// A store that never hits and never writes.
  pub fn none() -> Self {
    Self::open(None)
  }

  fn path(&self, key: &Key) -> Option<PathBuf> {
    let hex = key.0.to_hex();
    Some(self.dir.as_ref()?.join(&hex[..2]).join(&hex[2..]))
  }

  /// The payload stored under `key`, if a whole one is there.
  pub fn get(&self, key: &Key) -> Option<Vec<u8>> {
    let data = fs::read(self.path(key)?).ok()?;
    let payload = payload(data);
    if payload.is_none() {
      self.bad.fetch_add(1, Ordering::Relaxed);
    }
    payload
  }

  pub fn put(&self, key: &Key, payload: &[u8]) {
    let Some(path) = self.path(key) else { return };
    let Some(parent) = path.parent() else { return };
    let data = entry(payload);
    // Unique per process and call: two builds sharing the folder (or two copies of one file in
    // a build) never write the same temporary file.
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let tmp = parent.join(format!(".tmp-{}-{n}", std::process::id()));
    // The shard folder is made when a write finds it missing: once, not once per entry (a cold
    // build writes thousands).
    let write = || fs::write(&tmp, &data).and_then(|()| fs::rename(&tmp, &path));
    let done = write().or_else(|e| match e.kind() {
      std::io::ErrorKind::NotFound => fs::create_dir_all(parent).and_then(|()| write()),
      _ => Err(e),
    });
    if let (Ok(()), Some(root)) = (&done, &self.root) {
      self.tagged.call_once(|| {
        let _ = fs::write(root.join(TAG), TAG_TEXT);
      });
    }
    match done {
      Ok(()) => {
        self.written.fetch_add(data.len() as u64, Ordering::Relaxed);
      }
      Err(_) => {
        let _ = fs::remove_file(&tmp);
      }
    }
  }

  /// Keeps the entries [`put_small`](Self::put_small) adds in the pack `name` (a project's)
  /// from now on, and looks [`get_small`](Self::get_small) up there.
  pub fn open_pack(&self, name: &Key) {
    if let Some(dir) = &self.dir {
      let _ = self.pack.set(pack::Pack::new(dir.join(PACKS), name));
    }
  }

  /// [`get`](Self::get) for one of the many small entries a build asks for: in the pack once
  /// one is open.
  pub fn get_small(&self, key: &Key) -> Option<Vec<u8>> {
    match self.pack.get() {
      Some(pack) => pack.get(key),
      None => self.get(key),
    }
  }

  /// [`put`](Self::put) for one of the many small entries a build adds: written with the
  /// others when the build [seals](Self::seal) the pack, once one is open.
  pub fn put_small(&self, key: &Key, payload: &[u8]) {
    match self.pack.get() {
      Some(pack) => pack.put(key, payload),
      None => self.put(key, payload),
    }
  }

  /// Writes what the pack gained (a store dropped unsealed writes it too); with `finished`
  /// (the build went through), may also [compact](pack::MAX_SEGMENTS) it.
  pub fn seal(&self, finished: bool) {
    if let Some(pack) = self.pack.get() {
      let sealed = pack.seal(finished);
      self.written.fetch_add(sealed.added, Ordering::Relaxed);
      self.freed.fetch_add(sealed.freed, Ordering::Relaxed);
    }
  }

  /// How many entries were found damaged (and ignored) so far.
  pub fn bad(&self) -> usize {
    self.bad.load(Ordering::Relaxed) + self.pack.get().map_or(0, |p| p.bad() as usize)
  }

  /// Bytes of entries this store wrote.
  pub fn written(&self) -> u64 {
    self.written.load(Ordering::Relaxed)
  }

  /// Keeps the folder under `max` bytes without walking it after every build: a running total
  /// of the bytes builds wrote (`v1/usage`, a file of its own) says when it may be over, and
  /// only then (or when the total is unknown) is the folder walked and [`trimmed`](Self::trim).
  /// Two builds adding at once may lose one's addition: the total is an estimate, set right by
  /// the next walk, and the folder overshoots `max` by at most one build's entries.
  pub fn bound(&self, max: u64) -> Trimmed {
    let Some(dir) = &self.dir else { return Trimmed::default() };
    let usage = dir.join(USAGE);
    let known = fs::read_to_string(&usage).ok().and_then(|t| t.trim().parse::<u64>().ok());
    let freed = self.freed.load(Ordering::Relaxed);
    let trimmed = match known.map(|k| k.saturating_add(self.written()).saturating_sub(freed)) {
      Some(total) if total <= max => Trimmed { removed: 0, kept: total },
      _ => self.trim(max),
    };
    let tmp = dir.join(format!(".tmp-usage-{}", std::process::id()));
    if fs::write(&tmp, trimmed.kept.to_string()).and_then(|()| fs::rename(&tmp, &usage)).is_err() {
      let _ = fs::remove_file(&tmp);
    }
    trimmed
  }

  /// Keeps the folder under `max` bytes: when it holds more, the entries written longest ago go
  /// until it holds at most 80% of `max` (so the next builds do not trim again at once). Walks
  /// the folder, so builds call it only when they wrote something.
  pub fn trim(&self, max: u64) -> Trimmed {
    let Some(dir) = &self.dir else { return Trimmed::default() };
    let mut entries = Vec::new();
    for shard in fs::read_dir(dir).into_iter().flatten().flatten() {
      for e in fs::read_dir(shard.path()).into_iter().flatten().flatten() {
        if let Ok(m) = e.metadata()
          && m.is_file()
        {
          entries.push((m.modified().ok(), m.len(), e.path()));
        }
      }
    }
    let total: u64 = entries.iter().map(|e| e.1).sum();
    let mut trimmed = Trimmed { kept: total, ..Trimmed::default() };
    if total <= max {
      return trimmed;
    }
    entries.sort_by_key(|e| e.0);
    let goal = max / 5 * 4;
    for (_, len, path) in entries {
      if trimmed.kept <= goal {
        break;
      }
      if fs::remove_file(&path).is_ok() {
        trimmed.kept -= len;
        trimmed.removed += 1;
      }
    }
    trimmed
  }
}

impl Drop for Store {
  /// A build that stopped on an error still keeps what it computed.
  fn drop(&mut self) {
    self.seal(false);
  }
}

/// What [`Store::trim`] did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Trimmed {
  pub removed: usize,
  /// Bytes left in the folder.
  pub kept: u64,
}

/// An entry file: the header (layout, length and hash of the payload), then the payload.
pub fn entry(payload: &[u8]) -> Vec<u8> {
  let mut data = Vec::with_capacity(HEADER + payload.len());
  data.extend_from_slice(MAGIC);
  data.extend_from_slice(&(payload.len() as u64).to_le_bytes());
  data.extend_from_slice(blake3::hash(payload).as_bytes());
  data.extend_from_slice(payload);
  data
}

/// The payload of an entry file, if its header says it is whole.
pub fn payload(mut data: Vec<u8>) -> Option<Vec<u8>> {
  let header = data.get(..HEADER)?;
  let (magic, rest) = header.split_at(MAGIC.len());
  let (len, hash) = rest.split_at(8);
  let len = u64::from_le_bytes(len.try_into().ok()?);
  if magic != MAGIC || len != (data.len() - HEADER) as u64 {
    return None;
  }
  let hash: [u8; 32] = hash.try_into().ok()?;
  let payload = data.split_off(HEADER);
  (blake3::hash(&payload) == blake3::Hash::from_bytes(hash)).then_some(payload)
}

/// Whether `dir` is a cache folder wxpack wrote (tagged), or one only earlier versions'
/// image results are in (`<64 hex>.meta` and `.bin`): then a project that holds it never reads
/// it. A folder with anything else in it is not, and stays input (so a cache folder set onto the
/// project's own files is refused, not skipped).
pub fn is_cache_folder(dir: &Path) -> bool {
  let Ok(entries) = fs::read_dir(dir) else { return false };
  let mut any = false;
  for e in entries.flatten() {
    any = true;
    let name = e.file_name();
    let name = name.to_string_lossy();
    let legacy = name.len() > 64
      && name.bytes().take(64).all(|b| b.is_ascii_hexdigit())
      && name.get(64..).is_some_and(|rest| rest.starts_with(".meta") || rest.starts_with(".bin"));
    if !(name == TAG || name == LAYOUT || name == SPARES || legacy) {
      return false;
    }
  }
  any
}

/// Removes the cache folder `dir` (`wxpack cache clean`): only what wxpack put there.
pub fn clear(dir: &Path) -> std::io::Result<()> {
  for folder in [LAYOUT, SPARES] {
    match fs::remove_dir_all(dir.join(folder)) {
      Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
      _ => {}
    }
  }
  let _ = fs::remove_file(dir.join(TAG));
  // The folder itself, when nothing else is in it.
  let _ = fs::remove_dir(dir);
  Ok(())
}

/// A payload of a JSON header (what the result says) and raw bytes (the result's bytes), so
/// large outputs are not escaped into JSON.
pub fn pack(meta: &impl serde::Serialize, bytes: &[u8]) -> Option<Vec<u8>> {
  let json = serde_json::to_vec(meta).ok()?;
  let mut out = Vec::with_capacity(4 + json.len() + bytes.len());
  out.extend_from_slice(&u32::try_from(json.len()).ok()?.to_le_bytes());
  out.extend_from_slice(&json);
  out.extend_from_slice(bytes);
  Some(out)
}

/// The header and the bytes of a [`pack`]ed payload.
pub fn unpack<T: serde::de::DeserializeOwned>(mut payload: Vec<u8>) -> Option<(T, Vec<u8>)> {
  let len = u32::from_le_bytes(payload.get(..4)?.try_into().ok()?) as usize;
  let meta = serde_json::from_slice(payload.get(4..4 + len)?).ok()?;
  Some((meta, payload.split_off(4 + len)))
}

#[cfg(test)]
mod tests;
