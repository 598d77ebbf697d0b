//! A lossless WXML tokenizer.
//!
//! No crate parses WXML: it looks like HTML, but `{{ }}` may hold `<` and quotes in text, `<wxs>`
//! bodies are script, and unknown tags are the norm. This tokenizer never fails: whatever it
//! cannot read as markup becomes text, and the spans of the tokens it returns cover the input
//! exactly, end to end, so the scanner can point at an attribute and the minifier can copy any
//! token byte for byte.

use crate::diagnostic::Span;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token<'s> {
  /// Character data (may contain `{{ }}`).
  Text(Span),
  /// `<!-- ... -->`, or an unterminated comment to the end of the file.
  Comment(Span),
  /// A start tag, `<name attr="v">` or `<name/>`.
  Open(Tag<'s>),
  /// `</name>`.
  Close { name: &'s str, span: Span },
  /// The body of a `<wxs>` element: WXS source, not markup.
  Script(Span),
}

impl Token<'_> {
  pub fn span(&self) -> Span {
    match self {
      Token::Text(s) | Token::Comment(s) | Token::Script(s) | Token::Close { span: s, .. } => *s,
      Token::Open(t) => t.span,
    }
  }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag<'s> {
  pub name: &'s str,
  pub attrs: Vec<Attr<'s>>,
  pub self_closing: bool,
  pub span: Span,
  /// The tag was read by skipping junk (a stray `/`, an attribute name made of `=` or quotes, a
  /// tag name with odd characters); only its source text is faithful.
  pub recovered: bool,
}

impl<'s> Tag<'s> {
  /// The value of the first attribute called `name`.
  pub fn attr(&self, name: &str) -> Option<&AttrValue<'s>> {
    self.attrs.iter().find(|a| a.name == name).and_then(|a| a.value.as_ref())
  }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr<'s> {
  pub name: &'s str,
  pub value: Option<AttrValue<'s>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttrValue<'s> {
  /// The value as written, without quotes; entities are not decoded.
  pub text: &'s str,
  /// The span of `text` (inside the quotes).
  pub span: Span,
}

/// Tokenizes `src`. Never fails; see the module docs.
pub fn tokenize(src: &str) -> Vec<Token<'_>> {
  let mut t = Tokenizer { src, b: src.as_bytes(), pos: 0, out: Vec::new(), text_start: 0 };
  t.run();
  t.out
}

struct Tokenizer<'s> {
  src: &'s str,
  b: &'s [u8],
  pos: usize,
  out: Vec<Token<'s>>,
  text_start: usize,
}

impl<'s> Tokenizer<'s> {
  fn run(&mut self) {
    while self.pos < self.b.len() {
      match self.b[self.pos] {
        b'<' => {
          let start = self.pos;
          if self.b[start..].starts_with(b"<!--") {
            self.flush_text(start);
            let end = find(self.b, start + 4, b"-->").map_or(self.b.len(), |i| i + 3);
            self.out.push(Token::Comment(Span::new(start, end)));
            self.pos = end;
            self.text_start = end;
          } else if let Some((token, end)) = self.tag(start) {
            self.flush_text(start);
            let wxs_body = matches!(&token, Token::Open(tag) if tag.name == "wxs" && !tag.self_closing);
            self.out.push(token);
            self.pos = end;
            self.text_start = end;
            if wxs_body {
              self.script();
            }
          } else {
            self.pos += 1;
          }
        }
        b'{' if self.b.get(self.pos + 1) == Some(&b'{') => {
          // `<` inside a text mustache is an operator, not a tag.
          self.pos = mustache_end(self.b, self.pos + 2).unwrap_or(self.pos + 2);
        }
        _ => self.pos += 1,
      }
    }
    self.flush_text(self.b.len());
  }

  fn flush_text(&mut self, end: usize) {
    if end > self.text_start {
      self.out.push(Token::Text(Span::new(self.text_start, end)));
    }
  }

  /// Everything up to `</wxs` is script.
  fn script(&mut self) {
    let start = self.pos;
    let end = find(self.b, start, b"</wxs").unwrap_or(self.b.len());
    if end > start {
      self.out.push(Token::Script(Span::new(start, end)));
    }
    self.pos = end;
    self.text_start = end;
  }

  /// Reads a start or end tag at `start` (`<`). `None` when it is not a tag; the `<` is text then.
  fn tag(&self, start: usize) -> Option<(Token<'s>, usize)> {
    let closing = self.b.get(start + 1) == Some(&b'/');
    let name_start = start + 1 + usize::from(closing);
    let first = *self.b.get(name_start)?;
    if !(first.is_ascii_alphabetic() || first == b'_') {
      return None;
    }
    let name_end = self.scan(name_start, |c| !(c.is_ascii_whitespace() || c == b'>' || c == b'/'));
    let name = &self.src[name_start..name_end];
    if closing {
      let end = find(self.b, name_end, b">")? + 1;
      return Some((Token::Close { name, span: Span::new(start, end) }, end));
    }
    let mut attrs = Vec::new();
    let mut i = name_end;
    let mut recovered = !name.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b':' | b'.'));
    loop {
      i = self.scan(i, |c| c.is_ascii_whitespace());
      match self.b.get(i)? {
        b'>' => return Some((self.open(name, attrs, false, recovered, Span::new(start, i + 1)), i + 1)),
        b'/' if self.b.get(i + 1) == Some(&b'>') => {
          return Some((self.open(name, attrs, true, recovered, Span::new(start, i + 2)), i + 2));
        }
        b'/' => {
          recovered = true;
          i += 1;
        }
        _ => {
          let (attr, next) = self.attr(i)?;
          recovered |= attr.name.contains(['=', '"', '\'', '<']);
          attrs.push(attr);
          i = next;
        }
      }
    }
  }

  fn open(&self, name: &'s str, attrs: Vec<Attr<'s>>, self_closing: bool, recovered: bool, span: Span) -> Token<'s> {
    Token::Open(Tag { name, attrs, self_closing, span, recovered })
  }

  fn attr(&self, start: usize) -> Option<(Attr<'s>, usize)> {
    let name_end = self.scan(start, |c| !(c.is_ascii_whitespace() || matches!(c, b'=' | b'>' | b'/')));
    let name_end = name_end.max(start + 1); // a stray `=` or quote still advances
    let name = self.src.get(start..name_end)?;
    let i = self.scan(name_end, |c| c.is_ascii_whitespace());
    if self.b.get(i) != Some(&b'=') {
      return Some((Attr { name, value: None }, name_end));
    }
    let v = self.scan(i + 1, |c| c.is_ascii_whitespace());
    let (vs, ve, next) = match *self.b.get(v)? {
      q @ (b'"' | b'\'') => {
        let close = self.b[v + 1..].iter().position(|&c| c == q)? + v + 1;
        (v + 1, close, close + 1)
      }
      _ => {
        let e = self.scan(v, |c| !(c.is_ascii_whitespace() || c == b'>'));
        (v, e, e)
      }
    };
    let text = self.src.get(vs..ve)?;
    Some((Attr { name, value: Some(AttrValue { text, span: Span::new(vs, ve) }) }, next))
  }

  fn scan(&self, mut i: usize, keep: impl Fn(u8) -> bool) -> usize {
    while i < self.b.len() && keep(self.b[i]) {
      i += 1;
    }
    i
  }
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
  hay.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|i| i + from)
}

/// The index after the `}}` closing a mustache whose body starts at `from`, skipping string
/// literals inside it. `None` when it never closes (the `{{` is then plain text).
pub fn mustache_end(b: &[u8], from: usize) -> Option<usize> {
  let mut i = from;
  let mut quote = None;
  while i < b.len() {
    let c = b[i];
    match quote {
      Some(_) if c == b'\\' => i += 1,
      Some(q) if c == q => quote = None,
      Some(_) => {}
      None if c == b'\'' || c == b'"' => quote = Some(c),
      None if c == b'}' && b.get(i + 1) == Some(&b'}') => return Some(i + 2),
      None => {}
    }
    i += 1;
  }
  None
}

/// Splits text into runs: `(true, "{{ ... }}")` for each closed mustache, `(false, ...)` for the
/// rest, exactly as the tokenizer reads them.
pub fn mustache_runs(text: &str) -> Vec<(bool, &str)> {
  let b = text.as_bytes();
  let (mut runs, mut plain_start, mut i) = (Vec::new(), 0, 0);
  while i + 1 < b.len() {
    if b[i] == b'{'
      && b[i + 1] == b'{'
      && let Some(end) = mustache_end(b, i + 2)
    {
      if i > plain_start {
        runs.push((false, &text[plain_start..i]));
      }
      runs.push((true, &text[i..end]));
      plain_start = end;
      i = end;
      continue;
    }
    i += 1;
  }
  if plain_start < text.len() {
    runs.push((false, &text[plain_start..]));
  }
  runs
}

/// True when the value holds a `{{ }}` expression.
pub fn is_dynamic(value: &str) -> bool {
  value.contains("{{")
}

#[cfg(test)]
mod tests {
  use super::*;

  fn kinds(src: &str) -> Vec<String> {
    tokenize(src)
      .iter()
      .map(|t| match t {
        Token::Text(s) => format!("T({})", &src[s.start as usize..s.end as usize]),
        Token::Comment(_) => "C".into(),
        Token::Open(tag) => format!("<{}{}>", tag.name, if tag.self_closing { "/" } else { "" }),
        Token::Close { name, .. } => format!("</{name}>"),
        Token::Script(s) => format!("S({})", &src[s.start as usize..s.end as usize]),
      })
      .collect()
  }

  #[track_caller]
  fn assert_lossless(src: &str) {
    let mut at = 0;
    for t in tokenize(src) {
      let s = t.span();
      assert_eq!(s.start as usize, at, "gap before {t:?} in {src:?}");
      at = s.end as usize;
    }
    assert_eq!(at, src.len(), "tokens stop short in {src:?}");
  }

  #[test]
  fn tags_text_comments() {
    assert_eq!(kinds("<view a=\"1\">hi<!-- x --></view>"), ["<view>", "T(hi)", "C", "</view>"]);
    assert_eq!(kinds("<import src='a.wxml'/>"), ["<import/>"]);
  }

  #[test]
  fn mustache_in_text_may_hold_angle_brackets() {
    assert_eq!(kinds("<text>{{a<b ? '}}' : c}}</text>"), ["<text>", "T({{a<b ? '}}' : c}})", "</text>"]);
  }

  #[test]
  fn wxs_body_is_script() {
    assert_eq!(kinds("<wxs module=\"m\">var a = 1 < 2;</wxs>"), ["<wxs>", "S(var a = 1 < 2;)", "</wxs>"]);
  }

  #[test]
  fn attributes_keep_exact_values() {
    let src = "<image src=\"{{a}} \" mode=aspectFit hidden wx:if='{{x > 1}}'/>";
    let toks = tokenize(src);
    let Token::Open(tag) = &toks[0] else { panic!() };
    assert_eq!(tag.attr("src").unwrap().text, "{{a}} ");
    assert_eq!(tag.attr("mode").unwrap().text, "aspectFit");
    assert!(tag.attrs.iter().any(|a| a.name == "hidden" && a.value.is_none()));
    assert_eq!(tag.attr("wx:if").unwrap().text, "{{x > 1}}");
    let s = tag.attr("src").unwrap().span;
    assert_eq!(&src[s.start as usize..s.end as usize], "{{a}} ");
  }

  #[test]
  fn stray_angle_bracket_is_text() {
    assert_eq!(kinds("a < b"), ["T(a < b)"]);
    assert_eq!(kinds("<view"), ["T(<view)"]);
  }

  #[test]
  fn never_panics_and_stays_lossless_on_noise() {
    let pieces = [
      "<", ">", "/", "=", "\"", "'", "{{", "}}", "<!--", "-->", "view", "wxs", "</wxs>", " ", "\n", "中", "a", "<wxs>",
      "src=",
    ];
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    for _ in 0..3000 {
      let mut s = String::new();
      for _ in 0..(seed % 24) {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        s.push_str(pieces[(seed % pieces.len() as u64) as usize]);
      }
      assert_lossless(&s);
    }
  }
}
