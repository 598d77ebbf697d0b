//! `wxpack.toml` as written: the TOML schema, every table with `deny_unknown_fields`.

use std::{collections::BTreeMap, path::PathBuf};

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::{
  JsTarget,
  growth::GrowthLimits,
  manifest::{Network, PreloadMode},
};
use crate::{
  size::ByteSize,
  targets::{BaseLibrary, Prefixes},
};

/// How files shared by several subpackages (and not by main) are placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum SharedPolicy {
  /// Kept once in main while main fits its budget minus the reserve; otherwise copied, best
  /// main-bytes-saved per extra byte first, while every subpackage fits its own budget.
  #[default]
  Auto,
  /// Always kept once in main.
  Main,
  /// Always copied into each subpackage that uses them.
  Copy,
}

/// `wxpack.toml` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
  pub out_dir: Option<PathBuf>,
  pub zip: Option<PathBuf>,
  pub strict: Option<bool>,
  pub keep_going: Option<bool>,
  pub min_base_library: Option<BaseLibrary>,
  #[serde(default)]
  pub budget: BudgetFile,
  #[serde(default)]
  pub minify: MinifyFile,
  #[serde(default)]
  pub images: ImagesFile,
  #[serde(default)]
  pub cache: CacheFile,
  #[serde(default)]
  pub plan: PlanFile,
  #[serde(default)]
  pub prune: PruneFile,
  #[serde(default, deserialize_with = "PreloadFile::deserialize_either")]
  pub preload: Option<PreloadFile>,
  pub lazy_code_loading: Option<bool>,
  #[serde(default)]
  pub startup: StartupFile,
  #[serde(default)]
  pub js: JsFile,
  #[serde(default)]
  pub wxss: WxssFile,
  #[serde(default)]
  pub diff: DiffFile,
  #[serde(default)]
  pub check: CheckFile,
}

/// `[diff]`: limits for `wxpack diff` and `wxpack build --baseline`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiffFile {
  pub max_growth: Option<GrowthLimits>,
}

/// `[wxss]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WxssFile {
  pub prefixes: Option<Prefixes>,
  pub remove_unused: Option<bool>,
  /// Class patterns (`*` any run of characters) whose rules always stay.
  pub keep: Option<Vec<String>>,
  pub subset_fonts: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsFile {
  pub target: Option<JsTarget>,
  pub shared_helpers: Option<bool>,
}

/// `preload = "auto"`, or a `[preload]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreloadFile {
  pub mode: Option<PreloadMode>,
  pub network: Option<Network>,
  pub quota: Option<ByteSize>,
}

impl PreloadFile {
  /// Accepts both spellings: a mode string, or the table.
  fn deserialize_either<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
    struct Either;
    impl<'de> serde::de::Visitor<'de> for Either {
      type Value = PreloadFile;
      fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("\"auto\", \"merge\", \"off\", or a table with mode, network and quota")
      }
      fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<PreloadFile, E> {
        let mode = PreloadMode::deserialize(serde::de::value::StrDeserializer::<E>::new(s))?;
        Ok(PreloadFile { mode: Some(mode), ..PreloadFile::default() })
      }
      fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<PreloadFile, A::Error> {
        PreloadFile::deserialize(serde::de::value::MapAccessDeserializer::new(map))
      }
    }
    d.deserialize_any(Either).map(Some)
  }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StartupFile {
  pub pages: Option<Vec<Spanned<String>>>,
  pub budget_ms: Option<u64>,
  pub budget_bytes: Option<ByteSize>,
  pub budget_profile: Option<String>,
  pub profiles: Option<BTreeMap<String, ProfileFile>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileFile {
  pub kbps: u64,
  pub rtt_ms: u64,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanFile {
  pub enabled: Option<bool>,
  pub shared: Option<SharedPolicy>,
  pub reserve: Option<ByteSize>,
  pub folder: Option<String>,
  pub pin: Option<Vec<Spanned<String>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PruneFile {
  pub code: Option<bool>,
  pub assets: Option<bool>,
  pub keep: Option<Vec<Spanned<String>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImagesFile {
  pub enabled: Option<bool>,
  pub png_level: Option<Spanned<u8>>,
  pub keep_metadata: Option<bool>,
  pub jpeg_quality: Option<Spanned<u8>>,
  pub png_lossy: Option<bool>,
  pub png_min_psnr: Option<f64>,
  pub max_pixels: Option<u64>,
  pub cache: Option<bool>,
  pub cache_dir: Option<PathBuf>,
}

/// `[cache]`: the folder of results a rebuild reuses.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CacheFile {
  pub enabled: Option<bool>,
  pub dir: Option<PathBuf>,
  pub max_size: Option<ByteSize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MinifyFile {
  pub js: Option<bool>,
  pub wxss: Option<bool>,
  pub wxml: Option<bool>,
  pub json: Option<bool>,
  pub prune_components: Option<bool>,
  pub drop_console: Option<bool>,
  pub drop_debugger: Option<bool>,
  pub mangle: Option<bool>,
  pub source_maps: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetFile {
  pub main: Option<ByteSize>,
  pub subpackage: Option<ByteSize>,
  pub total: Option<ByteSize>,
  /// Per-subpackage budgets, keyed by subpackage root or name.
  #[serde(default)]
  pub packages: BTreeMap<Spanned<String>, ByteSize>,
}

/// How loud a finding is. `error` fails `wxpack check` (exit 1); `off` drops the rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
  Off,
  Info,
  Warning,
  Error,
}

/// `[check]` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckFile {
  /// Rule name (`PACKAGE_SIZE_LIMIT`) to its level.
  #[serde(default)]
  pub rules: BTreeMap<Spanned<String>, Level>,
  /// Terms added to the built-in list of absolute terms.
  #[serde(default)]
  pub words: Vec<String>,
  /// Built-in terms this project may use.
  #[serde(default)]
  pub allow_words: Vec<String>,
  /// Files whose findings are dropped (globs from the mini program root).
  pub ignore: Option<Vec<Spanned<String>>>,
}
