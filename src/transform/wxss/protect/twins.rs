//! A protected declaration lightningcss wrote again. Autoprefixing adds the prefixed form of
//! each unprefixed declaration (`transform` gives `-webkit-transform`), and the author's own
//! prefixed copy, kept out of lightningcss ([`super::protect`]), then sits before it:
//! `-webkit-transform:rotate(0deg);-webkit-transform:rotate(0);transform:rotate(0)`. The
//! author's copy sets nothing the later one does not set again: every engine that reads the
//! later one takes it over the earlier, and they mean the same value as lightningcss reads
//! both. The later one is lightningcss's own print for the targets, trusted as much as every
//! unprefixed declaration it prints; the earlier goes.

use lightningcss::{
  properties::{Property, PropertyId},
  stylesheet::{ParserOptions, PrinterOptions},
  targets::Targets,
};

use super::misread::rewritten_wrongly;
use crate::transform::wxss::props::related;

/// One declaration as printed: its name (lowercase) and value, whether it was protected.
pub(super) struct Printed<'a> {
  pub name: String,
  pub value: &'a str,
  pub important: bool,
  pub protected: bool,
}

impl<'a> Printed<'a> {
  /// `text` is `name:value` without the `;`; a protected one carries the mark, taken off.
  pub fn of(text: &'a str, protected: Option<&'a str>) -> Option<Self> {
    let text = protected.unwrap_or(text);
    let (name, value) = text.split_once(':')?;
    let value = value.trim();
    let (value, important) = match value.strip_suffix("!important") {
      Some(v) => (v.trim_end(), true),
      None => (value, false),
    };
    Some(Self { name: name.trim().to_ascii_lowercase(), value, important, protected: protected.is_some() })
  }
}

/// Whether the protected declaration `block[at]` is written again, meaning the same, by a later
/// declaration lightningcss printed, with nothing between them that sets any of the same
/// longhands (an alias such as `transition` for `-webkit-transition` counts).
pub(super) fn written_again(block: &[Option<Printed>], at: usize, targets: Targets) -> bool {
  let Some(Some(d)) = block.get(at) else { return false };
  if !d.protected || rewritten_wrongly(&d.name, d.value) {
    return false;
  }
  let Some(mine) = value(&d.name, d.value, targets) else { return false };
  for later in block.get(at + 1..).unwrap_or_default() {
    let Some(later) = later else { return false };
    if later.name == d.name && !later.protected && later.important == d.important {
      return value(&later.name, later.value, targets).is_some_and(|v| v == mine);
    }
    if related(&later.name, &d.name) {
      return false;
    }
  }
  false
}

/// The value as lightningcss prints it for the targets, when it reads it as that property.
fn value(name: &str, value: &str, targets: Targets) -> Option<String> {
  let property = Property::parse_string(PropertyId::from(name), value, ParserOptions::default()).ok()?;
  if matches!(property, Property::Unparsed(_) | Property::Custom(_)) {
    return None;
  }
  property.value_to_css_string(PrinterOptions { minify: true, targets, ..PrinterOptions::default() }).ok()
}

#[cfg(test)]
mod tests {
  use super::*;

  fn block(texts: &[&str]) -> Vec<Option<Printed<'static>>> {
    let texts: Vec<&'static str> = texts.iter().map(|t| &*t.to_string().leak()).collect();
    texts.iter().map(|t| Printed::of(t.trim_start_matches('*'), t.starts_with('*').then(|| &t[1..]))).collect()
  }

  fn targets() -> Targets {
    crate::targets::BaseLibrary::default().engines().css_targets(true)
  }

  #[test]
  fn the_authors_copy_goes_when_lightningcss_writes_it_again() {
    let b = block(&["*-webkit-transform:rotate(0deg)", "-webkit-transform:rotate(0)", "transform:rotate(0)"]);
    assert!(written_again(&b, 0, targets()));
    let b = block(&["*-webkit-transform-origin:center", "color:red", "-webkit-transform-origin:50%"]);
    assert!(written_again(&b, 0, targets()));
  }

  #[test]
  fn stays_when_different_related_or_its_own() {
    // Another value: a fallback.
    let b = block(&["*-webkit-transform:rotate(1deg)", "-webkit-transform:rotate(0)"]);
    assert!(!written_again(&b, 0, targets()));
    // An alias between: `transition` sets what `-webkit-transition` sets.
    let b = block(&["*-webkit-transition:top 1s", "transition:left 1s", "-webkit-transition:top 1s"]);
    assert!(!written_again(&b, 0, targets()));
    // A shorthand between, by name or by longhands.
    let b = block(&["*-webkit-margin-top:1px", "margin:0", "-webkit-margin-top:1px"]);
    assert!(!written_again(&b, 0, targets()));
    let b = block(&["*line-height:2", "font:12px a", "line-height:2"]);
    assert!(!written_again(&b, 0, targets()));
    // The author's two copies: the earlier may be the fallback for an engine the later fails.
    let b = block(&["*-webkit-box-shadow:0 0 red", "*-webkit-box-shadow:0 0 red"]);
    assert!(!written_again(&b, 0, targets()));
    // Importance differs; or lightningcss misreads it (unitless length in a transform).
    let b = block(&["*-webkit-transform:none!important", "-webkit-transform:none"]);
    assert!(!written_again(&b, 0, targets()));
    let b = block(&["*-webkit-transform:translateY(0.5)", "-webkit-transform:translateY(.5px)"]);
    assert!(!written_again(&b, 0, targets()));
    // What lightningcss cannot read stays.
    let b = block(&["*-webkit-x:1", "-webkit-x:1"]);
    assert!(!written_again(&b, 0, targets()));
  }
}
