//! Rewrites every reference whose file or target moved, and checks every reference against the
//! platform's package rules on the output layout.
//!
//! Rewriting works on the source, by the spans and spellings the scanners recorded (the files are
//! not read again); the transform stage then minifies the rewritten text. A reference keeps its form: absolute stays absolute, relative
//! stays relative (a bare name that no longer finds its target becomes relative), the parts the
//! author left implicit (`.js`, `/index`, a component's extension, `?query`) stay implicit, and
//! the quote style is kept. Each new spelling is resolved again in the output layout with the
//! platform's own rules; one that does not find its target is a planner bug and stops the build.

use rayon::prelude::*;

use super::{
  layout::{Edit, Instance, Layout},
  place::Context,
  rules::{self, Violation},
};
use crate::{
  diagnostic::{Code, Diagnostic, Location, Source, Span},
  graph::{
    AssetId, AssetKind, Dep, DepKind, Ref,
    resolve::{self, Resolved},
  },
  index_vec::IndexVec,
  mp_path::MpPath,
};

/// A reference the layout breaks: `file` can no longer reach `target`.
pub struct Problem {
  pub file: AssetId,
  pub target: AssetId,
  pub diagnostic: Diagnostic,
}

/// Every instance with its edits, and the references the layout breaks.
pub fn instances(ctx: &Context, layout: Layout, skip_unused: bool) -> (IndexVec<AssetId, Vec<Instance>>, Vec<Problem>) {
  let results: Vec<(Vec<Vec<Edit>>, Vec<Problem>)> =
    ctx.graph.assets.as_raw().par_iter().map(|a| file(ctx, &layout, a.id, skip_unused)).collect();
  let mut errors = Vec::new();
  let mut instances = layout.instances;
  for (insts, (edits, errs)) in instances.iter_mut().zip(results) {
    errors.extend(errs);
    for (inst, edits) in insts.iter_mut().zip(edits) {
      inst.edits = edits;
    }
  }
  (instances, errors)
}

/// The edits of each instance of file `f`, or what is wrong with them.
fn file(ctx: &Context, layout: &Layout, f: AssetId, skip_unused: bool) -> (Vec<Vec<Edit>>, Vec<Problem>) {
  let asset = &ctx.graph.assets[f];
  let mut all = Vec::with_capacity(layout.instances[f].len());
  let mut errors = Vec::new();
  let app = ctx.project.app_file == Some(f);
  for inst in &layout.instances[f] {
    let mut edits = Vec::new();
    let mut last_span = None;
    for dep in &asset.deps {
      // app.json's pages and entries define the packages; its other references are main's.
      if (app && matches!(dep.kind, DepKind::Page | DepKind::AppFile)) || (skip_unused && dep.unused) {
        continue;
      }
      // A component is up to four deps with one span: the first speaks for all.
      if last_span == Some((dep.span, dep.kind)) {
        continue;
      }
      last_span = Some((dep.span, dep.kind));
      let target = dep.target;
      let Some(seen) = layout.visible(target, inst.package, dep.lazy) else {
        // A target WeChat would not upload (packOptions.ignore) was missing in the source too.
        if (ctx.ships)(target) {
          let diagnostic = rules::diagnostic(ctx, layout, &Violation { file: f, dep, from: inst.package });
          errors.push(Problem { file: f, target, diagnostic });
        }
        continue;
      };
      if inst.path == asset.path && seen.path == ctx.graph.assets[target].path {
        continue; // neither end moved: the reference resolves as in the source
      }
      match respell(ctx, layout, asset.kind, dep, &asset.path, &inst.path, &seen.path) {
        Ok(Some(edit)) => edits.push(edit),
        Ok(None) => {}
        Err(message) => {
          let display = ctx.project.display(&asset.path);
          let at = match ctx.project.read_text(&asset.path) {
            Ok(src) => Source::new(&display, &src).at(dep.span),
            Err(_) => Location::file(display),
          };
          errors.push(Problem {
            file: f,
            target,
            diagnostic: Diagnostic::error(Code::Internal, message)
              .at(at)
              .with_help("this is a wxpack bug; please report it, and build with --no-plan meanwhile"),
          });
        }
      }
    }
    edits.sort_by_key(|e| e.span.start);
    edits.dedup_by_key(|e| e.span);
    all.push(edits);
  }
  (all, errors)
}

/// The edit that makes `dep` (written in `from`, shipped at `from_new`) find `target_new`, or
/// `None` when it already does.
#[allow(clippy::too_many_arguments)]
fn respell(
  ctx: &Context,
  layout: &Layout,
  file_kind: AssetKind,
  dep: &Dep,
  from: &MpPath,
  from_new: &MpPath,
  target_new: &MpPath,
) -> Result<Option<Edit>, String> {
  let raw = &*dep.written;
  let lead = raw.len() - raw.trim_start().len();
  let span = Span::new(dep.span.start as usize + lead, dep.span.start as usize + lead + raw.trim().len());
  let written = raw.trim();
  let spec = if written.contains('\\') && matches!(file_kind, AssetKind::Js | AssetKind::Wxs) {
    unescape_js(written)
  } else if written.contains('\\') && file_kind == AssetKind::Json {
    // The inside of a JSON string (`\/`, `\u0061`): what serde read.
    serde_json::from_str::<String>(&format!("\"{written}\"")).unwrap_or_else(|_| written.to_string())
  } else {
    written.to_string()
  };
  let finds = |s: &str| match resolve::resolve(layout, from_new, &Ref::new(s, dep.kind, span)) {
    Resolved::Files(files) => files.contains(target_new),
    _ => false,
  };
  if finds(&spec) {
    return Ok(None);
  }
  let target = &ctx.graph.assets[dep.target].path;
  let (path, suffix) = match dep.kind {
    DepKind::Src | DepKind::Attr | DepKind::CssUrl => spec.split_at(spec.find(['?', '#']).unwrap_or(spec.len())),
    _ => (spec.as_str(), ""),
  };
  let cannot = || format!("cannot re-spell {spec:?} for {from_new} to reach {target_new}");
  let mut implicit = implicit_suffix(ctx, dep.kind, from, path, target).ok_or_else(cannot)?;
  // A bare npm name (or an alias) that becomes a relative path: the platform appends `.js` to
  // any require, but a folder's `index.js` is documented only for npm names, so write it.
  let module = matches!(dep.kind, DepKind::Require | DepKind::Import);
  if module && !path.starts_with('/') && !resolve::is_relative(path) {
    implicit = implicit.strip_prefix("/index").filter(|rest| rest.starts_with('.')).unwrap_or(implicit);
  }
  let base = target_new.as_str().strip_suffix(implicit).ok_or_else(cannot)?;
  let base = MpPath::new(base).map_err(|_| cannot())?;
  let new = if path.starts_with('/') { format!("/{base}") } else { base.relative_from(&from_new.parent()) } + suffix;
  if !finds(&new) {
    return Err(cannot());
  }
  let text = escape(file_kind, dep.kind, dep.quote, &new).ok_or_else(|| format!("{new:?} cannot be written here"))?;
  Ok(Some(Edit { span, text }))
}

/// What the author left unwritten: `.js` in `require('./a')`, `/index.json` for the component
/// `./card`. `None` when `path` does not lead to `target` (it resolved another way).
fn implicit_suffix<'t>(ctx: &Context, kind: DepKind, from: &MpPath, path: &str, target: &'t MpPath) -> Option<&'t str> {
  let module = matches!(kind, DepKind::Require | DepKind::Import | DepKind::Component);
  let mut named: Vec<MpPath> = Vec::new();
  if path.starts_with('/') {
    named.push(MpPath::new(path).ok()?);
  } else if let Some(expanded) = module.then(|| resolve::alias(ctx.project, path)).flatten() {
    named.push(MpPath::new(&expanded).ok()?);
  } else {
    named.push(from.resolve(path).ok()?);
    if module && !resolve::is_relative(path) {
      named.extend(resolve::npm_dirs(from).iter().filter_map(|d| d.join(path).ok()));
    }
  }
  named.iter().find_map(|r| {
    let rest = target.as_str().strip_prefix(r.as_str())?;
    (rest.is_empty() || rest.starts_with(['.', '/'])).then_some(rest)
  })
}

/// `text` as the inside of the literal it replaces: a JS string (quote kept), a JSON string, a
/// CSS string or url, a WXML attribute. `None` when the attribute's quote would have to appear.
fn escape(file_kind: AssetKind, dep_kind: DepKind, quote: char, text: &str) -> Option<String> {
  let script = matches!(file_kind, AssetKind::Js | AssetKind::Wxs) || dep_kind == DepKind::WxsRequire;
  let css = matches!(dep_kind, DepKind::CssImport | DepKind::CssUrl);
  let backslashed = |specials: &[char]| {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
      if c == '\\' || specials.contains(&c) {
        out.push('\\');
      }
      out.push(c);
    }
    out
  };
  Some(if file_kind == AssetKind::Json {
    let json = serde_json::to_string(text).ok()?;
    json[1..json.len() - 1].to_string()
  } else if script {
    let s = backslashed(&[quote]);
    if quote == '`' { s.replace("${", "\\${") } else { s }
  } else if css {
    if matches!(quote, '"' | '\'') { backslashed(&[quote]) } else { backslashed(&[' ', '(', ')', '"', '\'']) }
  } else {
    let bad: &[char] = if matches!(quote, '"' | '\'') { &[quote] } else { &[' ', '\t', '\n', '>'] };
    if text.contains(bad) {
      return None;
    }
    text.to_string()
  })
}

/// The value of a JS string literal's inside (the common escapes; enough for paths).
fn unescape_js(raw: &str) -> String {
  let mut out = String::with_capacity(raw.len());
  let mut chars = raw.chars();
  while let Some(c) = chars.next() {
    if c != '\\' {
      out.push(c);
      continue;
    }
    match chars.next() {
      Some('n') => out.push('\n'),
      Some('t') => out.push('\t'),
      Some('u') => {
        let rest: String = chars.clone().collect();
        let (hex, used) = match rest.strip_prefix('{') {
          Some(r) => {
            let end = r.find('}').unwrap_or(r.len());
            (&r[..end], end + 2)
          }
          None => (rest.get(..4).unwrap_or(""), 4),
        };
        if let Some(ch) = u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
          out.push(ch);
          for _ in 0..used {
            chars.next();
          }
        }
      }
      Some('x') => {
        let hex: String = chars.clone().take(2).collect();
        if let Some(ch) = u8::from_str_radix(&hex, 16).ok().map(char::from) {
          out.push(ch);
          chars.next();
          chars.next();
        }
      }
      Some('\n') | None => {}
      Some(other) => out.push(other),
    }
  }
  out
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn escapes_for_each_context() {
    assert_eq!(escape(AssetKind::Js, DepKind::Require, '\'', "./it's.js").unwrap(), "./it\\'s.js");
    assert_eq!(escape(AssetKind::Js, DepKind::Require, '`', "./${a}.js").unwrap(), "./\\${a}.js");
    assert_eq!(escape(AssetKind::Json, DepKind::Component, '"', "./a\"b").unwrap(), "./a\\\"b");
    assert_eq!(escape(AssetKind::Wxss, DepKind::CssUrl, '(', "./a b.png").unwrap(), "./a\\ b.png");
    assert_eq!(escape(AssetKind::Wxml, DepKind::Src, '"', "./a'b.png").unwrap(), "./a'b.png");
    assert_eq!(escape(AssetKind::Wxml, DepKind::Src, '\'', "./a'b.png"), None);
    assert_eq!(escape(AssetKind::Wxml, DepKind::WxsRequire, '"', "./a\"b.wxs").unwrap(), "./a\\\"b.wxs");
  }

  #[test]
  fn unescapes_js_strings() {
    assert_eq!(unescape_js(r"./a\u0062\x63\u{64}\/e\'"), "./abcd/e'");
  }
}
