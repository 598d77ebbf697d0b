//! The syntax walk behind [`super::detect`]: each node the walk meets raises the level to the
//! edition that introduced it.

use std::collections::HashSet;

use oxc_ast::ast::{
  ArrayAssignmentTarget, ArrayPattern, ArrowFunctionExpression, AssignmentExpression, AssignmentPattern, BigIntLiteral,
  BinaryExpression, BindingIdentifier, BindingRestElement, CatchClause, ChainExpression, Class, Directive,
  DoWhileStatement, ExportAllDeclaration, ExportDeclaration, ExportDefaultDeclaration, ExportFromDeclaration,
  ExportNamedDeclaration, ForOfStatement, FormalParameter, Function, IdentifierName, IdentifierReference,
  ImportDeclaration, ImportExpression, ImportMeta, LogicalExpression, NewTarget, NumericLiteral,
  ObjectAssignmentTarget, ObjectExpression, ObjectPattern, ObjectPropertyKind, PrivateIdentifier, PropertyDefinition,
  RegExpFlags, RegExpLiteral, StaticBlock, StringLiteral, TaggedTemplateExpression, TemplateLiteral,
  VariableDeclaration, VariableDeclarationKind, YieldExpression,
};
use oxc_ast_visit::{Visit, walk};
use oxc_syntax::operator::{AssignmentOperator, BinaryOperator, LogicalOperator};

use super::{EsLevel, Syntax};

pub(super) struct Detector<'s> {
  pub(super) src: &'s str,
  pub(super) syntax: Syntax,
}

impl Detector<'_> {
  fn saw(&mut self, level: EsLevel, feature: &'static str) {
    self.syntax.code_level = self.syntax.code_level.max(level);
    self.top(level, feature);
  }

  fn saw_regex(&mut self, level: EsLevel, feature: &'static str) {
    self.syntax.regex_level = self.syntax.regex_level.max(level);
    self.top(level, feature);
  }

  fn top(&mut self, level: EsLevel, feature: &'static str) {
    if level > self.syntax.level {
      self.syntax.level = level;
      self.syntax.feature = feature;
    }
  }

  fn ident(&mut self, name: &str) {
    if self.syntax.dollar_identifier.is_none() && name.contains('$') {
      self.syntax.dollar_identifier = Some(name.to_string());
    }
  }
}

impl<'a> Visit<'a> for Detector<'_> {
  /// ES2015 inserts a `;` after `do ... while (x)` when the next token cannot continue it; ES5
  /// requires it written (acorn at `ecmaVersion: 5` rejects `do x;while(y)return`).
  fn visit_do_while_statement(&mut self, it: &DoWhileStatement<'a>) {
    // ES5 inserts it too before `}`, at the end, and before a line break.
    let end = it.span.end as usize;
    let written = self.src.get(..end).is_some_and(|s| s.trim_end().ends_with(';'));
    let after = self.src.get(end..).unwrap_or("");
    let next = after.trim_start();
    let gap = &after[..after.len() - next.len()];
    if !(written || gap.contains(['\n', '\r']) || next.is_empty() || next.starts_with(['}', ';'])) {
      self.saw(EsLevel::Es2015, "a do-while without its ;");
    }
    walk::walk_do_while_statement(self, it);
  }

  fn visit_directive(&mut self, it: &Directive<'a>) {
    if it.directive == "worklet" {
      self.syntax.worklets += 1;
    }
    walk::walk_directive(self, it);
  }

  fn visit_template_literal(&mut self, it: &TemplateLiteral<'a>) {
    self.saw(EsLevel::Es2015, "template literal");
    walk::walk_template_literal(self, it);
  }

  fn visit_tagged_template_expression(&mut self, it: &TaggedTemplateExpression<'a>) {
    self.saw(EsLevel::Es2015, "tagged template");
    walk::walk_tagged_template_expression(self, it);
  }

  fn visit_arrow_function_expression(&mut self, it: &ArrowFunctionExpression<'a>) {
    self.saw(if it.r#async { EsLevel::Es2017 } else { EsLevel::Es2015 }, "arrow function");
    walk::walk_arrow_function_expression(self, it);
  }

  fn visit_variable_declaration(&mut self, it: &VariableDeclaration<'a>) {
    match it.kind {
      VariableDeclarationKind::Var => {}
      VariableDeclarationKind::Let | VariableDeclarationKind::Const => self.saw(EsLevel::Es2015, "let/const"),
      _ => self.saw(EsLevel::EsNext, "using declaration"),
    }
    walk::walk_variable_declaration(self, it);
  }

  fn visit_class(&mut self, it: &Class<'a>) {
    self.saw(EsLevel::Es2015, "class");
    walk::walk_class(self, it);
  }

  fn visit_object_pattern(&mut self, it: &ObjectPattern<'a>) {
    self.saw(if it.rest.is_some() { EsLevel::Es2018 } else { EsLevel::Es2015 }, "destructuring");
    walk::walk_object_pattern(self, it);
  }

  fn visit_array_pattern(&mut self, it: &ArrayPattern<'a>) {
    self.saw(EsLevel::Es2015, "destructuring");
    walk::walk_array_pattern(self, it);
  }

  fn visit_object_assignment_target(&mut self, it: &ObjectAssignmentTarget<'a>) {
    self.saw(if it.rest.is_some() { EsLevel::Es2018 } else { EsLevel::Es2015 }, "destructuring assignment");
    walk::walk_object_assignment_target(self, it);
  }

  fn visit_array_assignment_target(&mut self, it: &ArrayAssignmentTarget<'a>) {
    self.saw(EsLevel::Es2015, "destructuring assignment");
    walk::walk_array_assignment_target(self, it);
  }

  fn visit_binding_rest_element(&mut self, it: &BindingRestElement<'a>) {
    self.saw(EsLevel::Es2015, "rest element");
    walk::walk_binding_rest_element(self, it);
  }

  fn visit_formal_parameter(&mut self, it: &FormalParameter<'a>) {
    if it.initializer.is_some() {
      self.saw(EsLevel::Es2015, "default parameter");
    }
    walk::walk_formal_parameter(self, it);
  }

  fn visit_assignment_pattern(&mut self, it: &AssignmentPattern<'a>) {
    self.saw(EsLevel::Es2015, "default value");
    walk::walk_assignment_pattern(self, it);
  }

  fn visit_object_expression(&mut self, it: &ObjectExpression<'a>) {
    let mut keys = HashSet::new();
    for prop in &it.properties {
      match prop {
        ObjectPropertyKind::SpreadProperty(_) => self.saw(EsLevel::Es2018, "object spread"),
        ObjectPropertyKind::ObjectProperty(p) => {
          if p.computed {
            self.saw(EsLevel::Es2015, "computed key");
          } else if p.shorthand {
            self.saw(EsLevel::Es2015, "shorthand property");
          } else if p.method {
            self.saw(EsLevel::Es2015, "shorthand method");
          }
          let plain = !p.computed && matches!(p.kind, oxc_ast::ast::PropertyKind::Init);
          if plain
            && let Some(name) = p.key.static_name()
            && name != "__proto__"
            && !keys.insert(name.to_string())
            && self.syntax.duplicate_key.is_none()
          {
            self.syntax.duplicate_key = Some(name.to_string());
          }
        }
      }
    }
    walk::walk_object_expression(self, it);
  }

  fn visit_spread_element(&mut self, it: &oxc_ast::ast::SpreadElement<'a>) {
    self.saw(EsLevel::Es2015, "spread");
    walk::walk_spread_element(self, it);
  }

  fn visit_function(&mut self, it: &Function<'a>, flags: oxc_syntax::scope::ScopeFlags) {
    match (it.r#async, it.generator) {
      (true, true) => self.saw(EsLevel::Es2018, "async generator"),
      (true, false) => self.saw(EsLevel::Es2017, "async function"),
      (false, true) => self.saw(EsLevel::Es2015, "generator"),
      (false, false) => {}
    }
    walk::walk_function(self, it, flags);
  }

  fn visit_for_of_statement(&mut self, it: &ForOfStatement<'a>) {
    self.saw(if it.r#await { EsLevel::Es2018 } else { EsLevel::Es2015 }, "for-of");
    walk::walk_for_of_statement(self, it);
  }

  fn visit_yield_expression(&mut self, it: &YieldExpression<'a>) {
    self.saw(EsLevel::Es2015, "yield");
    walk::walk_yield_expression(self, it);
  }

  fn visit_binary_expression(&mut self, it: &BinaryExpression<'a>) {
    if it.operator == BinaryOperator::Exponential {
      self.saw(EsLevel::Es2016, "exponent operator");
    }
    walk::walk_binary_expression(self, it);
  }

  fn visit_assignment_expression(&mut self, it: &AssignmentExpression<'a>) {
    match it.operator {
      AssignmentOperator::Exponential => self.saw(EsLevel::Es2016, "exponent operator"),
      AssignmentOperator::LogicalAnd | AssignmentOperator::LogicalOr | AssignmentOperator::LogicalNullish => {
        self.saw(EsLevel::Es2021, "logical assignment");
      }
      _ => {}
    }
    walk::walk_assignment_expression(self, it);
  }

  fn visit_logical_expression(&mut self, it: &LogicalExpression<'a>) {
    if it.operator == LogicalOperator::Coalesce {
      self.saw(EsLevel::Es2020, "nullish coalescing");
    }
    walk::walk_logical_expression(self, it);
  }

  fn visit_chain_expression(&mut self, it: &ChainExpression<'a>) {
    self.saw(EsLevel::Es2020, "optional chaining");
    walk::walk_chain_expression(self, it);
  }

  fn visit_big_int_literal(&mut self, _: &BigIntLiteral<'a>) {
    self.saw(EsLevel::Es2020, "BigInt");
  }

  fn visit_numeric_literal(&mut self, it: &NumericLiteral<'a>) {
    if let Some(raw) = &it.raw {
      let r = raw.as_str();
      if r.contains('_') {
        self.saw(EsLevel::Es2021, "numeric separator");
      } else if r.len() > 1 && matches!(&r.as_bytes()[..2], b"0b" | b"0B" | b"0o" | b"0O") {
        self.saw(EsLevel::Es2015, "binary/octal literal");
      }
    }
  }

  fn visit_string_literal(&mut self, it: &StringLiteral<'a>) {
    if it.raw.as_ref().is_some_and(|r| has_code_point_escape(r.as_str())) {
      self.saw(EsLevel::Es2015, "code point escape");
    }
  }

  fn visit_reg_exp_literal(&mut self, it: &RegExpLiteral<'a>) {
    let f = it.regex.flags;
    if f.contains(RegExpFlags::V) {
      self.saw_regex(EsLevel::EsNext, "regexp v flag");
    } else if f.contains(RegExpFlags::D) {
      self.saw_regex(EsLevel::Es2022, "regexp d flag");
    } else if f.contains(RegExpFlags::S) {
      self.saw_regex(EsLevel::Es2018, "regexp s flag");
    } else if f.intersects(RegExpFlags::U | RegExpFlags::Y) {
      self.saw_regex(EsLevel::Es2015, "regexp u/y flag");
    }
  }

  fn visit_catch_clause(&mut self, it: &CatchClause<'a>) {
    if it.param.is_none() {
      self.saw(EsLevel::Es2019, "optional catch binding");
    }
    walk::walk_catch_clause(self, it);
  }

  fn visit_property_definition(&mut self, it: &PropertyDefinition<'a>) {
    self.saw(EsLevel::Es2022, "class field");
    walk::walk_property_definition(self, it);
  }

  fn visit_private_identifier(&mut self, _: &PrivateIdentifier<'a>) {
    self.saw(EsLevel::Es2022, "private name");
  }

  fn visit_static_block(&mut self, it: &StaticBlock<'a>) {
    self.saw(EsLevel::Es2022, "static block");
    walk::walk_static_block(self, it);
  }

  fn visit_new_target(&mut self, _: &NewTarget) {
    self.saw(EsLevel::Es2015, "new.target");
  }

  fn visit_import_meta(&mut self, _: &ImportMeta) {
    self.saw(EsLevel::Es2020, "import.meta");
  }

  fn visit_import_expression(&mut self, it: &ImportExpression<'a>) {
    self.saw(EsLevel::Es2020, "dynamic import");
    walk::walk_import_expression(self, it);
  }

  fn visit_import_declaration(&mut self, it: &ImportDeclaration<'a>) {
    self.saw(EsLevel::Es2015, "import");
    self.syntax.module = true;
    walk::walk_import_declaration(self, it);
  }

  fn visit_export_named_declaration(&mut self, it: &ExportNamedDeclaration<'a>) {
    self.saw(EsLevel::Es2015, "export");
    self.syntax.module = true;
    walk::walk_export_named_declaration(self, it);
  }

  fn visit_export_default_declaration(&mut self, it: &ExportDefaultDeclaration<'a>) {
    self.saw(EsLevel::Es2015, "export");
    self.syntax.module = true;
    walk::walk_export_default_declaration(self, it);
  }

  fn visit_export_all_declaration(&mut self, it: &ExportAllDeclaration<'a>) {
    self.saw(EsLevel::Es2015, "export");
    self.syntax.module = true;
    walk::walk_export_all_declaration(self, it);
  }

  // oxc 0.146 splits `export const x` (ExportDeclaration), `export { x }` (ExportNamed) and
  // `export { x } from` (ExportFrom).
  fn visit_export_declaration(&mut self, it: &ExportDeclaration<'a>) {
    self.saw(EsLevel::Es2015, "export");
    self.syntax.module = true;
    walk::walk_export_declaration(self, it);
  }

  fn visit_export_from_declaration(&mut self, it: &ExportFromDeclaration<'a>) {
    self.saw(EsLevel::Es2015, "export");
    self.syntax.module = true;
    walk::walk_export_from_declaration(self, it);
  }

  fn visit_binding_identifier(&mut self, it: &BindingIdentifier<'a>) {
    self.ident(&it.name);
  }

  fn visit_identifier_reference(&mut self, it: &IdentifierReference<'a>) {
    self.ident(&it.name);
  }

  fn visit_identifier_name(&mut self, it: &IdentifierName<'a>) {
    self.ident(&it.name);
  }
}

/// `\u{...}` where the backslash is not itself escaped (`"\\u{"` is a backslash and `u{`).
fn has_code_point_escape(raw: &str) -> bool {
  raw.match_indices("u{").any(|(i, _)| raw[..i].bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 1)
}
