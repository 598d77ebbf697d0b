//! Neighbouring rules share what they both declare (cssnano's partial merge-rules):
//! `.l{width:1px;color:red}.r{height:2px;color:red}` is written
//! `.l{width:1px}.l,.r{color:red}.r{height:2px}` when that is shorter. lightningcss merges
//! neighbours only when all their declarations or all their selectors are the same.
//!
//! Why the meaning stays: the shared declarations move, for the first rule's elements, from
//! their place in it to just after it, and for the second rule's, to just before it; nothing
//! else lies between. So a shared declaration may move only past declarations of unrelated
//! properties ([`related`]): for the first rule those written after it, for the second those
//! written before it, and related shared declarations keep their order in both. An element both
//! rules match gets each shared value once at the higher of the two specificities, where it had
//! it twice at each. A selector list is dropped whole by an engine that cannot read one of its
//! selectors, so only selectors every target reads are joined ([`readable`]). Rules are compared
//! as lightningcss printed them, in each block on its own; the guard then reads the result.

use super::{group, props::related, strip::statements};

/// `code` with neighbouring rules sharing their common declarations, or `None` when no pair
/// gets shorter.
pub fn merge(code: &str) -> Option<String> {
  let (out, changed) = block(code, 0);
  changed.then_some(out)
}

#[derive(Clone)]
struct Rule<'a> {
  selectors: String,
  declarations: Vec<&'a str>,
}

impl Rule<'_> {
  fn len(&self) -> usize {
    if self.declarations.is_empty() {
      return 0;
    }
    self.selectors.len() + 2 + self.declarations.iter().map(|d| d.len() + 1).sum::<usize>() - 1
  }

  fn write(&self, out: &mut String) {
    if self.declarations.is_empty() {
      return;
    }
    out.push_str(&self.selectors);
    out.push('{');
    out.push_str(&self.declarations.join(";"));
    out.push('}');
  }
}

fn block(code: &str, depth: usize) -> (String, bool) {
  let mut out = String::with_capacity(code.len());
  let mut changed = false;
  let mut pending: Option<Rule> = None;
  for (_, statement) in statements(code) {
    let Some(next) = rule(statement) else {
      if let Some(p) = pending.take() {
        p.write(&mut out);
      }
      match group(statement).filter(|_| depth < crate::nesting::WXSS_MINIFY) {
        Some((prelude, body)) => {
          let (inner, inner_changed) = block(body, depth + 1);
          changed |= inner_changed;
          out.push_str(prelude.trim_start());
          out.push('{');
          out.push_str(&inner);
          out.push('}');
        }
        None => out.push_str(statement.trim()),
      }
      continue;
    };
    pending = Some(match pending.take() {
      Some(previous) => match share(&previous, &next) {
        Some((first, shared, second)) => {
          changed = true;
          first.write(&mut out);
          if second.declarations.is_empty() {
            shared
          } else {
            shared.write(&mut out);
            second
          }
        }
        None => {
          previous.write(&mut out);
          next
        }
      },
      None => next,
    });
  }
  if let Some(p) = pending {
    p.write(&mut out);
  }
  (out, changed)
}

/// The two rules as the first's own, the shared, and the second's own, when that is shorter.
fn share<'a>(a: &Rule<'a>, b: &Rule<'a>) -> Option<(Rule<'a>, Rule<'a>, Rule<'a>)> {
  let mut moved: Vec<&str> = a.declarations.iter().copied().filter(|d| b.declarations.contains(d)).collect();
  // Each pass drops what may not move; one dropped can hold back another, so until none is.
  loop {
    let before = moved.len();
    // `rule` refuses blocks that repeat a declaration, so one moved is gone from both rules.
    let stays = |d: &str| !moved.contains(&d);
    let keep: Vec<&str> = moved
      .iter()
      .copied()
      .filter(|&m| {
        let (Some(i), Some(j)) = (position(a, m), position(b, m)) else { return false };
        let after_in_a = a.declarations[i + 1..].iter().filter(|x| stays(x));
        let before_in_b = b.declarations[..j].iter().filter(|x| stays(x));
        let order_kept = moved.iter().filter(|o| **o != m && related(name(o), name(m))).all(|o| {
          let (oa, ob) = (position(a, o), position(b, o));
          oa.zip(ob).is_some_and(|(oa, ob)| (oa < i) == (ob < j))
        });
        order_kept && !after_in_a.chain(before_in_b).any(|x| related(name(x), name(m)))
      })
      .collect();
    moved = keep;
    if moved.len() == before || moved.is_empty() {
      break;
    }
  }
  if moved.is_empty() {
    return None;
  }
  let rest = |r: &Rule<'a>| Rule {
    selectors: r.selectors.clone(),
    declarations: r.declarations.iter().copied().filter(|d| !moved.contains(d)).collect(),
  };
  let shared = Rule { selectors: format!("{},{}", a.selectors, b.selectors), declarations: moved.clone() };
  let (first, second) = (rest(a), rest(b));
  (first.len() + shared.len() + second.len() < a.len() + b.len()).then_some((first, shared, second))
}

fn position(rule: &Rule, declaration: &str) -> Option<usize> {
  rule.declarations.iter().position(|d| *d == declaration)
}

fn name(declaration: &str) -> &str {
  declaration.split(':').next().unwrap_or("").trim()
}

/// A style rule as printed: selectors every target reads and a block of declarations only.
fn rule(statement: &str) -> Option<Rule<'_>> {
  let s = statement.trim();
  let open = s.find('{')?;
  let (selectors, body) = (&s[..open], s.get(open + 1..)?.strip_suffix('}')?);
  if !readable(selectors) || body.contains(['{', '}']) {
    return None;
  }
  let declarations = split(body)?;
  // A declaration written twice in one rule: the moves above reason about each once.
  let mut seen = declarations.clone();
  seen.sort_unstable();
  seen.dedup();
  (seen.len() == declarations.len() && !declarations.is_empty())
    .then_some(Rule { selectors: selectors.to_string(), declarations })
}

/// The declarations of a printed block: split at each `;` outside strings and parentheses.
fn split(body: &str) -> Option<Vec<&str>> {
  let (mut out, mut start, mut depth, mut quote) = (Vec::new(), 0, 0usize, None);
  for (i, c) in body.char_indices() {
    match (quote, c) {
      (Some(q), c) if c == q => quote = None,
      (Some(_), _) => {}
      (None, '"' | '\'') => quote = Some(c),
      (None, '(') => depth += 1,
      (None, ')') => depth = depth.checked_sub(1)?,
      (None, ';') if depth == 0 => {
        out.push(body[start..i].trim());
        start = i + 1;
      }
      _ => {}
    }
  }
  if quote.is_some() || depth != 0 || body.contains('\\') {
    return None;
  }
  out.push(body[start..].trim());
  out.retain(|d| !d.is_empty());
  out.iter().all(|d| d.contains(':')).then_some(out)
}

/// Pseudo-classes and elements iOS 8's WebKit and Chrome 53 both read: a list holding only
/// selectors made of these, names, classes, ids, attributes and combinators is read whole.
const PSEUDOS: &[&str] = &[
  "active",
  "after",
  "before",
  "checked",
  "disabled",
  "empty",
  "enabled",
  "first-child",
  "first-letter",
  "first-line",
  "first-of-type",
  "focus",
  "hover",
  "last-child",
  "last-of-type",
  "link",
  "not",
  "nth-child",
  "nth-last-child",
  "nth-last-of-type",
  "nth-of-type",
  "only-child",
  "only-of-type",
  "root",
  "visited",
];

/// Whether every target reads every selector of the list (no `:host`, no `::-webkit-` pseudo
/// element, no `:not(.a .b)`, no quoted attribute: those stay apart).
fn readable(selectors: &str) -> bool {
  if selectors.contains(['"', '\'', '\\', '{', '}', '/', '@', '%']) || selectors.contains(">>>") || selectors.is_empty()
  {
    return false;
  }
  let mut rest = selectors;
  while let Some(at) = rest.find(':') {
    let after = rest[at..].trim_start_matches(':');
    let name_len = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).unwrap_or(after.len());
    let name = after[..name_len].to_ascii_lowercase();
    if !PSEUDOS.contains(&name.as_str()) {
      return false;
    }
    rest = &after[name_len..];
    if let Some(args) = rest.strip_prefix('(') {
      let Some(close) = args.find(')') else { return false };
      let arg = &args[..close];
      let simple = if name == "not" {
        arg.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '#'))
      } else {
        arg.chars().all(|c| c.is_ascii_digit() || matches!(c, 'n' | '+' | '-' | ' ' | 'o' | 'd' | 'e' | 'v'))
          && !arg.contains("od ")
      };
      if !simple || arg.is_empty() {
        return false;
      }
      rest = &args[close + 1..];
    } else if name == "not" || name.starts_with("nth-") {
      return false;
    }
  }
  true
}

#[cfg(test)]
mod tests {
  use super::merge;

  #[test]
  fn shared_declarations_are_written_once() {
    assert_eq!(
      merge(".left{width:300rpx;color:#555;background:#fff}.right{height:1px;color:#555;background:#fff}").as_deref(),
      Some(".left{width:300rpx}.left,.right{color:#555;background:#fff}.right{height:1px}")
    );
    // What is left of the second rule meets the next one.
    assert_eq!(
      merge(".a{top:0;color:#555;background:#fff}.b{left:0;color:#555;background:#fff}.c{left:0;z-index:1;opacity:.5}")
        .as_deref(),
      Some(".a{top:0}.a,.b{color:#555;background:#fff}.b,.c{left:0}.c{z-index:1;opacity:.5}")
    );
    assert_eq!(
      merge("@media (x){.a{top:0;color:#555;background:#fff}.b{left:0;color:#555;background:#fff}}").as_deref(),
      Some("@media (x){.a{top:0}.a,.b{color:#555;background:#fff}.b{left:0}}")
    );
  }

  #[test]
  fn nothing_moves_past_what_it_interacts_with() {
    // `margin` stays: `margin-top` follows it in the first rule.
    assert_eq!(
      merge(".a{margin:0 auto;border-radius:4rpx;margin-top:1px}.b{margin:0 auto;border-radius:4rpx}").as_deref(),
      Some(".a{margin:0 auto;margin-top:1px}.a,.b{border-radius:4rpx}.b{margin:0 auto}")
    );
    assert_eq!(
      merge(".a{color:red;background:#fff;top:0}.b{-webkit-transition:x;color:red;background:#fff}").as_deref(),
      Some(".a{top:0}.a,.b{color:red;background:#fff}.b{-webkit-transition:x}")
    );
    // `transition` stays: its alias comes before it in the second rule.
    assert_eq!(
      merge(".a{transition:a 1s;color:#555555}.b{-webkit-transition:b 1s;transition:a 1s;color:#555555}").as_deref(),
      Some(".a{transition:a 1s}.a,.b{color:#555555}.b{-webkit-transition:b 1s;transition:a 1s}")
    );
    // Shared and related, in another order in each rule.
    assert_eq!(merge(".a{margin:0;margin-top:1px;x-a:1}.b{margin-top:1px;margin:0;x-b:1}"), None);
  }

  #[test]
  fn only_lists_every_engine_reads() {
    let two = |a: &str, b: &str| {
      merge(&format!("{a}{{top:0;color:#555;background:#fff}}{b}{{left:0;color:#555;background:#fff}}"))
    };
    assert!(two(".a:first-child", ".b:not(.c)").is_some());
    assert!(two(".a::-webkit-scrollbar", ".b").is_none());
    assert!(two(":host", ".b").is_none());
    assert!(two(".a:not(.b .c)", ".b").is_none());
    assert!(two(".a:nth-child(2n+1 of .x)", ".b").is_none());
    assert!(two("[a=\"b\"]", ".b").is_none());
    assert!(two(".a>>>.b", ".b").is_none());
    // Not shorter: left alone.
    assert_eq!(merge(".aaaa{top:0;color:red}.bbbb{left:0;color:red}"), None);
  }
}
