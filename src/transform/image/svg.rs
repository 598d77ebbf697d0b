//! SVG slimming without touching geometry: comments, the XML declaration, `<metadata>`, editor
//! elements and attributes (Inkscape, Sodipodi, Sketch) and whitespace between tags go; every
//! other tag and attribute value is kept as written (`viewBox` and path data included), and
//! text inside `<text>`/`<tspan>`/`<textPath>`/`<title>`/`<desc>`/`<style>` is kept byte for byte.

use crate::wxml::{Token, tokenize};

const EDITOR_PREFIXES: &[&str] = &["inkscape:", "sodipodi:", "sketch:"];
const EDITOR_NAMESPACES: &[&str] =
  &["xmlns:inkscape", "xmlns:sodipodi", "xmlns:sketch", "xmlns:rdf", "xmlns:cc", "xmlns:dc"];
const KEEP_TEXT: &[&str] = &["text", "tspan", "textPath", "title", "desc", "style", "script"];

fn editor_element(name: &str) -> bool {
  name == "metadata" || EDITOR_PREFIXES.iter().any(|p| name.starts_with(p))
}

/// The slimmer SVG, or `None` when the markup is not plain enough to edit safely.
pub fn minify(src: &str) -> Option<String> {
  let tokens = tokenize(src);
  let mut out = String::with_capacity(src.len());
  let mut skip_depth = 0usize;
  let mut text_depth = 0usize;
  for t in &tokens {
    let raw = &src[t.span().start as usize..t.span().end as usize];
    match t {
      Token::Open(tag) if tag.recovered => return None,
      Token::Open(tag) if skip_depth > 0 || editor_element(tag.name) => {
        if !tag.self_closing {
          skip_depth += 1;
        }
      }
      Token::Close { .. } if skip_depth > 0 => skip_depth -= 1,
      _ if skip_depth > 0 => {}
      Token::Comment(_) => {}
      Token::Open(tag) => {
        out.push('<');
        out.push_str(tag.name);
        for a in tag
          .attrs
          .iter()
          .filter(|a| !EDITOR_PREFIXES.iter().any(|p| a.name.starts_with(p)) && !EDITOR_NAMESPACES.contains(&a.name))
        {
          out.push(' ');
          out.push_str(a.name);
          if let Some(v) = &a.value {
            // The source's own quote (an unquoted value gets double quotes, as XML requires).
            let q = match src.as_bytes().get((v.span.start as usize).wrapping_sub(1)) {
              Some(b'\'') => '\'',
              _ => '"',
            };
            out.push('=');
            out.push(q);
            out.push_str(v.text);
            out.push(q);
          }
        }
        out.push_str(if tag.self_closing { "/>" } else { ">" });
        if KEEP_TEXT.contains(&tag.name) && !tag.self_closing {
          text_depth += 1;
        }
      }
      Token::Close { name, .. } => {
        out.push_str("</");
        out.push_str(name);
        out.push('>');
        if KEEP_TEXT.contains(name) {
          text_depth = text_depth.saturating_sub(1);
        }
      }
      Token::Text(_) | Token::Script(_) if text_depth > 0 => out.push_str(raw),
      Token::Text(_) | Token::Script(_) => {
        let mut rest = raw.trim();
        if rest.starts_with("<?xml") {
          rest = rest.find("?>").map_or("", |i| rest[i + 2..].trim());
        }
        if rest.contains('<') && !rest.starts_with("<!DOCTYPE") {
          return None; // markup the tokenizer did not read as tags
        }
        out.push_str(rest);
      }
    }
  }
  Some(out)
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn drops_editor_data_and_keeps_geometry() {
    let src = "<?xml version=\"1.0\"?>\n<!-- c -->\n<svg viewBox=\"0 0 4 4\" inkscape:version=\"1\" xmlns=\"http://www.w3.org/2000/svg\" xmlns:inkscape=\"x\">\n  <metadata><rdf:RDF/></metadata>\n  <sodipodi:namedview id=\"n\"/>\n  <path d=\"M 0,0 L 4,4\"/>\n  <text>  a  b </text>\n</svg>\n";
    assert_eq!(
      minify(src).unwrap(),
      "<svg viewBox=\"0 0 4 4\" xmlns=\"http://www.w3.org/2000/svg\"><path d=\"M 0,0 L 4,4\"/><text>  a  b </text></svg>"
    );
  }
}
