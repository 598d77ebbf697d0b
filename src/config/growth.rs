//! `--max-growth` and `[diff] max_growth`: how much a package may grow from one report to the
//! next before `wxpack diff` (and `wxpack build --baseline`) exits 1.

use std::{
  collections::BTreeMap,
  fmt,
  path::{Path, PathBuf},
  str::FromStr,
};

use serde::{Deserialize, Deserializer};

use crate::{diagnostic::Diagnostic, size::ByteSize};

/// A limit on growth: bytes, or a percentage of the size before.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Growth {
  Bytes(u64),
  Percent(f64),
}

impl Growth {
  /// Whether growing from `before` to `after` bytes passes the limit. A percentage of nothing is
  /// no measure: a package that is new in `after` is held to byte limits only.
  pub fn exceeded(self, before: u64, after: u64) -> bool {
    let grew = after.saturating_sub(before);
    match self {
      Growth::Bytes(n) => grew > n,
      Growth::Percent(p) => before > 0 && grew as f64 > before as f64 * p / 100.0,
    }
  }
}

impl FromStr for Growth {
  type Err = String;

  fn from_str(s: &str) -> Result<Self, String> {
    let t = s.trim();
    match t.strip_suffix('%') {
      Some(p) => match p.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(Growth::Percent(v)),
        _ => Err(format!("{s:?} is not a percentage (examples: 2%, 0.5%)")),
      },
      None => t.parse::<ByteSize>().map(|b| Growth::Bytes(b.0)),
    }
  }
}

impl fmt::Display for Growth {
  fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match self {
      Growth::Bytes(n) => write!(f, "{}", ByteSize(*n)),
      Growth::Percent(p) => write!(f, "{p}%"),
    }
  }
}

/// Growth limits by package: `main`, a subpackage (its root or its app.json `name`), `total`;
/// `all` applies to every package and the total that has no limit of its own.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GrowthLimits {
  pub all: Option<Growth>,
  pub named: BTreeMap<String, Growth>,
}

impl GrowthLimits {
  pub fn is_empty(&self) -> bool {
    self.all.is_none() && self.named.is_empty()
  }

  /// The limit for the package known by any of `names`.
  pub fn limit(&self, names: &[&str]) -> Option<Growth> {
    names.iter().find_map(|n| self.named.get(*n).copied()).or(self.all)
  }

  fn insert(&mut self, key: &str, value: &str) -> Result<(), String> {
    let g: Growth = value.parse()?;
    match key.trim() {
      "" => return Err(format!("{value:?} has an empty package name before `=`")),
      "all" => self.all = Some(g),
      k => {
        self.named.insert(k.to_string(), g);
      }
    }
    Ok(())
  }
}

/// `10KB`, `2%` (every package and the total), or `main=10KB,total=2%,pkgA=5%`.
impl FromStr for GrowthLimits {
  type Err = String;

  fn from_str(s: &str) -> Result<Self, String> {
    let mut limits = GrowthLimits::default();
    for item in s.split(',').map(str::trim).filter(|i| !i.is_empty()) {
      match item.split_once('=') {
        Some((k, v)) => limits.insert(k, v)?,
        None => limits.insert("all", item)?,
      }
    }
    if limits.is_empty() {
      return Err(format!("{s:?} sets no limit (examples: 10KB, 2%, main=10KB,total=2%)"));
    }
    Ok(limits)
  }
}

/// In wxpack.toml: `max_growth = "2%"` (the flag's syntax) or a table `{ main = "10KB", total = "2%" }`.
impl<'de> Deserialize<'de> for GrowthLimits {
  fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
      Text(String),
      Table(BTreeMap<String, String>),
    }
    match Raw::deserialize(d)? {
      Raw::Text(s) => s.parse().map_err(serde::de::Error::custom),
      Raw::Table(t) => {
        let mut limits = GrowthLimits::default();
        for (k, v) in &t {
          limits.insert(k, v).map_err(serde::de::Error::custom)?;
        }
        Ok(limits)
      }
    }
  }
}

/// `--max-growth` replaces `[diff] max_growth` as a whole: limits on the command line are the
/// ones that apply.
pub(super) fn growth_limits(file: Option<GrowthLimits>, flag: Option<&GrowthLimits>) -> GrowthLimits {
  flag.cloned().or(file).unwrap_or_default()
}

/// The growth limits `wxpack diff` applies: `[diff] max_growth` of `config` (an error if it is
/// missing), else of `./wxpack.toml` when there is one; `flag` instead of either.
pub fn diff_limits(config: Option<&Path>, flag: Option<&GrowthLimits>) -> Result<GrowthLimits, Diagnostic> {
  let path = config.map_or_else(|| PathBuf::from(super::CONFIG_FILE), Path::to_path_buf);
  let file = if config.is_some() || path.is_file() { super::read_config_file(&path)?.0.diff.max_growth } else { None };
  Ok(growth_limits(file, flag))
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn limits_parse_as_documented() {
    let l: GrowthLimits = "main=10KB, total=2%,pkgA=0".parse().unwrap();
    assert_eq!(l.limit(&["main"]), Some(Growth::Bytes(10 * 1024)));
    assert_eq!(l.limit(&["total"]), Some(Growth::Percent(2.0)));
    assert_eq!(l.limit(&["x", "pkgA"]), Some(Growth::Bytes(0)));
    assert_eq!(l.limit(&["other"]), None);
    let all: GrowthLimits = "5%".parse().unwrap();
    assert_eq!(all.limit(&["anything"]), Some(Growth::Percent(5.0)));
    assert!("".parse::<GrowthLimits>().is_err());
    assert!("main=lots".parse::<GrowthLimits>().is_err());
    assert!("-2%".parse::<GrowthLimits>().is_err());
    assert!("=2%".parse::<GrowthLimits>().is_err());
  }

  #[test]
  fn growth_against_its_limit() {
    assert!(!Growth::Bytes(100).exceeded(1000, 1100));
    assert!(Growth::Bytes(100).exceeded(1000, 1101));
    assert!(!Growth::Bytes(0).exceeded(1000, 900), "shrinking never passes a limit");
    assert!(Growth::Percent(2.0).exceeded(1000, 1021));
    assert!(!Growth::Percent(2.0).exceeded(1000, 1020));
    assert!(!Growth::Percent(2.0).exceeded(0, 5000), "a new package is held to byte limits only");
  }
}
