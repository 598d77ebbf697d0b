//! Lists the files under `miniprogramRoot` and decides which of them WeChat would upload: the
//! suffix whitelist (platform doc 5.1), then `packOptions.ignore`, then `packOptions.include`.
//! `node_modules`, VCS folders, the output folder and `cloudfunctionRoot` are never listed.

use std::{
  collections::{BTreeMap, HashSet},
  fs,
  path::{Path, PathBuf},
  sync::{Arc, OnceLock},
};

use serde::Serialize;

use super::project_config::{PackRule, ProjectConfig};
use crate::{
  diagnostic::{Code, Diagnostic, Location},
  mp_path::MpPath,
};

/// Marks a folder as a wxpack output, so a rebuild may replace it (any other non-empty folder is
/// refused) and a project never reads one as input.
pub const MARKER: &str = ".wxpack-output";

/// The tags of the siblings an output is written through (`.OUT.wxpack-tmp-PID`, the new one;
/// `.OUT.wxpack-old-PID`, the previous one moved aside): see emit::write.
pub const TMP: &str = "tmp";
pub const OLD: &str = "old";

/// Whether `name` is one of the temporary siblings wxpack writes (never input).
pub fn is_leftover_name(name: &str) -> bool {
  parse_sibling(name).is_some()
}

/// `.NAME.wxpack-TAG-PID` as (NAME, TAG, PID).
pub fn parse_sibling(name: &str) -> Option<(&str, &'static str, u32)> {
  let rest = name.strip_prefix('.')?;
  let (of, tail) = rest.rsplit_once(".wxpack-")?;
  let (tag, pid) = tail.split_once('-')?;
  let tag = [TMP, OLD].into_iter().find(|t| *t == tag)?;
  Some((of, tag, pid.parse().ok()?))
}

/// Suffixes WeChat uploads (platform doc 5.1, plus ci's fallback list).
const WHITELIST: &[&str] = &[
  "js", "json", "wxml", "wxss", "wxs", "png", "jpg", "jpeg", "gif", "svg", "cer", "mp3", "aac", "m4a", "mp4", "wav",
  "ogg", "silk", "wasm", "br", "cert", "cur", "ico", "skel", "crt",
];

/// Folder and file names never uploaded, whatever packOptions says.
const NEVER: &[&str] = &["node_modules", ".git", ".svn", ".hg", ".DS_Store", "Thumbs.db"];

/// Tool configuration that sits in the code root when miniprogramRoot is the project folder.
const PROJECT_FILES: &[&str] = &["project.config.json", "project.private.config.json"];

/// Why a file under the root does not ship.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Excluded {
  /// Its suffix is not on the upload whitelist (`.ts`, `.less`, `.md`, `.map`, ...).
  NotWhitelisted,
  /// `packOptions.ignore` matched it.
  PackIgnore,
}

/// A language DevTools compiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
  TypeScript,
  Less,
  Scss,
  Sass,
}

impl Lang {
  /// The language of a source by its suffix, the suffix of its output, and the compiler
  /// plugin that compiles it.
  pub(super) fn of(path: &MpPath) -> Option<(Self, &'static str, &'static str)> {
    let ext = path.extension()?.to_ascii_lowercase();
    Some(match ext.as_str() {
      "ts" if !path.as_str().to_ascii_lowercase().ends_with(".d.ts") => (Lang::TypeScript, ".js", "typescript"),
      "less" => (Lang::Less, ".wxss", "less"),
      "scss" => (Lang::Scss, ".wxss", "sass"),
      "sass" => (Lang::Sass, ".wxss", "sass"),
      _ => return None,
    })
  }
}

/// Where a compiled file comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compiled {
  pub from: MpPath,
  pub lang: Lang,
}

#[derive(Debug, Clone)]
pub struct SourceFile {
  /// The file on disk (for a compiled output, its source).
  pub os_path: PathBuf,
  /// Its size on disk (for a compiled output, its source's).
  pub size: u64,
  pub excluded: Option<Excluded>,
  /// An output of DevTools' compile step (`x.js` from `x.ts`, `x.wxss` from `x.scss`).
  pub compiled: Option<Compiled>,
  /// What the file held when the build first read it. Every stage gets these bytes: a file
  /// saved while the build runs cannot hand two stages two versions (the second pass slices
  /// the text with spans the scan found).
  content: OnceLock<Result<Arc<[u8]>, String>>,
}

impl SourceFile {
  pub fn new(os_path: PathBuf, size: u64, excluded: Option<Excluded>, compiled: Option<Compiled>) -> Self {
    Self { os_path, size, excluded, compiled, content: OnceLock::new() }
  }

  pub fn ships(&self) -> bool {
    self.excluded.is_none()
  }

  /// Its bytes, read once; the error text otherwise.
  pub fn bytes(&self) -> Result<Arc<[u8]>, String> {
    self.content.get_or_init(|| fs::read(&self.os_path).map(Arc::from).map_err(|e| e.to_string())).clone()
  }

  /// Its bytes if a stage read them (the error text if that failed); `None` if none did.
  pub fn read_so_far(&self) -> Option<&Result<Arc<[u8]>, String>> {
    self.content.get()
  }

  /// Records bytes the load stage already read (app.json), so later stages see the same.
  pub fn read_as(&self, bytes: &[u8]) {
    let _ = self.content.set(Ok(Arc::from(bytes)));
  }
}

/// Walks `root`. `skip` holds canonical folders to leave out (the output folder, the cache,
/// cloud functions).
pub fn list(
  project_dir: &Path,
  root: &Path,
  skip: &[PathBuf],
  config: &ProjectConfig,
  warnings: &mut Vec<Diagnostic>,
) -> Result<Listing, Diagnostic> {
  let fence = fs::canonicalize(project_dir).map_err(|e| io_error(project_dir, &e))?;
  let canon = fs::canonicalize(root).map_err(|e| io_error(root, &e))?;
  let mut walk = Walk { fence, skip, config, files: BTreeMap::new(), seen: HashSet::new(), linked: false, warnings };
  walk.dir(root, canon, &MpPath::root())?;
  Ok(Listing { files: walk.files, linked: walk.linked })
}

/// The files under the root, and whether any of them is reached through a symbolic link.
pub struct Listing {
  pub files: BTreeMap<MpPath, SourceFile>,
  /// When none is, each file's resolved place is the root's joined with its path.
  pub linked: bool,
}

struct Walk<'a> {
  fence: PathBuf,
  skip: &'a [PathBuf],
  config: &'a ProjectConfig,
  files: BTreeMap<MpPath, SourceFile>,
  seen: HashSet<PathBuf>,
  linked: bool,
  warnings: &'a mut Vec<Diagnostic>,
}

impl Walk<'_> {
  /// Lists `dir`, whose canonical path is `canon`: a folder entered through a link is
  /// canonicalized, any other is its parent's canonical path and its name (resolving each
  /// folder's whole path again costs a system call per component).
  fn dir(&mut self, dir: &Path, canon: PathBuf, rel: &MpPath) -> Result<(), Diagnostic> {
    if !self.seen.insert(canon.clone()) {
      return Ok(()); // a symlink loop or a second link to the same folder
    }
    let mut entries: Vec<_> =
      fs::read_dir(dir).map_err(|e| io_error(dir, &e))?.collect::<Result<_, _>>().map_err(|e| io_error(dir, &e))?;
    entries.sort_by_key(fs::DirEntry::file_name);
    for entry in entries {
      let os_path = entry.path();
      let Some(name) = entry.file_name().to_str().map(str::to_string) else {
        self.warnings.push(
          Diagnostic::warning(Code::Io, "file name is not UTF-8; skipped")
            .at(Location::file(os_path.display().to_string())),
        );
        continue;
      };
      let tool_file = rel.is_root() && PROJECT_FILES.contains(&name.as_str());
      // What a killed build left beside its output is never input, marked or not.
      let leftover = is_leftover_name(&name);
      // `skip` is canonical; the project folder may be given as `.` or through a link.
      let here = canon.join(&name);
      let skipped = self.skip.contains(&here);
      if NEVER.contains(&name.as_str()) || tool_file || leftover || skipped {
        continue;
      }
      let path = rel.join(&name).map_err(|_| io_error(&os_path, &std::io::Error::other("bad name")))?;
      let link = entry.file_type().map_err(|e| io_error(&os_path, &e))?.is_symlink();
      let target = if link {
        self.linked = true;
        let target = fs::canonicalize(&os_path).map_err(|e| io_error(&os_path, &e))?;
        if !target.starts_with(&self.fence) {
          return Err(
            Diagnostic::error(
              Code::SymlinkOutside,
              format!("symlink points outside the project: {}", target.display()),
            )
            .at(Location::file(os_path.display().to_string()))
            .with_help("copy the files into the project, or add the link to packOptions.ignore and remove it"),
          );
        }
        Some(target)
      } else {
        None
      };
      let meta = fs::metadata(&os_path).map_err(|e| io_error(&os_path, &e))?;
      if meta.is_dir() {
        // A wxpack output (or a build's temporary folder) inside the project is never input.
        if os_path.join(MARKER).is_file() {
          continue;
        }
        self.dir(&os_path, target.unwrap_or(here), &path)?;
      } else if meta.is_file() {
        let excluded = exclusion_of(&path, self.config);
        self.files.insert(path, SourceFile::new(os_path, meta.len(), excluded, None));
      }
    }
    Ok(())
  }
}

/// Why WeChat would not upload `path`, if it would not.
pub fn exclusion_of(path: &MpPath, config: &ProjectConfig) -> Option<Excluded> {
  let whitelisted = path.extension().is_some_and(|e| WHITELIST.contains(&e.to_ascii_lowercase().as_str()));
  if !whitelisted {
    return Some(Excluded::NotWhitelisted);
  }
  let hit = |rules: &[PackRule]| rules.iter().any(|r| r.matches(path));
  (hit(&config.ignore) && !hit(&config.include)).then_some(Excluded::PackIgnore)
}

pub fn io_error(path: &Path, e: &std::io::Error) -> Diagnostic {
  Diagnostic::error(Code::Io, format!("cannot read: {e}"))
    .at(Location::file(path.display().to_string()))
    .with_help("check that the file exists and that wxpack may read it")
}
