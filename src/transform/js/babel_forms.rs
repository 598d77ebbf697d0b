//! ES5 lowering written as Babel (DevTools' compiler) writes it, where swc writes more:
//! - a rest parameter that is only read (`args.length`, `args[0]`, spread into a call or an
//!   array) is the function's own `arguments` (Babel's rest optimisation): swc copies it into
//!   an array first, ~70 bytes of loop per function, then spreads the copy through
//!   `_to_consumable_array`, where a lone `...arguments` becomes `f.apply(t, arguments)`;
//! - `typeof x` of a declared name is `_type_of(x)`: swc guards every identifier
//!   (`typeof x === "undefined" ? "undefined" : _type_of(x)`), which only an undeclared name
//!   needs (reading it would throw); for a declared one the helper answers `"undefined"` itself;
//! - `a instanceof B` stays as written: swc routes it through `_instanceof` for engines with
//!   `Symbol` but without `Symbol.hasInstance`, which Babel's preset does not (DevTools' output
//!   is plain `instanceof`).
//!
//! And TypeScript class fields mean what they mean to tsc with its default for ES5 targets
//! (`useDefineForClassFields: false`), which DevTools' Babel compile of TypeScript also gives:
//! a field without an initializer is a type declaration only (no property is made), and an
//! initializer assigns (`this.x = 1`) rather than defines. swc made every declared field an own
//! property set to `undefined` after `super()` returned, wiping what the base constructor had
//! set through the subclass's own methods.

use swc_core::{
  atoms::Atom,
  common::{Mark, SyntaxContext, util::take::Take},
  ecma::{
    ast::{
      ArrowExpr, ArrowFunctionBody, BinaryOp, BindingIdent, Callee, Class, Expr, ExprOrSpread, FnExpr, Function,
      FunctionBody, GetterProp, Ident, Lit, MemberExpr, MemberProp, MetaPropExpr, Param, Pat, ReturnStmt, SetterProp,
      Stmt, Super, TaggedTpl, ThisExpr, UnaryExpr, UnaryOp, UpdateExpr,
    },
    transforms::base::assumptions::Assumptions,
    visit::{Visit, VisitMut, VisitMutWith, VisitWith},
  },
};

pub use strict::strict_once;

type Id = (Atom, SyntaxContext);

/// Rest parameters only read become `arguments`; run before the ES5 lowering, which then
/// neither copies them nor wraps their spreads. Only a lone rest parameter (`function (...a)`):
/// with parameters before it each read would need an offset and a bound check, longer than
/// the copy. A function that names `arguments` or `eval` itself is left alone, as is a program
/// that declares anything called `arguments`. Nothing happens unless the lowering runs
/// (`lowers`): unlowered, `...args` is the shorter form.
pub fn rest_as_arguments(program: &mut swc_core::ecma::ast::Program, lowers: bool, unresolved: Mark) {
  if !lowers {
    return;
  }
  let mut declared = Declares::default();
  program.visit_with(&mut declared);
  if !declared.arguments {
    program.visit_mut_with(&mut RestAsArguments { unresolved: SyntaxContext::empty().apply_mark(unresolved) });
  }
}

/// `typeof x === "undefined" ? "undefined" : _type_of(x)` as `_type_of(x)` where `x` is
/// declared; run after the ES5 lowering (`lowers`), with the helpers' mark.
pub fn unguard_typeof(program: &mut swc_core::ecma::ast::Program, lowers: bool, unresolved: Mark, helpers: Mark) {
  if !lowers {
    return;
  }
  program.visit_mut_with(&mut Unguard {
    unresolved: SyntaxContext::empty().apply_mark(unresolved),
    helper: SyntaxContext::empty().apply_mark(helpers),
  });
}

/// The lowering's assumptions: TypeScript's class fields are assigned (Babel's
/// `setPublicClassFields`; swc's pass for it also drops a field without an initializer),
/// JavaScript's defined, as the language says.
pub fn assumptions(typescript: bool) -> Assumptions {
  let mut assumptions = Assumptions::default();
  assumptions.set_public_class_fields = typescript;
  assumptions
}

struct RestAsArguments {
  unresolved: SyntaxContext,
}

impl VisitMut for RestAsArguments {
  fn visit_mut_function(&mut self, f: &mut Function) {
    f.visit_mut_children_with(self);
    if f.is_async || f.is_generator {
      return;
    }
    let [Param { pat: Pat::Rest(rest), .. }] = f.params.as_slice() else { return };
    let Pat::Ident(BindingIdent { id, .. }) = &*rest.arg else { return };
    let id = id.to_id();
    let Some(body) = &mut f.body else { return };
    if only_read(body, &id) {
      f.params.clear();
      body.visit_mut_with(&mut Rename { from: id, ctxt: self.unresolved });
    }
  }

  /// An arrow has no `arguments` of its own: one whose body reads nothing of the enclosing
  /// function (`this`, `arguments`, `super`, `new.target`) is the function expression the
  /// lowering would write anyway, which has.
  fn visit_mut_expr(&mut self, e: &mut Expr) {
    e.visit_mut_children_with(self);
    let Expr::Arrow(arrow) = e else { return };
    if arrow.is_async || arrow.is_generator || !matches!(arrow.params.as_slice(), [Pat::Rest(_)]) {
      return;
    }
    let mut outer = Outer::default();
    arrow.body.visit_with(&mut outer);
    if outer.found {
      return;
    }
    let ArrowExpr { span, ctxt, params, body, .. } = arrow.take();
    let body = match *body {
      ArrowFunctionBody::FunctionBody(block) => block,
      ArrowFunctionBody::Expr(arg) => {
        FunctionBody { span, stmts: vec![Stmt::Return(ReturnStmt { span, arg: Some(arg) })] }
      }
    };
    let params = params.into_iter().map(|pat| Param { span, decorators: Vec::new(), pat }).collect();
    let mut function = Box::new(Function { params, body: Some(body), span, ctxt, ..Function::dummy() });
    self.visit_mut_function(&mut function);
    *e = Expr::Fn(FnExpr { ident: None, function });
  }
}

/// Whether `id` appears in `body` only as `id.length`, `id[N]` or `...id`, read, outside any
/// nested function, and nothing in `body` names `arguments` or `eval`.
fn only_read(body: &FunctionBody, id: &Id) -> bool {
  let mut reads = Reads { id, nested: 0, ok: true };
  body.visit_with(&mut reads);
  reads.ok
}

struct Reads<'a> {
  id: &'a Id,
  nested: u32,
  ok: bool,
}

impl Reads<'_> {
  fn is_rest(&self, e: &Expr) -> bool {
    e.as_ident().is_some_and(|i| i.sym == self.id.0 && i.ctxt == self.id.1)
  }

  /// `id.length` or `id[N]`.
  fn is_element(&self, e: &Expr) -> bool {
    let Expr::Member(MemberExpr { obj, prop, .. }) = e.unwrap_parens() else { return false };
    self.is_rest(obj)
      && match prop {
        MemberProp::Ident(name) => name.sym == "length",
        MemberProp::Computed(c) => {
          matches!(&*c.expr, Expr::Lit(Lit::Num(n)) if n.value >= 0.0 && n.value.fract() == 0.0 && n.value < 4_294_967_295.0)
        }
        MemberProp::PrivateName(_) => false,
      }
  }

  /// `e` is written to or called as a method of the array: never a read.
  fn target(&mut self, e: &Expr) {
    if self.is_element(e) {
      self.ok = false;
    }
  }

  fn nested<T: VisitWith<Self> + ?Sized>(&mut self, node: &T) {
    self.nested += 1;
    node.visit_children_with(self);
    self.nested -= 1;
  }
}

impl Visit for Reads<'_> {
  fn visit_expr(&mut self, e: &Expr) {
    if self.nested == 0 && self.is_element(e) {
      return;
    }
    e.visit_children_with(self);
  }

  fn visit_expr_or_spread(&mut self, e: &ExprOrSpread) {
    if self.nested == 0 && e.spread.is_some() && self.is_rest(&e.expr) {
      return;
    }
    e.visit_children_with(self);
  }

  fn visit_ident(&mut self, i: &Ident) {
    if (i.sym == self.id.0 && i.ctxt == self.id.1) || i.sym == "arguments" || i.sym == "eval" {
      self.ok = false;
    }
  }

  fn visit_update_expr(&mut self, u: &UpdateExpr) {
    self.target(&u.arg);
    u.visit_children_with(self);
  }

  fn visit_unary_expr(&mut self, u: &UnaryExpr) {
    if u.op == UnaryOp::Delete {
      self.target(&u.arg);
    }
    u.visit_children_with(self);
  }

  fn visit_pat(&mut self, p: &Pat) {
    if let Pat::Expr(e) = p {
      self.target(e);
    }
    p.visit_children_with(self);
  }

  /// `args[0]()` calls with the array as `this`.
  fn visit_callee(&mut self, c: &Callee) {
    if let Callee::Expr(e) = c {
      self.target(e);
    }
    c.visit_children_with(self);
  }

  fn visit_opt_call(&mut self, c: &swc_core::ecma::ast::OptCall) {
    self.target(&c.callee);
    c.visit_children_with(self);
  }

  fn visit_tagged_tpl(&mut self, t: &TaggedTpl) {
    self.target(&t.tag);
    t.visit_children_with(self);
  }

  fn visit_function(&mut self, f: &Function) {
    self.nested(f);
  }

  fn visit_arrow_expr(&mut self, a: &ArrowExpr) {
    self.nested(a);
  }

  fn visit_class(&mut self, c: &Class) {
    self.nested(c);
  }

  fn visit_getter_prop(&mut self, g: &GetterProp) {
    self.nested(g);
  }

  fn visit_setter_prop(&mut self, s: &SetterProp) {
    self.nested(s);
  }
}

/// Whether an arrow's body reads the enclosing function's `this`, `arguments`, `super` or
/// `new.target` (nested functions included: it only has to be sure).
#[derive(Default)]
struct Outer {
  found: bool,
}

impl Visit for Outer {
  fn visit_this_expr(&mut self, _: &ThisExpr) {
    self.found = true;
  }
  fn visit_super(&mut self, _: &Super) {
    self.found = true;
  }
  fn visit_meta_prop_expr(&mut self, _: &MetaPropExpr) {
    self.found = true;
  }
  fn visit_ident(&mut self, i: &Ident) {
    self.found |= i.sym == "arguments" || i.sym == "eval";
  }
}

/// Whether anything in the program is declared `arguments` (sloppy scripts may): the renamed
/// reads must not meet a binding of that name.
#[derive(Default)]
struct Declares {
  arguments: bool,
}

impl Visit for Declares {
  fn visit_binding_ident(&mut self, b: &BindingIdent) {
    self.arguments |= b.id.sym == "arguments";
  }
  fn visit_fn_decl(&mut self, f: &swc_core::ecma::ast::FnDecl) {
    self.arguments |= f.ident.sym == "arguments";
    f.visit_children_with(self);
  }
  fn visit_fn_expr(&mut self, f: &FnExpr) {
    self.arguments |= f.ident.as_ref().is_some_and(|i| i.sym == "arguments");
    f.visit_children_with(self);
  }
  fn visit_class_decl(&mut self, c: &swc_core::ecma::ast::ClassDecl) {
    self.arguments |= c.ident.sym == "arguments";
    c.visit_children_with(self);
  }
}

struct Rename {
  from: Id,
  ctxt: SyntaxContext,
}

impl VisitMut for Rename {
  fn visit_mut_ident(&mut self, i: &mut Ident) {
    if i.sym == self.from.0 && i.ctxt == self.from.1 {
      i.sym = "arguments".into();
      i.ctxt = self.ctxt;
    }
  }
}

struct Unguard {
  unresolved: SyntaxContext,
  helper: SyntaxContext,
}

impl VisitMut for Unguard {
  fn visit_mut_expr(&mut self, e: &mut Expr) {
    e.visit_mut_children_with(self);
    // `_instanceof(a, B)` (swc's emulation of `Symbol.hasInstance` where the engine has
    // `Symbol` but not that) is `a instanceof B`, as Babel's preset leaves it.
    if let Expr::Call(call) = e
      && call
        .callee
        .as_expr()
        .and_then(|c| c.as_ident())
        .is_some_and(|h| h.sym == "_instanceof" && h.ctxt == self.helper)
      && let [ExprOrSpread { spread: None, .. }, ExprOrSpread { spread: None, .. }] = call.args.as_slice()
    {
      let mut args = std::mem::take(&mut call.args).into_iter().map(|a| a.expr);
      if let (Some(left), Some(right)) = (args.next(), args.next()) {
        *e = Expr::Bin(swc_core::ecma::ast::BinExpr { span: call.span, op: BinaryOp::InstanceOf, left, right });
      }
      return;
    }
    let Expr::Cond(cond) = e else { return };
    let undefined = |e: &Expr| matches!(e, Expr::Lit(Lit::Str(s)) if s.value == *"undefined");
    let Expr::Bin(test) = &*cond.test else { return };
    let Expr::Unary(UnaryExpr { op: UnaryOp::TypeOf, arg: tested, .. }) = &*test.left else { return };
    let Some(name) = tested.as_ident() else { return };
    let Expr::Call(call) = &*cond.alt else { return };
    let helper = call.callee.as_expr().and_then(|c| c.as_ident());
    let guarded = test.op == BinaryOp::EqEqEq
      && undefined(&test.right)
      && undefined(&cond.cons)
      // Declared: the resolver marked it, and not as unresolved.
      && name.ctxt != self.unresolved
      && name.ctxt != SyntaxContext::empty()
      && helper.is_some_and(|h| h.sym == "_type_of" && h.ctxt == self.helper)
      && matches!(call.args.as_slice(), [ExprOrSpread { spread: None, expr }]
        if expr.as_ident().is_some_and(|i| i.sym == name.sym && i.ctxt == name.ctxt));
    if guarded {
      *e = *cond.alt.take();
    }
  }
}

mod strict;
#[cfg(test)]
mod tests;
