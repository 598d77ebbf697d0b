//! Finds references in WXML: `<import src>`, `<include src>`, `<wxs src>`, `require` inside
//! inline `<wxs>` bodies, and static `src`/`poster` attributes (images, audio, video). Also the
//! tag names it uses (which decide whether a `usingComponents` entry is needed) and the pages its
//! `<navigator>`s open.

use super::{
  asset::{DepKind, DynamicKind, DynamicRef, NavRef, Ref},
  scan_js::{has_scheme, page_part, route_like, scan_wxs_at},
};
use crate::{
  diagnostic::{Code, Diagnostic, Source, Span},
  wxml::{Tag, Token, is_dynamic, tokenize},
};

/// What scanning one WXML file found; stored in the build cache when it has no error.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct WxmlScan {
  pub refs: Vec<Ref>,
  /// Path attributes built with `{{ }}`.
  pub dynamic: Vec<DynamicRef>,
  #[serde(skip)]
  pub errors: Vec<Diagnostic>,
  /// Tag names (lowercased) and `generic:` values, sorted: the components this file may use.
  pub tags: Vec<String>,
  /// `<navigator url>`: pages this file can open.
  pub navigations: Vec<NavRef>,
  /// Attribute values shaped like a page route (`data-url="/pkg/pages/x/x"`).
  pub routes: Vec<NavRef>,
}

/// Built-in tags whose path attributes the platform loads. On a custom component `src` is a
/// property like any other (`<my-avatar src="error">`), not a path.
const MEDIA_TAGS: &[&str] = &["image", "cover-image", "video", "audio"];
/// Tags written without a closing tag as often as with one (HTML habits): never "unclosed".
const VOID: &[&str] = &["import", "include", "input", "image", "img", "br", "hr", "wxs", "template", "slot"];
const PATH_ATTRS: &[&str] = &["src", "poster"];

pub fn scan_wxml(source: &Source) -> WxmlScan {
  let src = source.text();
  let mut out = WxmlScan::default();
  // Open elements, to find one never closed: (name, span of its start tag).
  let mut open: Vec<(&str, Span)> = Vec::new();
  for token in tokenize(src) {
    match token {
      Token::Close { name, .. } => {
        if let Some(i) = open.iter().rposition(|(n, _)| *n == name) {
          open.truncate(i);
        }
      }
      Token::Open(tag) => {
        if !tag.self_closing && !VOID.contains(&tag.name) {
          open.push((tag.name, tag.span));
        }
        out.tags.push(tag.name.to_ascii_lowercase());
        for attr in &tag.attrs {
          if let (Some(_), Some(v)) = (attr.name.strip_prefix("generic:"), &attr.value) {
            out.tags.push(v.text.trim().to_ascii_lowercase());
          }
        }
        if tag.name == "navigator" {
          navigator(&tag, &mut out);
        }
        for attr in tag.attrs.iter().filter(|a| !(tag.name == "navigator" && a.name == "url")) {
          if let Some(v) = attr.value.as_ref().filter(|v| !is_dynamic(v.text))
            && let Some(page) = route_like(v.text)
          {
            out.routes.push(NavRef { url: page.to_string(), span: v.span });
          }
        }
        let (attrs, kind): (&[&str], DepKind) = match tag.name {
          "import" => (&["src"], DepKind::WxmlImport),
          "include" => (&["src"], DepKind::WxmlInclude),
          "wxs" => (&["src"], DepKind::WxsSrc),
          name if MEDIA_TAGS.contains(&name) => (PATH_ATTRS, DepKind::Src),
          _ => (&[], DepKind::Src),
        };
        for (name, v) in tag.attrs.iter().filter_map(|a| Some((a.name, a.value.as_ref()?))) {
          let navigation = tag.name == "navigator" && name == "url";
          if !attrs.contains(&name) && !navigation && !tag_property(name) && file_path_like(v.text) {
            out.refs.push(Ref::new(v.text.trim(), DepKind::Attr, v.span));
          }
        }
        for attr in attrs {
          let Some(v) = tag.attr(attr) else { continue };
          if is_dynamic(v.text) {
            let head = v.text[..v.text.find("{{").unwrap_or(0)].trim_start();
            let prefix = (!head.is_empty()).then(|| head.to_string());
            out.dynamic.push(DynamicRef { span: v.span, kind: DynamicKind::Asset, prefix });
          } else if !v.text.trim().is_empty() {
            out.refs.push(Ref::new(v.text.trim(), kind, v.span));
          }
        }
      }
      Token::Script(span) => {
        let body = &src[span.start as usize..span.end as usize];
        let inner = scan_wxs_at(source, body, span.start as usize);
        let shift = |s: Span| Span { start: s.start + span.start, end: s.end + span.start };
        out.refs.extend(inner.refs.into_iter().map(|r| Ref { span: shift(r.span), ..r }));
        out.dynamic.extend(inner.dynamic.into_iter().map(|d| DynamicRef { span: shift(d.span), ..d }));
        out.errors.extend(inner.error);
      }
      _ => {}
    }
  }
  // DevTools closes it at the end of the file; what follows it is then inside it.
  if let Some((name, span)) = open.first() {
    out.errors.push(
      Diagnostic::warning(Code::Syntax, format!("<{name}> is never closed; everything after it is inside it"))
        .at(source.at(*span))
        .with_help(format!("close it with </{name}>, or write <{name} .../>")),
    );
  }
  out.tags.sort_unstable();
  out.tags.dedup();
  out
}

/// An attribute the framework reads itself (events, directives, styling): never a file's path.
fn tag_property(name: &str) -> bool {
  const PREFIXES: &[&str] = &["bind", "catch", "capture-", "mut-bind", "wx:", "generic:", "model:"];
  PREFIXES.iter().any(|p| name.starts_with(p)) || matches!(name, "class" | "style" | "id" | "slot")
}

/// A static, root-absolute path whose last part has a suffix (`/assets/scene.glb`): relative
/// ones are left alone, since a component resolves a property against its own folder, which the
/// tag does not say.
fn file_path_like(text: &str) -> bool {
  let t = text.trim();
  let last = t.rsplit('/').next().unwrap_or("");
  t.starts_with('/')
    && !t.starts_with("//")
    && !is_dynamic(t)
    && !t.contains(char::is_whitespace)
    && last.rfind('.').is_some_and(|i| i > 0 && i + 1 < last.len())
}

/// A `<navigator>` that opens a page of this app (not another mini program, not "back").
fn navigator(tag: &Tag, out: &mut WxmlScan) {
  let open_type = tag.attr("open-type").map_or("navigate", |v| v.text.trim());
  if tag.attr("target").is_some_and(|v| v.text.trim() == "miniProgram") || matches!(open_type, "navigateBack" | "exit")
  {
    return;
  }
  let Some(url) = tag.attr("url") else { return };
  let text = url.text.trim();
  if has_scheme(text) {
    return; // `plugin://chooseLocation/index`, `javascript:;`: not a page of this app
  }
  let (static_text, complete) = match text.find("{{") {
    Some(i) => (&text[..i], false),
    None => (text, true),
  };
  match page_part(static_text, complete).filter(|p| !p.is_empty()) {
    Some(page) => out.navigations.push(NavRef { url: page.to_string(), span: url.span }),
    None => out.dynamic.push(DynamicRef {
      span: url.span,
      kind: DynamicKind::Navigate,
      prefix: (!static_text.is_empty()).then(|| static_text.to_string()),
    }),
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn finds_every_reference_kind() {
    let src = r#"<import src="../tpl/a.wxml"/><include src="/common/head.wxml"/>
<wxs src="./fmt.wxs" module="fmt"/><wxs module="m">var x = require('./y.wxs');</wxs>
<image src="/img/a.png"/><video poster="p.jpg"/><image src="{{url}}"/><image src="https://x/y.png"/>"#;
    let s = scan_wxml(&Source::new("a.wxml", src));
    let got: Vec<_> =
      s.refs.iter().map(|r| (r.spec.as_str(), r.kind, &src[r.span.start as usize..r.span.end as usize])).collect();
    assert_eq!(
      got,
      [
        ("../tpl/a.wxml", DepKind::WxmlImport, "../tpl/a.wxml"),
        ("/common/head.wxml", DepKind::WxmlInclude, "/common/head.wxml"),
        ("./fmt.wxs", DepKind::WxsSrc, "./fmt.wxs"),
        ("./y.wxs", DepKind::WxsRequire, "./y.wxs"),
        ("/img/a.png", DepKind::Src, "/img/a.png"),
        ("p.jpg", DepKind::Src, "p.jpg"),
        ("https://x/y.png", DepKind::Src, "https://x/y.png"),
      ]
    );
    assert_eq!(s.dynamic.len(), 1);
  }

  #[test]
  fn a_root_absolute_file_path_in_any_attribute_is_a_candidate() {
    let src = r#"<xr-asset-load src="/assets/a.glb"/><l-avatar src=" /images/x.jpg " bindtap="/a.png" class="/x.y"
 icon="/p/{{a}}.png" rel="./b.png" cdn="//cdn/x.png" dir="/images/" route="/pages/a/a"/><navigator url="/a/b.html"/>"#;
    let s = scan_wxml(&Source::new("a.wxml", src));
    let got: Vec<_> = s.refs.iter().map(|r| (r.spec.as_str(), r.kind)).collect();
    assert_eq!(got, [("/assets/a.glb", DepKind::Attr), ("/images/x.jpg", DepKind::Attr)]);
  }

  #[test]
  fn dynamic_paths_keep_their_static_prefix_and_tags_are_collected() {
    let s = scan_wxml(&Source::new(
      "a.wxml",
      r#"<image src="/img/{{name}}.png"/><my-Card generic:row="Row-Item"/><image src=" {{u}}"/>"#,
    ));
    let prefixes: Vec<Option<&str>> = s.dynamic.iter().map(|d| d.prefix.as_deref()).collect();
    assert_eq!(prefixes, [Some("/img/"), None]);
    assert_eq!(s.tags, ["image", "my-card", "row-item"]);
  }

  #[test]
  fn navigators() {
    let s = scan_wxml(&Source::new(
      "a.wxml",
      r#"<navigator url="/pkgA/pages/x/x?id={{id}}">a</navigator><navigator url="../y/y" open-type="redirect"/>
<navigator url="{{u}}"/><navigator url="/pkgB/pages/{{n}}"/><navigator target="miniProgram" url="/z"/><navigator open-type="navigateBack"/>"#,
    ));
    let urls: Vec<&str> = s.navigations.iter().map(|n| n.url.as_str()).collect();
    assert_eq!(urls, ["/pkgA/pages/x/x", "../y/y"]);
    let prefixes: Vec<Option<&str>> = s.dynamic.iter().map(|d| d.prefix.as_deref()).collect();
    assert_eq!(prefixes, [None, Some("/pkgB/pages/")]);
  }

  #[test]
  fn commented_out_references_are_ignored() {
    assert!(scan_wxml(&Source::new("a.wxml", "<!-- <import src=\"x.wxml\"/> -->")).refs.is_empty());
  }

  #[test]
  fn an_inline_wxs_error_is_located_in_the_wxml_file() {
    let src = "<view/>\n<wxs module=\"m\">\nvar a = ;\n</wxs>";
    let s = scan_wxml(&Source::new("pages/a.wxml", src));
    let loc = s.errors.first().and_then(|d| d.location.clone()).map(|l| (l.file, l.line, l.column, l.line_text));
    assert_eq!(loc, Some(("pages/a.wxml".to_string(), 3, 9, "var a = ;".to_string())));
  }
}
