//! Absolute terms the advertising law forbids (广告法 第九条), which the review rejects in what
//! the app shows as its name and titles (platform doc §13): an error in titles, tab texts and
//! the project name, a warning in static WXML text.

use super::{BuildFix, CheckResult, Finding, Input, Level, Rule};
use crate::{
  diagnostic::{Location, Source, Span},
  graph::AssetKind,
  mp_path::MpPath,
  project::{
    app_json,
    json::{JsonSpans, Seg},
    project_config,
  },
  wxml::{self, Token},
};

/// The built-in list (`[check] words` adds, `[check] allow_words` removes). Documented in
/// docs/check.md.
pub const DEFAULT_WORDS: &[&str] = &[
  "国家级",
  "世界级",
  "最高级",
  "最佳",
  "第一",
  "首个",
  "首选",
  "顶级",
  "顶尖",
  "独家",
  "全网最",
  "全国最",
  "史上最",
  "最低价",
  "最便宜",
  "最先进",
  "绝无仅有",
  "万能",
];

/// 第一 before a measure word counts things (第一个, 第一步, 第一章): an ordinal, not a claim.
const ORDINAL_AFTER: &[char] = &[
  '个', '步', '章', '次', '页', '天', '条', '节', '期', '篇', '行', '列', '项', '张', '位', '集', '课', '题', '排',
  '层',
];

pub fn run(input: &Input) -> Vec<CheckResult> {
  let o = input.options;
  let words: Vec<&str> = DEFAULT_WORDS
    .iter()
    .copied()
    .chain(o.words.iter().map(String::as_str))
    .filter(|w| !w.is_empty() && !o.allow_words.iter().any(|a| a == w))
    .collect();
  let mut titles = Vec::new();
  let project = input.project;
  let app_path = MpPath::root().join(app_json::FILE).unwrap_or_else(|_| MpPath::root());
  json_titles(
    input,
    &words,
    &app_path,
    &project.app.source,
    &|p| {
      p == ["window", "navigationBarTitleText"]
        || (p.len() == 4 && p[0] == "tabBar" && p[1] == "list" && p[3] == "text")
    },
    &mut titles,
  );
  for package in project.packages().iter() {
    for page in &package.pages {
      let json = page.with_suffix(".json");
      if let Ok(text) = project.read_text(&json) {
        json_titles(input, &words, &json, &text, &|p| p == ["navigationBarTitleText"], &mut titles);
      }
    }
  }
  if let Ok(text) = std::fs::read_to_string(project.dir.join(project_config::FILE)) {
    let shown = MpPath::root();
    let source = Source::new(project_config::FILE, &text);
    scan_json(&words, &source, &|p| p == ["projectname"], &mut |word, loc| {
      titles.push(finding(Level::Error, word, "the project name").at(&shown, loc));
    });
  }
  let mut texts = Vec::new();
  let graph = input.graph;
  for a in graph.assets.iter().filter(|a| a.kind == AssetKind::Wxml && graph.reached[a.id]) {
    let Ok(text) = project.read_text(&a.path) else { continue };
    let display = project.display(&a.path);
    let source = Source::new(&display, &text);
    for token in wxml::tokenize(&text) {
      let Token::Text(span) = token else { continue };
      let Some(body) = text.get(span.start as usize..span.end as usize) else { continue };
      let mut at = span.start as usize;
      for (dynamic, run) in wxml::mustache_runs(body) {
        if !dynamic {
          for (word, i) in hits(&words, run) {
            let loc = source.at(Span::new(at + i, at + i + word.len()));
            texts.push(finding(Level::Warning, word, "page text").at(&a.path, loc));
          }
        }
        at += run.len();
      }
    }
  }
  vec![CheckResult::of(Rule::SuperlativeTitle, titles), CheckResult::of(Rule::SuperlativeText, texts)]
}

fn finding(level: Level, word: &str, place: &str) -> Finding {
  Finding::new(
    level,
    format!("{place} uses {word:?}, an absolute term the advertising law forbids; the review rejects it"),
    "reword it; if the term is right here (a chapter called 第一章), add it to [check] allow_words",
    BuildFix::No,
  )
}

/// Each term's first byte offset in `text`, in text order.
fn hits<'w>(words: &[&'w str], text: &str) -> Vec<(&'w str, usize)> {
  let ordinal = |w: &str, i: usize| w == "第一" && text[i + w.len()..].starts_with(ORDINAL_AFTER);
  let mut out: Vec<(&str, usize)> = words
    .iter()
    .flat_map(|w| text.match_indices(w).map(move |(i, _)| (*w, i)))
    .filter(|&(w, i)| !ordinal(w, i))
    .collect();
  out.sort_by_key(|&(w, i)| (i, std::cmp::Reverse(w.len())));
  // One finding per stretch of text: 全网最低价 is one claim, not 全网最 and 最低价.
  let mut end = 0;
  out.retain(|&(w, i)| {
    let keep = i >= end;
    end = end.max(i + w.len());
    keep
  });
  out
}

/// The terms in the strings of `text` whose key path `wanted` accepts.
fn json_titles(
  input: &Input,
  words: &[&str],
  file: &MpPath,
  text: &str,
  wanted: &dyn Fn(&[&str]) -> bool,
  out: &mut Vec<Finding>,
) {
  let display = input.project.display(file);
  let source = Source::new(&display, text);
  scan_json(words, &source, wanted, &mut |word, loc| {
    out.push(finding(Level::Error, word, "a title").at(file, loc));
  });
}

/// The terms in the strings whose key path `wanted` accepts (an array index reads as "").
fn scan_json(words: &[&str], source: &Source, wanted: &dyn Fn(&[&str]) -> bool, found: &mut dyn FnMut(&str, Location)) {
  let text = source.text();
  let spans = JsonSpans::of(text);
  let named = |path: &[Seg]| {
    let names: Vec<&str> = path.iter().map(|s| if let Seg::Key(k) = s { k.as_str() } else { "" }).collect();
    wanted(&names)
  };
  for (span, s) in spans.strings_where(named) {
    // Point at the term when the string is written without escapes, else at the string.
    let raw = text.get(span.start as usize..span.end as usize).unwrap_or_default();
    for (word, i) in hits(words, s) {
      let at = if raw == s { Span::new(span.start as usize + i, span.start as usize + i + word.len()) } else { span };
      found(word, source.at(at));
    }
  }
}

#[cfg(test)]
mod tests {
  use super::{DEFAULT_WORDS, hits};

  #[test]
  fn an_ordinal_is_not_a_claim() {
    assert!(hits(DEFAULT_WORDS, "第一个弹出层，第一步，第一章").is_empty());
    assert_eq!(hits(DEFAULT_WORDS, "销量第一"), vec![("第一", 6)]);
    assert_eq!(hits(DEFAULT_WORDS, "第一名"), vec![("第一", 0)]);
  }

  #[test]
  fn overlapping_terms_are_one_finding() {
    assert_eq!(hits(DEFAULT_WORDS, "全网最低价"), vec![("全网最", 0)]);
    assert_eq!(hits(DEFAULT_WORDS, "最佳，最佳"), vec![("最佳", 0), ("最佳", 9)]);
  }
}
