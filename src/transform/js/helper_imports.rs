//! swc's side of shared helpers. swc injects the helpers a file needs as imports
//! (`import { _ as _x } from "@swc/helpers/_/_x"`) when told they are external; [`route`] turns
//! each into a `require` of wxpack's module for it, or into the helper's own code when no other
//! file of the package shares it.

use swc_core::{
  common::{DUMMY_SP, FileName, Mark, SourceMap, SyntaxContext, sync::Lrc},
  ecma::{
    ast::{
      CallExpr, Callee, Decl, ExprOrSpread, Ident, ImportSpecifier, Lit, MemberExpr, MemberProp, Module, ModuleDecl,
      ModuleItem, Pat, Program, Script, Stmt, Str, VarDecl, VarDeclKind, VarDeclarator,
    },
    parser::{Parser, StringInput, Syntax},
    transforms::base::{
      helpers::generated::{self, HelperBitmap, HelperDef},
      resolver,
    },
    utils::DropSpan,
    visit::{Visit, VisitMutWith, VisitWith},
  },
};

/// The names of a helper mark's identifiers a module refers to.
struct Used {
  ctxt: SyntaxContext,
  names: Vec<swc_core::atoms::Atom>,
}

impl Visit for Used {
  fn visit_ident(&mut self, i: &Ident) {
    if i.ctxt == self.ctxt && !self.names.contains(&i.sym) {
      self.names.push(i.sym.clone());
    }
  }
}

/// What swc's external helpers are imported from: `@swc/helpers/_/_create_class`.
pub const PACKAGE: &str = "@swc/helpers/_/";

/// How a file gets the helpers compiling adds when they are shared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shared<'a> {
  /// Where the modules are, relative to the file: `../__wxpack__/helpers/`.
  pub prefix: &'a str,
  /// Helpers inlined all the same: no other file of the package shares them.
  pub inline: &'a [&'static str],
}

pub fn def(name: &str) -> Option<&'static HelperDef> {
  generated::ALL.iter().find(|d| d.local == name)
}

/// The source of the helpers `names` and of everything they use, each once.
pub fn source(names: &[&str]) -> String {
  let mut all = HelperBitmap::EMPTY;
  for def in names.iter().filter_map(|n| def(n)) {
    all |= def.deps;
  }
  generated::ALL.iter().filter(|d| all.contains(d.name)).map(|d| d.source).collect()
}

/// A script as a module, for swc to import its helpers into.
pub fn into_module(program: Program) -> (Module, bool) {
  match program {
    Program::Module(m) => (m, false),
    Program::Script(s) => {
      (Module { span: s.span, body: s.body.into_iter().map(ModuleItem::Stmt).collect(), shebang: s.shebang }, true)
    }
  }
}

/// Back to a script, once [`route`] replaced the imports.
pub fn into_script(module: Module) -> Program {
  let body = module.body.into_iter().filter_map(|i| if let ModuleItem::Stmt(s) = i { Some(s) } else { None });
  Program::Script(Script { span: module.span, body: body.collect(), shebang: module.shebang })
}

/// Replaces swc's helper imports in `module` (the CommonJS pass already ran): a shared helper
/// becomes `var _x = require("<prefix>_x.js")._`, an inlined one its code, resolved as swc
/// resolves inline helpers (top-level names in `helper_mark`, so the file's references to
/// them bind). Returns the helpers required, or `None` when an inlined helper does not parse.
pub fn route(
  module: &mut Module,
  shared: Shared,
  unresolved_mark: Mark,
  helper_mark: Mark,
) -> Option<Vec<&'static str>> {
  // A helper the lowering enabled and a later step made unused ([`super::babel_forms`]) is
  // neither required nor inlined.
  let mut used = Used { ctxt: SyntaxContext::empty().apply_mark(helper_mark), names: Vec::new() };
  module
    .body
    .iter()
    .filter(|i| !matches!(i, ModuleItem::ModuleDecl(ModuleDecl::Import(_))))
    .for_each(|i| i.visit_with(&mut used));
  let mut required = Vec::new();
  let mut inlined = Vec::new();
  let mut at = None;
  let mut body = Vec::with_capacity(module.body.len());
  for (i, item) in std::mem::take(&mut module.body).into_iter().enumerate() {
    let ModuleItem::ModuleDecl(ModuleDecl::Import(import)) = &item else {
      body.push(item);
      continue;
    };
    let helper = import.src.value.as_atom().and_then(|v| generated::ALL.iter().find(|d| d.import_path == v.as_str()));
    let (Some(helper), [ImportSpecifier::Named(named)]) = (helper, import.specifiers.as_slice()) else {
      body.push(item);
      continue;
    };
    if !used.names.contains(&named.local.sym) {
      continue;
    }
    at.get_or_insert(i.min(body.len()));
    if shared.inline.contains(&helper.local) {
      inlined.push(helper.local);
    } else {
      required.push(helper.local);
      body.push(ModuleItem::Stmt(require(
        named.local.clone(),
        &format!("{}{}.js", shared.prefix, helper.local),
        unresolved_mark,
      )));
    }
  }
  if !inlined.is_empty() {
    let code = parse_helpers(&source(&inlined), unresolved_mark, helper_mark)?;
    let at = at.unwrap_or(0);
    body.splice(at..at, code.into_iter().map(ModuleItem::Stmt));
  }
  module.body = body;
  Some(required)
}

/// `var <local> = require("<spec>")._`.
fn require(local: Ident, spec: &str, unresolved_mark: Mark) -> Stmt {
  let require = Ident::new("require".into(), DUMMY_SP, SyntaxContext::empty().apply_mark(unresolved_mark));
  let spec = Str { span: DUMMY_SP, value: spec.into(), raw: None };
  let call = CallExpr {
    callee: Callee::Expr(Box::new(require.into())),
    args: vec![ExprOrSpread { spread: None, expr: Box::new(Lit::Str(spec).into()) }],
    ..CallExpr::default()
  };
  let init = MemberExpr { span: DUMMY_SP, obj: Box::new(call.into()), prop: MemberProp::Ident("_".into()) };
  let decl = VarDeclarator {
    span: DUMMY_SP,
    name: Pat::Ident(local.into()),
    init: Some(Box::new(init.into())),
    definite: false,
  };
  Stmt::Decl(Decl::Var(Box::new(VarDecl { kind: VarDeclKind::Var, decls: vec![decl], ..VarDecl::default() })))
}

/// Helper code as statements of the file: no spans (they are not the file's text, and a source
/// map must not point into it), resolved with the helpers' mark as their top level.
fn parse_helpers(src: &str, unresolved_mark: Mark, helper_mark: Mark) -> Option<Vec<Stmt>> {
  let cm: Lrc<SourceMap> = Lrc::default();
  let fm = cm.new_source_file(Lrc::new(FileName::Anon), src.to_string());
  let mut script = Parser::new(Syntax::default(), StringInput::from(&*fm), None).parse_script().ok()?;
  script.visit_mut_with(&mut DropSpan);
  script.visit_mut_with(&mut resolver(unresolved_mark, helper_mark, false));
  Some(script.body)
}
