//! Finds `require`/`import` specifiers in JS and WXS with oxc, with the span of each string.
//!
//! Only static specifiers become references. `require(name)` with a computed argument is
//! reported as unanalysable: guessing would make the planner move the wrong files.

use oxc_allocator::Allocator;
use oxc_ast::ast::{
  Argument, CallExpression, ComputedMemberExpression, ExportAllDeclaration, ExportFromDeclaration, Expression,
  ImportDeclaration, ImportExpression, StaticMemberExpression, StringLiteral, VariableDeclarator,
};
use oxc_ast_visit::{Visit, walk};
use oxc_parser::Parser;
use oxc_span::{GetSpan, SourceType};

use oxc_syntax::operator::BinaryOperator;

use super::{
  asset::{ApiRef, DepKind, DynamicKind, DynamicRef, NavRef, Ref},
  npm_loader,
};
use crate::diagnostic::{Code, Diagnostic, Location, Source, Span};

/// What scanning one JS or WXS file found. Stored in the build cache (see `graph::cached`) when
/// it parsed: the error is never stored.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct JsScan {
  pub refs: Vec<Ref>,
  /// `require(...)` calls whose argument is computed, and page URLs built at run time.
  pub dynamic: Vec<DynamicRef>,
  /// Pages this file can open.
  pub navigations: Vec<NavRef>,
  /// String literals shaped like a page route (`'/pkg/pages/x/x'` in a data list): the pages this
  /// file may open by a URL it keeps in data.
  pub routes: Vec<NavRef>,
  /// `wx.NAME` for each NAME on the [`WATCHED`] list (`wx['NAME']` too): what `wxpack check`
  /// holds against app.json's declarations.
  pub apis: Vec<ApiRef>,
  /// `requirePlugin('NAME')` with a static NAME: the plugins this file loads.
  pub plugins: Vec<ApiRef>,
  #[serde(skip)]
  pub error: Option<Diagnostic>,
}

/// The platform APIs whose use app.json must declare (`requiredPrivateInfos`, `permission`).
pub const WATCHED: &[&str] = &[
  "getLocation",
  "getFuzzyLocation",
  "onLocationChange",
  "startLocationUpdate",
  "startLocationUpdateBackground",
  "chooseLocation",
  "choosePoi",
  "chooseAddress",
];

/// Scans a JS (or TS) file.
pub fn scan_js(source: &Source, typescript: bool) -> JsScan {
  let types: &[SourceType] = if typescript {
    &[SourceType::ts()]
  } else {
    // Unambiguous first (ESM when it imports or exports); sloppy script for legacy code that a
    // module parse rejects (`with`, octal escapes).
    &[SourceType::unambiguous(), SourceType::script(), SourceType::mjs()]
  };
  scan_with(source, source.text(), 0, types, DepKind::Require, DepKind::Import)
}

/// Scans a WXS file.
pub fn scan_wxs(source: &Source) -> JsScan {
  scan_wxs_at(source, source.text(), 0)
}

/// Scans the WXS `src`, found at byte `base` of `source` (a `<wxs>` block of a WXML file):
/// spans are relative to `src`, error locations are the file's. WXS allows an unterminated `/*`
/// that comments out the rest of the module.
pub fn scan_wxs_at(source: &Source, src: &str, base: usize) -> JsScan {
  let first = scan_with(source, src, base, &[SourceType::script()], DepKind::WxsRequire, DepKind::WxsRequire);
  if first.error.is_none() {
    return first;
  }
  let closed = format!("{src}*/");
  let second = scan_with(source, &closed, base, &[SourceType::script()], DepKind::WxsRequire, DepKind::WxsRequire);
  if second.error.is_none() { second } else { first }
}

fn scan_with(
  source: &Source,
  src: &str,
  base: usize,
  types: &[SourceType],
  require: DepKind,
  import: DepKind,
) -> JsScan {
  let allocator = Allocator::default();
  let mut first_error = None;
  for &source_type in types {
    let ret = Parser::new(&allocator, src, source_type).parse();
    if ret.panicked || !ret.diagnostics.is_empty() {
      if first_error.is_none() {
        first_error = ret.diagnostics.first().map(|d| syntax_error(source, base, d));
      }
      continue;
    }
    let mut v = Collector { out: JsScan::default(), require, import, loader_source: None, bundled: Vec::new() };
    v.visit_program(&ret.program);
    return v.out;
  }
  JsScan {
    error: Some(
      first_error.unwrap_or_else(|| Diagnostic::error(Code::Syntax, "cannot parse").at(Location::file(source.file()))),
    ),
    ..JsScan::default()
  }
}

fn syntax_error(source: &Source, base: usize, d: &oxc_diagnostics::OxcDiagnostic) -> Diagnostic {
  let loc = d.labels.first().map_or_else(
    || Location::file(source.file()),
    |l| source.at(Span::new(base + l.offset() as usize, base + (l.offset() + l.len()) as usize)),
  );
  Diagnostic::error(Code::Syntax, d.message.to_string())
    .at(loc)
    .with_help(d.help.as_deref().unwrap_or("fix the syntax error; DevTools would reject this file too").to_string())
}

struct Collector {
  out: JsScan,
  require: DepKind,
  import: DepKind,
  /// Inside DevTools' build-npm `__REQUIRE__`: the name of its `source` parameter.
  loader_source: Option<String>,
  /// Inside `__DEFINE__` calls: the specifiers each bundles (innermost last).
  bundled: Vec<Vec<String>>,
}

/// The inner span (without quotes) of a string literal.
fn inner(lit: &StringLiteral) -> Span {
  Span::new(lit.span.start as usize + 1, lit.span.end.saturating_sub(1) as usize)
}

/// A specifier written as a string or a template literal without substitutions.
fn static_string(e: &Expression) -> Option<(String, Span)> {
  match e {
    Expression::StringLiteral(lit) => Some((lit.value.to_string(), inner(lit))),
    Expression::TemplateLiteral(t) if t.expressions.is_empty() && t.quasis.len() == 1 => {
      let q = &t.quasis[0];
      let text = q.value.cooked.as_ref().map_or_else(|| q.value.raw.to_string(), ToString::to_string);
      Some((text, Span::new(q.span.start as usize, q.span.end as usize)))
    }
    _ => None,
  }
}

/// The static start of a computed specifier: `'./locales/' + lang` and `` `./locales/${lang}` ``
/// give `./locales/`. `None` when it starts with something computed.
fn static_prefix(e: &Expression) -> Option<String> {
  match e {
    Expression::ParenthesizedExpression(p) => static_prefix(&p.expression),
    Expression::TemplateLiteral(t) => {
      let q = t.quasis.first()?;
      Some(q.value.cooked.as_ref().map_or_else(|| q.value.raw.to_string(), ToString::to_string))
    }
    Expression::BinaryExpression(b) if b.operator == BinaryOperator::Addition => {
      let head = static_prefix(&b.left)?;
      // `'./a/' + 'b/' + x`: both sides static, so the prefix continues.
      match &b.right {
        Expression::StringLiteral(r) if is_static(&b.left) => Some(head + r.value.as_str()),
        _ => Some(head),
      }
    }
    Expression::StringLiteral(s) => Some(s.value.to_string()),
    _ => None,
  }
}

/// True when `e` is a string built only from literals.
fn is_static(e: &Expression) -> bool {
  match e {
    Expression::StringLiteral(_) => true,
    Expression::ParenthesizedExpression(p) => is_static(&p.expression),
    Expression::BinaryExpression(b) => {
      b.operator == BinaryOperator::Addition && is_static(&b.left) && is_static(&b.right)
    }
    _ => false,
  }
}

fn dynamic(span: oxc_span::Span, arg: Option<&Expression>) -> DynamicRef {
  DynamicRef {
    span: Span::new(span.start as usize, span.end as usize),
    kind: DynamicKind::Require,
    prefix: arg.and_then(static_prefix).filter(|p| !p.is_empty()),
  }
}

/// The methods that open a page (not `navigateToMiniProgram`: another app; not `navigateBack`).
const NAVIGATE: &[&str] = &["navigateTo", "redirectTo", "reLaunch", "switchTab"];

/// The page part of a URL: everything before `?` or `#`. `None` when the static text ends before
/// the page is complete (`'/pkg/pages/' + name`).
pub fn page_part(text: &str, complete: bool) -> Option<&str> {
  match text.find(['?', '#']) {
    Some(i) => Some(&text[..i]),
    None => complete.then_some(text),
  }
}

/// `wx.navigateTo`, `this.pageRouter.navigateTo`, `this.router.navigateTo` and the like.
fn is_navigation(callee: &Expression) -> bool {
  let Expression::StaticMemberExpression(m) = callee else { return false };
  if !NAVIGATE.contains(&m.property.name.as_str()) {
    return false;
  }
  match &m.object {
    Expression::Identifier(id) => id.name == "wx",
    Expression::StaticMemberExpression(o) => matches!(o.property.name.as_str(), "pageRouter" | "router"),
    _ => false,
  }
}

fn is_ident(e: &Expression, name: &str) -> bool {
  matches!(e, Expression::Identifier(id) if id.name == name)
}

impl Collector {
  /// `wx.navigateTo({ url: ... })`: the page when the URL's page part is static.
  fn navigation(&mut self, call: &CallExpression) {
    let url = call.arguments.first().and_then(Argument::as_expression).and_then(|arg| match arg {
      Expression::ObjectExpression(o) => o.properties.iter().find_map(|p| match p {
        oxc_ast::ast::ObjectPropertyKind::ObjectProperty(p) if p.key.static_name().is_some_and(|k| k == "url") => {
          Some(&p.value)
        }
        _ => None,
      }),
      _ => None,
    });
    let span = Span::new(call.span.start as usize, call.span.end as usize);
    let known = url.and_then(|u| {
      let (text, complete) = match static_string(u) {
        Some((s, _)) => (s, true),
        None => (static_prefix(u)?, false),
      };
      page_part(&text, complete).filter(|p| !p.is_empty()).map(str::to_string)
    });
    match known {
      Some(url) if has_scheme(&url) => {} // `plugin://...`: not a page of this app
      Some(url) => self.out.navigations.push(NavRef { url, span }),
      None => self.out.dynamic.push(DynamicRef {
        span,
        kind: DynamicKind::Navigate,
        prefix: url.and_then(static_prefix).filter(|p| !p.is_empty()),
      }),
    }
  }

  fn call(&mut self, call: &CallExpression, kind: DepKind, lazy: bool) {
    let Some(arg) = call.arguments.first().and_then(Argument::as_expression) else { return };
    match static_string(arg) {
      // A module of a build-npm bundle requiring another module of the same bundle.
      Some((spec, _)) if self.bundled.last().is_some_and(|b| b.contains(&spec)) => {}
      Some((spec, span)) => self.out.refs.push(Ref::new(spec, kind, span).lazy(lazy)),
      // The loader's fallback loads only what the bundled modules name, scanned above.
      None if self.loader_source.as_deref().is_some_and(|s| is_ident(arg, s)) => {}
      None => self.out.dynamic.push(dynamic(call.span, Some(arg))),
    }
  }
}

/// The page part of a string that could be a route: no spaces, a `/`, no scheme.
pub fn route_like(text: &str) -> Option<&str> {
  let t = text.trim();
  let page = page_part(t, true)?;
  let ok = page.len() <= 256
    && page.contains('/')
    && !page.ends_with('/')
    && !page.contains(char::is_whitespace)
    && !has_scheme(t);
  ok.then_some(page)
}

impl<'a> Visit<'a> for Collector {
  fn visit_static_member_expression(&mut self, it: &StaticMemberExpression<'a>) {
    if is_ident(&it.object, "wx") && WATCHED.contains(&it.property.name.as_str()) {
      let span = Span::new(it.property.span.start as usize, it.property.span.end as usize);
      self.out.apis.push(ApiRef { name: it.property.name.to_string(), span });
    }
    walk::walk_static_member_expression(self, it);
  }

  fn visit_computed_member_expression(&mut self, it: &ComputedMemberExpression<'a>) {
    if is_ident(&it.object, "wx")
      && let Expression::StringLiteral(name) = &it.expression
      && WATCHED.contains(&name.value.as_str())
    {
      self.out.apis.push(ApiRef { name: name.value.to_string(), span: inner(name) });
    }
    walk::walk_computed_member_expression(self, it);
  }

  fn visit_string_literal(&mut self, it: &StringLiteral<'a>) {
    if let Some(page) = route_like(&it.value) {
      self.out.routes.push(NavRef { url: page.to_string(), span: inner(it) });
    }
  }

  fn visit_call_expression(&mut self, it: &CallExpression<'a>) {
    if is_ident(&it.callee, "require") {
      // require(path, onSuccess, onError) loads asynchronously (subpackage async loading).
      let lazy = it.arguments.len() >= 2;
      self.call(it, self.require, lazy);
    } else if let Expression::StaticMemberExpression(m) = &it.callee
      && is_ident(&m.object, "require")
      && m.property.name == "async"
    {
      self.call(it, self.require, true);
    } else if is_navigation(&it.callee) {
      self.navigation(it);
    } else if is_ident(&it.callee, "requirePlugin")
      && let Some((name, span)) = it.arguments.first().and_then(Argument::as_expression).and_then(static_string)
    {
      self.out.plugins.push(ApiRef { name, span });
    } else if let Some(bundled) = npm_loader::bundled(it) {
      self.bundled.push(bundled);
      walk::walk_call_expression(self, it);
      self.bundled.pop();
      return;
    }
    walk::walk_call_expression(self, it);
  }

  fn visit_variable_declarator(&mut self, it: &VariableDeclarator<'a>) {
    let Some(source) = npm_loader::fallback_param(it) else {
      return walk::walk_variable_declarator(self, it);
    };
    let outer = self.loader_source.replace(source.to_string());
    walk::walk_variable_declarator(self, it);
    self.loader_source = outer;
  }

  fn visit_import_declaration(&mut self, it: &ImportDeclaration<'a>) {
    if !it.import_kind.is_type() {
      self.out.refs.push(Ref::new(it.source.value.to_string(), self.import, inner(&it.source)));
    }
  }

  fn visit_export_from_declaration(&mut self, it: &ExportFromDeclaration<'a>) {
    if !it.export_kind.is_type() {
      self.out.refs.push(Ref::new(it.source.value.to_string(), self.import, inner(&it.source)));
    }
  }

  fn visit_export_all_declaration(&mut self, it: &ExportAllDeclaration<'a>) {
    if !it.export_kind.is_type() {
      self.out.refs.push(Ref::new(it.source.value.to_string(), self.import, inner(&it.source)));
    }
  }

  fn visit_import_expression(&mut self, it: &ImportExpression<'a>) {
    match static_string(&it.source) {
      Some((spec, span)) => self.out.refs.push(Ref::new(spec, self.import, span).lazy(true)),
      None => self.out.dynamic.push(dynamic(it.span(), Some(&it.source))),
    }
    walk::walk_import_expression(self, it);
  }
}

/// `plugin://x`, `javascript:;`, `https://...`: a URL with a scheme names no page of the app.
pub fn has_scheme(url: &str) -> bool {
  url.split_once(':').is_some_and(|(scheme, _)| {
    scheme.len() > 1 && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
  })
}

#[cfg(test)]
mod tests;
