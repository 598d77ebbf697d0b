//! ES module exports as Babel writes them. swc's CommonJS pass exports every binding through a
//! getter (`_export(exports, {get f() {return f}})`, or one `Object.defineProperty` with a `get`),
//! which keeps each function named and costs ~110 bytes of loop per file. DevTools compiles with
//! Babel, which assigns (`exports.f = f`). For a binding written exactly once (its declaration)
//! the two read the same at every moment: a function is assigned at the top (it is hoisted), a
//! variable gets `exports.x = void 0` at the top (the key exists from the start, in the getters'
//! order) and its value right after its declaration runs. Bindings written again, re-exports of
//! imports and files with `eval` keep their getters.
//!
//! A module that exports nothing gets no `__esModule` mark, as with Babel (`hasExports`):
//! swc writes it for any module syntax, 53 bytes in each of ~600 corpus files that only import.

use rustc_hash::FxHashMap;
use swc_core::{
  atoms::Atom,
  common::{DUMMY_SP, SyntaxContext},
  ecma::{
    ast::{
      AssignExpr, AssignOp, BindingIdent, CallExpr, Callee, ClassDecl, ComputedPropName, Decl, Expr, ExprStmt, FnDecl,
      Ident, IdentName, Lit, MemberExpr, MemberProp, Module, ModuleItem, ObjectLit, PropName, SimpleAssignTarget, Stmt,
      Str, UnaryExpr, UnaryOp, UpdateExpr,
    },
    utils::{find_pat_ids, is_valid_prop_ident},
    visit::{Visit, VisitWith},
  },
};

type Id = (Atom, SyntaxContext);

/// One export the getters carry: its name and the top-level binding it reads (`None`: it reads
/// something else, a re-exported import's property).
struct Export {
  name: Atom,
  local: Option<Id>,
}

/// Whether an ES module exports anything (read before the CommonJS pass).
pub fn exports_anything(module: &Module) -> bool {
  module.body.iter().any(|i| matches!(i, ModuleItem::ModuleDecl(d) if !d.is_import()))
}

/// Drops the `Object.defineProperty(exports, "__esModule", {value: true})` swc writes first
/// (after the directives), for a module [`exports_anything`] said exports nothing. One the
/// author wrote further down stays.
pub fn unmark(module: &mut Module) {
  let directive = |i: &ModuleItem| i.as_stmt().and_then(Stmt::as_expr).is_some_and(|e| e.expr.is_lit());
  let first = module.body.iter().position(|i| !directive(i));
  if let Some(at) = first.filter(|&at| module.body[at].as_stmt().is_some_and(is_es_module_mark)) {
    module.body.remove(at);
  }
}

fn is_es_module_mark(stmt: &Stmt) -> bool {
  let Some(ExprStmt { expr, .. }) = stmt.as_expr() else { return false };
  let Some(CallExpr { callee: Callee::Expr(callee), args, .. }) = expr.as_call() else { return false };
  let is = |e: &Expr, name: &str| e.as_ident().is_some_and(|i| i.sym == name);
  let defines = callee
    .as_member()
    .is_some_and(|m| is(&m.obj, "Object") && m.prop.as_ident().is_some_and(|p| p.sym == "defineProperty"));
  let key =
    args.get(1).and_then(|a| a.expr.as_lit()).is_some_and(|l| matches!(l, Lit::Str(s) if s.value == "__esModule"));
  defines && args.len() == 3 && args.first().is_some_and(|a| is(&a.expr, "exports")) && key
}

/// Rewrites `module`'s getter exports as assignments where that keeps their meaning.
pub fn assign(module: &mut Module) {
  let writes = Writes::of(module);
  if writes.eval {
    return;
  }
  let Some(stmts) = module.body.iter().map(|i| i.as_stmt()).collect::<Option<Vec<&Stmt>>>() else {
    return;
  };
  let declared = top_level(&stmts);
  let Some((at, exports, all)) = stmts.iter().enumerate().find_map(|(i, s)| getters(s).map(|(e, a)| (i, e, a))) else {
    return;
  };
  let helper = export_helper(stmts[at]);
  let (moved, kept): (Vec<Export>, Vec<Export>) = all
    .into_iter()
    .partition(|e| e.local.as_ref().is_some_and(|l| writes.count.get(l) == Some(&1) && declared.contains_key(l)));
  if moved.is_empty() {
    return;
  }
  let mut head = Vec::new();
  // Consecutive variables share one `exports.a = exports.b = void 0`, as Babel writes it.
  let mut voids: Option<Expr> = None;
  let mut after: FxHashMap<usize, Vec<Stmt>> = FxHashMap::default();
  for e in &moved {
    let Some(id) = &e.local else { continue };
    let local = Ident::new(id.0.clone(), DUMMY_SP, id.1);
    match declared.get(id) {
      Some(Declared::Function) => {
        head.extend(voids.take().map(statement));
        head.push(statement(assign_to(&exports, &e.name, local.into())));
      }
      Some(&Declared::Var(stmt)) => {
        voids = Some(assign_to(&exports, &e.name, voids.take().unwrap_or_else(void)));
        after.entry(stmt).or_default().push(statement(assign_to(&exports, &e.name, local.into())));
      }
      None => {}
    }
  }
  head.extend(voids.map(statement));
  let body = std::mem::take(&mut module.body);
  for (i, item) in body.into_iter().enumerate() {
    if i == at {
      module.body.extend(head.drain(..).map(ModuleItem::Stmt));
      if let ModuleItem::Stmt(stmt) = item
        && !kept.is_empty()
      {
        module.body.push(ModuleItem::Stmt(rebuild(stmt, &kept)));
      }
    } else if !(kept.is_empty() && helper.as_ref().is_some_and(|h| declares_fn(&item, h))) {
      module.body.push(item);
    }
    module.body.extend(after.remove(&i).into_iter().flatten().map(ModuleItem::Stmt));
  }
}

/// How a top-level binding is declared, and for a variable the statement that declares it.
#[derive(Clone, Copy)]
enum Declared {
  Function,
  Var(usize),
}

fn top_level(stmts: &[&Stmt]) -> FxHashMap<Id, Declared> {
  let mut out = FxHashMap::default();
  for (i, s) in stmts.iter().enumerate() {
    match s {
      Stmt::Decl(Decl::Fn(FnDecl { ident, .. })) => {
        out.insert(ident.to_id(), Declared::Function);
      }
      Stmt::Decl(Decl::Class(ClassDecl { ident, .. })) => {
        out.insert(ident.to_id(), Declared::Var(i));
      }
      Stmt::Decl(Decl::Var(v)) => {
        for d in &v.decls {
          for id in find_pat_ids::<_, Id>(&d.name) {
            out.insert(id, Declared::Var(i));
          }
        }
      }
      _ => {}
    }
  }
  out
}

/// The getters of `_export(exports, {get a() {return a}, ...})` or of
/// `Object.defineProperty(exports, "a", {enumerable: true, get: function () {return a}})`, with
/// the `exports` they target.
fn getters(stmt: &Stmt) -> Option<(Ident, Vec<Export>)> {
  let Stmt::Expr(ExprStmt { expr, .. }) = stmt else { return None };
  let Expr::Call(CallExpr { callee: Callee::Expr(callee), args, .. }) = &**expr else { return None };
  let exports = args.first()?.expr.as_ident().filter(|i| i.sym == "exports")?.clone();
  if callee.as_ident().is_some_and(|c| c.sym.starts_with("_export")) {
    let [_, all] = args.as_slice() else { return None };
    let object = all.expr.as_object()?;
    let all = object.props.iter().map(|p| getter(p.as_prop()?.as_getter()?)).collect::<Option<Vec<_>>>()?;
    return Some((exports, all));
  }
  let Expr::Member(MemberExpr { obj, prop: MemberProp::Ident(method), .. }) = &**callee else { return None };
  if obj.as_ident().is_none_or(|o| o.sym != "Object") || method.sym != "defineProperty" {
    return None;
  }
  let [_, name, descriptor] = args.as_slice() else { return None };
  let Expr::Lit(Lit::Str(name)) = &*name.expr else { return None };
  let props = &descriptor.expr.as_object()?.props;
  let [enumerable, get] = props.as_slice() else { return None };
  let enumerable = enumerable.as_prop()?.as_key_value()?;
  let get = get.as_prop()?.as_key_value()?;
  if !matches!(&enumerable.key, PropName::Ident(k) if k.sym == "enumerable")
    || !matches!(&get.key, PropName::Ident(k) if k.sym == "get")
  {
    return None;
  }
  let function = &get.value.as_fn_expr()?.function;
  let local = returned(function.body.as_ref()?.stmts.as_slice());
  Some((exports, vec![Export { name: name.value.as_atom()?.clone(), local }]))
}

fn getter(g: &swc_core::ecma::ast::GetterProp) -> Option<Export> {
  let name = match &g.key {
    PropName::Ident(i) => i.sym.clone(),
    PropName::Str(s) => s.value.as_atom()?.clone(),
    _ => return None,
  };
  Some(Export { name, local: returned(g.function.body.as_ref()?.stmts.as_slice()) })
}

fn returned(stmts: &[Stmt]) -> Option<Id> {
  let [Stmt::Return(r)] = stmts else { return None };
  Some(r.arg.as_ref()?.as_ident()?.to_id())
}

/// The `_export` helper a getter statement calls, to drop with it.
fn export_helper(stmt: &Stmt) -> Option<Id> {
  let call = stmt.as_expr()?.expr.as_call()?;
  call.callee.as_expr()?.as_ident().filter(|c| c.sym.starts_with("_export")).map(Ident::to_id)
}

fn declares_fn(item: &ModuleItem, id: &Id) -> bool {
  matches!(item, ModuleItem::Stmt(Stmt::Decl(Decl::Fn(f))) if f.ident.to_id() == *id)
}

/// The getter statement with only the `kept` exports.
fn rebuild(mut stmt: Stmt, kept: &[Export]) -> Stmt {
  if let Some(Expr::Call(call)) = stmt.as_mut_expr().map(|s| &mut *s.expr)
    && let Some(Expr::Object(ObjectLit { props, .. })) = call.args.get_mut(1).map(|a| &mut *a.expr)
  {
    props.retain(|p| {
      p.as_prop().and_then(|p| p.as_getter()).and_then(getter).is_some_and(|g| kept.iter().any(|k| k.name == g.name))
    });
  }
  stmt
}

fn void() -> Expr {
  Expr::Unary(UnaryExpr { span: DUMMY_SP, op: UnaryOp::Void, arg: Box::new(Expr::Lit(Lit::Num(0.0.into()))) })
}

fn statement(expr: Expr) -> Stmt {
  Stmt::Expr(ExprStmt { span: DUMMY_SP, expr: Box::new(expr) })
}

/// `exports.name = value` (`exports["a-b"]` for a name that is no identifier).
fn assign_to(exports: &Ident, name: &Atom, value: Expr) -> Expr {
  let prop = if is_valid_prop_ident(name) {
    MemberProp::Ident(IdentName::new(name.clone(), DUMMY_SP))
  } else {
    let key = Str { span: DUMMY_SP, value: name.as_str().into(), raw: None };
    MemberProp::Computed(ComputedPropName { span: DUMMY_SP, expr: Box::new(Expr::Lit(Lit::Str(key))) })
  };
  let target = MemberExpr { span: DUMMY_SP, obj: Box::new(exports.clone().into()), prop };
  let assign = AssignExpr {
    span: DUMMY_SP,
    op: AssignOp::Assign,
    left: SimpleAssignTarget::Member(target).into(),
    right: Box::new(value),
  };
  assign.into()
}

/// How many times each binding is written: declarations, assignments (plain and destructuring),
/// `++`/`--`, `for (x in ...)` heads. A name declared and never written again has one.
#[derive(Default)]
struct Writes {
  count: FxHashMap<Id, u32>,
  eval: bool,
}

impl Writes {
  fn of(module: &Module) -> Self {
    let mut w = Self::default();
    module.visit_with(&mut w);
    w
  }

  fn add(&mut self, id: Id) {
    *self.count.entry(id).or_default() += 1;
  }
}

impl Visit for Writes {
  fn visit_binding_ident(&mut self, b: &BindingIdent) {
    self.add(b.id.to_id());
  }

  /// A parameter declares a binding of its function, never writes an outer one; TypeScript's
  /// enum (`var E = function (E) {...}({})`) names its parameter with the outer binding's very
  /// identity, which is not a second write of the exported `E`.
  fn visit_param(&mut self, p: &swc_core::ecma::ast::Param) {
    if !p.pat.is_ident() {
      p.visit_children_with(self);
    }
  }

  fn visit_fn_decl(&mut self, f: &FnDecl) {
    self.add(f.ident.to_id());
    f.function.visit_with(self);
  }

  fn visit_class_decl(&mut self, c: &ClassDecl) {
    self.add(c.ident.to_id());
    c.class.visit_with(self);
  }

  fn visit_update_expr(&mut self, u: &UpdateExpr) {
    if let Some(i) = u.arg.unwrap_parens().as_ident() {
      self.add(i.to_id());
    }
    u.visit_children_with(self);
  }

  fn visit_ident(&mut self, i: &Ident) {
    self.eval |= i.sym == "eval";
  }
}

#[cfg(test)]
mod tests {
  use super::super::{process, tests::es5_job};

  fn compile(src: &str) -> String {
    process(src, es5_job(None, &[]), None).unwrap().unwrap().code
  }

  #[test]
  fn functions_and_constants_are_assigned_as_babel_does() {
    let out = compile("export function f() { return 1 }\nexport const X = 2;\nexport default function () {}\n");
    assert!(!out.contains("get "), "{out}");
    assert!(out.contains("exports.X=") && out.contains("exports.f=") && out.contains("exports.default="), "{out}");
  }

  #[test]
  fn bindings_written_again_and_re_exports_keep_their_getters() {
    let out = compile("export let n = 0;\nexport function inc() { n++ }\nexport { a } from './a';\n");
    assert!(out.contains("get n()") || out.contains("get:function(){return"), "{out}");
    assert!(out.contains("exports.inc="), "{out}");
    let out = compile("export var v = 1;\nv = 2;\n");
    assert!(out.contains("get:function(){return"), "{out}");
  }

  #[test]
  fn a_typescript_enum_is_assigned() {
    let job = super::super::Job { typescript: true, ..super::super::tests::es5_job(None, &[]) };
    let out =
      process("export enum S { A, B = 'b' }\nexport function f() { return S.B; }", job, None).unwrap().unwrap().code;
    assert!(!out.contains("get") && out.contains("exports.S="), "{out}");
  }

  #[test]
  fn a_module_that_exports_nothing_gets_no_es_module_mark() {
    let out = compile("import { C } from './c';\nC({ a: 1 });\n");
    assert!(!out.contains("__esModule") && out.contains("require(\"./c\")"), "{out}");
    for src in ["import c from './c';\nexport default c;\n", "export * from './c';\n", "export {};\n"] {
      assert!(compile(src).contains("__esModule"), "{src}");
    }
    // One the author wrote is the author's.
    let out = compile("import './c';\nObject.defineProperty(exports, '__esModule', { value: true });\n");
    assert!(out.contains("__esModule"), "{out}");
  }
}
