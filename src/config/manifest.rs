//! `preload`, `lazy_code_loading` and `[startup]` of wxpack.toml, validated.

use serde::{Deserialize, Serialize};

use crate::{
  diagnostic::{Code, Diagnostic, Location, Source},
  size::ByteSize,
};

/// What wxpack does to app.json's `preloadRule`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PreloadMode {
  /// Write the rules derived from navigation, merged into the existing ones.
  #[default]
  Auto,
  /// Only add packages to pages that already have a rule.
  Merge,
  /// Leave app.json alone.
  Off,
}

/// preloadRule's `network`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Network {
  #[default]
  Wifi,
  All,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreloadOptions {
  pub mode: PreloadMode,
  /// The `network` of a new rule; `None`: the project's own rules' value, else `wifi`.
  pub network: Option<Network>,
  /// The packages preloaded from the pages of one package share this (platform doc 1.1).
  pub quota: ByteSize,
}

impl Default for PreloadOptions {
  fn default() -> Self {
    Self { mode: PreloadMode::Auto, network: None, quota: ByteSize::mb(2) }
  }
}

/// A network to estimate download times on: bandwidth and round-trip latency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Profile {
  pub name: String,
  /// Download bandwidth in kbit/s (1 kbit = 1000 bits).
  pub kbps: u64,
  pub rtt_ms: u64,
}

impl Profile {
  /// Milliseconds to fetch `bytes` in one request: a round trip, then the bytes at the bandwidth.
  pub fn millis(&self, bytes: u64) -> u64 {
    self.rtt_ms + (bytes * 8).div_ceil(self.kbps.max(1))
  }
}

/// Firefox DevTools' throttling presets "Regular 3G" and "Regular 4G/LTE".
pub fn default_profiles() -> Vec<Profile> {
  vec![Profile { name: "3g".into(), kbps: 750, rtt_ms: 100 }, Profile { name: "4g".into(), kbps: 4000, rtt_ms: 20 }]
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartupOptions {
  /// Pages measured besides the entry page and the tabBar pages.
  pub pages: Vec<String>,
  /// Where each of `pages` is written in wxpack.toml.
  pub pages_at: Vec<Location>,
  pub budget_ms: Option<u64>,
  /// On the bytes downloaded before the first render (uncompressed, as WeChat counts sizes).
  pub budget_bytes: Option<ByteSize>,
  /// The profile `budget_ms` is measured on: the first of `profiles` unless named.
  pub budget_profile: Option<String>,
  pub profiles: Vec<Profile>,
}

impl Default for StartupOptions {
  fn default() -> Self {
    Self {
      pages: Vec::new(),
      pages_at: Vec::new(),
      budget_ms: None,
      budget_bytes: None,
      budget_profile: None,
      profiles: default_profiles(),
    }
  }
}

impl StartupOptions {
  pub fn budget_profile(&self) -> Option<&Profile> {
    match &self.budget_profile {
      Some(name) => self.profiles.iter().find(|p| &p.name == name),
      None => self.profiles.first(),
    }
  }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ManifestOptions {
  pub preload: PreloadOptions,
  /// Set `lazyCodeLoading: "requiredComponents"` in the output app.json.
  pub lazy_code_loading: bool,
  pub startup: StartupOptions,
}

/// `preload`, `lazy_code_loading` and `[startup]` as written, checked.
pub(super) fn options(file: &super::ConfigFile, source: &Source) -> Result<ManifestOptions, Diagnostic> {
  let bad =
    |m: String| Diagnostic::error(Code::InvalidToml, m).with_help("see preload and [startup] in docs/configuration.md");
  let d = PreloadOptions::default();
  let p = file.preload.as_ref();
  let preload = PreloadOptions {
    mode: p.and_then(|p| p.mode).unwrap_or(d.mode),
    network: p.and_then(|p| p.network),
    quota: p.and_then(|p| p.quota).unwrap_or(d.quota),
  };
  let s = &file.startup;
  let profiles = match &s.profiles {
    None => StartupOptions::default().profiles,
    Some(map) if map.is_empty() => return Err(bad("startup.profiles is empty".into())),
    Some(map) => map.iter().map(|(name, p)| Profile { name: name.clone(), kbps: p.kbps, rtt_ms: p.rtt_ms }).collect(),
  };
  if let Some(p) = profiles.iter().find(|p| p.kbps == 0) {
    return Err(bad(format!("startup.profiles.{}: kbps must be above 0", p.name)));
  }
  let startup = StartupOptions {
    pages: s.pages.iter().flatten().map(|p| p.get_ref().clone()).collect(),
    pages_at: s.pages.iter().flatten().map(|p| super::toml_at(source, p.span())).collect(),
    budget_ms: s.budget_ms,
    budget_bytes: s.budget_bytes,
    budget_profile: s.budget_profile.clone(),
    profiles,
  };
  if let Some(name) = &startup.budget_profile
    && startup.budget_profile().is_none()
  {
    let names: Vec<&str> = startup.profiles.iter().map(|p| p.name.as_str()).collect();
    return Err(bad(format!("startup.budget_profile {name:?} is not one of the profiles ({})", names.join(", "))));
  }
  Ok(ManifestOptions { preload, lazy_code_loading: file.lazy_code_loading.unwrap_or(false), startup })
}
