//! Sources DevTools compiles before upload (`setting.useCompilerPlugins`): `x.ts` to `x.js`,
//! `x.less`, `x.scss`, `x.sass` to `x.wxss`.
//!
//! Each becomes a file at its output path, carrying its source: resolution, the graph, the
//! planner and the report then see the path the platform sees, while messages point at the
//! source. When the output path already exists, DevTools uses the existing file and ignores the
//! source (observed for `.ts`; assumed for the styles), so wxpack does the same and warns. Sass
//! partials (`_x.scss`) are only imported, never compiled on their own.
//!
//! Styles are compiled here, once: SCSS and Sass with the grass crate, Less with the project's
//! own `less` package (no Rust Less compiler exists) in one node process for all files.
//! TypeScript is compiled with the minifier, in the transform stage's single swc pass.

mod depend;
mod less;
mod less_cache;
mod sass;
mod sass_cache;

use std::{collections::BTreeMap, path::Path};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

pub use super::files::{Compiled, Lang};
use super::{
  SourceFile,
  files::{Excluded, exclusion_of},
  project_config::{ProjectConfig, StyleCommon},
};
use crate::{
  cache::Store,
  diagnostic::{Code, Diagnostic, Location},
  mp_path::MpPath,
};

/// Adds the output of every compiled source to `files`; warns about sources an existing file
/// shadows.
pub fn add_outputs(
  files: &mut BTreeMap<MpPath, SourceFile>,
  config: &ProjectConfig,
  warnings: &mut Vec<Diagnostic>,
  display: &(dyn Fn(&MpPath) -> String + Sync),
) {
  let wants = |plugin: &str| config.compiler_plugins.iter().any(|p| p == plugin);
  let mut outputs = Vec::new();
  for (path, file) in files.iter() {
    let Some((lang, ext, plugin)) = Lang::of(path) else { continue };
    if !wants(plugin) || (lang != Lang::TypeScript && path.file_name().starts_with('_')) {
      continue;
    }
    let out = path.stem_path().with_suffix(ext);
    if files.contains_key(&out) {
      warnings.push(
        Diagnostic::warning(Code::Shadowed, format!("{path} is not compiled: {out} exists, and DevTools uses it"))
          .at(Location::file(display(path)))
          .with_help(format!("delete {out} if it is a stale compiler output, or {path} if it is unused")),
      );
      continue;
    }
    let excluded = exclusion_of(&out, config).filter(|e| *e == Excluded::PackIgnore);
    let compiled = Some(Compiled { from: path.clone(), lang });
    outputs.push((out, SourceFile::new(file.os_path.clone(), file.size, excluded, compiled)));
  }
  files.extend(outputs);
}

/// The line DevTools' Less or Sass plugin writes in front of `source` (ending in a newline), so
/// that what the project's common stylesheet defines is in scope everywhere (`app.less`
/// imported by reference; `global.scss` or `global.sass` by `@use`). None for the common file
/// itself or when the project has none.
fn common_prefix(root: &Path, source: &MpPath, lang: Lang, common: &StyleCommon) -> Option<String> {
  let exists = |f: &str| root.join(f.trim_start_matches('/')).is_file();
  let dir = source.parent();
  let up = if dir.is_root() { ".".to_string() } else { vec![".."; dir.segments().count()].join("/") };
  match lang {
    Lang::Less => (source.as_str() != "app.less" && exists(&common.less))
      .then(|| format!("@import (optional, reference) '{up}/{}';\n", common.less)),
    Lang::Scss | Lang::Sass => {
      if matches!(source.as_str(), "global.scss" | "global.sass") {
        return None;
      }
      let (own, other) = if lang == Lang::Sass { (&common.sass, &common.scss) } else { (&common.scss, &common.sass) };
      let file = [own, other].into_iter().find(|f| exists(f))?;
      Some(if lang == Lang::Sass { format!("@use '{up}/{file}'\n") } else { format!("@use '{up}/{file}';\n") })
    }
    Lang::TypeScript => None,
  }
}

/// The CSS of every compiled stylesheet, by output path.
#[derive(Debug, Default)]
pub struct Styles {
  pub css: FxHashMap<MpPath, String>,
  /// How many of them the build cache held (the rest were compiled).
  pub reused: usize,
}

/// Compiles every style output in `files`.
pub fn styles(
  project_dir: &Path,
  root: &Path,
  files: &super::Files,
  common: &StyleCommon,
  display: &(dyn Fn(&MpPath) -> String + Sync),
  store: &Store,
) -> Result<Styles, Vec<Diagnostic>> {
  let jobs: Vec<(&MpPath, &SourceFile, &Compiled)> = files
    .iter()
    .filter(|(_, f)| f.ships())
    .filter_map(|(p, f)| f.compiled.as_ref().filter(|c| c.lang != Lang::TypeScript).map(|c| (p, f, c)))
    .collect();
  let (less, sass): (Vec<_>, Vec<_>) = jobs.into_iter().partition(|(_, _, c)| c.lang == Lang::Less);
  let mut errors = Vec::new();
  let mut out = FxHashMap::default();
  let mut reused = 0;
  let sass: Vec<Result<_, Diagnostic>> = sass
    .par_iter()
    .map(|(path, f, c)| {
      let prefix = common_prefix(root, &c.from, c.lang, common);
      sass_cache::compile(root, &f.os_path, c, prefix.as_deref(), display, store).map(|css| ((*path).clone(), css))
    })
    .collect();
  for r in sass {
    match r {
      Ok((p, (css, cached))) => {
        reused += usize::from(cached);
        out.insert(p, css);
      }
      Err(d) => errors.push(d),
    }
  }
  if !less.is_empty() {
    let sources: Vec<less::Job<'_>> = less
      .iter()
      .map(|(p, f, c)| less::Job {
        output: p,
        file: f.os_path.as_path(),
        from: &c.from,
        prefix: common_prefix(root, &c.from, c.lang, common),
      })
      .collect();
    match less_cache::compile_all(project_dir, root, &sources, &common.less_global_vars, display, store) {
      Ok((css, cached)) => {
        reused += cached;
        out.extend(css);
      }
      Err(e) => errors.extend(e),
    }
  }
  if errors.is_empty() { Ok(Styles { css: out, reused }) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
  #![allow(clippy::unwrap_used)]
  use super::*;

  #[test]
  fn common_prefix_is_what_devtools_writes() {
    let root = tempfile::tempdir().unwrap();
    let p = |s: &str| MpPath::new(s).unwrap();
    let common = StyleCommon::default();
    let prefix = |s: &str, lang| common_prefix(root.path(), &p(s), lang, &common);
    assert_eq!(prefix("pages/a/a.less", Lang::Less), None, "no app.less, no prefix");
    std::fs::write(root.path().join("app.less"), "").unwrap();
    std::fs::write(root.path().join("global.scss"), "").unwrap();
    assert_eq!(prefix("pages/a/a.less", Lang::Less).unwrap(), "@import (optional, reference) '../../app.less';\n");
    assert_eq!(prefix("a.less", Lang::Less).unwrap(), "@import (optional, reference) './app.less';\n");
    assert_eq!(prefix("app.less", Lang::Less), None);
    assert_eq!(prefix("pages/a/a.scss", Lang::Scss).unwrap(), "@use '../../global.scss';\n");
    // A `.sass` source takes `global.scss` when there is no `global.sass`, without a semicolon.
    assert_eq!(prefix("pages/a.sass", Lang::Sass).unwrap(), "@use '../global.scss'\n");
    assert_eq!(prefix("global.scss", Lang::Scss), None);
  }
}
