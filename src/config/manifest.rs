//! `preload`, `lazy_code_loading` and `[startup]` of wxpack.toml, validated.

use serde::{Deserialize, Serialize};

use crate::{diagnostic::Location, size::ByteSize};

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
