//! Random programs for the minifier's run comparison (tests/minified_runs.rs), built from the
//! shapes a compressor rewrites: small functions it inlines (parameters used under `||`, `&&`
//! and `?:`, in loops, several times), sequences and assignments inside expressions, `for…in`
//! and counted loops, `switch`, `try`, closures over shared state, and, when the program is
//! lowered to ES5, `let` in loops, arrows, template literals, default parameters, classes,
//! spread, destructuring and rest parameters (read by index, by length, spread into calls, and
//! from closures). Every call that matters goes through `rec`, which logs its
//! argument: the order of evaluation is part of what the module exports. Programs always end:
//! loops are counted, functions call only functions defined before them, and every function
//! entry counts a step (`tick`) that throws past a budget, so a program whose calls multiply
//! stops at the same point minified or not (instead of running into the harness's time limit,
//! which a faster minified run might not reach).

/// A deterministic generator (PCG-style LCG).
struct Rng(u64);

impl Rng {
  fn next(&mut self) -> u64 {
    self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
    self.0 >> 33
  }

  fn below(&mut self, n: usize) -> usize {
    (self.next() % n.max(1) as u64) as usize
  }

  fn chance(&mut self, percent: u64) -> bool {
    self.next() % 100 < percent
  }

  fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
    items[self.below(items.len())]
  }
}

struct Gen {
  rng: Rng,
  /// ES2015+ forms may appear (the program is lowered to ES5 before minifying).
  modern: bool,
  /// Functions defined so far, with how many arguments their calls pass.
  functions: Vec<usize>,
  /// Names in scope for reading and assigning.
  scope: Vec<String>,
  /// Rest parameters in scope (arrays: only read).
  rests: Vec<String>,
  fresh: usize,
}

/// The arrays `indexOf` is called on (`table` is an object: calling a method it lacks throws,
/// and swc's compressor may drop such a call, see tests/minified_runs.rs).
const ARRAYS: &[&str] = &["list", "names"];

impl Gen {
  fn name(&mut self, prefix: &str) -> String {
    self.fresh += 1;
    format!("{prefix}{}", self.fresh)
  }

  fn literal(&mut self) -> String {
    match self.rng.below(6) {
      0 => self.rng.below(10).to_string(),
      1 => format!("\"{}\"", self.rng.pick(&["a", "b", "env", "canIUse", "x y", ""])),
      2 => self.rng.pick(&["true", "false"]).into(),
      3 => self.rng.pick(&["null", "void 0", "-1"]).into(),
      4 => (self.rng.below(1000) as f64 / 8.0).to_string(),
      _ => self.rng.pick(&["1154", "0", "2"]).into(),
    }
  }

  fn var(&mut self) -> String {
    if self.scope.is_empty() || self.rng.chance(20) {
      return self.literal();
    }
    self.scope[self.rng.below(self.scope.len())].clone()
  }

  fn expr(&mut self, depth: u32) -> String {
    if depth == 0 {
      return if self.rng.chance(60) { self.var() } else { self.literal() };
    }
    let d = depth - 1;
    if !self.rests.is_empty() && self.rng.chance(15) {
      let r = self.rests[self.rng.below(self.rests.len())].clone();
      // Mostly reads `arguments` can stand for; an array method now and then keeps the copy.
      return match self.rng.below(9) {
        0 | 1 => format!("{r}.length"),
        2 | 3 => format!("{r}[{}]", self.rng.below(3)),
        4 | 5 => format!("rec(...{r})"),
        6 | 7 => format!("[...{r}, {}].length", self.expr(d)),
        _ => format!("{r}.map(String).join()"),
      };
    }
    match self.rng.below(if self.modern { 20 } else { 17 }) {
      0 | 1 => format!("({} {} {})", self.expr(d), self.rng.pick(&["||", "&&", "??"][..2]), self.expr(d)),
      2 => format!("({} ? {} : {})", self.expr(d), self.expr(d), self.expr(d)),
      3 => format!(
        "({} {} {})",
        self.expr(d),
        self.rng.pick(&["+", "-", "*", "%", "<", ">=", "===", "!==", "=="]),
        self.expr(d)
      ),
      4 => format!("{}{}", self.rng.pick(&["!", "- ", "typeof ", "void "]), self.expr(d)),
      5 | 6 if !self.functions.is_empty() => {
        let f = self.rng.below(self.functions.len());
        let args: Vec<String> = (0..self.functions[f]).map(|_| self.expr(d)).collect();
        format!("f{f}({})", args.join(", "))
      }
      7 => format!("rec({})", self.expr(d)),
      // Loop counters are never assigned (the loops must end).
      8 if self.scope.iter().any(|v| !v.starts_with('i')) => {
        let names: Vec<&String> = self.scope.iter().filter(|v| !v.starts_with('i')).collect();
        let v = names[self.rng.below(names.len())].clone();
        match self.rng.below(3) {
          // `short` keeps strings short: `s += s` in a loop would double one past the memory
          // and time a run has.
          0 => format!("({v} = short({}))", self.expr(d)),
          1 => format!("({v} += short({}))", self.expr(d)),
          _ => format!("{v}++"),
        }
      }
      9 => format!("({}, {})", self.expr(d), self.expr(d)),
      10 => format!("{}.indexOf({}) > -1", self.rng.pick(ARRAYS), self.expr(d)),
      11 => format!("(typeof wx[{}] === \"function\")", self.expr(d)),
      12 => format!("list[{} % 3]", self.expr(d)),
      13 => format!("table[{}]", self.expr(d)),
      14 => self.called_closure(d, false),
      15 => format!("[{}, {}].length", self.expr(d), self.expr(d)),
      16 => format!("String({})", self.expr(d)),
      17 => format!("`{}-${{{}}}`", self.rng.pick(&["t", "u"]), self.expr(d)),
      18 => self.called_closure(d, true),
      19 => format!("[...list, {}].length", self.expr(d)),
      _ => self.var(),
    }
  }

  /// A function of one parameter (an arrow, or not), called at once.
  fn called_closure(&mut self, d: u32, arrow: bool) -> String {
    let p = self.name("p");
    self.scope.push(p.clone());
    let body = self.expr(d);
    self.scope.pop();
    let arg = self.expr(d);
    if arrow { format!("(({p}) => {body})({arg})") } else { format!("(function ({p}) {{ return {body}; }})({arg})") }
  }

  fn decl(&mut self) -> &'static str {
    if self.modern && self.rng.chance(50) { "let" } else { "var" }
  }

  fn statement(&mut self, depth: u32, out: &mut String, indent: &str) {
    let d = depth.saturating_sub(1);
    let inner = format!("{indent}  ");
    match self.rng.below(if depth == 0 { 3 } else { 10 }) {
      0 => {
        let v = self.name("v");
        let kw = self.decl();
        out.push_str(&format!("{indent}{kw} {v} = {};\n", self.expr(2)));
        self.scope.push(v);
      }
      1 => out.push_str(&format!("{indent}rec({});\n", self.expr(3))),
      2 => out.push_str(&format!("{indent}{} && rec({});\n", self.expr(2), self.expr(1))),
      3 => {
        out.push_str(&format!("{indent}if ({}) {{\n", self.expr(2)));
        self.block(d, out, &inner);
        out.push_str(&format!("{indent}}} else {{\n"));
        self.block(d, out, &inner);
        out.push_str(&format!("{indent}}}\n"));
      }
      4 => {
        let i = self.name("i");
        let kw = self.decl();
        out.push_str(&format!("{indent}for ({kw} {i} = 0; {i} < {}; {i}++) {{\n", 1 + self.rng.below(3)));
        self.scope.push(i);
        self.block(d, out, &inner);
        if self.modern && self.rng.chance(50) {
          out.push_str(&format!("{inner}later.push(() => rec({}));\n", self.var()));
        }
        self.scope.pop();
        out.push_str(&format!("{indent}}}\n"));
      }
      5 => {
        let k = self.name("k");
        out.push_str(&format!("{indent}for (var {k} in table) {{\n"));
        self.scope.push(k.clone());
        out.push_str(&format!("{inner}if ({}) rec({k});\n", self.expr(2)));
        self.block(d, out, &inner);
        self.scope.pop();
        out.push_str(&format!("{indent}}}\n"));
      }
      6 => {
        out.push_str(&format!("{indent}switch ({} % 3) {{\n", self.expr(1)));
        for case in 0..2 {
          out.push_str(&format!("{inner}case {case}:\n"));
          self.block(d, out, &format!("{inner}  "));
          if self.rng.chance(70) {
            out.push_str(&format!("{inner}  break;\n"));
          }
        }
        out.push_str(&format!("{inner}default:\n{inner}  rec(\"default\");\n{indent}}}\n"));
      }
      7 => {
        out.push_str(&format!("{indent}try {{\n{inner}if ({}) throw new Error(\"e\");\n", self.expr(2)));
        self.block(d, out, &inner);
        out.push_str(&format!("{indent}}} catch (err) {{\n{inner}rec(\"caught\");\n{indent}}}\n"));
      }
      8 => {
        let n = self.name("n");
        out.push_str(&format!("{indent}var {n} = 0;\n{indent}while ({n}++ < 2 && {}) {{\n", self.expr(1)));
        self.block(d, out, &inner);
        out.push_str(&format!("{indent}}}\n"));
      }
      _ => out.push_str(&format!("{indent}out.push({});\n", self.expr(3))),
    }
  }

  fn block(&mut self, depth: u32, out: &mut String, indent: &str) {
    let mark = self.scope.len();
    for _ in 0..1 + self.rng.below(3) {
      self.statement(depth, out, indent);
    }
    // Block-scoped names (`let`) do not leak; `var` ones would, but are not needed outside.
    self.scope.truncate(mark);
  }

  fn function(&mut self, out: &mut String) {
    let f = self.functions.len();
    // A rest parameter takes what the call passes beyond the arity; alone, it can become the
    // function's `arguments` when lowered.
    let rest = (self.modern && self.rng.chance(30)).then(|| self.name("r"));
    let arity = if rest.is_some() && self.rng.chance(60) { 0 } else { self.rng.below(4) };
    let params: Vec<String> = (0..arity).map(|_| self.name("a")).collect();
    let mark = self.scope.len();
    self.scope.extend(params.iter().cloned());
    let mut sig = params.clone();
    if self.modern && arity > 0 && self.rng.chance(30) {
      let last = sig.len() - 1;
      sig[last] = format!("{} = {}", sig[last], self.literal());
    }
    if let Some(r) = &rest {
      sig.push(format!("...{r}"));
      self.rests.push(r.clone());
    }
    out.push_str(&format!("function f{f}({}) {{\n  tick();\n", sig.join(", ")));
    if self.rng.chance(50) {
      out.push_str(&format!("  return {};\n", self.expr(3)));
    } else {
      self.block(2, out, "  ");
      out.push_str(&format!("  return {};\n", self.expr(2)));
    }
    out.push_str("}\n");
    self.scope.truncate(mark);
    self.rests.clear();
    self.functions.push(arity + usize::from(rest.is_some()) * 2);
  }
}

/// A program from `seed`, and whether it is to be lowered to ES5.
pub fn program(seed: u64) -> (String, bool) {
  let mut rng = Rng(seed ^ 0x9e37_79b9_7f4a_7c15);
  rng.next();
  let modern = rng.chance(40);
  let mut g = Gen { rng, modern, functions: Vec::new(), scope: Vec::new(), rests: Vec::new(), fresh: 0 };
  let mut out = String::from(
    "var log = [], out = [], later = [], steps = 0;\nfunction rec(v) { tick(); log.push(v); return v; }\nfunction tick() { if (++steps > 3000) throw new Error(\"budget\"); }\nfunction short(v) { return typeof v === \"string\" ? v.slice(0, 40) : v; }\nvar list = [\"canIUse\", 1, \"env\"], names = [\"error\", \"b\"];\nvar table = { a: 1, env: 2, canIUse: 3 };\nvar shared = 0;\nmodule.exports = { log: log, out: out };\n",
  );
  g.scope.push("shared".into());
  if g.modern && g.rng.chance(50) {
    out.push_str("class Box {\n  constructor(v = 1) { this.v = v; }\n  get twice() { return this.v * 2; }\n  add(x) { this.v += x; return this; }\n}\nvar { a: ta, env: te } = table;\n");
    out.push_str("out.push(new Box(ta).add(te).twice);\n");
  }
  for _ in 0..2 + g.rng.below(5) {
    g.function(&mut out);
  }
  let mut main = String::new();
  g.block(3, &mut main, "");
  out.push_str(&main);
  for f in 0..g.functions.len() {
    if g.rng.chance(60) {
      let args: Vec<String> = (0..g.functions[f]).map(|_| g.literal()).collect();
      out.push_str(&format!("out.push(f{f}({}));\n", args.join(", ")));
    }
  }
  out.push_str("later.forEach(function (f) { f(); });\nmodule.exports.shared = shared;\n");
  (out, modern)
}
