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
//!   `*zoom:1`): that statement is stripped too; an `@import` after other rules (which
//!   lightningcss reads only at the top) makes it take the sheet statement by statement, and
//!   the runs on either side of the import are minified again whole ([`runs`]);
//! - a statement with CSS escapes (`content: "\2713"`) is stripped, because lightningcss would
//!   reprint the escape as the character and DevTools breaks on non-ASCII `content`.
//!
//! Vendor prefixes follow one policy, `[wxss] prefixes`: by default those the engines of the
//! minimum base library need, added whatever the project's `postcss` says (DevTools runs its
//! autoprefixer, iOS >= 8 and Chrome >= 37, when `postcss` or `minifyWXSS` is on). The output
//! project turns postcss off, so what the report measures is what uploads; a statement that had
//! to be stripped lacks its prefixes, and then the output turns postcss on so DevTools adds
//! them ([`Sheet::unprefixed`]).

mod colors;
mod data_url;
mod dedupe;
pub mod fonts;
mod guard;
mod keyframes;
mod merge;
pub mod named;
mod props;
mod protect;
pub mod strip;
pub mod unused;

use std::sync::{Arc, RwLock};

use lightningcss::{
  stylesheet::{MinifyOptions, ParserFlags, ParserOptions, PrinterOptions, StyleSheet},
  targets::Targets,
};
pub use strip::strip;

use super::{Cause, Fallback};
use crate::targets::Prefixes;

/// The vendor prefixes the guard, the protection and the autoprefix check look for.
const PREFIXES: [&str; 4] = ["-webkit-", "-moz-", "-ms-", "-o-"];

/// What the app-wide analyses of its stylesheets found: the classes an element can carry
/// (`None`: unused selectors stay), the icons the app shows (`None`: no font is cut) and the
/// words its sheets name animations and fonts with (`None`: every `@keyframes` and
/// `@font-face` stays).
#[derive(Debug, Default)]
pub struct Styles {
  pub classes: Option<unused::Classes>,
  pub glyphs: Option<fonts::Glyphs>,
  pub words: Option<rustc_hash::FxHashSet<String>>,
}

/// How a project's stylesheets are minified.
#[derive(Debug, Clone, Copy)]
pub struct Css {
  pub targets: Targets,
  /// Add the vendor prefixes the targets need (`[wxss] prefixes` is not `none`).
  pub autoprefix: bool,
}

impl Css {
  /// One policy whatever the project's `postcss` and `minifyWXSS` say (DevTools autoprefixes
  /// when either is on): the prefixes the oldest supported client needs, `[wxss] prefixes`.
  pub fn of(config: &crate::config::MinifyConfig) -> Self {
    let autoprefix = config.prefixes != Prefixes::None;
    let engines = config.min_base_library.engines().for_prefixes(config.prefixes);
    Self { targets: engines.css_targets(autoprefix), autoprefix }
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
  // Statements minify group by group (a nested `@media` again inside), and lightningcss
  // recurses as deep: a sheet nested past any real one ships with only comments and blank
  // space taken out.
  let crate::nesting::Nesting { depth, deepest_at: at, .. } = crate::nesting::scan(src, crate::nesting::Syntax::Css);
  if depth > crate::nesting::WXSS_MINIFY {
    let reason = format!("nests {depth} levels deep (wxpack minifies up to {})", crate::nesting::WXSS_MINIFY);
    let stripped = strip(src);
    let code = if stripped.len() < src.len() { stripped } else { src.to_string() };
    return Sheet {
      code,
      fallback: Some(shift(Fallback::new(Cause::TooDeep, reason), src, at)),
      unprefixed: css.autoprefix,
    };
  }
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
  // Each statement's output, and whether lightningcss may also minify it with its neighbours.
  let mut pieces: Vec<(String, bool)> = Vec::with_capacity(statements.len());
  let (mut kept, mut first, mut unprefixed) = (0, None, false);
  for &(offset, statement) in &statements {
    let lossless = strip(statement);
    let minified = with_lightningcss(statement, css);
    match minified {
      // An `@import` after rules makes lightningcss refuse the sheet (it reads one only at
      // the top), so it ends a run: the rules on either side still minify together.
      Ok(code) if code.len() <= lossless.len() || css.autoprefix => pieces.push((code, !imports(statement))),
      Ok(_) => pieces.push((lossless, !imports(statement))),
      // A conditional group lightningcss cannot be trusted with (it rewrites a prefixed
      // `@supports` condition by the targets): its condition as written, its rules minified.
      Err(_) if let Some((prelude, body)) = group(statement) => {
        let inner = minify_statements(body, css);
        // Stripped alone the condition reads as a statement and gets its `;`.
        let code = format!("{}{{{}}}", strip(prelude).trim().trim_end_matches(';'), inner.code);
        pieces.push((if code.len() <= lossless.len() || css.autoprefix { code } else { lossless }, false));
        unprefixed |= inner.unprefixed;
        if let Some(f) = inner.fallback {
          kept += 1;
          let at = offset + (statement.len() - statement.trim_start().len()) + prelude.len() + 1;
          first.get_or_insert_with(|| shift(f, src, at));
        }
      }
      Err(f) => {
        kept += 1;
        pieces.push((lossless, false));
        first.get_or_insert_with(|| shift(f, src, offset));
        unprefixed |= css.autoprefix && adds_prefixes(statement, css);
      }
    }
  }
  let out = runs(src, &statements, &pieces, css);
  // Exact copies in different statements; `dedupe` is safe on any text (see there).
  let mut out = dedupe::dedupe(&out).unwrap_or(out);
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

/// The statements' outputs joined, each run of neighbours lightningcss minified one by one
/// minified again as one: its merging of adjacent rules and its pairing of an `@keyframes`
/// with the author's `@-webkit-keyframes` work across statements only so.
fn runs(src: &str, statements: &[(usize, &str)], pieces: &[(String, bool)], css: Css) -> String {
  let mut out = String::with_capacity(src.len());
  let mut i = 0;
  while i < pieces.len() {
    let end = i + pieces[i..].iter().take_while(|p| p.1).count();
    // Every statement passed alone but not the sheet whole: the run is the sheet, which failed.
    if end - i >= 2 && end - i < pieces.len() {
      let (from, (last_at, last)) = (statements[i].0, statements[end - 1]);
      let alone: usize = pieces[i..end].iter().map(|p| p.0.len()).sum();
      if let Some(code) = src.get(from..last_at + last.len()).and_then(|run| with_lightningcss(run, css).ok())
        && code.len() <= alone
      {
        out.push_str(&code);
        i = end;
        continue;
      }
    }
    let end = end.max(i + 1);
    pieces[i..end].iter().for_each(|p| out.push_str(&p.0));
    i = end;
  }
  out
}

/// Whether a statement is an `@import` (or `@charset`, which also has to come first).
fn imports(statement: &str) -> bool {
  let head = statement.trim_start().get(..8).unwrap_or("").to_ascii_lowercase();
  head.starts_with("@import") || head.starts_with("@charset")
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
    return Err(Fallback::new(
      Cause::ChangesMeaning,
      "keeps CSS escapes byte for byte (lightningcss would reprint them)",
    ));
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
  keyframes::keep_authored(&mut sheet.rules, 0);
  let printed = sheet
    .to_css(PrinterOptions { minify: true, targets, ..PrinterOptions::default() })
    .map_err(|e| located(&e.kind.to_string(), e.loc.as_ref()))?;
  let code = if protected.is_some() { protect::restore(&printed.code, targets) } else { printed.code };
  // It escapes what needs no escape (`[class*=" a"]` as `[class*=\ a]`), which DevTools'
  // WXSS compiler is not known to read.
  if code.contains('\\') {
    return Err(Fallback::new(Cause::ChangesMeaning, "lightningcss would write a CSS escape the source does not have"));
  }
  let code = match &hidden {
    Some((_, texts)) => protect::show(&code, texts),
    None => code,
  };
  // Before the guard reads it: the guard checks these steps too.
  let code = colors::shorter(&code).unwrap_or(code);
  let code = dedupe::dedupe(&code).unwrap_or(code);
  let code = merge::merge(&code).unwrap_or(code);
  let difference = match parse(&code) {
    Ok(out) => before.difference(&guard::Model::of(&out.rules, targets), css.autoprefix),
    Err(_) => Some(guard::Difference { line: None, what: "its output, which does not parse again".into() }),
  };
  if let Some(d) = difference {
    let mut f = Fallback::new(Cause::ChangesMeaning, format!("lightningcss would change {}", d.what));
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
  let mut f = Fallback::new(Cause::Unparsable, message);
  if let Some(l) = loc {
    f.line = Some(l.line + 1);
    f.column = Some(l.column);
  }
  f
}

#[cfg(test)]
mod tests;
