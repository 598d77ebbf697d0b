//! Finds references in WXML: `<import src>`, `<include src>`, `<wxs src>`, `require` inside
//! inline `<wxs>` bodies, and static `src`/`poster` attributes (images, audio, video).

use super::{
  asset::{DepKind, Ref},
  scan_js::scan_wxs,
};
use crate::{
  diagnostic::{Diagnostic, Span},
  wxml::{Token, is_dynamic, tokenize},
};

#[derive(Debug, Default)]
pub struct WxmlScan {
  pub refs: Vec<Ref>,
  /// Path attributes built with `{{ }}`.
  pub dynamic: Vec<Span>,
  pub errors: Vec<Diagnostic>,
}

/// Attributes that hold a file path on built-in components.
const PATH_ATTRS: &[&str] = &["src", "poster"];

pub fn scan_wxml(file: &str, src: &str) -> WxmlScan {
  let mut out = WxmlScan::default();
  for token in tokenize(src) {
    match token {
      Token::Open(tag) => {
        let (attrs, kind): (&[&str], DepKind) = match tag.name {
          "import" => (&["src"], DepKind::WxmlImport),
          "include" => (&["src"], DepKind::WxmlInclude),
          "wxs" => (&["src"], DepKind::WxsSrc),
          _ => (PATH_ATTRS, DepKind::Src),
        };
        for attr in attrs {
          let Some(v) = tag.attr(attr) else { continue };
          if is_dynamic(v.text) {
            out.dynamic.push(v.span);
          } else if !v.text.trim().is_empty() {
            out.refs.push(Ref::new(v.text.trim(), kind, v.span));
          }
        }
      }
      Token::Script(span) => {
        let body = &src[span.start as usize..span.end as usize];
        let inner = scan_wxs(file, body);
        let shift = |s: Span| Span { start: s.start + span.start, end: s.end + span.start };
        out.refs.extend(inner.refs.into_iter().map(|r| Ref { span: shift(r.span), ..r }));
        out.dynamic.extend(inner.dynamic.into_iter().map(shift));
        out.errors.extend(inner.error);
      }
      _ => {}
    }
  }
  out
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn finds_every_reference_kind() {
    let src = r#"<import src="../tpl/a.wxml"/><include src="/common/head.wxml"/>
<wxs src="./fmt.wxs" module="fmt"/><wxs module="m">var x = require('./y.wxs');</wxs>
<image src="/img/a.png"/><video poster="p.jpg"/><image src="{{url}}"/><image src="https://x/y.png"/>"#;
    let s = scan_wxml("a.wxml", src);
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
  fn commented_out_references_are_ignored() {
    assert!(scan_wxml("a.wxml", "<!-- <import src=\"x.wxml\"/> -->").refs.is_empty());
  }
}
