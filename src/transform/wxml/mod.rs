//! WXML minification, mirroring DevTools' own WXML minifier (`generateWXMLFromTokens` in
//! miniprogram-ci's `minifywxml.js`: `collapseWhitespace: true, conservativeCollapse: false`,
//! platform doc section 8), which runs on upload when `minifyWXML` is on:
//! - comments go;
//! - whitespace runs in text collapse to one space, and whitespace next to a tag is trimmed,
//!   whatever the tag (DevTools trims next to `button` and `label` too); text on both sides of a
//!   dropped comment keeps one space between them;
//! - inside `<text>` all text is kept byte for byte (all spaces and newlines render there); only
//!   comments and the whitespace inside `{{ }}` go, which render nothing;
//! - attribute values and entities are never touched (a space between `}}` and the closing
//!   quote changes the value); only the whitespace between attributes goes, and, as DevTools'
//!   minifier does, the whitespace inside `{{ }}` expressions that separates nothing
//!   (`{{ a ? 'x y' : b }}` becomes `{{a?'x y':b}}`; strings, `a - -b`, `typeof x` keep theirs);
//! - `<wxs>` bodies are minified as WXS by the caller's function, or kept.

use super::{Cause, Fallback};
use crate::{
  diagnostic::Span,
  wxml::{Tag, Token, mustache_runs, tokenize},
};

/// Minifies one WXML file. A file with a `<` that opens no tag (or a tag read by skipping junk)
/// comes back unchanged with the reason: how such text reads depends on everything after it, so
/// no edit is known to be safe.
pub fn minify(src: &str, wxs: &dyn Fn(&str) -> Option<String>) -> (String, Option<Fallback>) {
  let tokens = tokenize(src);
  let junk = tokens.iter().find_map(|t| match t {
    Token::Text(s) => stray_angle(&src[s.start as usize..s.end as usize])
      .map(|i| Span::new(s.start as usize + i, s.start as usize + i + 1)),
    Token::Open(tag) if tag.recovered => Some(tag.span),
    _ => None,
  });
  if let Some(span) = junk {
    let loc = crate::diagnostic::Source::new("", src).at(span);
    let mut f = Fallback::new(Cause::Unparsable, "a `<` that opens no well-formed tag; the file is kept as written");
    (f.line, f.column) = (Some(loc.line), Some(loc.column));
    return (src.to_string(), Some(f));
  }
  // Dropping a comment can join the texts around it into something the tokenizer reads
  // differently (a quote before it pairing with one after it inside a `{{`), so the output must
  // read as the same tags; if it does not, the comments stay, and failing that, the file does.
  for keep_comments in [false, true] {
    let out = write(src, &tokens, wxs, keep_comments);
    if same_tags(&tokens, &tokenize(&out)) {
      return (out, None);
    }
  }
  (
    src.to_string(),
    Some(Fallback::new(Cause::ChangesMeaning, "minified, it would read as other tags; the file is kept as written")),
  )
}

/// Whether two token lists hold the same tags in the same order: kind, name, attribute names.
fn same_tags(a: &[Token], b: &[Token]) -> bool {
  let same = |(x, y): (&Token, &Token)| match (x, y) {
    (Token::Open(p), Token::Open(q)) => {
      p.name == q.name
        && p.self_closing == q.self_closing
        && p.attrs.iter().map(|a| a.name).eq(q.attrs.iter().map(|a| a.name))
    }
    (Token::Close { name: p, .. }, Token::Close { name: q, .. }) => p == q,
    (Token::Script(_), Token::Script(_)) => true,
    _ => false,
  };
  let keep = |t: &&Token| !matches!(t, Token::Text(_) | Token::Comment(_));
  a.iter().filter(keep).count() == b.iter().filter(keep).count()
    && a.iter().filter(keep).zip(b.iter().filter(keep)).all(same)
}

/// The minified text of `tokens`; `keep_comments` copies every comment.
fn write(src: &str, tokens: &[Token], wxs: &dyn Fn(&str) -> Option<String>, keep_comments: bool) -> String {
  let mut out = String::with_capacity(src.len());
  let mut in_text = 0usize;
  // A text left a `{{` that no later text closed: the comments after it stay (tags do not
  // close it: drop the comment and the tokenizer may read the tag into the mustache).
  let mut open_mustache = false;
  let text_of = |s: Span| &src[s.start as usize..s.end as usize];
  for (i, token) in tokens.iter().enumerate() {
    if in_text > 0 {
      // Inside <text> every character of text renders: it is copied, and only what does not
      // render goes, as DevTools' minifier does: comments, and the whitespace inside `{{ }}`.
      match token {
        Token::Comment(span) if keep_comments || out.ends_with(['{', '}']) => out.push_str(text_of(*span)),
        Token::Comment(_) => {}
        Token::Text(span) => {
          for (mustache, run) in mustache_runs(text_of(*span)) {
            if mustache { squeeze(run, &mut out) } else { out.push_str(run) }
          }
        }
        // A tag inside <text> renders nothing of its own: written as everywhere else.
        Token::Open(tag) => open_tag(src, tag, &mut out),
        _ => out.push_str(text_of(token.span())),
      }
      match token {
        Token::Open(t) if t.name == "text" && !t.self_closing => in_text += 1,
        Token::Close { name: "text", .. } => in_text -= 1,
        _ => {}
      }
      continue;
    }
    match token {
      // A comment goes, unless the text around it could join into a mustache it did not form
      // (`{<!---->{a}}` must not become `{{a}}`).
      Token::Comment(span) => {
        if keep_comments || out.ends_with(['{', '}']) || open_mustache {
          out.push_str(text_of(*span));
        }
        continue;
      }
      Token::Open(tag) => {
        open_tag(src, tag, &mut out);
        if tag.name == "text" && !tag.self_closing {
          in_text = 1;
        }
      }
      Token::Close { name, span } => {
        // Only whitespace goes from a closing tag; anything else in it is kept as written (a
        // quote there can change how a mustache around it reads).
        let raw = text_of(*span);
        let inner = raw.strip_prefix("</").and_then(|r| r.strip_suffix('>')).and_then(|r| r.strip_prefix(*name));
        if inner.is_some_and(|r| r.bytes().all(|b| b.is_ascii_whitespace())) {
          out.push_str("</");
          out.push_str(name);
          out.push('>');
        } else {
          out.push_str(raw);
        }
      }
      Token::Script(span) => {
        let body = text_of(*span);
        match wxs(body) {
          Some(min) if min.len() < body.len() => out.push_str(&min),
          _ => out.push_str(body),
        }
      }
      Token::Text(span) => {
        // Text meets text where a comment went: the space between them stays. Whitespace
        // between comments is no text: it goes as whitespace next to a tag does.
        let text = |t: Option<&Token>| matches!(t, Some(Token::Text(_)));
        let gap = |t: &&Token| match t {
          Token::Comment(_) => true,
          Token::Text(s) => text_of(*s).bytes().all(|b| b.is_ascii_whitespace()),
          _ => false,
        };
        let before = tokens[..i].iter().rev().find(|t| !gap(t));
        let after = tokens[i + 1..].iter().find(|t| !gap(t));
        let body = text_of(*span);
        // A `{{` this text does not close reads on into what follows: its whitespace stays.
        let opens = mustache_runs(body).iter().any(|(m, run)| !m && run.contains("{{"));
        if open_mustache || opens {
          // Until a `}}` closes it, the text goes on as written.
          out.push_str(body);
          open_mustache = opens || (open_mustache && !body.contains("}}"));
          continue;
        }
        collapse(body, !text(before), !text(after), &mut out);
      }
    }
  }
  out
}

/// `<name a="v" b>` with the source's quotes and values, single spaces between attributes.
fn open_tag(src: &str, tag: &Tag, out: &mut String) {
  out.push('<');
  out.push_str(tag.name);
  for attr in &tag.attrs {
    out.push(' ');
    out.push_str(attr.name);
    if let Some(v) = &attr.value {
      out.push('=');
      let quote =
        src.as_bytes().get((v.span.start as usize).wrapping_sub(1)).copied().filter(|&q| q == b'"' || q == b'\'');
      let q = quote.map(char::from);
      out.extend(q);
      if q.is_none() {
        // An unquoted value ends at whitespace: a space squeezing writes would split it.
        out.push_str(v.text);
      } else if attr.name == "style" {
        style(v.text, out);
      } else {
        for (mustache, run) in mustache_runs(v.text) {
          if mustache { squeeze(run, out) } else { out.push_str(run) }
        }
      }
      out.extend(q);
    }
  }
  // An unquoted last value would swallow the `/` of `/>`.
  let unquoted_last = tag
    .attrs
    .last()
    .and_then(|a| a.value.as_ref())
    .is_some_and(|v| !matches!(src.as_bytes().get((v.span.start as usize).wrapping_sub(1)), Some(b'"' | b'\'')));
  out.push_str(match (tag.self_closing, unquoted_last) {
    (true, true) => " />",
    (true, false) => "/>",
    (false, _) => ">",
  });
}

/// After `c` inside a string quoted with `q`: the quote still open, or `None` where `c` closed it.
fn string_goes_on(c: char, q: char, escaped: &mut bool) -> Option<char> {
  if *escaped {
    *escaped = false;
  } else if c == '\\' {
    *escaped = true;
  } else if c == q {
    return None;
  }
  Some(q)
}

/// CSS's whitespace (not Unicode's: U+3000 is text to CSS).
fn css_space(c: char) -> bool {
  matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c')
}

/// A `style` value as DevTools' minifier writes it: no whitespace around the `:` and `;` that
/// separate declarations, runs of it as one space, none at the ends next to static text. Strings,
/// parentheses (`url(data:a;b)`), escapes and `{{ }}` keep their insides; whitespace next to a
/// mustache at either end stays, so `" {{s}}"` is never turned into the bare value of `s`.
fn style(value: &str, out: &mut String) {
  let (mut quote, mut escaped, mut space, mut depth) = (None, false, false, 0u32);
  // The last character written outside strings, and whether it ended a mustache.
  let (mut prev, mut last_mustache) = (None, false);
  let separates = |prev: Option<char>, depth: u32| depth == 0 && matches!(prev, Some(':' | ';'));
  for (mustache, run) in mustache_runs(value) {
    if mustache {
      if space && !separates(prev, depth) {
        out.push(' ');
      }
      space = false;
      squeeze(run, out);
      (prev, last_mustache) = (Some('}'), true);
      continue;
    }
    for c in run.chars() {
      if let Some(q) = quote {
        out.push(c);
        quote = string_goes_on(c, q, &mut escaped);
        continue;
      }
      if escaped {
        out.push(c);
        escaped = false;
        continue;
      }
      if css_space(c) {
        space = true;
        continue;
      }
      if space && prev.is_some() && !separates(Some(c), depth) && !separates(prev, depth) {
        out.push(' ');
      }
      space = false;
      match c {
        '\'' | '"' => quote = Some(c),
        '\\' => escaped = true,
        '(' => depth += 1,
        ')' => depth = depth.saturating_sub(1),
        _ => {}
      }
      out.push(c);
      (prev, last_mustache) = (Some(c), false);
    }
  }
  if space && last_mustache {
    out.push(' ');
  }
}

/// The offset of the first `<` of `text` outside `{{ }}`.
fn stray_angle(text: &str) -> Option<usize> {
  let mut at = 0;
  for (mustache, run) in mustache_runs(text) {
    if let Some(i) = run.find('<').filter(|_| !mustache) {
      return Some(at + i);
    }
    at += run.len();
  }
  None
}

/// Collapses whitespace runs outside `{{ }}` to one space, trimming the ends when asked.
fn collapse(text: &str, trim_start: bool, trim_end: bool, out: &mut String) {
  let mut buf = String::with_capacity(text.len());
  let mut pending_space = false;
  for (mustache, run) in mustache_runs(text) {
    if mustache {
      if pending_space {
        buf.push(' ');
        pending_space = false;
      }
      squeeze(run, &mut buf);
      continue;
    }
    for c in run.chars() {
      if c.is_ascii_whitespace() {
        pending_space = true;
      } else {
        if pending_space {
          buf.push(' ');
          pending_space = false;
        }
        buf.push(c);
      }
    }
  }
  if pending_space && !trim_end {
    buf.push(' ');
  }
  let s = if trim_start || out.ends_with(' ') { buf.trim_start_matches(' ') } else { &buf };
  out.push_str(s);
}

/// A `{{ }}` run without the whitespace that separates nothing in its expression. Spaces stay
/// between two word characters (`typeof x`, `a in b`), between `+ +` and `- -`, after a number
/// before `.`, and next to a brace of the mustache's own (`{{ {a} }}` must not read `{{{`). A run
/// with an unterminated string is copied as it is.
fn squeeze(run: &str, out: &mut String) {
  let Some(inner) = run.strip_prefix("{{").and_then(|r| r.strip_suffix("}}")) else {
    out.push_str(run);
    return;
  };
  let word = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
  let mut expr = String::with_capacity(inner.len());
  let (mut quote, mut escaped, mut space) = (None, false, false);
  for c in inner.chars() {
    if let Some(q) = quote {
      expr.push(c);
      quote = string_goes_on(c, q, &mut escaped);
      continue;
    }
    if c.is_whitespace() {
      space = true;
      continue;
    }
    if space && let Some(prev) = expr.chars().next_back() {
      let keep = (word(prev) && word(c))
        || (prev == '+' && c == '+')
        || (prev == '-' && c == '-')
        || (prev.is_ascii_digit() && c == '.')
        // `} }` must not become the `}}` that ends the mustache (nor `{ {` a `{{`).
        || (prev == '}' && c == '}')
        || (prev == '{' && c == '{');
      if keep {
        expr.push(' ');
      }
    }
    space = false;
    if c == '\'' || c == '"' {
      quote = Some(c);
    }
    expr.push(c);
  }
  if quote.is_some() {
    out.push_str(run);
    return;
  }
  out.push_str("{{");
  if expr.starts_with('{') {
    out.push(' ');
  }
  out.push_str(&expr);
  if expr.ends_with('}') {
    out.push(' ');
  }
  out.push_str("}}");
}

#[cfg(test)]
mod tests;
