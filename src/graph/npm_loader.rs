//! DevTools' "build npm" loader. Every npm package that "build npm" bundles becomes one file:
//!
//! ```js
//! module.exports = (function() {
//! var __MODS__ = {};
//! var __DEFINE__ = function(modId, func, req) { ... };
//! var __REQUIRE__ = function(modId, source) { if(!__MODS__[modId]) return require(source); ... };
//! __DEFINE__(1700000000001, function(require, module, exports) {
//!   var a = require('./a');   // bundled: the map below names it
//!   var b = require('dayjs'); // not bundled: falls through to the real require
//! }, function(modId) { var map = {"./a":1700000000002}; return __REQUIRE__(map[modId], modId); })
//! return __REQUIRE__(1700000000001);
//! })()
//! ```
//!
//! The `require(source)` in `__REQUIRE__` is computed, but `source` is only ever a string some
//! bundled module wrote in its own `require('...')` call, and those are scanned as static
//! references. So the loader's own `require` names nothing new, and a module's `require` of a
//! specifier its map lists loads a module bundled in the same file, not a file.

use oxc_ast::ast::{
  Argument, BindingPattern, CallExpression, Expression, ObjectPropertyKind, Statement, VariableDeclarator,
};

/// The loader's name for the specifier it falls back to (`source`), when `decl` is
/// `var __REQUIRE__ = function(modId, source) { ... }`.
pub fn fallback_param<'a>(decl: &VariableDeclarator<'a>) -> Option<&'a str> {
  if decl.id.get_identifier_name().is_none_or(|n| n != "__REQUIRE__") {
    return None;
  }
  let Some(Expression::FunctionExpression(f)) = &decl.init else { return None };
  match f.params.items.get(1).map(|p| &p.pattern) {
    Some(BindingPattern::BindingIdentifier(id)) => Some(id.name.as_str()),
    _ => None,
  }
}

/// The specifiers a `__DEFINE__(id, func, req)` call bundles: the keys of `var map = {...}` in
/// its `req` function. `None` when `call` is not such a call.
pub fn bundled(call: &CallExpression) -> Option<Vec<String>> {
  if !matches!(&call.callee, Expression::Identifier(id) if id.name == "__DEFINE__") || call.arguments.len() != 3 {
    return None;
  }
  let Some(Argument::FunctionExpression(req)) = call.arguments.get(2) else { return None };
  let body = req.body.as_ref()?;
  let mut keys = Vec::new();
  for stmt in &body.statements {
    let Statement::VariableDeclaration(v) = stmt else { continue };
    for d in v.declarations.iter().filter(|d| d.id.get_identifier_name().is_some_and(|n| n == "map")) {
      let Some(Expression::ObjectExpression(o)) = &d.init else { continue };
      for p in &o.properties {
        if let ObjectPropertyKind::ObjectProperty(p) = p
          && let Some(k) = p.key.static_name()
        {
          keys.push(k.to_string());
        }
      }
    }
  }
  Some(keys)
}
