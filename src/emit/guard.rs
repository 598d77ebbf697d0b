//! Where wxpack may write. It never writes what the project reads: OUT_DIR may not hold the
//! project, and the zip, the reports and the image cache may not land in the mini program
//! folder or on a file the build reads, unless they are inside OUT_DIR (replaced on each build
//! anyway). Checked before anything is built, so a bad path costs nothing and changes nothing.

use std::{
  fs,
  path::{Component, Path, PathBuf},
};

use super::{CODE_DIR, MANIFEST, MAPS_DIR, MARKER};
use crate::{
  config::Config,
  diagnostic::{Code, Diagnostic, Location},
  project::Project,
};

/// Refuses an OUT_DIR that is the project or contains it, and an existing folder wxpack did not
/// write. Called before anything is read, so a bad `-o` costs nothing.
pub fn check_out_dir(out_dir: &Path, project_dir: &Path) -> Result<(), Diagnostic> {
  let (out, proj) = (resolved(out_dir), resolved(project_dir));
  let bad = |m: String| {
    Diagnostic::error(Code::OutDir, m)
      .at(Location::file(out_dir.display().to_string()))
      .with_help("pass another folder with -o OUT_DIR")
  };
  if proj.starts_with(&out) {
    return Err(bad("the output folder is, or contains, the project; wxpack never writes the source tree".into()));
  }
  if out.is_file() {
    return Err(bad("the output path is a file".into()));
  }
  if out.is_dir() && !out.join(MARKER).is_file() && fs::read_dir(&out).map(|mut d| d.next().is_some()).unwrap_or(true) {
    return Err(bad("the output folder exists and was not written by wxpack; refusing to replace it".into()));
  }
  Ok(())
}

/// Refuses a zip, report or cache path that would overwrite what the build reads.
pub fn check_outputs(config: &Config, project: &Project) -> Result<(), Vec<Diagnostic>> {
  let out = resolved(&config.out_dir);
  let root = resolved(&project.root_dir);
  let project_dir = resolved(&project.dir);
  // Resolved only when a check needs them: most builds write no path that could be one.
  let resolved_inputs = std::cell::OnceCell::new();
  let inputs = || {
    resolved_inputs.get_or_init(|| {
      let mut all = input_paths(project);
      all.extend(["project.config.json", "project.private.config.json"].map(|n| project_dir.join(n)));
      all.extend(config.config_file.iter().map(|p| resolved(p)));
      all
    })
  };

  let mut errors = Vec::new();
  let mut seen: Vec<(PathBuf, &str)> = Vec::new();
  let written =
    [("--zip", config.zip.as_ref()), ("--json", config.json_report.as_ref()), ("--html", config.html_report.as_ref())];
  for (flag, path) in written.into_iter().filter_map(|(f, p)| Some((f, p?))).filter(|(_, p)| p.as_os_str() != "-") {
    let at = resolved(path);
    let refuse = |why: String, help: &str| {
      Diagnostic::error(Code::OutputPath, format!("{flag} {}: {why}", path.display()))
        .at(Location::file(path.display().to_string()))
        .with_help(help.to_string())
    };
    let elsewhere = "write it outside the mini program folder, or inside the output folder (e.g. dist/report.json)";
    if let Some((_, other)) = seen.iter().find(|(p, _)| *p == at) {
      errors.push(refuse(format!("{other} writes the same file"), "give each output its own path"));
    } else if at.is_dir() {
      errors.push(refuse("is a folder".into(), "name a file"));
    } else if at.exists() && !at.is_file() {
      // A device or a pipe would be replaced by the rename that writes the file whole.
      errors.push(refuse("is not a regular file".into(), "name a file (`--json -` prints the report on stdout)"));
    } else if at.starts_with(&out) {
      if let Some(why) = reserved_in_output(&at, &out) {
        errors.push(refuse(why, "put it directly in the output folder, beside project.config.json"));
      }
    } else if inputs().contains(&at) {
      errors.push(refuse("is a file the build reads; wxpack never writes the source tree".into(), elsewhere));
    } else if at.starts_with(&root) {
      errors.push(refuse("is inside the mini program folder, which wxpack reads".into(), elsewhere));
    }
    seen.push((at, flag));
  }
  if let Some(cache) = &config.cache.dir {
    let at = resolved(cache);
    let refuse = |why: &str| {
      Diagnostic::error(Code::OutputPath, format!("the cache folder {}: {why}", cache.display()))
        .at(Location::file(cache.display().to_string()))
        .with_help(
          "point [cache] dir (or --cache-dir, WXPACK_CACHE_DIR) at a folder of its own, beside the output (the default)",
        )
    };
    if root.starts_with(&at) || project_dir.starts_with(&at) {
      errors.push(refuse("is, or contains, the project"));
    } else if at.starts_with(&out) || out.starts_with(&at) {
      errors.push(refuse("overlaps the output folder, which each build replaces"));
    } else if inputs().iter().any(|p| p.starts_with(&at)) {
      errors.push(refuse("holds files the build reads"));
    }
  }
  if errors.is_empty() { Ok(()) } else { Err(errors) }
}

/// Every file the build reads, [`resolved`]: each folder once, and a file through its own link
/// only when it is one (a path resolved whole costs a system call per component). Without a
/// link under the root, each is the resolved root joined with its path.
fn input_paths(project: &Project) -> Vec<PathBuf> {
  if !project.linked {
    let root = resolved(&project.root_dir);
    let place =
      |f: &std::path::Path| f.strip_prefix(&project.root_dir).map_or_else(|_| resolved(f), |rel| root.join(rel));
    return project.files.values().map(|f| place(&f.os_path)).collect();
  }
  let mut folders: rustc_hash::FxHashMap<&Path, PathBuf> = rustc_hash::FxHashMap::default();
  let mut all = Vec::new();
  for f in project.files.values() {
    let path = f.os_path.as_path();
    let link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    match (path.parent(), path.file_name()) {
      (Some(parent), Some(name)) if !link => {
        all.push(folders.entry(parent).or_insert_with(|| resolved(parent)).join(name));
      }
      _ => all.push(resolved(path)),
    }
  }
  all
}

/// Paths inside OUT_DIR that wxpack writes itself, or that would be uploaded.
fn reserved_in_output(at: &Path, out: &Path) -> Option<String> {
  let rel = at.strip_prefix(out).ok()?;
  let first = rel.components().next()?.as_os_str().to_str()?;
  if first == CODE_DIR {
    return Some(format!("is inside {CODE_DIR}/, which is uploaded"));
  }
  let own = [MAPS_DIR, MANIFEST, MARKER, "project.config.json"];
  own.contains(&first).then(|| format!("is {first}, which wxpack writes there"))
}

/// `path` made absolute with `.`/`..` resolved and symlinks in the part that exists followed,
/// so two spellings of one place compare equal.
pub fn resolved(path: &Path) -> PathBuf {
  let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
  let mut clean = PathBuf::new();
  for c in abs.components() {
    match c {
      Component::ParentDir => {
        clean.pop();
      }
      Component::CurDir => {}
      other => clean.push(other),
    }
  }
  // The longest part that exists, canonical, with the rest appended.
  let mut existing = clean.as_path();
  let mut rest = Vec::new();
  loop {
    if let Ok(canon) = fs::canonicalize(existing) {
      return rest.iter().rev().fold(canon, |p, c| p.join(c));
    }
    match (existing.parent(), existing.file_name()) {
      (Some(parent), Some(name)) => {
        rest.push(name.to_os_string());
        existing = parent;
      }
      _ => return clean,
    }
  }
}
