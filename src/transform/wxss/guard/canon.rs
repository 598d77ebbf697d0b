//! How the guard reads declarations: longhands, prefixes and values compared by meaning.

use lightningcss::{
  printer::PrinterOptions,
  properties::{Property, PropertyId},
  stylesheet::ParserOptions,
  targets::Targets,
  traits::ToCss,
};

use super::po;

/// A comma-separated list's items, commas inside parentheses kept.
pub(super) fn split_list(value: &str) -> Vec<String> {
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
pub(super) fn expand(p: &Property, out: &mut Vec<(String, Option<String>)>, t: Targets) {
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
pub(super) fn physical(key: String) -> String {
  for (logical, side) in [("-block-start", "-top"), ("-block-end", "-bottom")] {
    if let Some(base) = key.strip_suffix(logical).filter(|b| matches!(*b, "margin" | "padding")) {
      return format!("{base}{side}");
    }
  }
  key
}

/// One spelling for values lightningcss's merging rewrites into another that means the same:
/// a position's `0`/`0%`/`left`, `right`/`100%`, `center`/`50%`, and `translate(x,0)`.
pub(super) fn same_meaning(key: &str, value: String) -> String {
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
pub(super) fn reads_back(p: &Property, printed: &str) -> bool {
  // Property is invariant in its lifetime, so the two are compared by their structure as Debug
  // prints it, without the source positions a `url()` carries.
  let back = Property::parse_string(p.property_id(), printed, ParserOptions::default());
  back.is_ok_and(|q| shape(&format!("{q:?}")) == shape(&format!("{p:?}")))
}

/// A Debug print without source positions, numbers to 5 significant digits: lightningcss prints
/// `0.785714286rem` as `.785714rem`, a change no screen shows.
pub(super) fn shape(debug: &str) -> String {
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
pub(super) fn full_print_reads_back(p: &Property) -> bool {
  p.value_to_css_string(PrinterOptions::default()).is_ok_and(|full| reads_back(p, &full))
}

pub(super) fn without_locations(debug: &str) -> String {
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
pub(super) fn reset(id: &PropertyId, out: &mut Vec<(String, Option<String>)>, t: Targets) {
  for l in id.longhands().unwrap_or_default() {
    reset(&l, out, t);
  }
  out.push((name(id, t), None));
}

pub(super) fn name(id: &PropertyId, t: Targets) -> String {
  id.to_css_string(po(t)).unwrap_or_else(|_| id.name().to_string())
}

/// What decides a longhand: its winning value, after the vendor-prefixed values written before
/// it (each engine takes the last one it can read). Only the winning importance counts.
pub(super) fn significant(chain: &[(String, bool)]) -> (bool, Vec<&str>) {
  let important = chain.iter().any(|c| c.1);
  let live: Vec<&str> = chain.iter().filter(|c| c.1 == important).map(|c| c.0.as_str()).collect();
  let last = live.len().saturating_sub(1);
  let kept = live.iter().enumerate().filter(|&(i, v)| i == last || (has_prefix(v) && !live[i + 1..].contains(v)));
  (important, kept.map(|(_, v)| *v).collect())
}

pub(super) fn subsequence(want: &[&str], got: &[&str]) -> bool {
  let mut rest = got.iter();
  want.iter().all(|w| rest.any(|g| g == w))
}

pub(super) fn added_prefix(property: &str, chain: &[(String, bool)]) -> bool {
  has_prefix(property) || chain.iter().all(|c| has_prefix(&c.0))
}

pub(super) fn has_prefix(s: &str) -> bool {
  super::super::PREFIXES.iter().any(|p| s.contains(p))
}

pub(super) fn short(s: &str) -> String {
  let cut: String = s.chars().take(60).collect();
  if cut.len() < s.len() { cut + "..." } else { cut }
}
