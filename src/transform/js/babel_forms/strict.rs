//! One `"use strict"` per strict file (see [`strict_once`]).

use swc_core::ecma::{
  ast::{Expr, FunctionBody, Lit, Stmt},
  visit::{VisitMut, VisitMutWith},
};

/// Drops `"use strict"` from the functions of a program that is strict from its first line:
/// the lowering writes it into every class it turns into a function (class bodies are strict,
/// a sloppy script's functions are not), 13 bytes each, and the compressor keeps directives
/// (it would drop Skyline's `'worklet'` with them). Babel writes none in strict code.
pub fn strict_once(program: &mut swc_core::ecma::ast::Program) {
  use swc_core::ecma::ast::Program;
  let prologue: Vec<String> = match program {
    Program::Module(m) => m.body.iter().map_while(|i| i.as_stmt().and_then(directive)).collect(),
    Program::Script(s) => s.body.iter().map_while(directive).collect(),
  };
  let strict = prologue.iter().any(|d| d == "use strict");
  if strict {
    program.visit_mut_children_with(&mut StrictOnce);
  }
}

/// A statement's directive text, when it is one (a string literal alone). A directive is its
/// raw text: `"use\x20strict"` is a string, not `"use strict"` (what the compile steps write
/// has no raw text).
fn directive(stmt: &Stmt) -> Option<String> {
  let e = stmt.as_expr()?;
  let Expr::Lit(Lit::Str(s)) = &*e.expr else { return None };
  let value = s.value.to_string_lossy();
  match &s.raw {
    Some(raw) if raw.get(1..raw.len().saturating_sub(1)) != Some(&*value) => Some(raw.to_string()),
    _ => Some(value.into_owned()),
  }
}

struct StrictOnce;

impl VisitMut for StrictOnce {
  fn visit_mut_function_body(&mut self, body: &mut FunctionBody) {
    body.visit_mut_children_with(self);
    let directives = body.stmts.iter().take_while(|s| directive(s).is_some()).count();
    let mut at = 0;
    body.stmts.retain(|s| {
      at += 1;
      at > directives || directive(s).as_deref() != Some("use strict")
    });
  }
}
