//! Stylesheets the platform never reads: a page or component whose styles are in a `.css` file
//! and no `.wxss`. DevTools uploads only `.wxss` (a `.css` is not on the upload whitelist), so
//! the page ships unstyled and nothing says so; a build tool that wrote `.css` (uni-app with
//! UnoCSS 66 does) is the usual cause.

use crate::{
  diagnostic::{Code, Diagnostic, Location},
  project::Project,
};

use super::{AssetKind, Graph};

/// One message per reached page or component WXML (one with a `.js` beside it) that has a `.css`
/// sibling and no `.wxss`: a warning, an error under `--strict`.
pub fn check(project: &Project, graph: &Graph) -> Vec<Diagnostic> {
  let exists = |p: &crate::mp_path::MpPath| project.files.contains_key(p);
  graph
    .assets
    .iter()
    .filter(|a| a.kind == AssetKind::Wxml && graph.reached[a.id])
    .filter_map(|a| {
      let base = a.path.stem_path();
      let css = base.with_suffix(".css");
      (exists(&css) && exists(&base.with_suffix(".js")) && !exists(&base.with_suffix(".wxss"))).then(|| {
        let message = format!(
          "{} is a .css stylesheet, which the platform never loads: {} ships unstyled",
          project.display(&css),
          base
        );
        let d = Diagnostic::warning(Code::IgnoredCss, message);
        d.at(Location::file(project.display(&css))).with_help(format!(
          "rename it to {}.wxss, or make the tool that wrote it emit .wxss (uni-app with UnoCSS: UnoCSS({{ mode: 'per-module' }}) in vite.config)",
          base.as_str().rsplit('/').next().unwrap_or("")
        ))
      })
    })
    .collect()
}
