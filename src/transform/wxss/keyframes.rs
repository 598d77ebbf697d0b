//! The author's `@-webkit-keyframes` stays the one old engines run. For targets that need the
//! prefix, lightningcss gives each `@keyframes` an `@-webkit-keyframes` copy, even when the
//! block already has the author's own `@-webkit-keyframes` of that name (autoprefixer adds
//! none then). The copy changes which animation an engine that reads only the prefixed rule
//! runs when it comes later (the last rule of a name wins), and otherwise is never used: Blink
//! takes the unprefixed rule, WebKit the last of the name, which the unprefixed rule printed
//! right after the copy is. So the copy is not printed.

use lightningcss::{
  rules::{CssRule, CssRuleList},
  vendor_prefix::VendorPrefix,
};

/// Takes the `-webkit-` copy off every `@keyframes` whose block has the author's own.
pub fn keep_authored(rules: &mut CssRuleList, depth: usize) {
  let authored: Vec<_> = rules
    .0
    .iter()
    .filter_map(|r| match r {
      CssRule::Keyframes(k) if k.vendor_prefix == VendorPrefix::WebKit => Some(k.name.clone()),
      _ => None,
    })
    .collect();
  let both = VendorPrefix::WebKit | VendorPrefix::None;
  for rule in &mut rules.0 {
    match rule {
      CssRule::Keyframes(k) if k.vendor_prefix.contains(both) && authored.contains(&k.name) => {
        k.vendor_prefix.remove(VendorPrefix::WebKit);
      }
      // Minified sheets nest a bounded depth (`nesting::WXSS_MINIFY`).
      CssRule::Media(m) if depth < crate::nesting::WXSS_MINIFY => keep_authored(&mut m.rules, depth + 1),
      CssRule::Supports(s) if depth < crate::nesting::WXSS_MINIFY => keep_authored(&mut s.rules, depth + 1),
      _ => {}
    }
  }
}
