//! The platform's reference rules (使用分包 引用原则), as located errors.
//!
//! On the output layout, a synchronous reference may reach only its own package or main, and an
//! independent subpackage only itself; async ones (`require.async`, callback `require`,
//! placeholder-backed components) may reach anything. The planner only ever moves a file to a
//! package that may see it, so a reference that breaks a rule after planning broke it in the
//! source too. DevTools' compiler accepts such an app (miniprogram-ci 2.1.42 compiles an
//! independent subpackage requiring main's code, and main using a subpackage's component); the
//! client fails when it loads the reference. So each violation is a warning (an error under
//! `--strict`) that says which rule and what to do.

use super::{layout::Layout, pins::Pin, place::Context};
use crate::{
  diagnostic::{Code, Diagnostic, Location, Source},
  graph::{AssetId, Dep, DepKind},
  project::{PackageId, PackageKind},
};

/// A synchronous reference from a file shipped in `from` to a file that package cannot see.
pub struct Violation<'a> {
  pub file: AssetId,
  pub dep: &'a Dep,
  pub from: PackageId,
}

pub fn diagnostic(ctx: &Context, layout: &Layout, v: &Violation) -> Diagnostic {
  let packages = ctx.project.packages();
  let file = &ctx.graph.assets[v.file].path;
  let target_path = &ctx.graph.assets[v.dep.target].path;
  // A component is named by its base, as usingComponents writes it.
  let target = if v.dep.kind == DepKind::Component { target_path.stem_path() } else { target_path.clone() };
  let display = ctx.project.display(file);
  let at = match ctx.project.read_text(file) {
    Ok(src) => Source::new(&display, &src).at(v.dep.span),
    Err(_) => Location::file(&display),
  };
  let Some(to) = layout.instances[v.dep.target].first().map(|i| i.package) else {
    return Diagnostic::error(Code::Internal, format!("the planner pruned {target}, which {file} uses"))
      .at(at)
      .with_help("this is a wxpack bug; please report it, and build with --no-plan meanwhile");
  };
  let (from_pkg, to_pkg) = (&packages[v.from], &packages[to]);
  let name = |p: &crate::project::Package| match p.kind {
    PackageKind::Main => "the main package".to_string(),
    PackageKind::Independent => format!("independent subpackage {}", p.root),
    _ => format!("subpackage {}", p.root),
  };
  let message = format!("{} cannot use {target}, which ships in {}", name(from_pkg), name(to_pkg));
  let help = if from_pkg.kind == PackageKind::Independent {
    let why = match ctx.pins.pinned[v.dep.target].as_ref() {
      Some(Pin::Config) => "it matches plan.pin in wxpack.toml".to_string(),
      Some(Pin::HoldsComputed { at } | Pin::HoldsMention { at }) => {
        format!("it computes a relative path at {}:{}:{}", at.file, at.line, at.column)
      }
      Some(Pin::RendersTemplate { at }) => {
        format!(
          "it renders a template whose relative path at {}:{}:{} names files from here",
          at.file, at.line, at.column
        )
      }
      _ => String::new(),
    };
    if why.is_empty() {
      "independent subpackages can use only their own files; move it into the subpackage".to_string()
    } else {
      format!("independent subpackages can use only their own files, and wxpack cannot copy this one in: {why}")
    }
  } else {
    let out_of = format!("out of {}", to_pkg.root);
    match v.dep.kind {
      DepKind::Require | DepKind::Import => {
        format!("load it asynchronously (require.async(path) or require(path, callback)), or move the file {out_of}")
      }
      DepKind::Component => {
        format!("give the component a componentPlaceholder so it loads asynchronously, or move it {out_of}")
      }
      _ => format!("move the file {out_of}"),
    }
  };
  Diagnostic::warning(Code::PackageRule, message).at(at).with_help(help)
}
