//! Where app.json writes what a package declares, for messages and the graph's references: a
//! page is looked for in its own package's `pages` list, so a page path two packages share is
//! found in each package's own list.

use super::super::{
  json::{JsonSpans, Seg},
  package::{Package, PackageKind},
};
use crate::diagnostic::Span;

/// Where `written` (a page as its package's list writes it) is in app.json.
pub fn page_span(spans: &JsonSpans, package: &Package, written: &str) -> Option<Span> {
  spans.find_where(written, |path| match path {
    [Seg::Key(k), Seg::Index(_)] => k == "pages" && package.kind == PackageKind::Main,
    [list @ Seg::Key(_), i @ Seg::Index(_), Seg::Key(k), Seg::Index(_)] => {
      k == "pages" && package.kind != PackageKind::Main && declares(spans, list, i, package)
    }
    _ => false,
  })
}

/// Where the subpackage's `entry` is in app.json.
pub fn entry_span(spans: &JsonSpans, package: &Package) -> Option<Span> {
  spans.value_where(|path| match path {
    [list @ Seg::Key(_), i @ Seg::Index(_), Seg::Key(k)] => k == "entry" && declares(spans, list, i, package),
    _ => false,
  })
}

/// Where the subpackage's `root` is in app.json, however it is written (`pkg`, `pkg/`, `/pkg`).
pub fn root_span(spans: &JsonSpans, package: &Package) -> Option<Span> {
  spans.value_where(|path| match path {
    [list @ Seg::Key(_), i @ Seg::Index(_), Seg::Key(k)] => k == "root" && declares(spans, list, i, package),
    _ => false,
  })
}

/// Whether `list[i]` (in `subpackages` or `subPackages`) is the subpackage `package`.
fn declares(spans: &JsonSpans, list: &Seg, i: &Seg, package: &Package) -> bool {
  let is_list = matches!(list, Seg::Key(k) if k == "subpackages" || k == "subPackages");
  is_list
    && spans
      .string_at(&[list.clone(), i.clone(), Seg::Key("root".into())])
      .is_some_and(|root| root.trim_matches('/') == package.root.as_str())
}
