//! Colours lightningcss writes longer than they need be: translucent white,
//! `rgba(255,255,255,.5)`, is `hsla(0,0%,100%,.5)`, two bytes less, as cssnano's colormin
//! writes it (every target reads `hsla()`). Only white gains: black is shorter as `rgba`, and a
//! grey's lightness is no whole percentage of 255. URLs, strings, comments and custom
//! properties (compared as written) stay as they are; the guard reads the result.

use super::protect::spans;

const WHITE: &str = "rgba(255,255,255,";

/// `code` with its translucent whites written as `hsla()`, or `None` when it has none.
pub fn shorter(code: &str) -> Option<String> {
  if !code.contains(WHITE) {
    return None;
  }
  let skip = spans(code);
  let mut out = String::with_capacity(code.len());
  let mut at = 0;
  for (i, _) in code.match_indices(WHITE) {
    let before = code.get(..i)?;
    let word = before.ends_with(|c: char| c.is_alphanumeric() || c == '-' || c == '_');
    // The declaration it is in starts after the last `;` or `{`: a custom property's stays.
    let declaration = before.rsplit([';', '{']).next().unwrap_or("").trim_start();
    if i < at || word || declaration.starts_with("--") || skip.iter().any(|&(s, e, _)| s <= i && i < e) {
      continue;
    }
    let rest = code.get(i + WHITE.len()..)?;
    let Some(close) = rest.find(')') else { continue };
    let alpha = &rest[..close];
    if alpha.is_empty() || !alpha.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
      continue;
    }
    out.push_str(code.get(at..i)?);
    out.push_str("hsla(0,0%,100%,");
    out.push_str(alpha);
    out.push(')');
    at = i + WHITE.len() + close + 1;
  }
  if at == 0 {
    return None;
  }
  out.push_str(code.get(at..)?);
  Some(out)
}

#[cfg(test)]
mod tests {
  use super::shorter;

  #[test]
  fn translucent_white_is_written_as_hsla() {
    assert_eq!(
      shorter(".a{color:rgba(255,255,255,.92);background:rgba(255,255,255,.5) url(x.png)}").as_deref(),
      Some(".a{color:hsla(0,0%,100%,.92);background:hsla(0,0%,100%,.5) url(x.png)}")
    );
    // Black, other colours, URLs, strings and custom properties stay.
    for same in [
      ".a{color:rgba(0,0,0,.5)}",
      ".a{background:url(\"data:image/svg+xml,<svg fill='rgba(255,255,255,.5)'/>\")}",
      ".a:after{content:\"rgba(255,255,255,.5)\"}",
      ".a{--c:rgba(255,255,255,.5)}",
      ".a{color:xrgba(255,255,255,.5)}",
    ] {
      assert_eq!(shorter(same), None, "{same}");
    }
  }
}
