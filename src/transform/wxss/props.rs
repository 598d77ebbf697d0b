//! How declarations of different properties interact, for the steps that move or drop one.

use lightningcss::properties::PropertyId;

use super::PREFIXES;

/// Whether two properties can set a longhand in common: the same name without its prefix, one
/// a shorthand of the other by name (`margin`, `margin-top`) or by lightningcss's longhands
/// (`font` sets `line-height`).
pub fn related(a: &str, b: &str) -> bool {
  let (a, b) = (canonical(unprefixed(a)), canonical(unprefixed(b)));
  // `all` sets every property; a custom property only itself.
  if a == "all" || b == "all" {
    return true;
  }
  if a.starts_with("--") || b.starts_with("--") {
    return a == b;
  }
  let under = |x: &str, y: &str| x.strip_prefix(y).is_some_and(|rest| rest.starts_with('-'));
  if a == b || under(a, b) || under(b, a) {
    return true;
  }
  let (la, lb) =
    (PropertyId::from(a).longhands().unwrap_or_default(), PropertyId::from(b).longhands().unwrap_or_default());
  la.iter().any(|l| l.name() == b || lb.iter().any(|m| m.name() == l.name())) || lb.iter().any(|l| l.name() == a)
}

/// Legacy names engines read as another property's (`grid-gap` is `gap`); `text-wrap` and
/// `white-space` set the same longhands in new engines.
fn canonical(name: &str) -> &str {
  match name {
    "grid-gap" => "gap",
    "grid-row-gap" => "row-gap",
    "grid-column-gap" => "column-gap",
    "word-wrap" => "overflow-wrap",
    "text-wrap" => "white-space",
    _ => name.strip_prefix("page-").unwrap_or(name),
  }
}

fn unprefixed(name: &str) -> &str {
  PREFIXES.iter().find_map(|p| name.strip_prefix(p)).unwrap_or(name)
}

#[cfg(test)]
mod tests {
  use super::related;

  #[test]
  fn related_by_name_alias_or_longhand() {
    assert!(related("-webkit-transition", "transition"));
    assert!(related("margin", "margin-top"));
    assert!(related("font", "line-height"));
    assert!(related("flex-flow", "flex-direction"));
    assert!(related("all", "color"));
    assert!(!related("color", "margin"));
    assert!(!related("--a", "color"));
    assert!(!related("flex-flow", "flex-grow"));
    assert!(related("grid-gap", "row-gap"));
    assert!(related("page-break-before", "break-before"));
    assert!(related("text-wrap", "white-space"));
  }
}
