//! Turns a specifier into files, following the platform's rules (platform doc section 4):
//! relative and `/`-absolute paths, `.js` appended, directory `index`, bare names through
//! `miniprogram_npm` folders searched upward, and `resolveAlias` (longest key wins).

use super::asset::{DepKind, Ref};
use crate::{mp_path::MpPath, project::Project};

/// A tree of files references resolve in: the source project, or the planned output.
pub trait Tree {
  fn exists(&self, path: &MpPath) -> bool;
  /// app.json `resolveAlias` as (key prefix, value prefix), `/*` removed.
  fn aliases(&self) -> &[(String, String)];
  /// A bare name the platform provides when no local file has it (`useExtendedLib`).
  fn provided(&self, _spec: &str) -> bool {
    false
  }
}

impl Tree for Project {
  fn exists(&self, path: &MpPath) -> bool {
    self.files.contains_key(path)
  }

  fn aliases(&self) -> &[(String, String)] {
    &self.app.resolve_alias
  }

  fn provided(&self, spec: &str) -> bool {
    let name = spec.split('/').next().unwrap_or(spec);
    self.app.extended_libs.contains(&name)
  }
}

#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
  /// The files the reference pulls in (a component is up to four files).
  Files(Vec<MpPath>),
  /// Not a local file: a URL, a data URI, a plugin component. Nothing to ship.
  External,
  /// Nothing found; the candidates tried, for the message.
  Missing(Vec<MpPath>),
  /// The specifier climbs above the mini program root.
  Escapes,
}

/// Schemes and prefixes that never name a local file.
const EXTERNAL: &[&str] =
  &["http://", "https://", "//", "data:", "wxfile://", "cloud://", "blob:", "plugin://", "plugin-private://"];

/// The files that make up a page or component at `base` (without extension).
pub const COMPONENT_EXTS: &[&str] = &[".json", ".js", ".wxml", ".wxss"];

pub fn resolve(project: &impl Tree, from: &MpPath, r: &Ref) -> Resolved {
  let spec = r.spec.trim();
  if is_external(spec) {
    return Resolved::External;
  }
  let result = match r.kind {
    DepKind::Page => page_files(project, spec),
    DepKind::AppFile => MpPath::new(spec).map(|p| probe(project, &[p])),
    DepKind::Component => component(project, from, spec),
    DepKind::Require | DepKind::Import => module(project, from, spec),
    DepKind::WxmlImport | DepKind::WxmlInclude => with_default_ext(project, from, spec, ".wxml"),
    DepKind::WxsSrc | DepKind::WxsRequire => with_default_ext(project, from, spec, ".wxs"),
    DepKind::CssImport => with_default_ext(project, from, spec, ".wxss"),
    DepKind::CssUrl | DepKind::Src | DepKind::Attr => {
      let path = spec.split(['?', '#']).next().unwrap_or(spec);
      from.resolve(path).map(|p| probe(project, &[p]))
    }
  };
  match result {
    Ok(Resolved::Missing(_)) if matches!(r.kind, DepKind::Component | DepKind::Require) && project.provided(spec) => {
      Resolved::External
    }
    r => r.unwrap_or(Resolved::Escapes),
  }
}

/// A URL, data URI or plugin path. Compares bytes: a spec may start with any character.
pub fn is_external(spec: &str) -> bool {
  EXTERNAL.iter().any(|p| spec.as_bytes().get(..p.len()).is_some_and(|s| s.eq_ignore_ascii_case(p.as_bytes())))
}

type Result<T> = std::result::Result<T, crate::mp_path::Escapes>;

/// The first candidate that exists.
fn probe(project: &impl Tree, candidates: &[MpPath]) -> Resolved {
  match candidates.iter().find(|c| project.exists(c)) {
    Some(found) => Resolved::Files(vec![found.clone()]),
    None => Resolved::Missing(candidates.to_vec()),
  }
}

fn page_files(project: &impl Tree, spec: &str) -> Result<Resolved> {
  let base = MpPath::new(spec)?;
  Ok(Resolved::Files(existing(project, &base)))
}

fn existing(project: &impl Tree, base: &MpPath) -> Vec<MpPath> {
  COMPONENT_EXTS.iter().map(|e| base.with_suffix(e)).filter(|p| project.exists(p)).collect()
}

fn with_default_ext(project: &impl Tree, from: &MpPath, spec: &str, ext: &str) -> Result<Resolved> {
  let p = from.resolve(spec)?;
  let mut candidates = vec![p.clone()];
  if !spec.to_ascii_lowercase().ends_with(ext) {
    candidates.push(p.with_suffix(ext));
  }
  Ok(probe(project, &candidates))
}

/// Applies `resolveAlias`: the longest key that prefixes `spec` by whole segments.
pub fn alias(project: &impl Tree, spec: &str) -> Option<String> {
  project
    .aliases()
    .iter()
    .filter_map(|(k, v)| Some((k, v, spec.strip_prefix(k.as_str())?)))
    .filter(|(_, _, rest)| rest.is_empty() || rest.starts_with('/'))
    .max_by_key(|(k, _, _)| k.len())
    .map(|(_, v, rest)| format!("/{v}{rest}"))
}

pub fn is_relative(spec: &str) -> bool {
  spec.starts_with("./") || spec.starts_with("../") || spec == "." || spec == ".."
}

/// Folders searched for bare names: `dir/miniprogram_npm` for `dir` from the file's folder up.
pub fn npm_dirs(from: &MpPath) -> Vec<MpPath> {
  let mut dirs = Vec::new();
  let mut dir = from.parent();
  loop {
    if let Ok(npm) = dir.join("miniprogram_npm") {
      dirs.push(npm);
    }
    if dir.is_root() {
      return dirs;
    }
    dir = dir.parent();
  }
}

/// A JS module: the path itself when it has an extension and exists, then `.js`, then
/// `/index.js`; bare names relative first, then through miniprogram_npm.
fn module(project: &impl Tree, from: &MpPath, spec: &str) -> Result<Resolved> {
  let spec = alias(project, spec).unwrap_or_else(|| spec.to_string());
  let module_candidates = |p: MpPath| {
    let mut c = Vec::with_capacity(3);
    if p.extension().is_some() {
      c.push(p.clone());
    }
    c.push(p.with_suffix(".js"));
    c.push(p.join("index.js").unwrap_or_else(|_| p.clone()));
    c
  };
  let mut candidates = module_candidates(from.resolve(&spec)?);
  if !spec.starts_with('/') && !is_relative(&spec) {
    for npm in npm_dirs(from) {
      candidates.extend(module_candidates(npm.join(&spec)?));
    }
  }
  Ok(probe(project, &candidates))
}

/// A component base (platform doc 4.2): `x` then `x/index`, relative first, then each
/// `miniprogram_npm` walking up to the root. A base exists when its `.json` or `.js` does.
fn component(project: &impl Tree, from: &MpPath, spec: &str) -> Result<Resolved> {
  let spec = alias(project, spec).unwrap_or_else(|| spec.to_string());
  let base = from.resolve(&spec)?;
  let mut bases = vec![base.clone(), base.join("index")?];
  if !spec.starts_with('/') && !is_relative(&spec) {
    for npm in npm_dirs(from) {
      let b = npm.join(&spec)?;
      bases.push(b.join("index")?);
      bases.insert(bases.len() - 1, b);
    }
  }
  let exists = |b: &MpPath| project.exists(&b.with_suffix(".json")) || project.exists(&b.with_suffix(".js"));
  Ok(match bases.iter().find(|b| exists(b)) {
    Some(b) => Resolved::Files(existing(project, b)),
    None => Resolved::Missing(bases.iter().map(|b| b.with_suffix(".json")).collect()),
  })
}

#[cfg(test)]
mod tests {
  use super::*;

  struct Files(Vec<MpPath>);

  impl Tree for Files {
    fn exists(&self, path: &MpPath) -> bool {
      self.0.contains(path)
    }
    fn aliases(&self) -> &[(String, String)] {
      &[]
    }
  }

  #[test]
  fn non_ascii_specifiers_are_never_cut_inside_a_character() {
    // `/images/首页` is shorter in bytes than no scheme, but `首` spans the byte where
    // `https://` would end: comparing bytes, not slicing the string, never panics.
    assert!(!is_external("/首页-nor@2x.png") && !is_external("首") && is_external("HTTPS://x/首.png"));
    let tree = Files(vec![MpPath::new("images/首页-nor@2x.png").unwrap()]);
    let from = MpPath::new("pages/我的/我的.wxml").unwrap();
    let r = Ref::new("../../images/首页-nor@2x.png", DepKind::Src, Default::default());
    assert_eq!(resolve(&tree, &from, &r), Resolved::Files(vec![MpPath::new("images/首页-nor@2x.png").unwrap()]));
  }
}
