//! What the output must run on, from the project's minimum base library (基础库最低版本, set in
//! the admin console, so it is a wxpack.toml key). The table is the platform doc's (section 10,
//! from miniprogram-compat): base library 1.0.0 means iOS 8 and Chrome 53.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Deserializer};

/// A base library version such as `2.11.0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct BaseLibrary(pub u32, pub u32, pub u32);

impl Default for BaseLibrary {
  fn default() -> Self {
    Self(1, 0, 0)
  }
}

impl FromStr for BaseLibrary {
  type Err = String;

  fn from_str(s: &str) -> Result<Self, String> {
    let mut parts = s.trim().split('.').map(str::parse::<u32>);
    let mut next = || parts.next().transpose().map_err(|_| format!("{s:?} is not a version like 2.11.0"));
    let v = Self(
      next()?.ok_or_else(|| format!("{s:?} is not a version like 2.11.0"))?,
      next()?.unwrap_or(0),
      next()?.unwrap_or(0),
    );
    Ok(v)
  }
}

impl<'de> Deserialize<'de> for BaseLibrary {
  fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
    String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
  }
}

impl fmt::Display for BaseLibrary {
  fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    write!(f, "{}.{}.{}", self.0, self.1, self.2)
  }
}

/// The oldest engines a base library still runs on: (iOS, Chrome, Safari) major versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Engines {
  pub ios: u32,
  pub chrome: u32,
  pub safari: Option<u32>,
}

const TABLE: &[(BaseLibrary, Engines)] = &[
  (BaseLibrary(1, 0, 0), Engines { ios: 8, chrome: 53, safari: None }),
  (BaseLibrary(2, 5, 0), Engines { ios: 9, chrome: 53, safari: None }),
  (BaseLibrary(2, 11, 0), Engines { ios: 10, chrome: 53, safari: None }),
  (BaseLibrary(2, 14, 4), Engines { ios: 11, chrome: 53, safari: Some(10) }),
  (BaseLibrary(2, 20, 2), Engines { ios: 11, chrome: 66, safari: Some(10) }),
  (BaseLibrary(2, 21, 0), Engines { ios: 12, chrome: 66, safari: Some(10) }),
  (BaseLibrary(2, 28, 0), Engines { ios: 13, chrome: 66, safari: Some(10) }),
  (BaseLibrary(2, 30, 0), Engines { ios: 13, chrome: 86, safari: None }),
  (BaseLibrary(3, 6, 0), Engines { ios: 14, chrome: 86, safari: None }),
];

impl BaseLibrary {
  pub fn engines(self) -> Engines {
    TABLE.iter().rev().find(|(v, _)| *v <= self).map_or(TABLE[0].1, |(_, e)| *e)
  }
}

/// `[wxss] prefixes`: the vendor prefixes WXSS gets, whatever the project's `postcss` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Prefixes {
  /// Those the engines of the minimum base library need (iOS 8 and Chrome 53 by default).
  #[default]
  Auto,
  /// Also those DevTools' autoprefixer adds at upload: `["iOS >= 8", "Chrome >= 37"]`
  /// (miniprogram-ci's `compilewxss.js`), whatever the base library.
  Devtools,
  /// None added: the output styles exactly what the source wrote.
  None,
}

impl Engines {
  /// DevTools' autoprefixer targets.
  pub const DEVTOOLS: Engines = Engines { ios: 8, chrome: 37, safari: None };

  /// The engines WXSS is printed for under `prefixes`: with `Devtools`, the older of these and
  /// DevTools' own.
  pub fn for_prefixes(self, prefixes: Prefixes) -> Self {
    match prefixes {
      Prefixes::Devtools => Self {
        ios: self.ios.min(Self::DEVTOOLS.ios),
        chrome: self.chrome.min(Self::DEVTOOLS.chrome),
        safari: self.safari,
      },
      Prefixes::Auto | Prefixes::None => self,
    }
  }

  /// lightningcss targets for these engines. Without `prefix`, vendor prefixes are excluded:
  /// none are added, and the ones the sheet has are kept by the WXSS guard, so the output styles
  /// exactly what the input styled.
  pub fn css_targets(self, prefix: bool) -> lightningcss::targets::Targets {
    let v = |major: u32| Some(major << 16);
    let browsers = lightningcss::targets::Browsers {
      ios_saf: v(self.ios),
      chrome: v(self.chrome),
      android: v(self.chrome),
      safari: self.safari.and_then(v),
      ..Default::default()
    };
    let exclude =
      if prefix { lightningcss::targets::Features::empty() } else { lightningcss::targets::Features::VendorPrefixes };
    lightningcss::targets::Targets { browsers: Some(browsers), exclude, ..Default::default() }
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn table_lookup() {
    assert_eq!(BaseLibrary::default().engines(), Engines { ios: 8, chrome: 53, safari: None });
    assert_eq!("2.12".parse::<BaseLibrary>().unwrap().engines().ios, 10);
    assert_eq!("2.30.0".parse::<BaseLibrary>().unwrap().engines().chrome, 86);
    assert_eq!("3.9.1".parse::<BaseLibrary>().unwrap().engines().ios, 14);
    assert!("two".parse::<BaseLibrary>().is_err());
  }

  #[test]
  fn prefixes_follow_the_base_library_or_devtools() {
    let base = BaseLibrary::default().engines();
    assert_eq!(base.for_prefixes(Prefixes::Auto), base);
    assert_eq!(base.for_prefixes(Prefixes::Devtools), Engines { ios: 8, chrome: 37, safari: None });
    let new = "3.6.0".parse::<BaseLibrary>().unwrap().engines();
    assert_eq!(new.for_prefixes(Prefixes::Devtools), Engines { ios: 8, chrome: 37, safari: None });
    let print = |targets| {
      let mut sheet =
        lightningcss::stylesheet::StyleSheet::parse(".a{display:flex;align-items:center}", Default::default()).unwrap();
      sheet.minify(lightningcss::stylesheet::MinifyOptions { targets, ..Default::default() }).unwrap();
      let options = lightningcss::stylesheet::PrinterOptions { minify: true, targets, ..Default::default() };
      sheet.to_css(options).unwrap().code
    };
    // iOS 8 needs -webkit-flex; iOS 14 does not; without prefixes, none are added.
    assert!(print(base.css_targets(true)).contains("display:-webkit-flex"), "{}", print(base.css_targets(true)));
    assert!(!print(new.css_targets(true)).contains("-webkit-"), "{}", print(new.css_targets(true)));
    assert!(!print(base.css_targets(false)).contains("-webkit-"));
  }
}
