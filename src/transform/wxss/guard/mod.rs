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
  properties::Property,
  rules::{CssRule, CssRuleList},
  selector::SelectorList,
  targets::Targets,
  traits::ToCss,
};

mod canon;
use canon::{added_prefix, expand, has_prefix, short, significant, split_list, subsequence};

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
