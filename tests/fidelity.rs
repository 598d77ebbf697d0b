//! Fidelity of the minifiers over the fixtures and the published component libraries: every
//! minified JS file re-parses at the same syntax level or lower and, loaded in node with a stub
//! WeChat environment, exposes the same exports and the same App/Page/Component/Behavior
//! definitions as the original; every WXML file tokenizes to the same tree modulo whitespace
//! outside `<text>`; every WXSS file keeps its imports, urls and the class names of its rules.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use wxpack_corpus as corpus_app;

use std::{
  collections::BTreeSet,
  fs,
  path::{Path, PathBuf},
  process::Command,
};

use cssparser::{Parser, ParserInput, Token};
use serde_json::Value;
use wxpack::{
  diagnostic::Source,
  graph::{DepKind, scan_wxss::scan_wxss},
  transform::es_level::detect,
  wxml::{Token as Wx, tokenize},
};

/// Builds `project` and returns (source, output) pairs of every shipped file.
fn build(project: &Path, tmp: &Path) -> Vec<(PathBuf, PathBuf)> {
  build_with(project, tmp, &[])
}

// Built with --no-plan: every file at its own path, so each compares with its source (the
// planner's moves are checked by tests/planner.rs). A generated helper module has no source to
// compare with; load.js runs it for the files that require it.
fn build_with(project: &Path, tmp: &Path, extra: &[&str]) -> Vec<(PathBuf, PathBuf)> {
  common::source_output_pairs(project, tmp, extra)
}

fn all_pairs() -> (Vec<(PathBuf, PathBuf)>, Vec<tempfile::TempDir>) {
  let mut pairs = Vec::new();
  let mut keep = Vec::new();
  for name in ["demo", "minify", "tiny"] {
    let tmp = tempfile::tempdir().unwrap();
    pairs.extend(build(&common::fixture(name), tmp.path()));
    keep.push(tmp);
  }
  let tmp = tempfile::tempdir().unwrap();
  if let Some(corpus) = corpus_app::fetch_or_skip("the npm libraries' part of the fidelity checks") {
    let app = corpus_app::assemble(&corpus, &tmp.path().join("app"));
    pairs.extend(build(&app.root, tmp.path()));
  }
  keep.push(tmp);
  (pairs, keep)
}

fn with_ext<'a>(pairs: &'a [(PathBuf, PathBuf)], ext: &'a str) -> impl Iterator<Item = &'a (PathBuf, PathBuf)> {
  pairs.iter().filter(move |(s, _)| s.extension().is_some_and(|e| e == ext))
}

fn text(p: &Path) -> String {
  fs::read_to_string(p).unwrap()
}

/// Runs tests/support/load.js over the JS pairs: the results of each (original, output).
fn load_in_node(pairs: &[(PathBuf, PathBuf)]) -> Vec<Value> {
  let tmp = tempfile::tempdir().unwrap();
  let list: Vec<(String, String)> =
    with_ext(pairs, "js").map(|(s, o)| (s.display().to_string(), o.display().to_string())).collect();
  let list_path = tmp.path().join("pairs.json");
  fs::write(&list_path, serde_json::to_string(&list).unwrap()).unwrap();
  let harness = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/load.js");
  let o = Command::new("node").arg(&harness).arg(&list_path).output().expect("node is needed for the fidelity test");
  assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
  serde_json::from_slice(&o.stdout).unwrap()
}

/// With "compile JS to ES5" (here forced with `[js] target = "es5"`), every JS file of the
/// libraries comes out ES5 and CommonJS, and behaves as its original (ES modules as Babel's
/// CommonJS form of them) in node.
#[test]
fn es5_lowering_of_the_libraries() {
  let tmp = tempfile::tempdir().unwrap();
  let Some(corpus) = corpus_app::fetch_or_skip("es5_lowering_of_the_libraries") else { return };
  let app = corpus_app::assemble(&corpus, &tmp.path().join("app"));
  fs::write(tmp.path().join("es5.toml"), "[js]\ntarget = \"es5\"\n").unwrap();
  let config = tmp.path().join("es5.toml");
  let pairs = build_with(&app.root, tmp.path(), &["--config", config.to_str().unwrap()]);
  let js: Vec<&(PathBuf, PathBuf)> = with_ext(&pairs, "js").collect();
  assert!(js.len() > 500, "{}", js.len());
  for (src, out) in &js {
    let after = detect(&text(out)).unwrap_or_else(|| panic!("{} does not parse", out.display()));
    assert_eq!(after.level, wxpack::transform::es_level::EsLevel::Es5, "{}: {}", src.display(), after.feature);
    assert!(!after.module, "{} is still an ES module", out.display());
  }
  // The helpers the lowered code shares live in one module each, ES5 too.
  let helpers: Vec<PathBuf> =
    fs::read_dir(tmp.path().join("out/miniprogram/__wxpack__/helpers")).unwrap().map(|e| e.unwrap().path()).collect();
  // Ten for these libraries: classes, spreads, generators, `typeof`, export stars; swc's
  // `_instanceof` is not one since `instanceof` stays as written.
  assert!(helpers.len() >= 10, "{helpers:?}");
  for h in &helpers {
    let level = detect(&text(h)).unwrap_or_else(|| panic!("{} does not parse", h.display())).level;
    assert_eq!(level, wxpack::transform::es_level::EsLevel::Es5, "{}", h.display());
  }
  let results = load_in_node(&pairs);
  let loadable = results.iter().filter(|r| r["loadable"] == true).count();
  let differ: Vec<&Value> = results.iter().filter(|r| r["loadable"] == true && r["same"] != true).collect();
  eprintln!("es5: {} JS files, all ES5 CommonJS; {loadable} load in node, {} differ", js.len(), differ.len());
  assert!(differ.is_empty(), "{}", serde_json::to_string_pretty(&differ).unwrap());
}

#[test]
fn minified_code_behaves_like_the_source() {
  let (pairs, _keep) = all_pairs();
  let js: Vec<&(PathBuf, PathBuf)> = with_ext(&pairs, "js").chain(with_ext(&pairs, "wxs")).collect();
  assert!(js.len() > 500, "{}", js.len());

  // Syntax level never rises.
  for (src, out) in &js {
    let (Some(before), Some(after)) = (detect(&text(src)), detect(&text(out))) else {
      // WXS with an unterminated trailing comment does not parse as JS; its output must.
      assert!(detect(&text(out)).is_some() || text(out) == text(src), "{} no longer parses", out.display());
      continue;
    };
    assert!(
      after.level <= before.level,
      "{}: {:?} -> {:?} ({})",
      src.display(),
      before.level,
      after.level,
      after.feature
    );
    assert!(after.duplicate_key.is_none() || before.duplicate_key.is_some(), "{}", src.display());
  }

  // Same exports and definitions in node.
  let results = load_in_node(&pairs);
  let loadable: Vec<&Value> = results.iter().filter(|r| r["loadable"] == true).collect();
  let differ: Vec<&&Value> = loadable.iter().filter(|r| r["same"] != true).collect();
  eprintln!(
    "js fidelity: {} files, {} load in the stub environment, {} differ",
    results.len(),
    loadable.len(),
    differ.len()
  );
  if std::env::var_os("WXPACK_FIDELITY_DEBUG").is_some() {
    for r in results.iter().filter(|r| r["loadable"] == false) {
      eprintln!("  not loadable: {} {}", r["original"], r["error"]);
    }
  }
  assert!(differ.is_empty(), "{}", serde_json::to_string_pretty(&differ).unwrap());

  // What does not load does not load as written either: it needs something no mini program
  // has (Node's `process`). ES modules load, as Babel's CommonJS transform makes them.
  let esm = results.iter().filter(|r| r["loadable"] == true).filter(|r| {
    let src = PathBuf::from(r["original"].as_str().unwrap());
    detect(&text(&src)).is_some_and(|s| s.module)
  });
  let esm = esm.count();
  for r in results.iter().filter(|r| r["loadable"] == false) {
    assert!(r["error"].as_str().unwrap().contains("is not defined"), "{} does not load: {}", r["original"], r["error"]);
  }
  eprintln!("js fidelity: {esm} of them ES modules, compared with Babel's CommonJS form");
  assert!(esm > 300, "{esm}");
}

/// The `{{ }}` expressions of `s` without whitespace outside their string literals (the minifier
/// drops what separates nothing; tests in src/transform/wxml.rs pin what it must keep).
fn expressions_squeezed(s: &str) -> String {
  let mut out = String::new();
  let mut rest = s;
  while let Some(i) = rest.find("{{") {
    out.push_str(&rest[..i]);
    let end = rest[i..].find("}}").map_or(rest.len(), |j| i + j + 2);
    let mut quote = None;
    for c in rest[i..end].chars() {
      match quote {
        Some(q) if c == q => quote = None,
        Some(_) => {}
        None if c == '\'' || c == '"' => quote = Some(c),
        None if c.is_whitespace() => continue,
        None => {}
      }
      out.push(c);
    }
    rest = &rest[end..];
  }
  out.push_str(rest);
  out
}

/// A `style` value as its words: split at CSS whitespace outside quotes, with each `:` and `;`
/// outside parentheses a word of its own, so only whitespace that separates nothing may differ.
fn style_tokens(value: &str) -> Vec<String> {
  let (mut words, mut word) = (Vec::new(), String::new());
  let (mut quote, mut depth) = (None, 0);
  for c in value.chars() {
    match (quote, c) {
      (Some(q), _) => {
        word.push(c);
        if c == q {
          quote = None;
        }
      }
      (None, ' ' | '\t' | '\n' | '\r' | '\x0c') => words.extend((!word.is_empty()).then(|| std::mem::take(&mut word))),
      (None, ':' | ';') if depth == 0 => {
        words.extend((!word.is_empty()).then(|| std::mem::take(&mut word)));
        words.push(c.to_string());
      }
      (None, _) => {
        match c {
          '\'' | '"' => quote = Some(c),
          '(' => depth += 1,
          ')' => depth -= 1,
          _ => {}
        }
        word.push(c);
      }
    }
  }
  words.extend((!word.is_empty()).then_some(word));
  words
}

/// A WXML file as a list of events: tags with their attributes as written, text outside
/// `<text>` without whitespace, text inside `<text>` exactly; `{{ }}` as
/// [`expressions_squeezed`].
fn wxml_tree(src: &str) -> Vec<String> {
  let mut out = Vec::new();
  let mut in_text = 0;
  for t in tokenize(src) {
    let raw = |s: wxpack::diagnostic::Span| src[s.start as usize..s.end as usize].to_string();
    match t {
      Wx::Open(tag) => {
        let attrs: Vec<String> = tag
          .attrs
          .iter()
          .map(|a| {
            let value = a.value.as_ref().map(|v| expressions_squeezed(v.text));
            if a.name == "style" {
              format!("style={:?}", value.map(|v| style_tokens(&v)))
            } else {
              format!("{}={value:?}", a.name)
            }
          })
          .collect();
        out.push(format!("<{} {}{}>", tag.name, attrs.join(" "), if tag.self_closing { "/" } else { "" }));
        if in_text > 0 || (tag.name == "text" && !tag.self_closing) {
          in_text += usize::from(!tag.self_closing && tag.name == "text");
        }
      }
      Wx::Close { name, .. } => {
        out.push(format!("</{name}>"));
        if name == "text" && in_text > 0 {
          in_text -= 1;
        }
      }
      // Inside <text> text is exact but for `{{ }}` whitespace; comments there go, so the texts
      // around one read as one.
      Wx::Text(s) if in_text > 0 => {
        let t = format!("text:{}", expressions_squeezed(&raw(s)));
        match out.last_mut() {
          Some(last) if last.starts_with("text:") => last.push_str(&t["text:".len()..]),
          _ => out.push(t),
        }
      }
      Wx::Text(s) => {
        let t = raw(s);
        let mut norm = String::new();
        let mut rest = t.as_str();
        while let Some(i) = rest.find("{{") {
          norm.extend(rest[..i].chars().filter(|c| !c.is_whitespace()));
          let end = rest[i..].find("}}").map_or(rest.len(), |j| i + j + 2);
          norm.push_str(&expressions_squeezed(&rest[i..end]));
          rest = &rest[end..];
        }
        norm.extend(rest.chars().filter(|c| !c.is_whitespace()));
        if !norm.is_empty() {
          out.push(norm);
        }
      }
      Wx::Comment(_) | Wx::Script(_) => {}
    }
  }
  out
}

#[test]
fn minified_wxml_has_the_same_tree() {
  let (pairs, _keep) = all_pairs();
  let mut n = 0;
  for (src, out) in with_ext(&pairs, "wxml") {
    assert_eq!(wxml_tree(&text(src)), wxml_tree(&text(out)), "{}", src.display());
    n += 1;
  }
  eprintln!("wxml fidelity: {n} files");
  assert!(n > 200);
}

/// Class names used in the selectors of rules that have declarations.
fn classes(src: &str) -> BTreeSet<String> {
  fn walk(p: &mut Parser, found: &mut BTreeSet<String>, prelude: &mut Vec<String>) {
    let mut after_dot = false;
    while let Ok(t) = p.next_including_whitespace_and_comments().cloned() {
      match t {
        Token::Delim('.') => after_dot = true,
        Token::Ident(name) if after_dot => {
          prelude.push(name.to_string());
          after_dot = false;
        }
        Token::CurlyBracketBlock => {
          let mut inner_prelude = Vec::new();
          let mut nonempty = false;
          let _ = p.parse_nested_block(|inner| -> Result<(), cssparser::ParseError<'_, ()>> {
            let start = inner.position();
            walk(inner, found, &mut inner_prelude);
            nonempty = !inner.slice_from(start).trim().is_empty();
            Ok(())
          });
          if nonempty {
            found.extend(prelude.drain(..));
          }
          prelude.clear();
          after_dot = false;
        }
        Token::Semicolon => prelude.clear(),
        Token::Function(_) | Token::ParenthesisBlock | Token::SquareBracketBlock => {
          let _ = p.parse_nested_block(|inner| -> Result<(), cssparser::ParseError<'_, ()>> {
            walk(inner, found, prelude);
            Ok(())
          });
        }
        _ => after_dot = false,
      }
    }
  }
  let mut input = ParserInput::new(src);
  let mut p = Parser::new(&mut input);
  let mut found = BTreeSet::new();
  walk(&mut p, &mut found, &mut Vec::new());
  found
}

/// A URL as what it loads: a data URL by its percent-decoded content (an SVG's `%20` written
/// as a space is the same image), any other byte for byte.
fn url_content(url: &str) -> Vec<u8> {
  let Some(comma) = url.find(',').filter(|_| url.starts_with("data:")) else { return url.as_bytes().to_vec() };
  let b = url.as_bytes();
  let mut out = b[..=comma].to_vec();
  let mut i = comma + 1;
  while i < b.len() {
    match std::str::from_utf8(&b[i..b.len().min(i + 3)]).ok().and_then(|h| h.strip_prefix('%')) {
      Some(h) if h.len() == 2 && u8::from_str_radix(h, 16).is_ok() => {
        out.push(u8::from_str_radix(h, 16).unwrap());
        i += 3;
      }
      _ => {
        out.push(b[i]);
        i += 1;
      }
    }
  }
  out
}

/// The classes of the selectors the build's report says it took out of `out` as unused (the
/// report sits beside the output folder: `<tmp>/report.json`, `<tmp>/out/miniprogram/<path>`).
fn removed_classes(out: &Path) -> BTreeSet<String> {
  let text = out.to_str().unwrap();
  let (tmp, path) = text.split_once("/out/miniprogram/").unwrap();
  let report = common::read_json(&Path::new(tmp).join("report.json"));
  let mut found = BTreeSet::new();
  for u in report["unused_wxss"].as_array().unwrap().iter().filter(|u| u["path"] == path) {
    for s in u["selectors"].as_array().unwrap() {
      found.extend(classes(&format!("{}{{x:y}}", s["selector"].as_str().unwrap())));
    }
  }
  found
}

#[test]
fn minified_wxss_keeps_imports_urls_and_classes() {
  let (pairs, _keep) = all_pairs();
  let mut n = 0;
  for (src, out) in with_ext(&pairs, "wxss") {
    let (a, b) = (text(src), text(out));
    let refs = |s: &str, kind| {
      scan_wxss(&Source::new("x.wxss", s)).into_iter().filter(|r| r.kind == kind).map(|r| r.spec).collect::<Vec<_>>()
    };
    assert_eq!(refs(&a, DepKind::CssImport), refs(&b, DepKind::CssImport), "{}", src.display());
    let urls = |s: &str| refs(s, DepKind::CssUrl).iter().map(|u| url_content(u)).collect::<BTreeSet<_>>();
    // A class (and a url) may go only with a selector the report says was taken out as unused.
    let removed = removed_classes(out);
    if removed.is_empty() {
      assert_eq!(urls(&a), urls(&b), "{}", src.display());
    } else {
      assert!(urls(&b).is_subset(&urls(&a)), "{}", src.display());
    }
    let (ca, cb) = (classes(&a), classes(&b));
    let lost: Vec<_> = ca.difference(&cb).filter(|c| !removed.contains(*c)).collect();
    assert!(lost.is_empty(), "{}: lost {lost:?}", src.display());
    // Merged rules repeat a selector, so attributes are compared by name, not counted.
    let attributes = |s: &str| -> BTreeSet<String> {
      s.split('[')
        .skip(1)
        .map(|a| a.split(['=', ']', '~', '|', '^', '$', '*']).next().unwrap_or("").trim().to_string())
        .collect()
    };
    let introduced: Vec<_> = attributes(&b).difference(&attributes(&a)).cloned().collect();
    assert!(introduced.is_empty(), "{}: attribute selector introduced: {introduced:?}", src.display());
    n += 1;
  }
  eprintln!("wxss fidelity: {n} files");
  assert!(n > 200);
}
