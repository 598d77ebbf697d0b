//! Exact duplicate rules (cssnano's discard-duplicates): a style rule that a later rule of the
//! same block repeats byte for byte never decides a value. The later copy matches the same
//! elements with the same specificity and comes after it, so whatever the earlier one sets,
//! the later one sets again, and wins. The earlier copy goes. Rules are compared as
//! lightningcss prints them (one spelling per rule), in each block of rules on its own: the top
//! level and each `@media` or `@supports` body; a rule in one block never removes one in
//! another. The guard then reads the result like any minified output.

use rustc_hash::FxHashMap;

use super::{group, strip::statements};

/// `code` without the rules a later rule of the same block repeats, or `None` when none does.
pub fn dedupe(code: &str) -> Option<String> {
  let (out, changed) = block(code, 0);
  changed.then_some(out)
}

/// Groups nest as deep as the sheet: the minifier only runs on sheets nested a bounded depth
/// (`nesting::WXSS_MINIFY`), and this stops there too.
fn block(code: &str, depth: usize) -> (String, bool) {
  let list = statements(code);
  let mut last: FxHashMap<&str, usize> = FxHashMap::default();
  for (i, (_, s)) in list.iter().enumerate() {
    if !s.trim_start().starts_with('@') {
      last.insert(s.trim(), i);
    }
  }
  let mut out = String::with_capacity(code.len());
  let mut changed = false;
  for (i, (_, s)) in list.iter().enumerate() {
    let rule = !s.trim_start().starts_with('@');
    if rule && last.get(s.trim()).is_some_and(|&j| j > i) {
      changed = true;
      continue;
    }
    match group(s).filter(|_| depth < crate::nesting::WXSS_MINIFY) {
      Some((prelude, body)) => {
        let (inner, inner_changed) = block(body, depth + 1);
        if inner_changed {
          changed = true;
          out.push_str(prelude);
          out.push('{');
          out.push_str(&inner);
          out.push('}');
        } else {
          out.push_str(s);
        }
      }
      None => out.push_str(s),
    }
  }
  (out, changed)
}

#[cfg(test)]
mod tests {
  use super::dedupe;

  #[test]
  fn an_earlier_copy_goes_and_the_last_stays() {
    assert_eq!(dedupe(".a{color:red}.b{color:blue}.a{color:red}").as_deref(), Some(".b{color:blue}.a{color:red}"));
    assert_eq!(dedupe(".a{color:red}.a{color:red}.a{color:red}").as_deref(), Some(".a{color:red}"));
  }

  #[test]
  fn only_exact_copies_in_the_same_block() {
    assert_eq!(dedupe(".a{color:red}.a{color:blue}"), None);
    assert_eq!(dedupe(".a{color:red}@media (min-width:1px){.a{color:red}}"), None);
    assert_eq!(dedupe("@font-face{font-family:a}@font-face{font-family:a}"), None);
    assert_eq!(
      dedupe("@media (min-width:1px){.a{color:red}.b{top:0}.a{color:red}}").as_deref(),
      Some("@media (min-width:1px){.b{top:0}.a{color:red}}")
    );
  }
}
