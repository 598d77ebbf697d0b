//! Loops whose per-iteration bindings closures can see, where swc gets ES2015 wrong (found by
//! running generated programs before and after, tests/minified_runs.rs):
//! - its compressor, inlining, replaced a `let`/`const` declared in a loop and captured by a
//!   closure with the loop's own variable, so every closure saw the last iteration's value;
//! - its ES5 lowering of `for (let i ...)` lost what a closure in the body assigned to `i` (each
//!   iteration starts from a copy that a closure may change; Babel carries it back);
//! - its compressor replaced a copy of a `for (x in/of ...)` variable with the variable when the
//!   body then increments it (`var v = k; k++; g(v, k)` became `g(++k, k)`).

use oxc_ast::ast::DoWhileStatement;
use oxc_ast::ast::{
  ArrowFunctionExpression, AssignmentExpression, AssignmentTarget, BindingIdentifier, ForInStatement, ForOfStatement,
  ForStatement, ForStatementInit, ForStatementLeft, Function, SimpleAssignmentTarget, UpdateExpression,
  VariableDeclaration, VariableDeclarationKind, WhileStatement,
};
use oxc_ast_visit::{Visit, walk};
use oxc_syntax::scope::ScopeFlags;

/// What [`scan`] found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Loops {
  /// A loop declares `let`/`const` and holds a function (which may capture one).
  pub closure: bool,
  /// A function inside a `for (let ...)` loop assigns one of the loop's own bindings.
  pub binding_assigned_in_closure: bool,
  /// A `for (x in/of ...)` loop's body increments or decrements `x`.
  pub head_updated: bool,
}

#[derive(Default)]
struct Scan {
  found: Loops,
  /// Per loop being walked: (it declares `let`/`const`, it holds a function).
  open: Vec<(bool, bool)>,
  /// The `let` bindings of loop heads being walked, with the function depth of their loop.
  heads: Vec<(String, usize)>,
  /// The variables of the `for (x in/of ...)` loops being walked.
  iterated: Vec<String>,
  /// The names each function being walked declares (its parameters and declarations, nested
  /// functions aside), which shadow a loop's bindings inside it.
  shadows: Vec<Vec<String>>,
  depth: usize,
}

pub fn scan(program: &oxc_ast::ast::Program<'_>) -> Loops {
  let mut s = Scan::default();
  s.visit_program(program);
  s.found
}

/// The names a declaration binds (simple names and those inside patterns).
fn names(d: &VariableDeclaration<'_>) -> Vec<String> {
  struct Names(Vec<String>);
  impl<'a> Visit<'a> for Names {
    fn visit_binding_identifier(&mut self, it: &BindingIdentifier<'a>) {
      self.0.push(it.name.to_string());
    }
  }
  let mut n = Names(Vec::new());
  for decl in &d.declarations {
    n.visit_binding_pattern(&decl.id);
  }
  n.0
}

/// The names a function's parameters and body declare, not looking into nested functions
/// (a nested function declaration's own name counts).
struct Declared(Vec<String>);

impl<'a> Visit<'a> for Declared {
  fn visit_binding_identifier(&mut self, it: &BindingIdentifier<'a>) {
    self.0.push(it.name.to_string());
  }

  fn visit_function(&mut self, it: &Function<'a>, _: ScopeFlags) {
    if let Some(id) = &it.id {
      self.0.push(id.name.to_string());
    }
  }

  fn visit_arrow_function_expression(&mut self, _: &ArrowFunctionExpression<'a>) {}
}

impl Scan {
  fn in_loop(&mut self, head: Vec<String>, walk: impl FnOnce(&mut Self)) {
    let depth = self.depth;
    let mark = self.heads.len();
    self.heads.extend(head.into_iter().map(|n| (n, depth)));
    self.open.push((false, false));
    walk(self);
    if let Some((lexical, function)) = self.open.pop() {
      self.found.closure |= lexical && function;
    }
    self.heads.truncate(mark);
  }

  fn in_function(&mut self, declared: Vec<String>, walk: impl FnOnce(&mut Self)) {
    for l in &mut self.open {
      l.1 = true;
    }
    self.depth += 1;
    self.shadows.push(declared);
    walk(self);
    self.shadows.pop();
    self.depth -= 1;
  }

  /// `name` is assigned here: a loop binding if a function between here and its loop does not
  /// declare the name itself.
  fn assigned(&mut self, name: &str) {
    let closure = self.heads.iter().rev().find(|(n, _)| n == name).is_some_and(|&(_, depth)| {
      depth < self.depth && !self.shadows[depth..].iter().any(|names| names.iter().any(|n| n == name))
    });
    self.found.binding_assigned_in_closure |= closure;
  }

  /// Walks a `for (x in/of ...)` loop with `x` (a declared name or a plain identifier) noted.
  fn iterating(&mut self, left: &ForStatementLeft<'_>, walk: impl FnOnce(&mut Self)) {
    let mark = self.iterated.len();
    match left {
      ForStatementLeft::VariableDeclaration(d) => self.iterated.extend(names(d)),
      ForStatementLeft::AssignmentTargetIdentifier(id) => self.iterated.push(id.name.to_string()),
      _ => {}
    }
    walk(self);
    self.iterated.truncate(mark);
  }

  fn lexical(kind: VariableDeclarationKind) -> bool {
    matches!(kind, VariableDeclarationKind::Let | VariableDeclarationKind::Const)
  }
}

impl<'a> Visit<'a> for Scan {
  fn visit_for_statement(&mut self, it: &ForStatement<'a>) {
    let head = match &it.init {
      Some(ForStatementInit::VariableDeclaration(d)) if d.kind == VariableDeclarationKind::Let => names(d),
      _ => Vec::new(),
    };
    self.in_loop(head, |s| walk::walk_for_statement(s, it));
  }

  fn visit_for_in_statement(&mut self, it: &ForInStatement<'a>) {
    let head = match &it.left {
      ForStatementLeft::VariableDeclaration(d) if d.kind == VariableDeclarationKind::Let => names(d),
      _ => Vec::new(),
    };
    self.iterating(&it.left, |s| s.in_loop(head, |s| walk::walk_for_in_statement(s, it)));
  }

  fn visit_for_of_statement(&mut self, it: &ForOfStatement<'a>) {
    let head = match &it.left {
      ForStatementLeft::VariableDeclaration(d) if d.kind == VariableDeclarationKind::Let => names(d),
      _ => Vec::new(),
    };
    self.iterating(&it.left, |s| s.in_loop(head, |s| walk::walk_for_of_statement(s, it)));
  }

  fn visit_while_statement(&mut self, it: &WhileStatement<'a>) {
    self.in_loop(Vec::new(), |s| walk::walk_while_statement(s, it));
  }

  fn visit_do_while_statement(&mut self, it: &DoWhileStatement<'a>) {
    self.in_loop(Vec::new(), |s| walk::walk_do_while_statement(s, it));
  }

  fn visit_variable_declaration(&mut self, it: &VariableDeclaration<'a>) {
    if Self::lexical(it.kind) {
      for l in &mut self.open {
        l.0 = true;
      }
    }
    walk::walk_variable_declaration(self, it);
  }

  fn visit_function(&mut self, it: &Function<'a>, flags: ScopeFlags) {
    let mut d = Declared(Vec::new());
    d.visit_formal_parameters(&it.params);
    if let Some(body) = &it.body {
      d.visit_function_body(body);
    }
    self.in_function(d.0, |s| walk::walk_function(s, it, flags));
  }

  fn visit_arrow_function_expression(&mut self, it: &ArrowFunctionExpression<'a>) {
    let mut d = Declared(Vec::new());
    d.visit_formal_parameters(&it.params);
    d.visit_arrow_function_body(&it.body);
    self.in_function(d.0, |s| walk::walk_arrow_function_expression(s, it));
  }

  fn visit_update_expression(&mut self, it: &UpdateExpression<'a>) {
    if let SimpleAssignmentTarget::AssignmentTargetIdentifier(id) = &it.argument {
      self.assigned(&id.name);
      // By name: a shadowing declaration inside only costs this file some compression.
      self.found.head_updated |= self.iterated.iter().any(|n| n == id.name.as_str());
    }
    walk::walk_update_expression(self, it);
  }

  fn visit_assignment_expression(&mut self, it: &AssignmentExpression<'a>) {
    if let AssignmentTarget::AssignmentTargetIdentifier(id) = &it.left {
      self.assigned(&id.name);
    }
    walk::walk_assignment_expression(self, it);
  }
}

#[cfg(test)]
mod tests {
  use oxc_allocator::Allocator;
  use oxc_parser::Parser;
  use oxc_span::SourceType;

  use super::*;

  fn loops(src: &str) -> Loops {
    let allocator = Allocator::default();
    let ret = Parser::new(&allocator, src, SourceType::mjs()).parse();
    assert!(ret.diagnostics.is_empty(), "{src}");
    scan(&ret.program)
  }

  #[test]
  fn finds_closures_over_loop_bindings() {
    let none = Loops::default();
    assert_eq!(loops("for (var k in o) { var v = k; f(function () { return v; }); }"), none);
    assert_eq!(loops("for (let i = 0; i < 3; i++) { g(i); }"), none);
    assert!(loops("for (var k in o) { let v = k; f(() => v); }").closure);
    assert!(loops("while (x) { const c = y(); h(function () { return c; }); }").closure);
    assert!(!loops("for (let i = 0; i < 3; i++) { f(() => i); }").binding_assigned_in_closure);
    assert!(loops("for (let i = 0; i < 3; i++) { f(() => --i); }").binding_assigned_in_closure);
    assert!(loops("for (let i = 0; i < 3; i++) { f(function () { i = 2; }); }").binding_assigned_in_closure);
    // Assigned in the body itself, or a name the closure declares itself: not the loop's.
    assert!(!loops("for (let i = 0; i < 3; i++) { i += 1; }").binding_assigned_in_closure);
    assert!(!loops("for (let e of s) r.push(s.map((e, t) => { e = t; t++; return e; }));").binding_assigned_in_closure);
    assert!(!loops("for (let i = 0; i < 3; i++) f(function () { var i = 0; i++; });").binding_assigned_in_closure);
    assert!(loops("for (let i = 0; i < 3; i++) f(function (j) { return () => i++; });").binding_assigned_in_closure);
  }

  #[test]
  fn finds_an_iterated_variable_updated_in_its_loop() {
    assert!(loops("for (var k in o) { var v = k; k++; g(v, k); }").head_updated);
    assert!(loops("var k; for (k of o) --k;").head_updated);
    assert!(!loops("for (var k in o) { var v = k; k = 5; g(v, k); }").head_updated);
    assert!(!loops("for (var k in o) g(k); k++;").head_updated);
    assert!(!loops("for (var i = 0; i < 3; i++) g(i);").head_updated);
  }
}
