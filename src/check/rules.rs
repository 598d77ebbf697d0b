//! The rules `wxpack check` runs: DevTools' code-quality checks under miniprogram-ci's names,
//! the declarations the upload requires, and the review's rejection reasons a static check can
//! see. Each rule's why, example and fix are in docs/check.md.

use serde::Serialize;

use crate::config::check::Level;

/// Where a rule comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
  /// DevTools' code-quality panel (miniprogram-ci's `checkCodeQuality`): advice, never a blocker.
  Devtools,
  /// The upload is refused.
  Upload,
  /// The review rejects the version.
  Review,
}

macro_rules! rules {
  ($($(#[$doc:meta])* $rule:ident = $name:literal, $origin:ident, $level:ident, $title:literal, $url:literal;)*) => {
    /// One rule. The names are stable: configuration and scripts match on them.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum Rule { $($(#[$doc])* $rule,)* }

    impl Rule {
      pub const ALL: &[Rule] = &[$(Rule::$rule,)*];

      pub fn name(self) -> &'static str {
        match self { $(Rule::$rule => $name,)* }
      }

      pub fn origin(self) -> Origin {
        match self { $(Rule::$rule => Origin::$origin,)* }
      }

      /// Its level unless `[check] rules` says otherwise.
      pub fn default_level(self) -> Level {
        match self { $(Rule::$rule => Level::$level,)* }
      }

      /// What it checks, in one line.
      pub fn title(self) -> &'static str {
        match self { $(Rule::$rule => $title,)* }
      }

      /// The platform's document the rule follows.
      pub fn doc(self) -> &'static str {
        match self { $(Rule::$rule => $url,)* }
      }
    }
  };
}

rules! {
  PackageSizeLimit = "PACKAGE_SIZE_LIMIT", Devtools, Warning,
    "every package (source files, plugins excluded) under 1.5 MB",
    "https://developers.weixin.qq.com/community/develop/doc/00040e5a0846706e893dcc24256009";
  JsCompressOpen = "JS_COMPRESS_OPEN", Devtools, Warning,
    "JS minified on upload (project.config.json setting.minified)",
    "https://developers.weixin.qq.com/community/develop/doc/00040e5a0846706e893dcc24256009";
  WxmlCompressOpen = "WXML_COMPRESS_OPEN", Devtools, Warning,
    "WXML minified on upload (setting.minifyWXML)",
    "https://developers.weixin.qq.com/community/develop/doc/00040e5a0846706e893dcc24256009";
  WxssCompressOpen = "WXSS_COMPRESS_OPEN", Devtools, Warning,
    "WXSS minified on upload (setting.minifyWXSS)",
    "https://developers.weixin.qq.com/community/develop/doc/00040e5a0846706e893dcc24256009";
  LazycodeLoadingOpen = "LAZYCODE_LOADING_OPEN", Devtools, Warning,
    "components injected on demand (app.json lazyCodeLoading)",
    "https://developers.weixin.qq.com/miniprogram/dev/framework/ability/lazyload.html";
  ImageAndAudioLimit = "IMAGE_AND_AUDIO_LIMIT", Devtools, Warning,
    "images and audio in the code package under 200 KB in all",
    "https://developers.weixin.qq.com/community/develop/doc/00040e5a0846706e893dcc24256009";
  ContainsOtherPkgJs = "CONTAINS_OTHER_PKG_JS", Devtools, Warning,
    "no main-package JS that only subpackages load",
    "https://developers.weixin.qq.com/community/develop/doc/00040e5a0846706e893dcc24256009";
  ContainsOtherPkgComponents = "CONTAINS_OTHER_PKG_COMPONENTS", Devtools, Info,
    "no main-package component that only subpackages use",
    "https://developers.weixin.qq.com/community/develop/doc/00040e5a0846706e893dcc24256009";
  ContainsUnusedPlugins = "CONTAINS_UNUSED_PLUGINS", Devtools, Warning,
    "every declared plugin used",
    "https://developers.weixin.qq.com/community/develop/doc/00040e5a0846706e893dcc24256009";
  ContainsUnusedComponents = "CONTAINS_UNUSED_COMPONENTS", Devtools, Warning,
    "every component some usingComponents entry declares is used in a WXML",
    "https://developers.weixin.qq.com/community/develop/doc/00040e5a0846706e893dcc24256009";
  ContainsUnusedCodes = "CONTAINS_UNUSED_CODES", Devtools, Warning,
    "no code file that nothing reaches from app.json",
    "https://developers.weixin.qq.com/miniprogram/dev/devtools/codeanalyse.html";
  PrivacyApiUndeclared = "PRIVACY_API_UNDECLARED", Upload, Error,
    "every location API the code calls is listed in app.json requiredPrivateInfos",
    "https://developers.weixin.qq.com/miniprogram/dev/reference/configuration/app.html#requiredPrivateInfos";
  PrivacyInfosConflict = "PRIVACY_INFOS_CONFLICT", Upload, Error,
    "requiredPrivateInfos lists getLocation or getFuzzyLocation, not both",
    "https://developers.weixin.qq.com/miniprogram/dev/reference/configuration/app.html#requiredPrivateInfos";
  PluginUndeclared = "PLUGIN_UNDECLARED", Upload, Error,
    "every plugin a usingComponents entry names is declared in app.json plugins",
    "https://developers.weixin.qq.com/miniprogram/dev/framework/plugin/using.html";
  PermissionDescMissing = "PERMISSION_DESC_MISSING", Upload, Warning,
    "a location scope the code asks for has its app.json permission description",
    "https://developers.weixin.qq.com/miniprogram/dev/reference/configuration/app.html#permission";
  SuperlativeTitle = "SUPERLATIVE_TITLE", Review, Error,
    "no absolute term of the advertising law in titles, tab texts or the project name",
    "https://developers.weixin.qq.com/miniprogram/operation/operation.html";
  SuperlativeText = "SUPERLATIVE_TEXT", Review, Warning,
    "no absolute term of the advertising law in static WXML text",
    "https://developers.weixin.qq.com/miniprogram/operation/operation.html";
  PaymentThirdParty = "PAYMENT_THIRD_PARTY", Review, Warning,
    "no payment SDK or payment gateway other than WeChat Pay",
    "https://developers.weixin.qq.com/miniprogram/operation/operation.html";
}

impl Rule {
  pub fn by_name(name: &str) -> Option<Rule> {
    Rule::ALL.iter().copied().find(|r| r.name() == name)
  }
}

#[cfg(test)]
mod tests {
  use super::Rule;

  #[test]
  fn names_are_unique_and_found() {
    for r in Rule::ALL {
      assert_eq!(Rule::by_name(r.name()), Some(*r));
      assert!(r.name().chars().all(|c| c.is_ascii_uppercase() || c == '_'), "{}", r.name());
      assert!(r.doc().starts_with("https://developers.weixin.qq.com/"));
    }
    assert_eq!(Rule::by_name("PACKAGE_SIZE"), None);
  }
}
