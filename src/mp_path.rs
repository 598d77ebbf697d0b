//! `MpPath`: a path inside the mini program root.
//!
//! Every file wxpack reasons about is named by an `MpPath`: `/`-separated, relative to
//! `miniprogramRoot`, with no `.`/`..` segments and no way to point outside the root. Specifiers
//! found in source files (`../utils/a`, `/images/x.png`) become `MpPath`s only through
//! [`MpPath::resolve`], which refuses anything that would escape.

use std::fmt;

use serde::Serialize;

/// A normalized, root-relative path. The empty path is the root directory itself.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct MpPath(#[serde(deserialize_with = "normalized")] Box<str>);

/// Read back only as [`MpPath::new`] would have written it.
fn normalized<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Box<str>, D::Error> {
  let s = <String as serde::Deserialize>::deserialize(d)?;
  match MpPath::new(&s) {
    Ok(p) if *p.0 == *s => Ok(p.0),
    _ => Err(serde::de::Error::custom(format!("not a normalized path: {s:?}"))),
  }
}

/// A specifier climbed above the mini program root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Escapes;

impl MpPath {
  /// The root directory.
  pub fn root() -> Self {
    Self(Box::from(""))
  }

  /// Normalizes `s` as a root-relative path. A leading `/` is allowed and ignored; `\` is treated
  /// as a separator because Windows users write it in JSON.
  pub fn new(s: &str) -> Result<Self, Escapes> {
    Self::root().join(s.trim_start_matches(['/', '\\']))
  }

  /// `self` is a directory; returns `self/rel` normalized.
  pub fn join(&self, rel: &str) -> Result<Self, Escapes> {
    let mut parts: Vec<&str> = self.segments().collect();
    for seg in rel.split(['/', '\\']) {
      match seg {
        "" | "." => {}
        ".." => {
          parts.pop().ok_or(Escapes)?;
        }
        s => parts.push(s),
      }
    }
    Ok(Self(parts.join("/").into_boxed_str()))
  }

  /// Resolves a specifier written in the file `self`: `/x` is root-relative, anything else is
  /// relative to this file's directory.
  pub fn resolve(&self, spec: &str) -> Result<Self, Escapes> {
    if spec.starts_with('/') { Self::new(spec) } else { self.parent().join(spec) }
  }

  /// The directory that holds this path (the root for a top-level file).
  pub fn parent(&self) -> Self {
    match self.0.rfind('/') {
      Some(i) => Self(Box::from(&self.0[..i])),
      None => Self::root(),
    }
  }

  pub fn as_str(&self) -> &str {
    &self.0
  }

  pub fn is_root(&self) -> bool {
    self.0.is_empty()
  }

  pub fn segments(&self) -> impl Iterator<Item = &str> {
    self.0.split('/').filter(|s| !s.is_empty())
  }

  pub fn file_name(&self) -> &str {
    self.0.rsplit('/').next().unwrap_or("")
  }

  /// The extension without the dot, lowercased by the caller when needed.
  pub fn extension(&self) -> Option<&str> {
    let name = self.file_name();
    name.rfind('.').filter(|&i| i > 0).map(|i| &name[i + 1..])
  }

  /// `self` with `.ext` appended (for probing `page` -> `page.wxml`).
  pub fn with_suffix(&self, suffix: &str) -> Self {
    Self(format!("{}{suffix}", self.0).into_boxed_str())
  }

  /// `self` with its extension replaced (or removed when `ext` is empty).
  pub fn stem_path(&self) -> Self {
    let name = self.file_name();
    match name.rfind('.').filter(|&i| i > 0) {
      Some(i) => Self(Box::from(&self.0[..self.0.len() - (name.len() - i)])),
      None => self.clone(),
    }
  }

  /// True when `self` is `dir` or lies below it, by whole segments (`pkg` does not contain
  /// `pkg2/a`).
  pub fn is_within(&self, dir: &MpPath) -> bool {
    dir.is_root()
      || self.0.as_ref() == dir.as_str()
      || (self.0.starts_with(dir.as_str()) && self.0.as_bytes().get(dir.0.len()) == Some(&b'/'))
  }

  /// `self` written relative to the folder `dir`: `./a/b` or `../../a/b` (a leading `./` so the
  /// platform never reads it as a package name).
  pub fn relative_from(&self, dir: &MpPath) -> String {
    let (from, to): (Vec<&str>, Vec<&str>) = (dir.segments().collect(), self.segments().collect());
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let up = from.len() - common;
    let rest = to[common..].join("/");
    if up == 0 { format!("./{rest}") } else { format!("{}{rest}", "../".repeat(up)) }
  }

  /// The path relative to `dir` when `self` lies within it.
  pub fn strip_dir(&self, dir: &MpPath) -> Option<&str> {
    if dir.is_root() {
      return Some(&self.0);
    }
    self.is_within(dir).then(|| self.0.get(dir.0.len() + 1..).unwrap_or(""))
  }
}

impl fmt::Display for MpPath {
  fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    f.write_str(&self.0)
  }
}

impl fmt::Debug for MpPath {
  fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    write!(f, "{:?}", &*self.0)
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  fn p(s: &str) -> MpPath {
    MpPath::new(s).unwrap()
  }

  #[test]
  fn normalizes() {
    assert_eq!(p("/a/./b//c/").as_str(), "a/b/c");
    assert_eq!(p("a\\b").as_str(), "a/b");
    assert_eq!(p("a/b/../c").as_str(), "a/c");
    assert_eq!(MpPath::new("../x"), Err(Escapes));
    assert_eq!(MpPath::new("a/../../x"), Err(Escapes));
  }

  #[test]
  fn resolves_relative_and_absolute() {
    let f = p("pages/index/index.js");
    assert_eq!(f.resolve("../../utils/a").unwrap().as_str(), "utils/a");
    assert_eq!(f.resolve("./b.js").unwrap().as_str(), "pages/index/b.js");
    assert_eq!(f.resolve("c").unwrap().as_str(), "pages/index/c");
    assert_eq!(f.resolve("/images/x.png").unwrap().as_str(), "images/x.png");
    assert_eq!(f.resolve("../../../x"), Err(Escapes));
  }

  #[test]
  fn within_is_by_segment() {
    assert!(p("pkg/a.js").is_within(&p("pkg")));
    assert!(!p("pkg2/a.js").is_within(&p("pkg")));
    assert!(p("pkg").is_within(&p("pkg")));
    assert!(p("x").is_within(&MpPath::root()));
    assert_eq!(p("pkg/a/b.js").strip_dir(&p("pkg")), Some("a/b.js"));
  }

  #[test]
  fn relative_paths() {
    assert_eq!(p("a/b/c.js").relative_from(&p("a/b")), "./c.js");
    assert_eq!(p("a/x/c.js").relative_from(&p("a/b/d")), "../../x/c.js");
    assert_eq!(p("c.js").relative_from(&p("pkg/__wxpack__/utils")), "../../../c.js");
    assert_eq!(p("pkg/c.js").relative_from(&MpPath::root()), "./pkg/c.js");
  }

  #[test]
  fn extensions() {
    assert_eq!(p("a/b.d.ts").extension(), Some("ts"));
    assert_eq!(p("a/.gitignore").extension(), None);
    assert_eq!(p("a/b.js").stem_path().as_str(), "a/b");
    assert_eq!(p("a/b").with_suffix(".wxml").as_str(), "a/b.wxml");
  }
}
