//! Minified output means what the source means, on the real apps (`../shared/corpus/apps`, read
//! in place): every app is built with `--no-plan`, so each shipped file sits at its source's
//! path, and each pair is checked by means independent of the minifiers:
//! - WXSS, read with cssparser's tokenizer (not lightningcss): for every selector, every
//!   property the source declares is still declared (itself, or a shorthand or longhand of
//!   it), and every declaration with a vendor prefix in its name or value is still there with
//!   the same prefixed words;
//! - WXSS again, by a real browser's CSS engine (headless Chromium, tests/support/wxss_cascade.js):
//!   for every selector in every context, the longhand values the declarations of its rules
//!   end up with, computed on a probe element where the specified values differ;
//! - JS and WXS: a file that acorn parses at `ecmaVersion: 5` comes out parseable the same way
//!   (tests/support/es5.js);
//! - unused WXSS: a selector the report says was taken out is left out of both comparisons, and
//!   must name a class that is not a word anywhere in the app's JS, WXS, WXML or JSON (a
//!   check of its own, far simpler than the analysis: it cannot be fooled by a bug there).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

mod common;

use std::{
  collections::{BTreeMap, BTreeSet},
  fs,
  path::{Path, PathBuf},
  process::Command,
};

use cssparser::{Parser, ParserInput, Token};

/// One declaration as the checks see it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Declared {
  property: String,
  /// The vendor-prefixed words of the value (`-webkit-box`, `-webkit-linear-gradient`).
  prefixed: Vec<String>,
}

const PREFIXES: [&str; 4] = ["-webkit-", "-moz-", "-ms-", "-o-"];

fn prefixed(word: &str) -> bool {
  PREFIXES.iter().any(|p| word.to_ascii_lowercase().starts_with(p))
}

/// Every declaration by (at-rule context, selector), read with cssparser's tokenizer.
fn declarations(src: &str) -> BTreeMap<(String, String), Vec<Declared>> {
  fn rules(p: &mut Parser, context: &str, out: &mut BTreeMap<(String, String), Vec<Declared>>) {
    let mut start = p.position();
    while let Ok(token) = p.next().cloned() {
      match token {
        Token::Semicolon => start = p.position(),
        Token::CurlyBracketBlock => {
          let prelude = p.slice_from(start);
          let prelude = without_comments(&prelude[..prelude.len() - 1]);
          let lower = normal(&prelude);
          let _ = p.parse_nested_block(|inner| -> Result<(), cssparser::ParseError<'_, ()>> {
            if lower.starts_with("@media") || lower.starts_with("@supports") || lower.contains("keyframes") {
              rules(inner, &format!("{context}{}|", normal(&prelude)), out);
            } else if !lower.starts_with('@') {
              let decls = block(inner);
              for selector in split_top_level(&prelude) {
                // A keyframe's `from` and `to` print as `0%` and `100%`.
                let selector = match normal(&selector).as_str() {
                  "from" if context.contains("keyframes") => "0%".to_string(),
                  "to" if context.contains("keyframes") => "100%".to_string(),
                  s => s.to_string(),
                };
                out.entry((context.to_string(), selector)).or_default().extend(decls.clone());
              }
            }
            Ok(())
          });
          start = p.position();
        }
        _ => {}
      }
    }
  }
  fn block(p: &mut Parser) -> Vec<Declared> {
    let mut out = Vec::new();
    loop {
      let got = p.parse_until_after(cssparser::Delimiter::Semicolon, |d| -> Result<_, cssparser::ParseError<'_, ()>> {
        let Ok(Token::Ident(name)) = d.next().cloned() else { return Ok(None) };
        let mut words = Vec::new();
        words_of(d, &mut words);
        Ok(Some(Declared { property: name.to_ascii_lowercase(), prefixed: words }))
      });
      if let Ok(Some(d)) = got
        && !d.property.starts_with("--")
      {
        out.push(d);
      }
      if p.is_exhausted() {
        break;
      }
    }
    out
  }
  fn words_of(p: &mut Parser, words: &mut Vec<String>) {
    while let Ok(token) = p.next().cloned() {
      match token {
        Token::Ident(w) if prefixed(&w) => words.push(w.to_ascii_lowercase()),
        Token::Function(f) => {
          if prefixed(&f) {
            words.push(f.to_ascii_lowercase());
          }
          let _ = p.parse_nested_block(|inner| -> Result<(), cssparser::ParseError<'_, ()>> {
            words_of(inner, words);
            Ok(())
          });
        }
        _ => {}
      }
    }
  }
  let mut input = ParserInput::new(src);
  let mut out = BTreeMap::new();
  rules(&mut Parser::new(&mut input), "", &mut out);
  out
}

fn split_top_level(prelude: &str) -> Vec<String> {
  let (mut items, mut depth, mut current) = (Vec::new(), 0i32, String::new());
  for c in prelude.chars() {
    match c {
      '(' | '[' => depth += 1,
      ')' | ']' => depth -= 1,
      ',' if depth == 0 => {
        items.push(std::mem::take(&mut current));
        continue;
      }
      _ => {}
    }
    current.push(c);
  }
  items.push(current);
  items
}

/// A selector or prelude without the spellings minifiers change: comments, whitespace, quotes,
/// case, `::after` for `:after`.
fn normal(s: &str) -> String {
  let text: String = without_comments(s).chars().filter(|c| !c.is_whitespace() && *c != '"' && *c != '\'').collect();
  // lightningcss writes the short forms of these selectors.
  text
    .to_ascii_lowercase()
    .replace("::", ":")
    .replace("(2n+1)", "(odd)")
    .replace(":nth-of-type(1)", ":first-of-type")
    .replace(":nth-child(1)", ":first-child")
}

fn without_comments(s: &str) -> String {
  let mut text = String::new();
  let mut rest = s;
  while let Some(at) = rest.find("/*") {
    text.push_str(&rest[..at]);
    rest = rest[at + 2..].find("*/").map_or("", |end| &rest[at + 2 + end + 2..]);
  }
  text.push_str(rest);
  text.trim().to_string()
}

/// `a` and `b` set some of the same longhands (`margin` and `margin-top`, `inset` and `top`).
fn related(a: &str, b: &str) -> bool {
  // In horizontal writing (WXSS has no other), block-start is top and block-end bottom.
  let strip = |p: &str| {
    let p = PREFIXES.iter().find_map(|x| p.strip_prefix(x)).unwrap_or(p);
    p.replace("-block-start", "-top").replace("-block-end", "-bottom")
  };
  let (a, b) = (strip(a), strip(b));
  let sides = ["top", "right", "bottom", "left"];
  a == b
    || a.starts_with(&format!("{b}-"))
    || b.starts_with(&format!("{a}-"))
    || (a == "inset" && sides.contains(&b.as_str()))
    || (b == "inset" && sides.contains(&a.as_str()))
    || a.split('-').next() == b.split('-').next()
      && ["border", "flex", "grid", "place"].contains(&a.split('-').next().unwrap_or(""))
}

/// What the output lost of the source: one line per problem. Selectors in `removed` (as
/// [`normal`] writes them) were taken out as unused, and are not looked for.
fn wxss_losses(source: &str, output: &str, removed: &BTreeSet<String>) -> Vec<String> {
  let (before, after) = (declarations(source), declarations(output));
  let mut lost = Vec::new();
  // A `@keyframes` taken out (`@keyframes name`) takes its frames' context with it.
  let gone_context = |context: &str| removed.iter().any(|r| r.starts_with('@') && context.contains(&format!("{r}|")));
  for (key, decls) in before.iter().filter(|(k, _)| !removed.contains(&k.1) && !gone_context(&k.0)) {
    let empty = Vec::new();
    let out = after.get(key).unwrap_or(&empty);
    let out_set: BTreeSet<&Declared> = out.iter().collect();
    for d in decls {
      let wanted_prefix = prefixed(&d.property) || !d.prefixed.is_empty();
      let kept = if wanted_prefix {
        out_set.contains(d)
          || out.iter().any(|o| o.property == d.property && d.prefixed.iter().all(|w| o.prefixed.contains(w)))
      } else {
        out.iter().any(|o| related(&o.property, &d.property))
      };
      if !kept {
        lost.push(format!("{}{}: {} {:?}", key.0, key.1, d.property, d.prefixed));
      }
    }
  }
  lost
}

/// Every word (`[A-Za-z0-9_-]+`) of the app's JS, WXS, WXML and JSON: what a class must be, at
/// least, for some element to carry it whole.
fn words_of_app(files: &[PathBuf]) -> BTreeSet<String> {
  let mut words = BTreeSet::new();
  for f in files {
    if !f.extension().is_some_and(|e| ["js", "wxs", "wxml", "json"].contains(&e.to_str().unwrap())) {
      continue;
    }
    let text = String::from_utf8_lossy(&fs::read(f).unwrap()).into_owned();
    words.extend(text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_')).map(str::to_string));
  }
  words
}

/// The classes a selector names outside brackets (`.a .b:not(.c)` names `a` and `b`).
fn classes_in(selector: &str) -> Vec<String> {
  let (mut out, mut depth, mut chars) = (Vec::new(), 0, selector.chars().peekable());
  while let Some(c) = chars.next() {
    match c {
      '(' | '[' => depth += 1,
      ')' | ']' => depth -= 1,
      '.' if depth == 0 => {
        let mut name = String::new();
        while let Some(&n) = chars.peek().filter(|n| n.is_ascii_alphanumeric() || **n == '-' || **n == '_') {
          name.push(n);
          chars.next();
        }
        out.push(name);
      }
      _ => {}
    }
  }
  out
}

/// A removed selector every class of which is a word of the app: the analysis took out a rule
/// an element could match. A `@keyframes name` or `@font-face family` taken out is wrongly
/// so when its name (each word of the family) is a word of the app or of a shipped sheet
/// (`sheet_words`, lower case), where an `animation` or `font-family` value could name it.
fn wrongly_removed(selector: &str, words: &BTreeSet<String>, sheet_words: &BTreeSet<String>) -> bool {
  if let Some(rest) = selector.strip_prefix('@') {
    let name = rest.split_once(' ').map_or("", |(_, n)| n);
    let named = |w: &str| words.contains(w) || sheet_words.contains(&w.to_ascii_lowercase());
    return name
      .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
      .filter(|w| !w.is_empty())
      .all(named);
  }
  let classes = classes_in(selector);
  classes.is_empty() || classes.iter().all(|c| words.contains(c))
}

/// Every word of the shipped stylesheets under `dir`, lower case, but the name each
/// `@keyframes` declares.
fn sheet_words(dir: &Path) -> BTreeSet<String> {
  let mut out = BTreeSet::new();
  for p in common::files_under(dir).iter().filter(|p| p.extension().is_some_and(|x| x == "wxss")) {
    let text = fs::read_to_string(p).unwrap_or_default().to_ascii_lowercase();
    let mut declares = false;
    for w in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_')).filter(|w| !w.is_empty()) {
      if !std::mem::replace(&mut declares, w.ends_with("keyframes")) {
        out.insert(w.to_string());
      }
    }
  }
  out
}

/// The selectors the report says were taken out of each file, by output path.
fn removed_selectors(report: &serde_json::Value) -> BTreeMap<String, Vec<String>> {
  let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
  for u in report["unused_wxss"].as_array().unwrap() {
    let selectors = u["selectors"].as_array().unwrap().iter().map(|s| s["selector"].as_str().unwrap().to_string());
    out.entry(u["path"].as_str().unwrap().to_string()).or_default().extend(selectors);
  }
  out
}

/// Runs tests/support/es5.js over the JS and WXS pairs.
fn es5(pairs: &[(PathBuf, PathBuf)], tmp: &Path) -> serde_json::Value {
  let list: Vec<(String, String)> = pairs
    .iter()
    .filter(|(s, _)| s.extension().is_some_and(|e| e == "js" || e == "wxs"))
    .map(|(s, o)| (s.display().to_string(), o.display().to_string()))
    .collect();
  let list_path = tmp.join("es5-pairs.json");
  fs::write(&list_path, serde_json::to_string(&list).unwrap()).unwrap();
  let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/es5.js");
  let o = Command::new("node").arg(&script).arg(&list_path).output().expect("node runs tests/support/es5.js");
  assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
  serde_json::from_slice(&o.stdout).unwrap()
}

/// What Chromium's CSS engine says differs between each (name, source, output, selectors
/// taken out as unused) sheet: `(selectors checked, differences)`.
fn cascade_differences(
  browser: &Path,
  sheets: &[(String, String, String, Vec<String>)],
  tmp: &Path,
) -> (u64, Vec<String>) {
  common::css_check(browser, "wxss_cascade.js", &sheets, tmp)
}

#[test]
fn minified_output_of_the_real_apps_keeps_its_meaning() {
  let Some(apps) = common::corpus_apps("minified_output_of_the_real_apps_keeps_its_meaning") else { return };
  let mut problems = Vec::new();
  let (mut sheets, mut es5_checked) = (0, 0);
  let mut texts = Vec::new();
  let mut removed_count = 0;
  for app in &apps {
    let tmp = tempfile::tempdir().unwrap();
    let pairs = common::source_output_pairs(app, tmp.path(), &[]);
    let removed = removed_selectors(&common::read_json(&tmp.path().join("report.json")));
    let words = words_of_app(&pairs.iter().map(|(s, _)| s.clone()).collect::<Vec<_>>());
    let shipped_sheet_words = sheet_words(&tmp.path().join("out"));
    // Every selector taken out, compiled Less and Sass sheets' too (they have no .wxss source
    // to compare with below).
    for (path, gone) in &removed {
      removed_count += gone.len();
      for s in gone.iter().filter(|s| wrongly_removed(s, &words, &shipped_sheet_words)) {
        problems
          .push(format!("{}: {path}: {s:?} was taken out, but every class it names is in the app", app.display()));
      }
    }
    for (src, out) in pairs.iter().filter(|(s, _)| s.extension().is_some_and(|e| e == "wxss")) {
      sheets += 1;
      let (a, b) = (fs::read_to_string(src).unwrap(), fs::read_to_string(out).unwrap());
      let path = out.to_str().unwrap().split("/out/miniprogram/").nth(1).unwrap();
      let gone = removed.get(path).cloned().unwrap_or_default();
      let lost = wxss_losses(&a, &b, &gone.iter().map(|s| normal(s)).collect());
      problems.extend(lost.into_iter().take(3).map(|l| format!("{}: {l}", src.display())));
      texts.push((src.display().to_string(), a, b, gone));
    }
    let result = es5(&pairs, tmp.path());
    es5_checked += result["checked"].as_u64().unwrap();
    for f in result["failures"].as_array().unwrap() {
      problems.push(format!("{}: not ES5 any more: {}", f["source"], f["message"]));
    }
  }
  if let Some(browser) =
    common::chromium("minified_output_of_the_real_apps_keeps_its_meaning (the browser's comparison)")
  {
    let tmp = tempfile::tempdir().unwrap();
    let (checked, differences) = cascade_differences(&browser, &texts, tmp.path());
    eprintln!("chromium: {checked} selectors' cascades compared");
    assert!(checked > 1000, "too little compared");
    problems.extend(differences);
  }
  eprintln!(
    "{sheets} stylesheets ({removed_count} selectors taken out as unused) and {es5_checked} ES5 scripts checked over {} apps",
    apps.len()
  );
  assert!(removed_count > 100, "the unused-WXSS check saw too little");
  assert!(sheets > 100 && es5_checked > 100, "too little checked");
  assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn the_checks_see_what_lightningcss_alone_would_lose() {
  // What the guard prevents, the check must see: these pairs are what lightningcss printed.
  let none = BTreeSet::new();
  assert!(!wxss_losses(".a{display:-webkit-box;display:flex}", ".a{display:flex}", &none).is_empty());
  assert!(!wxss_losses(".a{-ms-flex-align:center;align-items:center}", ".a{align-items:center}", &none).is_empty());
  assert!(!wxss_losses(".a{backdrop-filter:blur(1rpx)}", ".a{color:red}", &none).is_empty());
  assert!(
    wxss_losses(".a{margin-top:1px;margin-bottom:1px}.b, .c{color:red}", ".a{margin:1px 0}.b,.c{color:red}", &none)
      .is_empty()
  );
  // A selector taken out as unused is not a loss; any other is.
  let gone: BTreeSet<String> = [normal(".b .x")].into();
  assert!(wxss_losses(".a{top:0}.b .x,.c{top:0}", ".a{top:0}.c{top:0}", &gone).is_empty());
  assert!(!wxss_losses(".a{top:0}.b .x,.c{top:0}", ".a{top:0}", &gone).is_empty());
}

#[test]
fn a_removed_selector_whose_classes_the_app_names_is_caught() {
  let words: BTreeSet<String> = ["card", "icon-home", "title"].map(String::from).into();
  let sheets: BTreeSet<String> = ["spin", "my", "icons"].map(String::from).into();
  // A near miss: every class it needs is a word of the app.
  assert!(wrongly_removed(".card .title::after", &words, &sheets));
  assert!(wrongly_removed(".icon-home:not(.x)", &words, &sheets));
  assert!(wrongly_removed("view", &words, &sheets), "a selector with no class can always match");
  // One class nowhere in the app: rightly taken out.
  assert!(!wrongly_removed(".card .subtitle", &words, &sheets));
  // At-rules: a name a sheet or the app uses is a near miss, any other rightly gone.
  assert!(wrongly_removed("@keyframes spin", &words, &sheets));
  assert!(wrongly_removed("@-webkit-keyframes card", &words, &sheets));
  assert!(wrongly_removed("@font-face My Icons", &words, &sheets));
  assert!(!wrongly_removed("@keyframes fade", &words, &sheets));
  assert!(!wrongly_removed("@font-face My Font", &words, &sheets));
  assert_eq!(classes_in(".a.b > .c:not(.d)[class~=e]"), ["a", "b", "c"]);
}

#[test]
fn the_browser_sees_what_minifying_could_change_and_nothing_else() {
  let Some(browser) = common::chromium("the_browser_sees_what_minifying_could_change_and_nothing_else") else {
    return;
  };
  let pair = |a: &str, b: &str| (format!("{a} -> {b}"), a.to_string(), b.to_string(), Vec::new());
  let changed = [
    pair(".a{transform:translateY(0.5)}", ".a{transform:translateY(.5px)}"),
    pair(".a{color:red}.a{color:blue}", ".a{color:red}"),
    pair(".a{margin:0 auto!important}.a{margin:0}", ".a{margin:0 auto}"),
    pair(".a:nth-child(2){top:1px}", ".a:first-child{top:1px}"),
  ];
  let same = [
    pair(".a{color:#ffffff;margin:0px 0px 0px 0px}", ".a{color:#fff;margin:0}"),
    pair(".b{transform:translateX(0)}", ".b{transform:translate(0)}"),
    pair(
      ".c{background:linear-gradient(to right,red,blue) 0% 0%}",
      ".c{background:linear-gradient(90deg,red,blue) 0 0}",
    ),
    pair(".d:nth-child(1){width:2rpx}", ".d:first-child{width:2rpx}"),
  ];
  let tmp = tempfile::tempdir().unwrap();
  // Taken out as unused: not a difference when listed, one when not.
  let unused = |listed: &[&str]| {
    let mut p = pair(".a{top:0}.b  >  .x, .c{top:0}", ".a{top:0}.c{top:0}");
    p.3 = listed.iter().map(|s| s.to_string()).collect();
    p
  };
  let (_, found) = cascade_differences(&browser, &[unused(&[".b  >  .x"])], tmp.path());
  assert!(found.is_empty(), "{found:?}");
  let (_, found) = cascade_differences(&browser, &[unused(&[])], tmp.path());
  assert_eq!(found.len(), 1, "{found:?}");
  // At-rules taken out: the same, by name.
  let at_rules = |listed: &[&str]| {
    let mut p = pair(
      "@keyframes spin{to{top:1px}}@font-face{font-family:\"My Icons\";src:url(a.woff)}@font-face{font-family:b;src:url(b.woff)}",
      "@font-face{font-family:b;src:url(b.woff)}",
    );
    p.3 = listed.iter().map(|s| s.to_string()).collect();
    p
  };
  let (_, found) = cascade_differences(&browser, &[at_rules(&["@keyframes spin", "@font-face My Icons"])], tmp.path());
  assert!(found.is_empty(), "{found:?}");
  let (_, found) = cascade_differences(&browser, &[at_rules(&["@keyframes spin"])], tmp.path());
  assert_eq!(found.len(), 1, "{found:?}");
  let (_, found) = cascade_differences(&browser, &changed, tmp.path());
  for (name, _, _, _) in &changed {
    assert!(found.iter().any(|d| d.starts_with(name.as_str())), "{name} not seen: {found:?}");
  }
  let (checked, found) = cascade_differences(&browser, &same, tmp.path());
  assert!(found.is_empty() && checked == 4, "{found:?}");
}
