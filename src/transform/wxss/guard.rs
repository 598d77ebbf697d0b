//! The equivalence guard: what each selector gets from a sheet, compared before and after
//! lightningcss minifies it.
//!
//! lightningcss's minifier merges, reorders and drops declarations by its own model of what
//! the targets need, and that model has been wrong in ways that change pages: it drops the
//! author's `display:-webkit-box` fallbacks, prints `animation: ease both` as `animation:none`.
//! The guard does not trust the minifier: it reads the source as lightningcss *parsed* it
//! (before minifying) and the minified output as lightningcss parses it *again*, and compares,
//! for every selector in every at-rule context, the value each longhand ends up with (shorthands
//! expanded, `!important` winning), plus every vendor-prefixed fallback written before the
//! winning value (the engines that need `-webkit-box` skip the later `flex`). Anything else the
//! source had (`@font-face`, `@import`, unknown at-rules) must come out the same. A difference
//! sends the statement through the lossless minifier instead.
//!
//! Not modelled: cascade order between different selectors (lightningcss merges only adjacent
//! rules, which keeps it), and what a parse already got wrong (a parser warning falls back too).

use std::{borrow::Cow, collections::BTreeMap};

use lightningcss::{
  declaration::DeclarationBlock,
  printer::PrinterOptions,
  properties::{Property, PropertyId},
  rules::{CssRule, CssRuleList},
  selector::SelectorList,
  stylesheet::ParserOptions,
  targets::Targets,
  traits::ToCss,
};

fn po(targets: Targets) -> PrinterOptions<'static> {
  PrinterOptions { minify: true, targets, ..PrinterOptions::default() }
}

/// Per (at-rule context, selector): each longhand's values in the order they were declared,
/// with their `!important`.
#[derive(Debug, Default)]
pub struct Model {
  blocks: BTreeMap<(String, String), Block>,
  /// Rules that are not selectors with declarations, printed whole.
  others: Vec<String>,
}

#[derive(Debug, Default, Clone)]
struct Block {
  chains: BTreeMap<String, Vec<(String, bool)>>,
  /// 1-based line of the first rule that declared it.
  line: u32,
}

/// Where a minified sheet would style something differently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
  pub line: Option<u32>,
  pub what: String,
}

impl Model {
  pub fn of(rules: &CssRuleList, t: Targets) -> Self {
    let mut model = Self::default();
    model.rules(rules, "", t);
    model.others.sort();
    model
  }

  fn rules(&mut self, rules: &CssRuleList, context: &str, t: Targets) {
    let print = |x: &dyn Fn() -> Result<String, lightningcss::error::PrinterError>| x().unwrap_or_default();
    for rule in &rules.0 {
      match rule {
        CssRule::Style(style) => {
          for selector in style.selectors.0.iter() {
            let key = print(&|| SelectorList::from(selector.clone()).to_css_string(po(t)));
            self.declarations(context, key, &style.declarations, style.loc.line + 1, t);
          }
          if !style.rules.0.is_empty() {
            let nested = print(&|| style.selectors.to_css_string(po(t)));
            self.rules(&style.rules, &format!("{context}{nested}{{"), t);
          }
        }
        CssRule::Media(media) => {
          let query = print(&|| media.query.to_css_string(po(t)));
          self.rules(&media.rules, &format!("{context}@media {query}{{"), t);
        }
        CssRule::Supports(supports) => {
          let condition = print(&|| supports.condition.to_css_string(po(t)));
          self.rules(&supports.rules, &format!("{context}@supports {condition}{{"), t);
        }
        CssRule::Keyframes(k) => {
          let prefix = print(&|| k.vendor_prefix.to_css_string(po(t)));
          let name = print(&|| k.name.to_css_string(po(t)));
          let inner = format!("{context}@{prefix}keyframes {name}{{");
          for frame in &k.keyframes {
            for selector in &frame.selectors {
              let key = print(&|| selector.to_css_string(po(t)));
              self.declarations(&inner, key, &frame.declarations, k.loc.line + 1, t);
            }
          }
        }
        // Emptied by the minifier's own merging; nothing to compare.
        CssRule::Ignored => {}
        other => self.others.push(format!("{context}{}", print(&|| other.to_css_string(po(t))))),
      }
    }
  }

  fn declarations(&mut self, context: &str, selector: String, block: &DeclarationBlock, line: u32, t: Targets) {
    let entry =
      self.blocks.entry((context.to_string(), selector)).or_insert_with(|| Block { line, ..Block::default() });
    let mut set = |p: &Property, important: bool| {
      let mut parts = Vec::new();
      expand(p, &mut parts, t);
      for (key, value) in parts {
        match value {
          Some(v) => entry.chains.entry(key).or_default().push((v, important)),
          None => {
            entry.chains.remove(&key);
          }
        }
      }
    };
    for p in &block.declarations {
      set(p, false);
    }
    for p in &block.important_declarations {
      set(p, true);
    }
  }

  /// The first place `output` styles differently from `self` (the source). With `autoprefix`,
  /// the output may add vendor-prefixed properties, values and rules (DevTools' postcss would).
  pub fn difference(&self, output: &Model, autoprefix: bool) -> Option<Difference> {
    let empty = Block::default();
    for (key, source) in &self.blocks {
      let source = &*source.transitions(false);
      let out = &*output.blocks.get(key).unwrap_or(&empty).transitions(autoprefix);
      let (context, selector) = key;
      let at = |property: &str, detail: String| Difference {
        line: Some(source.line),
        what: format!("`{property}` of `{context}{selector}` ({detail})"),
      };
      for (property, chain) in &source.chains {
        let want = significant(chain);
        let got = out.chains.get(property).map(|c| significant(c));
        let same = match &got {
          None => false,
          Some(got) if autoprefix => got.0 == want.0 && got.1.last() == want.1.last() && subsequence(&want.1, &got.1),
          Some(got) => *got == want,
        };
        if !same {
          let shown = |s: &(bool, Vec<&str>)| s.1.join(" ; ") + if s.0 { " !important" } else { "" };
          let now = got.as_ref().map_or_else(|| "dropped".to_string(), shown);
          return Some(at(property, format!("{} -> {now}", shown(&want))));
        }
      }
      for (property, chain) in &out.chains {
        if !(source.chains.contains_key(property) || autoprefix && added_prefix(property, chain)) {
          return Some(at(property, "added".to_string()));
        }
      }
    }
    for ((context, selector), out) in &output.blocks {
      let prefixed = |s: &str| has_prefix(s) && autoprefix;
      if !self.blocks.contains_key(&(context.clone(), selector.clone()))
        && !out.chains.is_empty()
        && !prefixed(context)
        && !prefixed(selector)
        && !out.chains.iter().all(|(p, c)| autoprefix && added_prefix(p, c))
      {
        return Some(Difference { line: None, what: format!("`{context}{selector}` (added)") });
      }
    }
    let kept: Vec<&String> =
      output.others.iter().filter(|o| !(autoprefix && has_prefix(o)) || self.others.contains(o)).collect();
    if kept != self.others.iter().collect::<Vec<_>>() {
      let lost = self.others.iter().find(|o| !output.others.contains(o));
      let what = lost.map_or_else(|| "an at-rule changed".to_string(), |o| format!("`{}` changed", short(o)));
      return Some(Difference { line: None, what });
    }
    None
  }
}

impl Block {
  /// The block with its transition lists as the engine reads them: each `transition-*` list
  /// repeated to the length of `transition-property` (`0s` for two properties is `0s,0s`), and
  /// with `drop_prefixed`, the prefixed properties autoprefixing adds to the list removed with
  /// their entries (`opacity,-webkit-transform,transform`).
  fn transitions(&self, drop_prefixed: bool) -> Cow<'_, Block> {
    if !self.chains.keys().any(|k| k.ends_with("transition-property")) {
      return Cow::Borrowed(self);
    }
    let mut block = self.clone();
    for prefix in ["", "-webkit-"] {
      let winner = |b: &Block, key: &str| b.chains.get(key).and_then(|c| c.last()).map(|v| v.0.clone());
      let Some(properties) = winner(&block, &format!("{prefix}transition-property")) else { continue };
      let items = split_list(&properties);
      let keep: Vec<bool> = items.iter().map(|i| !(drop_prefixed && prefix.is_empty() && has_prefix(i))).collect();
      for longhand in ["property", "duration", "delay", "timing-function", "behavior"] {
        let key = format!("{prefix}transition-{longhand}");
        let Some(value) = winner(&block, &key) else { continue };
        let list = split_list(&value);
        let cycled = (0..items.len()).filter(|&i| keep[i]).map(|i| list[i % list.len()].as_str());
        let joined = cycled.collect::<Vec<_>>().join(",");
        if let Some(last) = block.chains.get_mut(&key).and_then(|c| c.last_mut()) {
          last.0 = joined;
        }
      }
    }
    Cow::Owned(block)
  }
}

/// A comma-separated list's items, commas inside parentheses kept.
fn split_list(value: &str) -> Vec<String> {
  let (mut items, mut depth, mut current) = (Vec::new(), 0i32, String::new());
  for c in value.chars() {
    match c {
      '(' => depth += 1,
      ')' => depth -= 1,
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

/// A property as the longhands it sets: `(longhand, Some(value))`, or `(longhand, None)` for a
/// longhand a shorthand resets without lightningcss being able to say to what (`margin: 0 2rpx`
/// stays unparsed); that shorthand is then kept whole under its own name.
fn expand(p: &Property, out: &mut Vec<(String, Option<String>)>, t: Targets) {
  let id = p.property_id();
  if let Some(longhands) = id.longhands() {
    let parts: Vec<Option<Property>> = longhands.iter().map(|l| p.longhand(l)).collect();
    // Some shorthands give only some of theirs (`animation` no `animation-range-*`): those it
    // resets are left out on both sides.
    if parts.iter().any(Option::is_some) {
      for (l, part) in longhands.iter().zip(&parts) {
        match part {
          Some(part) => expand(part, out, t),
          None => reset(l, out, t),
        }
      }
      return;
    }
    // Kept whole under its own name; what it sets underneath is unknown.
    for l in &longhands {
      reset(l, out, t);
    }
  }
  let value = match p.value_to_css_string(po(t)) {
    // A value lightningcss prints wrong (`animation: ease both` as `none`) says so, so that it
    // matches nothing the output can have.
    Ok(v) if reads_back(p, &v) || full_print_reads_back(p) => v,
    Ok(v) => format!("{v} <printed wrong: {p:?}>"),
    Err(_) => format!("<unprintable: {p:?}>"),
  };
  let key = physical(name(&id, t));
  let value = same_meaning(&key, value);
  out.push((key, Some(value)));
}

/// lightningcss lowers `margin-block-end` to `margin-bottom` for old targets: in horizontal
/// writing, which WXSS has, they are the same longhand.
fn physical(key: String) -> String {
  for (logical, side) in [("-block-start", "-top"), ("-block-end", "-bottom")] {
    if let Some(base) = key.strip_suffix(logical).filter(|b| matches!(*b, "margin" | "padding")) {
      return format!("{base}{side}");
    }
  }
  key
}

/// One spelling for values lightningcss's merging rewrites into another that means the same:
/// a position's `0`/`0%`/`left`, `right`/`100%`, `center`/`50%`, and `translate(x,0)`.
fn same_meaning(key: &str, value: String) -> String {
  if key.ends_with("position-x") || key.ends_with("position-y") {
    let items = split_list(&value).into_iter().map(|item| match item.as_str() {
      "0" | "left" | "top" => "0%".to_string(),
      "right" | "bottom" => "100%".to_string(),
      "center" => "50%".to_string(),
      _ => item,
    });
    return items.collect::<Vec<_>>().join(",");
  }
  if key.ends_with("transform") && value.contains(",0)") {
    return value
      .replace("translate(", "\u{0}")
      .split('\u{0}')
      .enumerate()
      .map(|(i, part)| {
        if i == 0 {
          return part.to_string();
        }
        let closed = part.find(')').unwrap_or(part.len());
        let (args, rest) = part.split_at(closed);
        let args = args.strip_suffix(",0").filter(|a| !a.contains(',')).unwrap_or(args);
        format!("translate({args}{rest}")
      })
      .collect();
  }
  value
}

/// The printed value parses back to the same property.
fn reads_back(p: &Property, printed: &str) -> bool {
  // Property is invariant in its lifetime, so the two are compared by their structure as Debug
  // prints it, without the source positions a `url()` carries.
  let back = Property::parse_string(p.property_id(), printed, ParserOptions::default());
  back.is_ok_and(|q| shape(&format!("{q:?}")) == shape(&format!("{p:?}")))
}

/// A Debug print without source positions, numbers to 5 significant digits: lightningcss prints
/// `0.785714286rem` as `.785714rem`, a change no screen shows.
fn shape(debug: &str) -> String {
  let mut text = without_locations(debug);
  // `150ms` prints as `.15s`: one unit before the numbers are rounded.
  while let Some(at) = text.find("Milliseconds(") {
    let rest = &text[at + "Milliseconds(".len()..];
    let end = rest.find(')').unwrap_or(rest.len());
    let seconds =
      rest[..end].parse::<f64>().map_or_else(|_| rest[..end].to_string(), |ms| format!("{:?}", ms / 1000.0));
    text = format!("{}Seconds({seconds}{}", &text[..at], &rest[end..]);
  }
  let mut out = String::with_capacity(text.len());
  let mut number = String::new();
  let flush = |number: &mut String, out: &mut String| {
    match number.parse::<f64>() {
      Ok(n) if number.contains('.') => {
        // log10 of 0 is -inf, which `as` saturates to i32::MIN.
        let magnitude = if n == 0.0 || !n.is_finite() { 0 } else { n.abs().log10().floor() as i32 };
        let decimals = 4i32.saturating_sub(magnitude).clamp(0, 10) as usize;
        out.push_str(&format!("{n:.decimals$}"));
      }
      _ => out.push_str(number),
    }
    number.clear();
  };
  for c in text.chars() {
    if c.is_ascii_digit() || (c == '.' && !number.is_empty()) || (c == '-' && number.is_empty()) {
      number.push(c);
    } else {
      flush(&mut number, &mut out);
      out.push(c);
    }
  }
  flush(&mut number, &mut out);
  // Forms the printer writes shorter that read back as another spelling of the same value:
  // `linear-gradient(180deg, ...)` without its default direction, a zero length without its
  // unit, `50%` for `center`, `0` for `0%`.
  let mut out = out.replace("Angle(Deg(180.00))", "Vertical(Bottom)");
  for unit in ["Em", "Rem", "Vw", "Vh", "Vmin", "Vmax", "Ex", "Ch", "Pt", "Cm", "Mm", "In", "Pc", "Q"] {
    out = out.replace(&format!("{unit}(0.0000)"), "Px(0.0000)");
  }
  out = out.replace("Length(Percentage(Percentage(0.50000)))", "Center");
  out.replace("Length(Percentage(Percentage(0.0000)))", "Length(Dimension(Px(0.0000)))")
}

/// The minified printer writes some values in another form that means the same (`bold` as
/// `700`, `center` as `50%`); the full printer keeps their form. A value that the full printer
/// writes faithfully is trusted to the minified one, whose changes are shortenings.
fn full_print_reads_back(p: &Property) -> bool {
  p.value_to_css_string(PrinterOptions::default()).is_ok_and(|full| reads_back(p, &full))
}

fn without_locations(debug: &str) -> String {
  let mut out = String::with_capacity(debug.len());
  let mut rest = debug;
  while let Some(at) = rest.find("loc: Location {") {
    out.push_str(&rest[..at]);
    rest = rest[at..].find('}').map_or("", |end| &rest[at + end + 1..]);
  }
  out.push_str(rest);
  out
}

/// `id` and its longhands are set to something the guard cannot name.
fn reset(id: &PropertyId, out: &mut Vec<(String, Option<String>)>, t: Targets) {
  for l in id.longhands().unwrap_or_default() {
    reset(&l, out, t);
  }
  out.push((name(id, t), None));
}

fn name(id: &PropertyId, t: Targets) -> String {
  id.to_css_string(po(t)).unwrap_or_else(|_| id.name().to_string())
}

/// What decides a longhand: its winning value, after the vendor-prefixed values written before
/// it (each engine takes the last one it can read). Only the winning importance counts.
fn significant(chain: &[(String, bool)]) -> (bool, Vec<&str>) {
  let important = chain.iter().any(|c| c.1);
  let live: Vec<&str> = chain.iter().filter(|c| c.1 == important).map(|c| c.0.as_str()).collect();
  let last = live.len().saturating_sub(1);
  let kept = live.iter().enumerate().filter(|&(i, v)| i == last || (has_prefix(v) && !live[i + 1..].contains(v)));
  (important, kept.map(|(_, v)| *v).collect())
}

fn subsequence(want: &[&str], got: &[&str]) -> bool {
  let mut rest = got.iter();
  want.iter().all(|w| rest.any(|g| g == w))
}

fn added_prefix(property: &str, chain: &[(String, bool)]) -> bool {
  has_prefix(property) || chain.iter().all(|c| has_prefix(&c.0))
}

fn has_prefix(s: &str) -> bool {
  super::PREFIXES.iter().any(|p| s.contains(p))
}

fn short(s: &str) -> String {
  let cut: String = s.chars().take(60).collect();
  if cut.len() < s.len() { cut + "..." } else { cut }
}
