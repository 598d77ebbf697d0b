//! Graph types: one [`Asset`] per file under the mini program root, and the references between
//! them. Later stages add their results in side tables indexed by [`AssetId`].

use serde::{Deserialize, Serialize};

use crate::{diagnostic::Span, mp_path::MpPath};

/// A file of the graph: its position in [`super::Graph::assets`], which is its position in the
/// load stage's table (`Project::files`).
pub use crate::project::AssetId;

/// What a file is, by extension. Images are sniffed from bytes by the image stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AssetKind {
  Js,
  Wxss,
  Wxml,
  Wxs,
  Json,
  Image,
  Other,
}

impl AssetKind {
  pub const ALL: [AssetKind; 7] = [
    AssetKind::Js,
    AssetKind::Wxss,
    AssetKind::Wxml,
    AssetKind::Wxs,
    AssetKind::Json,
    AssetKind::Image,
    AssetKind::Other,
  ];

  pub fn of(path: &MpPath) -> Self {
    match path.extension().map(str::to_ascii_lowercase).as_deref() {
      Some("js" | "ts") => AssetKind::Js,
      Some("wxss") => AssetKind::Wxss,
      Some("wxml") => AssetKind::Wxml,
      Some("wxs") => AssetKind::Wxs,
      Some("json") => AssetKind::Json,
      Some("png" | "jpg" | "jpeg" | "gif" | "svg" | "ico" | "cur") => AssetKind::Image,
      _ => AssetKind::Other,
    }
  }

  /// Code files take part in DevTools' dependency analysis; unreached ones are "unused code".
  pub fn is_code(self) -> bool {
    matches!(self, AssetKind::Js | AssetKind::Wxss | AssetKind::Wxml | AssetKind::Wxs | AssetKind::Json)
  }

  pub fn as_str(self) -> &'static str {
    match self {
      AssetKind::Js => "js",
      AssetKind::Wxss => "wxss",
      AssetKind::Wxml => "wxml",
      AssetKind::Wxs => "wxs",
      AssetKind::Json => "json",
      AssetKind::Image => "image",
      AssetKind::Other => "other",
    }
  }
}

/// How a reference was written. The planner rewrites by kind and span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DepKind {
  /// app.json `pages` / subpackage `pages`: the page's own files.
  Page,
  /// `usingComponents` or a `componentGenerics` default.
  Component,
  /// JS `require('x')`, also `require(x, cb)` and `require.async` (then lazy).
  Require,
  /// ES `import`/`export ... from`, and dynamic `import()` (lazy).
  Import,
  /// WXML `<import src>`.
  WxmlImport,
  /// WXML `<include src>`.
  WxmlInclude,
  /// WXML `<wxs src>`.
  WxsSrc,
  /// `require` inside WXS.
  WxsRequire,
  /// WXSS `@import`.
  CssImport,
  /// WXSS `url()`.
  CssUrl,
  /// A static `src` (or `poster`) attribute in WXML.
  Src,
  /// A root-absolute file path in any other WXML attribute (XR-frame's `<xr-asset-load src>`, a
  /// component's image property): a reference when it names a file of the project, a string
  /// like any other when it names none.
  Attr,
  /// tabBar icons, sitemap, theme, worker and subpackage entry files named in app.json.
  AppFile,
}

impl DepKind {
  /// Resolved by the platform when it loads (DevTools' compilers do not check it).
  pub fn resolved_at_run_time(self) -> bool {
    matches!(self, DepKind::Src | DepKind::Attr | DepKind::CssUrl | DepKind::Require | DepKind::Import)
  }
}

/// A resolved reference from one asset to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dep {
  pub target: AssetId,
  pub kind: DepKind,
  /// Async: `require.async`, `require(path, cb)`, `import()`, placeholder-backed cross-package
  /// components. Lazy edges do not pull their target into the caller's package.
  pub lazy: bool,
  /// The specifier's span in the referencing file (inside the quotes).
  pub span: Span,
  /// The specifier as the file spells it (escapes and spaces kept) and the character before it
  /// (its quote), so the planner can re-spell it without reading the file again.
  pub written: Box<str>,
  pub quote: char,
  /// A `usingComponents` entry whose tag the WXML never uses: the JSON minifier drops it, so it
  /// pulls nothing into a package when components are pruned.
  pub unused: bool,
}

#[derive(Debug, Clone)]
pub struct Asset {
  pub id: AssetId,
  pub path: MpPath,
  pub kind: AssetKind,
  /// It is uploaded (the load stage's decision: the suffix whitelist, then `packOptions`); the
  /// one answer every later stage reads.
  pub ships: bool,
  pub deps: Vec<Dep>,
}

/// A reference as a scanner found it, before resolution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ref {
  pub spec: String,
  pub kind: DepKind,
  pub span: Span,
  pub lazy: bool,
  /// A usingComponents entry whose tag has a componentPlaceholder: lazy when it crosses packages.
  pub placeholder: bool,
  /// The tag of a `usingComponents` entry.
  pub tag: Option<String>,
  /// Filled from the source when the graph links the reference: see [`Dep::written`].
  pub written: Box<str>,
  pub quote: char,
}

impl Ref {
  pub fn new(spec: impl Into<String>, kind: DepKind, span: Span) -> Self {
    Self {
      spec: spec.into(),
      kind,
      span,
      lazy: false,
      placeholder: false,
      tag: None,
      written: Box::default(),
      quote: '"',
    }
  }

  #[must_use]
  pub fn lazy(mut self, lazy: bool) -> Self {
    self.lazy = lazy;
    self
  }
}

/// A computed reference as a scanner found it: where, what it loads, its static start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DynamicRef {
  pub span: Span,
  pub kind: DynamicKind,
  pub prefix: Option<String>,
}

/// A place in a source file and what is written there (shortened): where a computed reference, a
/// mention, a navigation or a template path is, as reports and pins show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Site {
  pub file: MpPath,
  pub line: u32,
  pub column: u32,
  pub text: String,
}

/// A reference computed at run time (`require(name)`, `src="/img/{{x}}.png"`); `at.text` is the
/// expression as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Unanalysable {
  #[serde(flatten)]
  pub at: Site,
  pub kind: DynamicKind,
  /// The static start of the path (`./locales/` in `require('./locales/' + lang)`), when it has
  /// one: the planner keeps, and never moves, the files it may name.
  pub prefix: Option<String>,
}

/// What a computed reference loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DynamicKind {
  /// `require(expr)`, `require.async(expr)`, `import(expr)`: a JS module.
  Require,
  /// A WXML `src` built with `{{ }}`: an image or media file.
  Asset,
  /// A page URL built at run time (`wx.navigateTo({ url: base + id })`, `<navigator url="{{u}}">`).
  Navigate,
}

/// A page another page can open: `wx.navigateTo`/`redirectTo`/`reLaunch`/`switchTab` (also on a
/// component's `pageRouter`/`router`) or `<navigator url>`, with its page part known statically.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Navigation {
  /// `at.text` is the page part of the URL as written (query and hash removed): absolute or
  /// relative to the page that opens it.
  #[serde(flatten)]
  pub at: Site,
  /// Found as a string equal to a route (a URL kept in data), not in a navigation call: it
  /// counts only when it names a declared page.
  pub literal: bool,
}

/// A navigation as a scanner found it: the page part of its URL, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NavRef {
  pub url: String,
  pub span: Span,
}

/// A use of a platform API as a scanner found it (`wx.getLocation`): its name, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiRef {
  pub name: String,
  pub span: Span,
}

/// An asset path written where wxpack follows no reference: in a JS string (`'/images/a.png'` in
/// page data), a `{{ }}` expression, a comment. The planner neither moves nor prunes the assets it
/// may name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Mention {
  /// `at.text` is the path as written, without query or hash.
  #[serde(flatten)]
  pub at: Site,
}

impl Mention {
  /// Written relative to something (`../images/a.png`, `a.png`): what it names depends on where
  /// the file that renders it sits.
  pub fn is_relative(&self) -> bool {
    !self.at.text.starts_with('/')
  }
}
