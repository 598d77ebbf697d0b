//! app.json, typed. Accepts every spelling DevTools accepts (`subpackages` and `subPackages`,
//! `workers` as a string or an object, roots with or without a trailing `/`) and rejects what it
//! rejects (nested roots, tabBar pages outside main) with a located error.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::{
  app_keys::{self, KeyEntry},
  package::{Package, PackageId, PackageKind},
};
use crate::{
  diagnostic::{Code, Diagnostic, Location, Source},
  index_vec::IndexVec,
  mp_path::MpPath,
};

mod located;
mod preload;
pub use located::{entry_span, page_span, root_span};
pub use preload::PreloadRule;

pub const FILE: &str = "app.json";

/// The one `lazyCodeLoading` value the platform knows.
pub const LAZY_CODE_LOADING: &str = "requiredComponents";

#[derive(Debug, Deserialize)]
struct Raw {
  pages: Option<Vec<String>>,
  #[serde(rename = "entryPagePath")]
  entry_page_path: Option<String>,
  #[serde(default)]
  subpackages: Vec<SubRaw>,
  #[serde(rename = "subPackages", default)]
  sub_packages: Vec<SubRaw>,
  #[serde(rename = "tabBar")]
  tab_bar: Option<TabBarRaw>,
  #[serde(rename = "usingComponents", default)]
  using_components: Map<String, Value>,
  #[serde(rename = "preloadRule")]
  preload_rule: Option<Value>,
  #[serde(rename = "lazyCodeLoading")]
  lazy_code_loading: Option<String>,
  workers: Option<WorkersRaw>,
  #[serde(rename = "resolveAlias", default)]
  resolve_alias: Map<String, Value>,
  #[serde(rename = "sitemapLocation")]
  sitemap_location: Option<String>,
  #[serde(rename = "themeLocation")]
  theme_location: Option<String>,
  #[serde(default)]
  plugins: Map<String, Value>,
  #[serde(rename = "useExtendedLib", default)]
  use_extended_lib: Map<String, Value>,
}

#[derive(Debug, Deserialize)]
struct SubRaw {
  root: String,
  name: Option<String>,
  #[serde(default)]
  pages: Vec<String>,
  #[serde(default)]
  independent: bool,
  entry: Option<String>,
  #[serde(default)]
  plugins: Map<String, Value>,
}

#[derive(Debug, Deserialize)]
struct TabBarRaw {
  #[serde(default)]
  custom: bool,
  #[serde(default)]
  list: Vec<TabItemRaw>,
}

#[derive(Debug, Deserialize)]
struct TabItemRaw {
  #[serde(rename = "pagePath")]
  page_path: String,
  #[serde(rename = "iconPath")]
  icon_path: Option<String>,
  #[serde(rename = "selectedIconPath")]
  selected_icon_path: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum WorkersRaw {
  Path(String),
  Object {
    path: String,
    #[serde(rename = "isSubpackage", default)]
    is_subpackage: bool,
  },
}

#[derive(Debug, Clone)]
pub struct TabBar {
  pub custom: bool,
  pub pages: Vec<MpPath>,
  /// Icon paths as written, resolved against the root.
  pub icons: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Workers {
  pub path: MpPath,
  pub is_subpackage: bool,
}

/// app.json after validation.
#[derive(Debug, Clone)]
pub struct AppJson {
  pub source: String,
  /// Where each value of `source` is written.
  pub spans: super::json::JsonSpans,
  pub entry_page: Option<MpPath>,
  pub tab_bar: Option<TabBar>,
  /// Global usingComponents in declaration order: (tag, specifier).
  pub using_components: Vec<(String, String)>,
  /// The project's own preloadRule, in its order.
  pub preload_rule: Vec<PreloadRule>,
  /// What of it is malformed: warnings, read as the platform reads it.
  pub preload_problems: Vec<Diagnostic>,
  pub lazy_code_loading: Option<String>,
  pub workers: Option<Workers>,
  /// resolveAlias entries with their `/*` suffixes removed: (key prefix, value prefix).
  pub resolve_alias: Vec<(String, String)>,
  pub sitemap: Option<MpPath>,
  pub theme: Option<MpPath>,
  /// Packages: main first, then subpackages in declaration order, then a worker subpackage.
  pub packages: IndexVec<PackageId, Package>,
  /// Path-like values of `agent` and of keys wxpack does not model: entries when they name files.
  pub key_entries: Vec<KeyEntry>,
  /// npm names of the `useExtendedLib` libraries the platform provides (`weui-miniprogram`).
  pub extended_libs: Vec<&'static str>,
  /// `appBar` is set: the platform loads the component `app-bar/index` at the root (the way
  /// `tabBar.custom` loads `custom-tab-bar/index`), referenced by no other file.
  pub app_bar: bool,
}

impl AppJson {
  /// `file` is the display path used in errors.
  pub fn parse(file: &str, src: &str) -> Result<Self, Diagnostic> {
    let (raw, spans): (Raw, _) = super::json::parse_spanned(file, src)?;
    let map: Map<String, Value> = super::json::parse(file, src)?;
    let mut app = Parser { source: Source::new(file, src), spans: &spans }.build(raw)?;
    app.spans = spans;
    app.key_entries = app_keys::entries(&map);
    app.app_bar = map.get("appBar").is_some_and(|v| !v.is_null() && *v != Value::Bool(false));
    Ok(app)
  }
}

struct Parser<'s> {
  source: Source<'s>,
  spans: &'s super::json::JsonSpans,
}

impl Parser<'_> {
  fn err(&self, code: Code, message: String, value: &str, key: Option<&str>) -> Diagnostic {
    let loc = self.spans.find(value, key).map_or_else(|| Location::file(self.source.file()), |s| self.source.at(s));
    Diagnostic::error(code, message).at(loc)
  }

  fn path(&self, value: &str, key: Option<&str>) -> Result<MpPath, Diagnostic> {
    MpPath::new(value).map_err(|_| {
      self
        .err(Code::EscapesRoot, format!("{value:?} points outside the mini program root"), value, key)
        .with_help("paths in app.json are relative to miniprogramRoot")
    })
  }

  fn sub_path(&self, root: &MpPath, value: &str) -> Result<MpPath, Diagnostic> {
    root
      .join(value)
      .map_err(|_| self.err(Code::EscapesRoot, format!("{value:?} points outside its subpackage root"), value, None))
  }

  fn build(&self, raw: Raw) -> Result<AppJson, Diagnostic> {
    let (preload_rule, preload_problems) = preload::read(raw.preload_rule.as_ref(), self.spans, &self.source);
    let Some(page_list) = raw.pages.filter(|p| !p.is_empty()) else {
      return Err(
        Diagnostic::error(Code::InvalidConfig, "app.json has no pages")
          .at(Location::file(self.source.file()))
          .with_help("add \"pages\": [\"pages/index/index\"]"),
      );
    };
    let main_pages = page_list.iter().map(|p| self.path(p, Some("pages"))).collect::<Result<Vec<_>, _>>()?;
    let mut packages = IndexVec::new();
    packages.push(Package {
      id: PackageId::MAIN,
      kind: PackageKind::Main,
      name: None,
      root: MpPath::root(),
      pages: main_pages,
      entry: None,
      plugins: raw.plugins.keys().cloned().collect(),
    });
    for sub in raw.subpackages.into_iter().chain(raw.sub_packages) {
      let root = self.path(&sub.root, Some("root"))?;
      if root.is_root() {
        return Err(self.err(
          Code::InvalidConfig,
          "a subpackage root cannot be the mini program root".into(),
          &sub.root,
          Some("root"),
        ));
      }
      let pages = sub.pages.iter().map(|p| self.sub_path(&root, p)).collect::<Result<_, _>>()?;
      let entry = sub.entry.as_deref().map(|e| self.sub_path(&root, e)).transpose()?;
      let id = self.next_id(&packages, &sub.root)?;
      packages.push(Package {
        id,
        kind: if sub.independent { PackageKind::Independent } else { PackageKind::Subpackage },
        name: sub.name,
        root,
        pages,
        entry,
        plugins: sub.plugins.keys().cloned().collect(),
      });
    }
    let workers = match raw.workers {
      Some(WorkersRaw::Path(p)) => Some(Workers { path: self.path(&p, Some("workers"))?, is_subpackage: false }),
      Some(WorkersRaw::Object { path, is_subpackage }) => {
        Some(Workers { path: self.path(&path, Some("workers"))?, is_subpackage })
      }
      None => None,
    };
    if let Some(w) = workers.as_ref().filter(|w| w.is_subpackage) {
      let id = self.next_id(&packages, w.path.as_str())?;
      packages.push(Package {
        id,
        kind: PackageKind::Worker,
        name: None,
        root: w.path.clone(),
        pages: vec![],
        entry: None,
        plugins: vec![],
      });
    }
    self.check_roots(&packages)?;
    let tab_bar = raw.tab_bar.map(|t| self.tab_bar(t, &packages)).transpose()?;
    let entry_page = raw.entry_page_path.as_deref().map(|e| self.entry_page(e, &packages)).transpose()?;
    let opt_path = |v: Option<String>, key| v.map(|v| self.path(&v, Some(key))).transpose();
    Ok(AppJson {
      source: self.source.text().to_string(),
      spans: Default::default(),
      entry_page,
      tab_bar,
      using_components: self.components(raw.using_components)?,
      preload_rule,
      preload_problems,
      lazy_code_loading: raw.lazy_code_loading,
      workers,
      resolve_alias: self.aliases(raw.resolve_alias)?,
      sitemap: opt_path(raw.sitemap_location, "sitemapLocation")?,
      theme: opt_path(raw.theme_location, "themeLocation")?,
      packages,
      key_entries: Vec::new(),
      app_bar: false,
      extended_libs: app_keys::extended_libs(&raw.use_extended_lib),
    })
  }

  fn next_id(&self, packages: &IndexVec<PackageId, Package>, root: &str) -> Result<PackageId, Diagnostic> {
    u16::try_from(packages.len())
      .map(PackageId)
      .map_err(|_| self.err(Code::InvalidConfig, "too many subpackages".into(), root, None))
  }

  /// Roots must be distinct and never nested; main pages may not sit inside a subpackage root.
  fn check_roots(&self, packages: &IndexVec<PackageId, Package>) -> Result<(), Diagnostic> {
    let subs: Vec<&Package> = packages.iter().filter(|p| p.kind != PackageKind::Main).collect();
    for (i, a) in subs.iter().enumerate() {
      for b in &subs[i + 1..] {
        if a.root.is_within(&b.root) || b.root.is_within(&a.root) {
          let (inner, outer) = if a.root.is_within(&b.root) { (a, b) } else { (b, a) };
          return Err(
            self
              .err(
                Code::NestedSubpackage,
                format!(
                  "subpackage root {:?} lies inside subpackage root {:?}",
                  inner.root.as_str(),
                  outer.root.as_str()
                ),
                inner.root.as_str(),
                Some("root"),
              )
              .with_help("subpackage roots may not nest; give each subpackage its own folder"),
          );
        }
      }
    }
    for page in &packages[PackageId::MAIN].pages {
      if let Some(sub) = subs.iter().find(|s| page.is_within(&s.root)) {
        return Err(
          self
            .err(
              Code::InvalidConfig,
              format!("main-package page {:?} lies inside subpackage root {:?}", page.as_str(), sub.root.as_str()),
              page.as_str(),
              Some("pages"),
            )
            .with_help("list it in that subpackage's pages instead"),
        );
      }
    }
    Ok(())
  }

  fn tab_bar(&self, raw: TabBarRaw, packages: &IndexVec<PackageId, Package>) -> Result<TabBar, Diagnostic> {
    let mut pages = Vec::new();
    let mut icons = Vec::new();
    for item in raw.list {
      let page = self.path(&item.page_path, Some("pagePath"))?;
      if !packages[PackageId::MAIN].pages.contains(&page) {
        let in_sub = packages.iter().any(|p| p.kind != PackageKind::Main && p.pages.contains(&page));
        let why = if in_sub {
          "is a subpackage page; tabBar pages must be in the main package"
        } else {
          "is not listed in pages"
        };
        return Err(
          self
            .err(Code::TabBarPage, format!("tabBar page {:?} {why}", item.page_path), &item.page_path, Some("pagePath"))
            .with_help("add it to app.json \"pages\" (the main package)"),
        );
      }
      pages.push(page);
      icons.extend(item.icon_path.into_iter().chain(item.selected_icon_path).filter(|s| !s.is_empty()));
    }
    Ok(TabBar { custom: raw.custom, pages, icons })
  }

  fn entry_page(&self, entry: &str, packages: &IndexVec<PackageId, Package>) -> Result<MpPath, Diagnostic> {
    let page = self.path(entry, Some("entryPagePath"))?;
    if packages.iter().any(|p| p.pages.contains(&page)) {
      Ok(page)
    } else {
      Err(self.err(
        Code::InvalidConfig,
        format!("entryPagePath {entry:?} is not a declared page"),
        entry,
        Some("entryPagePath"),
      ))
    }
  }

  fn components(&self, map: Map<String, Value>) -> Result<Vec<(String, String)>, Diagnostic> {
    map
      .into_iter()
      .map(|(tag, v)| match v {
        Value::String(s) => Ok((tag, s)),
        _ => Err(self.err(Code::InvalidConfig, format!("usingComponents {tag:?} must be a path string"), &tag, None)),
      })
      .collect()
  }

  fn aliases(&self, map: Map<String, Value>) -> Result<Vec<(String, String)>, Diagnostic> {
    let mut out = Vec::new();
    for (key, v) in map {
      let value = v.as_str().unwrap_or_default();
      match (key.strip_suffix("/*"), value.strip_suffix("/*")) {
        (Some(k), Some(val)) => out.push((k.to_string(), val.to_string())),
        _ => {
          return Err(
            self
              .err(
                Code::InvalidConfig,
                format!("resolveAlias {key:?}: keys and values must end in /*"),
                &key,
                Some("resolveAlias"),
              )
              .with_help("write \"@utils/*\": \"utils/*\""),
          );
        }
      }
    }
    Ok(out)
  }
}

#[cfg(test)]
mod tests;
