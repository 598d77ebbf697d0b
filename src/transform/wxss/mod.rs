//! WXSS minification.
//!
//! lightningcss parses, minifies and prints with the targets of the project's minimum base
//! library (never without targets: it would print `#00000080`, `(width>=375px)` and `inset`,
//! which old webviews cannot read). Its output is used only where it is safe, statement by
//! statement when the whole sheet is not:
//! - [`guard`] compares what every selector gets before and after; a statement whose minified
//!   form styles anything differently (a dropped `-webkit-` fallback, a shorthand printed
//!   wrong) ships through [`strip::strip`], a lossless whitespace-and-comment minifier over
//!   cssparser's tokens, and the report counts it;
//! - a parser warning means lightningcss would drop something (a rule it cannot read such as
//!   `*zoom:1`, or an `@import` after other rules): that statement is stripped too;
//! - a statement with CSS escapes (`content: "\2713"`) is stripped, because lightningcss would
//!   reprint the escape as the character and DevTools breaks on non-ASCII `content`.
//!
//! With `setting.postcss` on, DevTools runs autoprefixer (iOS >= 8, Chrome >= 37, existing
//! prefixes kept) at upload; wxpack adds the same prefixes with lightningcss and the output
//! project turns postcss off, so what the report measures is what uploads. A statement that
//! had to be stripped then lacks its prefixes, so the output keeps postcss on ([`Sheet::unprefixed`]).

mod data_url;
mod guard;
mod protect;
pub mod strip;

use std::sync::{Arc, RwLock};

use lightningcss::{
  stylesheet::{MinifyOptions, ParserFlags, ParserOptions, PrinterOptions, StyleSheet},
  targets::Targets,
};
pub use strip::strip;

use super::Fallback;

/// The vendor prefixes the guard, the protection and the autoprefix check look for.
const PREFIXES: [&str; 4] = ["-webkit-", "-moz-", "-ms-", "-o-"];

/// How a project's stylesheets are minified.
#[derive(Debug, Clone, Copy)]
pub struct Css {
  pub targets: Targets,
  /// `setting.postcss`: add the vendor prefixes DevTools' autoprefixer would.
  pub autoprefix: bool,
}

impl Css {
  pub fn of(project: &crate::project::Project, config: &crate::config::MinifyConfig) -> Self {
    let autoprefix = project.config.postcss;
    Self { targets: config.min_base_library.engines().css_targets(autoprefix), autoprefix }
  }
}

/// One minified stylesheet.
#[derive(Debug)]
pub struct Sheet {
  pub code: String,
  /// Why some or all of it is the lossless form, when it is.
  pub fallback: Option<Fallback>,
  /// Autoprefixing was asked for and some statement ships without it.
  pub unprefixed: bool,
}

/// Minifies one stylesheet; SVG data URLs are then written shorter ([`data_url`]).
pub fn minify(src: &str, css: Css) -> Sheet {
  let mut sheet = minify_statements(src, css);
  if let Some(code) = data_url::slim(&sheet.code) {
    sheet.code = code;
  }
  sheet
}

fn minify_statements(src: &str, css: Css) -> Sheet {
  let stripped = strip(src);
  if let Ok(code) = with_lightningcss(src, css) {
    let code = if code.len() <= stripped.len() || css.autoprefix { code } else { stripped };
    return Sheet { code, fallback: None, unprefixed: false };
  }
  let statements = strip::statements(src);
  let mut out = String::with_capacity(stripped.len());
  let (mut kept, mut first, mut unprefixed) = (0, None, false);
  for &(offset, statement) in &statements {
    let lossless = strip(statement);
    let minified = with_lightningcss(statement, css);
    match minified {
      Ok(code) if code.len() <= lossless.len() || css.autoprefix => out.push_str(&code),
      Ok(_) => out.push_str(&lossless),
      // A conditional group lightningcss cannot be trusted with (it rewrites a prefixed
      // `@supports` condition by the targets): its condition as written, its rules minified.
      Err(_) if let Some((prelude, body)) = group(statement) => {
        let inner = minify_statements(body, css);
        // Stripped alone the condition reads as a statement and gets its `;`.
        let code = format!("{}{{{}}}", strip(prelude).trim().trim_end_matches(';'), inner.code);
        out.push_str(if code.len() <= lossless.len() || css.autoprefix { &code } else { &lossless });
        unprefixed |= inner.unprefixed;
        if let Some(f) = inner.fallback {
          kept += 1;
          let at = offset + (statement.len() - statement.trim_start().len()) + prelude.len() + 1;
          first.get_or_insert_with(|| shift(f, src, at));
        }
      }
      Err(f) => {
        kept += 1;
        out.push_str(&lossless);
        first.get_or_insert_with(|| shift(f, src, offset));
        unprefixed |= css.autoprefix && adds_prefixes(statement, css);
      }
    }
  }
  // Statements stripped one by one can come out a byte longer than the sheet stripped whole.
  if out.len() > stripped.len() && !css.autoprefix {
    out = stripped;
  }
  let Some(mut fallback) = first else {
    return Sheet { code: out, fallback: None, unprefixed: false };
  };
  if kept < statements.len() {
    fallback.reason =
      format!("{kept} of {} rules minified losslessly; the first: {}", statements.len(), fallback.reason);
  }
  Sheet { code: out, fallback: Some(fallback), unprefixed }
}

/// An `@media` or `@supports` statement as its condition (up to the `{`) and its rules.
fn group(statement: &str) -> Option<(&str, &str)> {
  let statement = statement.trim_start();
  let head = statement.get(..9)?.to_ascii_lowercase();
  if !(head.starts_with("@media") || head.starts_with("@supports")) {
    return None;
  }
  let open = statement.find('{')?;
  let close = statement.rfind('}')?;
  let prelude = &statement[..open];
  // A condition with a string or an escape could hide a brace; those stay whole.
  if close <= open || prelude.contains(['"', '\'', '\\']) {
    return None;
  }
  Some((prelude, &statement[open + 1..close]))
}

/// Whether autoprefixing `statement` would add a vendor-prefixed word it does not have (most
/// statements lightningcss cannot be trusted with have nothing to prefix: `*zoom:1`, an escape).
fn adds_prefixes(statement: &str, css: Css) -> bool {
  let options =
    ParserOptions { error_recovery: true, flags: ParserFlags::DEEP_SELECTOR_COMBINATOR, ..ParserOptions::default() };
  let Ok(mut sheet) = StyleSheet::parse(statement, options) else { return true };
  let targets = css.targets;
  if sheet.minify(MinifyOptions { targets, ..MinifyOptions::default() }).is_err() {
    return true;
  }
  let Ok(printed) = sheet.to_css(PrinterOptions { minify: true, targets, ..PrinterOptions::default() }) else {
    return true;
  };
  let words = |s: &str| -> std::collections::BTreeSet<String> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
      .filter(|w| PREFIXES.iter().any(|p| w.starts_with(p)))
      .map(str::to_string)
      .collect()
  };
  !words(&printed.code).is_subset(&words(statement))
}

/// A statement's fallback located in the whole sheet.
fn shift(mut f: Fallback, src: &str, offset: usize) -> Fallback {
  let before = src.get(..offset).unwrap_or("");
  let lines = before.matches('\n').count() as u32;
  let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count() as u32);
  f.line = Some(f.line.unwrap_or(1) + lines);
  if f.line == Some(lines + 1) {
    f.column = Some(f.column.unwrap_or(1) + column);
  }
  f
}

fn with_lightningcss(src: &str, css: Css) -> Result<String, Fallback> {
  let targets = css.targets;
  // Declared first: both sheets then borrow for as long as the renamed text lives.
  let hidden = protect::hide(src);
  let base = hidden.as_ref().map_or(src, |(text, _)| text.as_str());
  if base.contains('\\') {
    return Err(Fallback::new("keeps CSS escapes byte for byte (lightningcss would reprint them)"));
  }
  let protected = protect::protect(base, css.autoprefix);
  let original = parse(src)?;
  let before = guard::Model::of(&original.rules, targets);
  let mut sheet = match (protected.as_deref(), &hidden) {
    (Some(renamed), _) => parse(renamed)?,
    (None, Some((text, _))) => parse(text)?,
    (None, None) => original,
  };
  sheet
    .minify(MinifyOptions { targets, ..MinifyOptions::default() })
    .map_err(|e| located(&e.kind.to_string(), e.loc.as_ref()))?;
  let printed = sheet
    .to_css(PrinterOptions { minify: true, targets, ..PrinterOptions::default() })
    .map_err(|e| located(&e.kind.to_string(), e.loc.as_ref()))?;
  let code = if protected.is_some() { protect::restore(&printed.code) } else { printed.code };
  // It escapes what needs no escape (`[class*=" a"]` as `[class*=\ a]`), which DevTools'
  // WXSS compiler is not known to read.
  if code.contains('\\') {
    return Err(Fallback::new("lightningcss would write a CSS escape the source does not have"));
  }
  let code = match &hidden {
    Some((_, texts)) => protect::show(&code, texts),
    None => code,
  };
  let difference = match parse(&code) {
    Ok(out) => before.difference(&guard::Model::of(&out.rules, targets), css.autoprefix),
    Err(_) => Some(guard::Difference { line: None, what: "its output, which does not parse again".into() }),
  };
  if let Some(d) = difference {
    let mut f = Fallback::new(format!("lightningcss would change {}", d.what));
    f.line = d.line;
    return Err(f);
  }
  Ok(code)
}

/// The sheet as lightningcss reads it, or why it would lose something: a parser warning means
/// it would drop what it cannot read.
fn parse(src: &str) -> Result<StyleSheet<'_>, Fallback> {
  let warnings = Arc::new(RwLock::new(Vec::new()));
  let options = ParserOptions {
    error_recovery: true,
    warnings: Some(warnings.clone()),
    flags: ParserFlags::DEEP_SELECTOR_COMBINATOR,
    ..ParserOptions::default()
  };
  let sheet = StyleSheet::parse(src, options).map_err(|e| located(&e.kind.to_string(), e.loc.as_ref()))?;
  let warning = warnings.read().ok().and_then(|w| w.first().map(|w| located(&w.kind.to_string(), w.loc.as_ref())));
  match warning {
    Some(w) => Err(Fallback { reason: format!("lightningcss would drop what it cannot parse: {}", w.reason), ..w }),
    None => Ok(sheet),
  }
}

/// lightningcss lines start at 0 and columns at 1.
fn located(message: &str, loc: Option<&lightningcss::error::ErrorLocation>) -> Fallback {
  let mut f = Fallback::new(message);
  if let Some(l) = loc {
    f.line = Some(l.line + 1);
    f.column = Some(l.column);
  }
  f
}

#[cfg(test)]
mod tests {
  use super::*;
  use crate::targets::BaseLibrary;

  fn css(autoprefix: bool) -> Css {
    Css { targets: BaseLibrary::default().engines().css_targets(autoprefix), autoprefix }
  }

  fn run(input: &str) -> (String, Option<Fallback>) {
    let sheet = minify(input, css(false));
    (sheet.code, sheet.fallback)
  }

  #[track_caller]
  fn test(input: &str, expected: &str) {
    let (out, fallback) = run(input);
    assert_eq!(out, expected, "fallback: {fallback:?}");
    assert_eq!(run(&out).0, out, "not idempotent");
  }

  #[test]
  fn keeps_old_webview_syntax() {
    test(".a { color: rgba(0, 0, 0, 0.5); }", ".a{color:rgba(0,0,0,.5)}");
    test(
      "@media (min-width: 375px) { .a { top: 0; left: 0; right: 0; bottom: 0 } }",
      "@media (min-width:375px){.a{top:0;bottom:0;left:0;right:0}}",
    );
  }

  #[test]
  fn a_prefixed_supports_condition_stays_as_written_around_minified_rules() {
    let src = "@supports (-webkit-backdrop-filter: blur(20px)) or (backdrop-filter: blur(20px)) {\n.a::before { -webkit-backdrop-filter: blur(20px); backdrop-filter: blur(20px); color: red }\n}";
    let sheet = minify(src, css(true));
    assert_eq!(
      sheet.code,
      "@supports (-webkit-backdrop-filter:blur(20px)) or (backdrop-filter:blur(20px)){.a:before{-webkit-backdrop-filter:blur(20px);backdrop-filter:blur(20px);color:red}}"
    );
    assert!(sheet.fallback.is_none() && !sheet.unprefixed, "{:?}", sheet.fallback);
  }

  #[test]
  fn a_transform_browsers_ignore_stays_ignored() {
    // Chromium and WebKit drop `translateY(0.5)`; lightningcss would print `translateY(.5px)`.
    let (out, _) = run(".a{height:1px;transform:translateY(0.5)}.b{transform:translateY(0.5px)}");
    assert_eq!(out, ".a{transform:translateY(.5);height:1px}.b{transform:translateY(.5px)}");
  }

  #[test]
  fn rpx_survives() {
    test(".a { width: 750rpx; margin: 0 20rpx; }", ".a{width:750rpx;margin:0 20rpx}");
    test(".a { backdrop-filter: blur(10rpx) }", ".a{backdrop-filter:blur(10rpx)}");
  }

  #[test]
  fn import_stays_a_statement() {
    test("@import \"../base.wxss\";\n.a { color: red; }", "@import \"../base.wxss\";.a{color:red}");
  }

  #[test]
  fn line_clamp_survives() {
    test(
      ".t { display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; overflow: hidden; }",
      ".t{display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:2;overflow:hidden}",
    );
  }

  #[test]
  fn merging_that_keeps_meaning_is_used() {
    test(".a{margin-top:1px;margin-left:2px;margin-right:2px;margin-bottom:1px}", ".a{margin:1px 2px}");
    test(".a{color:red}.b{color:red}", ".a,.b{color:red}");
    test(".a{color:red;color:blue}", ".a{color:#00f}");
  }

  /// lightningcss's minifier drops these (measured on lightningcss 1.0.0-alpha.72): prefixed
  /// declarations are kept out of its handlers, and what it still gets wrong the guard keeps
  /// as written, and only that statement.
  #[test]
  fn author_prefixes_and_shorthands_are_never_lost() {
    for (src, kept) in [
      (
        ".a{display:-webkit-box;display:-webkit-flex;display:flex}",
        ".a{display:-webkit-box;display:-webkit-flex;display:flex}",
      ),
      (".a{-webkit-box-flex:1;-webkit-flex:1;flex:1}", ".a{-webkit-box-flex:1;-webkit-flex:1;flex:1}"),
      (".a{-webkit-align-items:center;align-items:center;-webkit-box-align:center}", "-webkit-align-items:center"),
      (
        ".a{background:-webkit-linear-gradient(top,#fff,#000);background:linear-gradient(180deg,#fff,#000)}",
        "-webkit-linear-gradient(top,#fff,#000)",
      ),
      (".a{-webkit-filter:blur(2px);filter:blur(2px)}", ".a{-webkit-filter:blur(2px);filter:blur(2px)}"),
      (".a{width:-webkit-fit-content;width:fit-content}", ".a{width:-webkit-fit-content;width:fit-content}"),
      (
        ".a{-ms-flex-align:center;-webkit-backdrop-filter:blur(10rpx);backdrop-filter:blur(10rpx)}",
        "-ms-flex-align:center;-webkit-backdrop-filter:blur(10rpx)",
      ),
    ] {
      let input = format!("{src}\n.b {{ color: #ffffff; }}");
      let (out, fallback) = run(&input);
      assert!(out.contains(kept), "{src} -> {out}");
      assert!(out.ends_with(".b{color:#fff}"), "{out}");
      assert!(fallback.is_none(), "{fallback:?}");
    }
    // lightningcss prints this `animation:none`; kept out of it, it is only minified.
    let (out, fallback) = run(".a { animation: ease both }\n.b { color: #ffffff; }");
    assert_eq!((out.as_str(), fallback), (".a{animation:ease both}.b{color:#fff}", None));
    // What the guard still catches ships as written, counted, located.
    let (out, fallback) = run(".b { color: #ffffff; }\n.a { *zoom: 1; color: red }");
    assert_eq!(out, ".b{color:#fff}.a{*zoom:1;color:red}");
    let f = fallback.expect("counted in the report");
    assert!(f.reason.starts_with("1 of 2 rules"), "{}", f.reason);
    assert_eq!(f.line, Some(2), "{}", f.reason);
  }

  #[test]
  fn autoprefix_adds_what_devtools_adds_and_keeps_what_was_written() {
    let sheet = minify(".a{display:flex;transform:rotate(1deg)}", css(true));
    assert_eq!(
      sheet.code,
      ".a{display:-webkit-flex;display:flex;-webkit-transform:rotate(1deg);transform:rotate(1deg)}"
    );
    assert!(sheet.fallback.is_none() && !sheet.unprefixed);
    let sheet = minify(".a{animation:ease both}", css(true));
    assert_eq!(sheet.code, ".a{-webkit-animation:ease both;animation:ease both}");
    assert!(sheet.fallback.is_none() && !sheet.unprefixed);
    let sheet = minify(".a{*zoom:1;display:flex}.b{*zoom:1}", css(true));
    assert_eq!(sheet.code, ".a{*zoom:1;display:flex}.b{*zoom:1}");
    assert!(sheet.unprefixed, "a stripped statement that needed prefixes leaves them to DevTools");
    let sheet = minify(".b{*zoom:1}.c{color:red}", css(true));
    assert!(sheet.fallback.is_some() && !sheet.unprefixed, "nothing to prefix in what was stripped");
  }

  #[test]
  fn dirt_falls_back_losslessly() {
    for src in [
      ".a { *zoom: 1; color: red }",
      ".a >>> .b { color: red }\n.c{}",
      ".a{color:red}\n@import 'late.wxss';",
      "@media (max-width: 750rpx) { .a { color: red } }",
    ] {
      let (out, fallback) = run(src);
      if let Some(f) = &fallback {
        assert!(out.len() <= strip(src).len(), "{src}: {f:?}");
      }
      assert!(out.len() < src.len(), "{src}");
    }
    let (out, fallback) = run(".a { *zoom: 1; color: red }");
    assert_eq!(out, ".a{*zoom:1;color:red}");
    assert_eq!(fallback.unwrap().line, Some(1));
    let (out, fallback) = run(".a { color: #ffffff }\n.b { *zoom: 1 }");
    assert_eq!(out, ".a{color:#fff}.b{*zoom:1}");
    assert_eq!(fallback.unwrap().line, Some(2));
  }

  #[test]
  fn fuzz_finds_stay_fixed() {
    // A zero in a value: its log10 is -inf (cargo fuzz, wxss_minify).
    for src in ["q0{;\0:0~", ".a{width:0.0px;opacity:0.0}"] {
      for autoprefix in [false, true] {
        let _ = minify(src, css(autoprefix));
      }
    }
  }

  #[test]
  fn quoted_urls_and_system_fonts_stay_as_written() {
    let src = ".a{display:flex;background-image:url(\"data:image/svg+xml,%3Csvg fill=%22rgba(0, 0, 0, .4)%22%3E\")}";
    let sheet = minify(src, css(true));
    assert!(sheet.code.contains("url('data:image/svg+xml,%3Csvg fill=\"rgba(0, 0, 0, .4)\"%3E')"), "{}", sheet.code);
    assert!(sheet.code.contains("-webkit-flex") && sheet.fallback.is_none(), "{sheet:?}");
    let (_, fallback) = run(".a{transform-origin:0% 0%;transition-duration:150ms}");
    assert_eq!(fallback, None, "printed shorter, the same value");
    let (out, fallback) = run("page{font-family:system-ui,sans-serif;color:#ffffff}");
    assert_eq!((out.as_str(), fallback), ("page{font-family:system-ui,sans-serif;color:#fff}", None));
  }

  #[test]
  fn no_escape_is_introduced() {
    let (out, fallback) = run("[class*=\" weui-icon-\"] { display: inline-block }");
    assert_eq!(out, "[class*=\" weui-icon-\"]{display:inline-block}");
    assert!(fallback.is_some());
  }

  #[test]
  fn deep_combinator_is_kept() {
    let (out, _) = run(".a /deep/ .b { color: red }");
    assert!(out.contains("/deep/"), "{out}");
  }

  #[test]
  fn escapes_are_kept_byte_for_byte() {
    // In a string the escape is kept out of lightningcss, and the rule around it minified.
    let (out, fallback) = run(".a::after { content: \"\\2713\"; }\n.b { color: #ffffff }");
    assert_eq!(out, ".a:after{content:\"\\2713\"}.b{color:#fff}");
    assert!(fallback.is_none(), "{fallback:?}");
    // Elsewhere (a selector) the statement is stripped as written.
    let (out, fallback) = run(".a\\:b { color: #ffffff }\n.b { color: #ffffff }");
    assert_eq!(out, ".a\\:b { color: #ffffff }.b{color:#fff}");
    assert!(fallback.is_some());
  }
}
