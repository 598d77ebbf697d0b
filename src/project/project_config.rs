//! project.config.json: where the mini program lives (`miniprogramRoot`), what is never uploaded
//! (`packOptions.ignore`, `cloudfunctionRoot`), and the settings copied into the output project.

use globset::{GlobBuilder, GlobMatcher};
use regex::{Regex, RegexBuilder};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::{
  diagnostic::{Code, Diagnostic, Location, Source},
  mp_path::MpPath,
};

pub const FILE: &str = "project.config.json";

#[derive(Debug, Default, Deserialize)]
struct Raw {
  #[serde(rename = "miniprogramRoot")]
  miniprogram_root: Option<String>,
  #[serde(rename = "cloudfunctionRoot")]
  cloudfunction_root: Option<String>,
  #[serde(rename = "packOptions", default)]
  pack_options: PackOptionsRaw,
  #[serde(default)]
  setting: SettingRaw,
}

#[derive(Debug, Default, Deserialize)]
struct PackOptionsRaw {
  #[serde(default)]
  ignore: Vec<RuleRaw>,
  #[serde(default)]
  include: Vec<RuleRaw>,
}

#[derive(Debug, Deserialize)]
struct RuleRaw {
  #[serde(rename = "type")]
  kind: String,
  value: String,
}

#[derive(Debug, Default, Deserialize)]
struct SettingRaw {
  #[serde(rename = "useCompilerPlugins", default)]
  use_compiler_plugins: Value,
  #[serde(default)]
  es6: Option<bool>,
  #[serde(default)]
  enhance: Option<bool>,
  #[serde(default)]
  postcss: Option<bool>,
  #[serde(rename = "minifyWXSS", default)]
  minify_wxss: Option<bool>,
  #[serde(rename = "babelSetting", default)]
  babel_setting: Option<BabelSettingRaw>,
  #[serde(rename = "lessSetting", default)]
  less_setting: Value,
  #[serde(rename = "sassSetting", default)]
  sass_setting: Value,
}

#[derive(Debug, Default, Deserialize)]
struct BabelSettingRaw {
  #[serde(default)]
  ignore: Vec<String>,
}

/// One `packOptions` rule. Matching is case-insensitive and relative to `miniprogramRoot`.
#[derive(Debug)]
pub enum PackRule {
  Folder(String),
  File(String),
  Suffix(String),
  Prefix(String),
  Regexp(Regex),
  Glob(GlobMatcher),
}

impl PackRule {
  pub fn matches(&self, path: &MpPath) -> bool {
    let lower = path.as_str().to_lowercase();
    match self {
      PackRule::Folder(dir) => lower == *dir || lower.starts_with(&format!("{dir}/")),
      PackRule::File(f) => lower == *f,
      PackRule::Suffix(s) => lower.ends_with(s.as_str()),
      PackRule::Prefix(p) => path.file_name().to_lowercase().starts_with(p.as_str()),
      PackRule::Regexp(re) => re.is_match(path.as_str()),
      PackRule::Glob(g) => g.is_match(path.as_str()),
    }
  }
}

/// The parts of project.config.json wxpack acts on, plus the raw object for the output copy.
#[derive(Debug, Default)]
pub struct ProjectConfig {
  pub raw: Map<String, Value>,
  /// `miniprogramRoot`, relative to the project folder ("" when absent).
  pub miniprogram_root: String,
  pub cloudfunction_root: Option<String>,
  pub ignore: Vec<PackRule>,
  pub include: Vec<PackRule>,
  /// `setting.useCompilerPlugins` names (typescript, less, sass).
  pub compiler_plugins: Vec<String>,
  /// "将 JS 编译成 ES5": `setting.es6` or `setting.enhance` is on.
  pub es5: bool,
  /// DevTools runs its WXSS pipeline, which autoprefixes, at upload: `setting.postcss` or
  /// `setting.minifyWXSS` is on.
  pub devtools_prefixes: bool,
  /// `setting.babelSetting.ignore`: folders and files DevTools does not run Babel on.
  pub babel_ignore: Vec<MpPath>,
  /// What of the file is read as nothing because of its shape.
  pub warnings: Vec<Diagnostic>,
  pub style_common: StyleCommon,
}

/// The stylesheets DevTools' Less and Sass plugins put in front of every other source of their
/// language, and the Less plugin's global variables.
#[derive(Debug, Clone, PartialEq)]
pub struct StyleCommon {
  /// `setting.lessSetting.commonUseFilePath`, relative to the mini program root: imported with
  /// `(optional, reference)` by every `.less` but `app.less`.
  pub less: String,
  /// `setting.sassSetting.sassCommonUseFilePath` and `scssCommonUseFilePath`: `@use`d by every
  /// `.sass`/`.scss` but `global.sass`/`global.scss`, the file of the source's own syntax
  /// first, then the other.
  pub sass: String,
  pub scss: String,
  /// `["less", {"globalVars": {...}}]` in `useCompilerPlugins`.
  pub less_global_vars: Map<String, Value>,
}

impl Default for StyleCommon {
  fn default() -> Self {
    Self {
      less: "app.less".into(),
      sass: "global.sass".into(),
      scss: "global.scss".into(),
      less_global_vars: Map::new(),
    }
  }
}

impl StyleCommon {
  fn of(setting: &SettingRaw) -> Self {
    let d = Self::default();
    // DevTools writes `setting?.lessSetting?.commonUseFilePath || "app.less"`: anything but a
    // non-empty string means the default.
    let text = |v: &Value, key: &str, default: String| {
      v.get(key).and_then(Value::as_str).filter(|s| !s.is_empty()).map_or(default, str::to_string)
    };
    let less_options = setting
      .use_compiler_plugins
      .as_array()
      .into_iter()
      .flatten()
      .find(|v| v.get(0).and_then(Value::as_str) == Some("less"))
      .and_then(|v| v.get(1)?.get("globalVars")?.as_object().cloned());
    Self {
      less: text(&setting.less_setting, "commonUseFilePath", d.less),
      sass: text(&setting.sass_setting, "sassCommonUseFilePath", d.sass),
      scss: text(&setting.sass_setting, "scssCommonUseFilePath", d.scss),
      less_global_vars: less_options.unwrap_or_default(),
    }
  }
}

impl ProjectConfig {
  pub fn parse(src: &str) -> Result<Self, Diagnostic> {
    let (raw_map, spans): (Map<String, Value>, _) = super::json::parse_spanned(FILE, src)?;
    let raw: Raw = super::json::parse(FILE, src)?;
    let rules = |list: Vec<RuleRaw>| list.into_iter().map(|r| pack_rule(src, &spans, r)).collect::<Result<Vec<_>, _>>();
    let source = Source::new(FILE, src);
    let ignore: Vec<String> = raw.setting.babel_setting.as_ref().map(|b| b.ignore.clone()).unwrap_or_default();
    Ok(Self {
      style_common: StyleCommon::of(&raw.setting),
      raw: raw_map,
      miniprogram_root: raw.miniprogram_root.unwrap_or_default(),
      cloudfunction_root: raw.cloudfunction_root.filter(|s| !s.trim().is_empty()),
      ignore: rules(raw.pack_options.ignore)?,
      include: rules(raw.pack_options.include)?,
      // `useCompilerPlugins` is an array of names (or [name, options]); `false` means none.
      compiler_plugins: raw
        .setting
        .use_compiler_plugins
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().or_else(|| v.get(0).and_then(Value::as_str)))
        .map(str::to_string)
        .collect(),
      es5: raw.setting.es6.unwrap_or(false) || raw.setting.enhance.unwrap_or(false),
      devtools_prefixes: raw.setting.postcss.unwrap_or(false) || raw.setting.minify_wxss.unwrap_or(false),
      babel_ignore: ignore.iter().filter_map(|p| MpPath::new(p.trim_start_matches("./")).ok()).collect(),
      warnings: ignore
        .iter()
        .filter(|p| MpPath::new(p.trim_start_matches("./")).is_err())
        .map(|p| {
          let at = spans.find(p, Some("ignore")).map_or_else(|| Location::file(FILE), |s| source.at(s));
          Diagnostic::warning(
            Code::InvalidConfig,
            format!("setting.babelSetting.ignore entry {p:?} points outside the mini program; it is not used"),
          )
          .at(at)
          .with_help("list folders or files under miniprogramRoot, such as \"miniprogram_npm/\"")
        })
        .collect(),
    })
  }
}

fn pack_rule(src: &str, spans: &super::json::JsonSpans, r: RuleRaw) -> Result<PackRule, Diagnostic> {
  let bad = |msg: String| {
    let loc =
      spans.find(&r.value, Some("packOptions")).map_or_else(|| Location::file(FILE), |s| Source::new(FILE, src).at(s));
    Diagnostic::error(Code::InvalidConfig, msg).at(loc)
  };
  let norm = |v: &str| v.trim().trim_start_matches("./").trim_matches('/').to_lowercase();
  Ok(match r.kind.as_str() {
    "folder" => PackRule::Folder(norm(&r.value)),
    "file" => PackRule::File(norm(&r.value)),
    "suffix" => PackRule::Suffix(r.value.to_lowercase()),
    "prefix" => PackRule::Prefix(r.value.to_lowercase()),
    "regexp" => PackRule::Regexp(
      RegexBuilder::new(&r.value)
        .case_insensitive(true)
        .build()
        .map_err(|e| bad(format!("packOptions regexp {:?} does not compile: {e}", r.value)))?,
    ),
    "glob" => PackRule::Glob(
      GlobBuilder::new(r.value.trim_start_matches("./"))
        .case_insensitive(true)
        .literal_separator(false)
        .build()
        .map_err(|e| bad(format!("packOptions glob {:?} is invalid: {e}", r.value)))?
        .compile_matcher(),
    ),
    other => {
      return Err(
        bad(format!("unknown packOptions rule type {other:?}"))
          .with_help("use one of folder, file, suffix, prefix, regexp, glob"),
      );
    }
  })
}

#[cfg(test)]
mod tests {
  use super::*;

  fn rule(kind: &str, value: &str) -> PackRule {
    pack_rule("", &Default::default(), RuleRaw { kind: kind.into(), value: value.into() }).unwrap()
  }

  #[test]
  fn pack_rules_match_case_insensitively() {
    let p = |s| MpPath::new(s).unwrap();
    assert!(rule("folder", "./Docs/").matches(&p("docs/a.png")));
    assert!(!rule("folder", "docs").matches(&p("docs2/a.png")));
    assert!(rule("file", "a/B.js").matches(&p("a/b.js")));
    assert!(rule("suffix", ".MD").matches(&p("x/readme.md")));
    assert!(rule("prefix", "test_").matches(&p("x/test_a.js")));
    assert!(rule("regexp", "^mock/").matches(&p("mock/a.json")));
    assert!(rule("glob", "**/*.psd").matches(&p("a/b/c.PSD")));
    assert!(rule("glob", "assets/*.png").matches(&p("assets/x.png")));
  }

  #[test]
  fn style_common_files_default_as_devtools_does() {
    let c = ProjectConfig::parse(r#"{"setting":{"lessSetting":{"commonUseFilePath":""}}}"#).unwrap();
    assert_eq!(c.style_common, StyleCommon::default());
    let src = r#"{"setting":{"useCompilerPlugins":[["less",{"globalVars":{"c":"red"}}]],
      "lessSetting":{"commonUseFilePath":"styles/common.less"},"sassSetting":{"scssCommonUseFilePath":"s/g.scss"}}}"#;
    let c = ProjectConfig::parse(src).unwrap();
    assert_eq!((c.style_common.less.as_str(), c.style_common.scss.as_str()), ("styles/common.less", "s/g.scss"));
    assert_eq!(c.style_common.sass, "global.sass");
    assert_eq!(c.style_common.less_global_vars.get("c").and_then(Value::as_str), Some("red"));
  }

  #[test]
  fn a_babel_ignore_entry_outside_the_root_is_a_located_warning() {
    let src = "{\"setting\":{\"babelSetting\":{\n\"ignore\":[\"./miniprogram_npm/\",\"../vendor/\"]}}}";
    let c = ProjectConfig::parse(src).unwrap();
    assert_eq!(c.babel_ignore.len(), 1);
    assert_eq!(c.warnings.len(), 1);
    let at = c.warnings[0].location.as_ref().unwrap();
    assert!(c.warnings[0].message.contains("\"../vendor/\""), "{:?}", c.warnings);
    assert_eq!((at.line, at.column), (2, 33));
  }

  #[test]
  fn unknown_rule_type_is_error() {
    let src = r#"{"packOptions":{"ignore":[{"type":"dir","value":"x"}]}}"#;
    let err = ProjectConfig::parse(src).unwrap_err();
    assert!(err.message.contains("dir"));
    assert_eq!(err.location.unwrap().line, 1);
  }

  #[test]
  fn compiler_plugins_accept_both_forms() {
    let src = r#"{"setting":{"useCompilerPlugins":["typescript",["sass",{}]],"es6":true,"babelSetting":{"ignore":["./miniprogram_npm/"]}}}"#;
    let c = ProjectConfig::parse(src).unwrap();
    assert_eq!(c.compiler_plugins, ["typescript", "sass"]);
    assert!(c.es5);
    assert_eq!(c.babel_ignore, [MpPath::new("miniprogram_npm").unwrap()]);
    let off = ProjectConfig::parse(r#"{"setting":{"useCompilerPlugins":false,"es6":false}}"#).unwrap();
    assert!(off.compiler_plugins.is_empty() && !off.es5);
  }
}
