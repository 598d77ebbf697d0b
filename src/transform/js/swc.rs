//! The swc pass over one file: parse (TypeScript or ES syntax), resolver, type stripping, ES5
//! lowering (preset-env with DevTools' targets) or lowering back to the source's level, ES
//! modules to CommonJS (Babel's interop, in ES5 forms), helpers, `optimize`, hygiene, fixer,
//! codegen. [`super::process`] decides what runs and checks what comes out.

use std::panic::{AssertUnwindSafe, catch_unwind};

use swc_core::{
  common::{
    DUMMY_SP, FileName, GLOBALS, Globals, Mark, SourceMap, Span, SyntaxContext, comments::NoopComments,
    source_map::SourceMapGenConfig, sync::Lrc, util::take::Take,
  },
  ecma::{
    ast::{EsVersion, Pass, Program, Script},
    codegen::{
      Config as CodegenConfig, Emitter,
      text_writer::{JsWriter, WriteJs, omit_trailing_semi},
    },
    minifier::{
      optimize,
      option::{CompressOptions, ExtraOptions, MangleOptions, MinifyOptions, TopLevelOptions},
    },
    parser::{EsSyntax, Parser, StringInput, Syntax, TsSyntax},
    preset_env,
    transforms::{
      base::{
        fixer::{fixer, paren_remover},
        helpers::{HELPERS, Helpers, inject_helpers},
        hygiene::hygiene,
        resolver,
      },
      module, typescript,
    },
    visit::{Visit, VisitMut, VisitMutWith, VisitWith},
  },
};

use super::helper_imports;
use super::{JsOptions, Shared};
use crate::transform::{Cause, Fallback, es_level, es_level::loops::Loops};

/// Globals of the mini program runtime; never renamed, whatever a file declares.
const RESERVED: &[&str] = &[
  "wx",
  "App",
  "Page",
  "Component",
  "Behavior",
  "getApp",
  "getCurrentPages",
  "require",
  "module",
  "exports",
  "requirePlugin",
  "requireMiniProgram",
  "worker",
  "global",
  "getRegExp",
  "getDate",
];

/// Names the source in the map and inlines its text, so the map alone symbolicates a stack.
struct MapConfig<'a>(&'a str);

impl SourceMapGenConfig for MapConfig<'_> {
  fn file_name_to_source(&self, _: &FileName) -> String {
    self.0.to_string()
  }

  fn inline_sources_content(&self, _: &FileName) -> bool {
    true
  }
}

/// swc's output for one file.
pub struct Printed {
  pub code: String,
  pub map: Option<Vec<u8>>,
  /// The shared helper modules it requires.
  pub helpers: Vec<&'static str>,
}

/// The compile steps a file needs.
#[derive(Debug, Clone, Copy)]
pub struct Passes {
  pub typescript: bool,
  pub es5: bool,
  pub modules: bool,
  pub lower_to: Option<EsVersion>,
  pub ascii: bool,
  /// The output must be ES5 (its input was, or "compile to ES5" is on, or it is WXS).
  pub es5_out: bool,
}

/// One run of the pass over a file.
#[derive(Debug, Clone, Copy)]
pub struct Run<'a> {
  pub passes: Passes,
  /// Helpers required from shared modules; `None` inlines them.
  pub helpers: Option<Shared<'a>>,
  /// Minify with these options; `None` prints readable code.
  pub minify: Option<JsOptions>,
  /// Run the compressor (`false`: only mangle and print compactly).
  pub compress: bool,
  /// The loops of the file that some compressor rewrites get wrong (see [`minified`]).
  pub loops: Loops,
  /// Build a source map naming the source this.
  pub map: Option<&'a str>,
}

pub fn version(level: es_level::EsLevel) -> EsVersion {
  use es_level::EsLevel as L;
  match level {
    L::Es5 => EsVersion::Es5,
    L::Es2015 => EsVersion::Es2015,
    L::Es2016 => EsVersion::Es2016,
    L::Es2017 => EsVersion::Es2017,
    L::Es2018 => EsVersion::Es2018,
    L::Es2019 => EsVersion::Es2019,
    L::Es2020 => EsVersion::Es2020,
    L::Es2021 => EsVersion::Es2021,
    L::Es2022 => EsVersion::Es2022,
    L::EsNext => EsVersion::EsNext,
  }
}

/// Turns the pure annotations' reserved positions into plain dummy ones.
struct Unpure;

impl VisitMut for Unpure {
  fn visit_mut_span(&mut self, span: &mut Span) {
    if span.is_pure() {
      *span = DUMMY_SP;
    }
  }
}

/// Runs the pass over `src`; a panic inside swc is a fallback, not a crash.
pub fn run(src: &str, run: Run) -> Result<Printed, Fallback> {
  catch_unwind(AssertUnwindSafe(|| GLOBALS.set(&Globals::new(), || compile(src, run))))
    .unwrap_or_else(|_| Err(Fallback::new(Cause::ToolFault, "swc panicked on this file (a compiler bug)")))
}

fn has_do_while(program: &Program) -> bool {
  struct Find(bool);
  impl Visit for Find {
    fn visit_do_while_stmt(&mut self, _: &swc_core::ecma::ast::DoWhileStmt) {
      self.0 = true;
    }
  }
  let mut find = Find(false);
  program.visit_with(&mut find);
  find.0
}

/// DevTools' "compile to ES5" targets (platform doc 10), plus the two transforms strict ES5
/// needs whatever the targets say: `{[k]: v}` and repeated keys.
fn es5_env() -> Option<preset_env::EnvConfig> {
  let config: preset_env::Config = serde_json::from_value(serde_json::json!({
    "targets": {"chrome": "53", "ios": "8"},
    "include": ["transform-computed-properties", "transform-duplicate-keys"],
  }))
  .ok()?;
  Some(config.into())
}

/// Applies `pass` to the program in place.
fn apply(program: &mut Program, pass: impl Pass) {
  *program = std::mem::replace(program, Program::Script(Script::dummy())).apply(pass);
}

fn compile(src: &str, Run { passes, helpers, minify, compress, loops, map }: Run) -> Result<Printed, Fallback> {
  let cm: Lrc<SourceMap> = Lrc::default();
  let fm = cm.new_source_file(Lrc::new(FileName::Anon), src.to_string());
  let syntax = if passes.typescript {
    Syntax::Typescript(TsSyntax::default())
  } else {
    Syntax::Es(EsSyntax { allow_return_outside_function: true, ..EsSyntax::default() })
  };
  let mut parser = Parser::new(syntax, StringInput::from(&*fm), None);
  let mut program = parser
    .parse_program()
    .map_err(|e| Fallback::new(Cause::Unparsable, format!("swc cannot parse it: {:?}", e.kind())))?;
  if let Some(e) = parser.take_errors().first() {
    return Err(Fallback::new(Cause::Unparsable, format!("swc cannot parse it: {:?}", e.kind())));
  }
  let unresolved_mark = Mark::new();
  let top_level_mark = Mark::new();
  apply(&mut program, resolver(unresolved_mark, top_level_mark, passes.typescript));
  if passes.typescript {
    let config = typescript::Config { no_empty_export: true, ..typescript::Config::default() };
    apply(&mut program, typescript::typescript(config, unresolved_mark, top_level_mark));
  }
  // Shared helpers are required, which needs CommonJS: a script, or a module the CommonJS pass
  // converts.
  let helpers = helpers.filter(|_| passes.modules || matches!(program, Program::Script(_)));
  let mut required = Vec::new();
  let assumptions = super::babel_forms::assumptions(passes.typescript);
  let lowers_es2015 = passes.es5 || passes.lower_to.is_some_and(|v| v < EsVersion::Es2015);
  HELPERS.set(&Helpers::new(helpers.is_some()), || -> Result<(), Fallback> {
    super::babel_forms::rest_as_arguments(&mut program, lowers_es2015, unresolved_mark);
    if passes.es5 {
      let env =
        es5_env().ok_or_else(|| Fallback::new(Cause::ToolFault, "the ES5 targets do not parse (a wxpack bug)"))?;
      apply(&mut program, preset_env::transform_from_env(unresolved_mark, None::<NoopComments>, env, assumptions));
    }
    if let Some(version) = passes.lower_to {
      let pass =
        preset_env::transform_from_es_version(unresolved_mark, None::<NoopComments>, version, assumptions, false);
      apply(&mut program, pass);
    }
    super::babel_forms::unguard_typeof(&mut program, lowers_es2015, unresolved_mark, HELPERS.with(Helpers::mark));
    if passes.modules {
      // CommonJS as Babel writes it (DevTools' own compile is Babel), in ES5 forms, so the
      // conversion never raises the syntax level.
      let config = module::common_js::Config {
        import_interop: Some(module::util::ImportInterop::Swc),
        ..module::common_js::Config::default()
      };
      let features = module::common_js::FeatureFlag { support_block_scoping: false, support_arrow: false };
      let exports = match &program {
        Program::Module(m) => super::exports::exports_anything(m),
        Program::Script(_) => true,
      };
      apply(
        &mut program,
        module::common_js::common_js(module::path::Resolver::Default, unresolved_mark, config, features),
      );
      if let Program::Module(m) = &mut program {
        super::exports::assign(m);
        if !exports {
          super::exports::unmark(m);
        }
      }
    }
    let Some(shared) = helpers else {
      apply(&mut program, inject_helpers(unresolved_mark));
      return Ok(());
    };
    // swc writes external helpers as imports, and only into modules.
    let (mut module, script) =
      helper_imports::into_module(std::mem::replace(&mut program, Program::Script(Script::dummy())));
    module.visit_mut_with(&mut inject_helpers(unresolved_mark));
    let helper_mark = HELPERS.with(Helpers::mark);
    required = helper_imports::route(&mut module, shared, unresolved_mark, helper_mark)
      .ok_or_else(|| Fallback::new(Cause::ToolFault, "swc's helpers do not parse (a wxpack bug)"))?;
    program = if script { helper_imports::into_script(module) } else { Program::Module(module) };
    Ok(())
  })?;
  if let Some(options) = minify {
    let compiled = passes.typescript || passes.es5 || passes.modules || passes.lower_to.is_some();
    let (unresolved_mark, top_level_mark) =
      if compiled { rescoped(&mut program) } else { (unresolved_mark, top_level_mark) };
    program = minified(program, &cm, options, Compress { on: compress, loops }, unresolved_mark, top_level_mark);
  }
  // Names the compile steps introduced (helpers, module bindings) get distinct spellings.
  apply(&mut program, hygiene());
  let mut fix = fixer(None);
  fix.process(&mut program);
  let (code, map) = print(&cm, &program, passes, minify.is_some(), map, src.len())?;
  Ok(Printed { code, map, helpers: required })
}

/// Forgets every scope mark, so the resolver can mark the program afresh.
struct ForgetScopes;

impl VisitMut for ForgetScopes {
  fn visit_mut_syntax_context(&mut self, ctxt: &mut SyntaxContext) {
    *ctxt = SyntaxContext::empty();
  }
}

/// The compiled program with its names resolved as if its printed text had been parsed again;
/// returns the new unresolved and top-level marks. The compile steps add bindings the resolver
/// never saw (a lowered class's `arguments` copy, helper names, module bindings) that share a
/// spelling with the user's names and differ only by mark; the minifier's scope analysis reads
/// names as the printed text would, so without this it inlined and mangled the class name and
/// a constructor local of @tanstack/query-core into one (issue 23). Hygiene first gives every
/// binding a distinct spelling, so the marks carry nothing the names do not.
fn rescoped(program: &mut Program) -> (Mark, Mark) {
  apply(program, hygiene());
  program.visit_mut_with(&mut ForgetScopes);
  let (unresolved_mark, top_level_mark) = (Mark::new(), Mark::new());
  apply(program, resolver(unresolved_mark, top_level_mark, false));
  (unresolved_mark, top_level_mark)
}

/// What the compressor may do.
#[derive(Debug, Clone, Copy)]
struct Compress {
  on: bool,
  loops: Loops,
}

/// swc's compressor (held to ES5) and mangler, top-level names included.
///
/// Two of swc_ecma_minifier 64's rewrites change what programs do, found by running generated
/// programs before and after (tests/minified_runs.rs), so they are off:
/// - `collapse_vars` moved a variable's initial value into a later assignment past a call of a
///   function that reads the variable (`var s = 0; ... s += f()` with `f` reading `s` saw
///   `undefined`);
/// - with inlining, a `let`/`const` declared in a loop and captured by a closure was replaced by
///   the loop's own variable, so every closure saw the last iteration's value (`for (var k in o)
///   { let v = k; fns.push(() => v) }`); `inline` is 0 for files with such a loop
///   ([`es_level::loops`]), which costs those files their inlining only;
/// - a copy of a `for (x in/of ...)` variable that the body then increments was replaced by the
///   variable (`var v = k; k++; g(v, k)` became `g(++k, k)`); files with such a loop are not
///   inlined either.
fn minified(
  program: Program,
  cm: &Lrc<SourceMap>,
  options: JsOptions,
  compress: Compress,
  unresolved_mark: Mark,
  top_level_mark: Mark,
) -> Program {
  let minify_options = MinifyOptions {
    compress: compress.on.then(|| CompressOptions {
      ecma: EsVersion::Es5,
      drop_console: options.drop_console,
      drop_debugger: options.drop_debugger,
      top_level: Some(TopLevelOptions { functions: true }),
      // `directives: true` drops directives it does not know, Skyline's 'worklet' among them.
      directives: false,
      collapse_vars: false,
      inline: if compress.loops.closure || compress.loops.head_updated { 0 } else { CompressOptions::default().inline },
      ..CompressOptions::default()
    }),
    mangle: options.mangle.then(|| MangleOptions {
      top_level: Some(true),
      reserved: RESERVED.iter().map(|s| (*s).into()).collect(),
      ..MangleOptions::default()
    }),
    ..MinifyOptions::default()
  };
  let extra = ExtraOptions { unresolved_mark, top_level_mark, mangle_name_cache: None };
  // The compressor reads a tree without parentheses, as swc's own `minify` gives it: its
  // sequence merger does not look inside `Expr::Paren` and put a function parameter's
  // assignment into the first use it found, the right operand of a `||`, so the assignment ran
  // only when the left side was false (uni-app's `initWx`, issue 23).
  let mut program = program;
  super::babel_forms::strict_once(&mut program);
  program.visit_mut_with(&mut paren_remover(None));
  let mut program = optimize(program, cm.clone(), None, None, &minify_options, &extra);
  // The printer writes `/*#__PURE__*/` before every call the compile steps marked pure
  // (`_interop_require_default(require(...))`), comments or not: 15 bytes each, read by no
  // one once the compressor ran.
  program.visit_mut_with(&mut Unpure);
  program
}

/// The program as text (and its source map when `map` names the file).
fn print(
  cm: &Lrc<SourceMap>,
  program: &Program,
  passes: Passes,
  minify: bool,
  map: Option<&str>,
  src_len: usize,
) -> Result<(String, Option<Vec<u8>>), Fallback> {
  let mut buf = Vec::with_capacity(src_len / 2);
  let mut mappings = Vec::new();
  {
    let writer = JsWriter::new(cm.clone(), "\n", &mut buf, map.map(|_| &mut mappings));
    let mut emitter = Emitter {
      // ES5 has no automatic `;` after `do ... while (...)`: only the ES5 printer writes it.
      // The ES2015 printer writes non-ASCII text as UTF-8 (the ES5 one escapes U+0080..U+00FF
      // and astral characters, growing them 2 to 3 times); it prints the same syntax, and the
      // level check catches any change. Only ES5 output needs ES5 string escapes.
      cfg: CodegenConfig::default()
        .with_minify(minify)
        .with_target(if passes.ascii || (passes.es5_out && has_do_while(program)) {
          EsVersion::Es5
        } else {
          EsVersion::Es2015
        })
        .with_omit_last_semi(minify),
      cm: cm.clone(),
      comments: None,
      wr: if minify { Box::new(omit_trailing_semi(writer)) } else { Box::new(writer) as Box<dyn WriteJs> },
    };
    emitter.emit_program(program).map_err(|e| Fallback::new(Cause::ToolFault, format!("swc cannot print it: {e}")))?;
  }
  let code = String::from_utf8(buf).map_err(|_| Fallback::new(Cause::ToolFault, "swc printed invalid UTF-8"))?;
  let map = map.and_then(|name| {
    let mut json = Vec::new();
    cm.build_source_map(&mappings, None, MapConfig(name)).to_writer(&mut json).ok()?;
    Some(json)
  });
  Ok((code, map))
}
