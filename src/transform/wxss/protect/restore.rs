//! The printed sheet with the renamed declarations under their own names again.

use cssparser::{Parser, ParserInput};
use lightningcss::targets::Targets;

use super::{Collect, Declaration, MARK, rules, twins};

/// The printed sheet with the renamed declarations under their own names again. One that
/// lightningcss also printed, the same in the same block (it adds the prefixes the targets
/// need when autoprefixing), is printed once: the author's goes, unless a related declaration
/// lies between it and lightningcss's later copy, and then the copy goes (the author's order is
/// the source's); one it wrote again later in its own words, the same value with nothing
/// between that sets it, goes ([`twins`]).
pub fn restore(printed: &str, targets: Targets) -> String {
  let mut input = ParserInput::new(printed);
  let mut blocks = Vec::new();
  rules(&mut Parser::new(&mut input), printed, &mut Collect::Blocks(&mut blocks));
  let mut out = String::with_capacity(printed.len());
  let mut at = 0;
  for block in &blocks {
    let text = |d: &Declaration| printed.get(d.start..d.end).unwrap_or("").trim_end_matches(';');
    let read: Vec<Option<twins::Printed>> = block
      .iter()
      .map(|d| {
        let marked = text(d);
        let plain = marked.starts_with(MARK).then(|| plain_of(marked)).flatten();
        twins::Printed::of(marked, plain)
      })
      .collect();
    let marked = |d: &Declaration| printed[d.start..].starts_with(MARK);
    // Per declaration: `Some(text)` writes it as `text`, `None` drops it; untouched otherwise.
    let mut write: Vec<Option<Option<&str>>> = vec![None; block.len()];
    for (i, d) in block.iter().enumerate().filter(|(_, d)| marked(d)) {
      let Some(plain) = plain_of(text(d)) else { continue };
      let twins: Vec<usize> = (0..block.len()).filter(|&j| !marked(&block[j]) && text(&block[j]) == plain).collect();
      // lightningcss's own copy comes after the author's with a related declaration between
      // (`display:-webkit-flex;display:-ms-flexbox;display:-webkit-flex;display:flex`): the
      // author's order is the source's, so the copy goes.
      let related_between = |j: usize| {
        let name = read[i].as_ref().map(|r| r.name.as_str()).unwrap_or("");
        read[i + 1..j].iter().flatten().any(|r| crate::transform::wxss::props::related(&r.name, name))
      };
      match twins.iter().find(|&&j| j > i && related_between(j)) {
        Some(&j) => {
          write[i] = Some(Some(plain));
          write[j] = Some(None);
        }
        None if !twins.is_empty() || twins::written_again(&read, i, targets) => write[i] = Some(None),
        None => write[i] = Some(Some(plain)),
      }
    }
    for (d, action) in block.iter().zip(&write) {
      let Some(action) = action else { continue };
      out.push_str(&printed[at..d.start]);
      at = d.end;
      if let Some(plain) = action {
        let written = text(d);
        out.push_str(plain);
        out.push_str(&printed[d.start + written.len()..d.end]);
      }
    }
  }
  out.push_str(&printed[at..]);
  // A dropped last declaration leaves `;}`.
  out.replace(";}", "}")
}

/// A renamed declaration's own text: `--wxpack-keep-3_-webkit-a:b` is `-webkit-a:b`.
fn plain_of(marked: &str) -> Option<&str> {
  let after = marked.get(MARK.len()..)?;
  let digits = after.bytes().take_while(u8::is_ascii_digit).count();
  after.get(digits..).and_then(|r| r.strip_prefix('_'))
}
