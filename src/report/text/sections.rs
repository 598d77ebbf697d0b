//! The report's optional sections: placement, preload, startup, payload and the long lists.

use std::io::{self, Write};

use super::{Style, label, size};
use crate::report::{FileReport, Report, placement::pin_reason};

pub(super) fn placement(r: &Report, style: &Style, w: &mut dyn Write) -> io::Result<()> {
  let p = &r.placement;
  if !p.enabled {
    writeln!(w, "\nplacement: off (--no-plan); every file ships where it is")?;
    return Ok(());
  }
  writeln!(
    w,
    "\nplacement (shared = {}): main {} -> {}",
    label(p.shared_policy),
    size(p.main_bytes_before),
    size(p.main_bytes_after)
  )?;
  let rows = [
    ("moved", &p.moved, "into the one subpackage that uses them"),
    ("copied", &p.copied, "into each package that uses them (bytes: all copies)"),
    ("shared", &p.shared, "kept once in main for the subpackages that use them"),
    ("pruned", &p.pruned, "used by nothing"),
    ("identical", &p.identical, "not shipped: the same bytes as another file of their package"),
  ];
  for (name, t, what) in rows.iter().filter(|(_, t, _)| t.files > 0) {
    writeln!(w, "  {name:<9} {:>5} files {:>11}  {what}", t.files, size(t.bytes))?;
  }
  if p.pinned > 0 {
    writeln!(w, "  {:<9} {:>5} files {:>11}  may not move (computed paths may name them)", "pinned", p.pinned, "")?;
  }
  if style.verbose {
    for f in &p.files {
      let to = if f.packages.is_empty() { String::new() } else { format!("  -> {}", f.packages.join(", ")) };
      let pin = f.pin.as_ref().map(|p| format!("  (pinned: {})", pin_reason(p))).unwrap_or_default();
      let same = f.same_as.as_ref().map(|s| format!("  = {s}")).unwrap_or_default();
      writeln!(w, "    {:<9} {}{to}{same}{pin}", label(f.decision), f.path)?;
    }
  }
  for note in &p.notes {
    writeln!(w, "  note: {note}")?;
  }
  for u in &p.unmet {
    let left = match u.blocked.len() {
      0 => "no shared file is left to copy".to_string(),
      n => format!("{n} shared file(s) stay in main:"),
    };
    let msg = format!("  {} stays over its budget by {} after planning; {left}", u.package, size(u.over_by));
    writeln!(w, "{}", style.paint("1;31", &msg))?;
    for b in u.blocked.iter().take(10) {
      let why = match (&b.package, b.over_by) {
        (Some(pkg), Some(over)) => format!("{pkg} has no room (it would be over by {})", size(over)),
        _ => "a file kept in main uses it".to_string(),
      };
      writeln!(w, "    {:>11}  {}  {why}", size(b.bytes), b.path)?;
    }
  }
  if !p.suggestions.is_empty() {
    writeln!(w, "  main-package pages whose move into a subpackage would free the most (upper bound):")?;
    for s in &p.suggestions {
      writeln!(w, "    {:>11}  {}  ({} files)", size(s.bytes), s.page, s.files)?;
    }
  }
  Ok(())
}

pub(super) fn preload(r: &Report, style: &Style, w: &mut dyn Write) -> io::Result<()> {
  let p = &r.preload;
  let added: usize = p.rules.iter().map(|r| r.added.len()).sum();
  // Without subpackages there is nothing to preload.
  if r.packages.len() > 1 || !p.rules.is_empty() {
    writeln!(
      w,
      "\npreloadRule ({}): {} rules, {added} packages added from navigation{}",
      label(p.mode),
      p.rules.len(),
      if p.left_out.is_empty() {
        String::new()
      } else {
        format!(", {} left out by the {} quota", p.left_out.len(), size(p.quota))
      }
    )?;
  } else {
    writeln!(w)?;
  }
  if p.from_data > 0 {
    writeln!(w, "  {} page links found as URLs kept in data (strings equal to a page route)", p.from_data)?;
  }
  if style.verbose {
    for rule in &p.rules {
      let new = if rule.added.is_empty() { String::new() } else { format!("  (added: {})", rule.added.join(", ")) };
      writeln!(w, "  {} -> {} [{}]{new}", rule.page, rule.packages.join(", "), label(rule.network))?;
    }
  }
  for l in &p.left_out {
    writeln!(
      w,
      "  left out: {} for {} ({}; the pages of its package already preload {})",
      l.package,
      l.page,
      size(l.bytes),
      size(l.quota_used)
    )?;
  }
  let lazy = &r.lazy_code_loading;
  let state = match (lazy.source, lazy.output) {
    (true, _) => "requiredComponents",
    (false, true) => "requiredComponents (set by wxpack)",
    (false, false) => {
      "off: every component of a downloaded package is injected at launch (lazy_code_loading = true sets it)"
    }
  };
  writeln!(w, "lazyCodeLoading: {state}")
}

pub(super) fn startup(r: &Report, w: &mut dyn Write) -> io::Result<()> {
  let pages = &r.startup.pages;
  if pages.is_empty() {
    return Ok(());
  }
  let profiles: Vec<&str> = pages[0].times.iter().map(|t| t.profile.as_str()).collect();
  let header: String = profiles.iter().map(|p| format!(" {p:>8}")).collect();
  writeln!(
    w,
    "\n{:<44} {:>10} {:>9} {:>9} {:>9}{header}",
    "startup (before the first render)", "bytes", "zstd", "js", "wxss+wxml"
  )?;
  for p in pages {
    let times: String = p.times.iter().map(|t| format!(" {:>8}", format!("{:.2} s", t.ms as f64 / 1000.0))).collect();
    let name = format!("{} ({})", p.page, p.reason);
    writeln!(
      w,
      "  {name:<42} {:>10} {:>9} {:>9} {:>9}{times}",
      size(p.bytes),
      size(p.compressed_bytes),
      size(p.injected.js),
      size(p.injected.wxss + p.injected.wxml)
    )?;
    let largest: Vec<String> = p.largest.iter().map(|c| format!("{} {}", c.path, size(c.bytes))).collect();
    writeln!(w, "    downloads {}; largest: {}", p.packages.join(" + "), largest.join(", "))?;
  }
  Ok(())
}

pub(super) fn payload(r: &Report, w: &mut dyn Write) -> io::Result<()> {
  let p = &r.payload;
  let mut done = Vec::new();
  if p.typescript > 0 {
    done.push(format!("{} TypeScript", p.typescript));
  }
  if p.styles > 0 {
    done.push(format!("{} Less/Sass", p.styles));
  }
  if p.compiled_js > 0 {
    done.push(format!("{} JS to CommonJS{}", p.compiled_js, if p.es5 { " and ES5" } else { "" }));
  }
  let compiled = if done.is_empty() { String::new() } else { format!("; compiled {}", done.join(", ")) };
  let except = if p.notes.is_empty() { "" } else { ", but as noted" };
  writeln!(
    w,
    "payload: the output is the upload payload (DevTools' compile steps are off in its project.config.json{except}){compiled}"
  )?;
  for note in &p.notes {
    writeln!(w, "  note: {note}")?;
  }
  Ok(())
}

pub(super) fn file_line(w: &mut dyn Write, f: &FileReport) -> io::Result<()> {
  writeln!(w, "  {:>11}  {:<8} {}", size(f.bytes_out), f.package, f.path)
}

pub(super) fn lists(r: &Report, style: &Style, w: &mut dyn Write) -> io::Result<()> {
  let u = &r.unreferenced;
  if !u.code.is_empty() || !u.assets.is_empty() {
    writeln!(
      w,
      "\nunreferenced (shipped, but nothing uses them): code files {}, assets {}",
      u.code.len(),
      u.assets.len()
    )?;
    if style.verbose {
      for p in u.code.iter().chain(&u.assets) {
        writeln!(w, "  {p}")?;
      }
    }
  }
  if !r.unanalysable.is_empty() {
    writeln!(w, "\nunanalysable references (computed at run time): {}", r.unanalysable.len())?;
    if style.verbose {
      for x in &r.unanalysable {
        writeln!(w, "  {}:{}:{}  {}", x.at.file, x.at.line, x.at.column, x.at.text)?;
      }
    }
  }
  if !r.fallbacks.is_empty() {
    writeln!(w, "\nnot minified, or minified losslessly instead (the reason says which): {}", r.fallbacks.len())?;
    let shown = if style.verbose { r.fallbacks.len() } else { r.fallbacks.len().min(10) };
    for f in &r.fallbacks[..shown] {
      let at = f.line.map(|l| format!(":{l}:{}", f.column.unwrap_or(0))).unwrap_or_default();
      writeln!(w, "  {}{at}  {}", f.path, f.reason)?;
    }
    if shown < r.fallbacks.len() {
      writeln!(w, "  ... and {} more (--verbose lists them)", r.fallbacks.len() - shown)?;
    }
  }
  if !r.dropped_components.is_empty() {
    let n: usize = r.dropped_components.iter().map(|d| d.tags.len()).sum();
    writeln!(w, "\nunused usingComponents entries dropped: {n} in {} files", r.dropped_components.len())?;
    if style.verbose {
      for d in &r.dropped_components {
        writeln!(w, "  {}  {}", d.path, d.tags.join(", "))?;
      }
    }
  }
  unused_wxss(r, style, w)?;
  icon_fonts(r, style, w)?;
  if style.verbose && !r.not_shipped.is_empty() {
    writeln!(w, "\nnot shipped (not on the upload whitelist, or packOptions.ignore): {}", r.not_shipped.len())?;
    for n in &r.not_shipped {
      writeln!(w, "  {}  ({})", n.path, label(n.reason))?;
    }
  }
  Ok(())
}

/// Why a selector (or an at-rule) went.
fn why(r: &crate::transform::wxss::unused::Removed) -> String {
  if r.selector.starts_with('@') {
    format!("nothing names {:?}", r.class)
  } else {
    format!("no element has class {:?}", r.class)
  }
}

/// Selectors no element can match: the count, then the files that lost most (all with
/// `--verbose`, with their selectors).
fn unused_wxss(r: &Report, style: &Style, w: &mut dyn Write) -> io::Result<()> {
  if r.unused_wxss.is_empty() {
    return Ok(());
  }
  let selectors: usize = r.unused_wxss.iter().map(|u| u.selectors.len()).sum();
  let bytes: u64 = r.unused_wxss.iter().map(|u| u.bytes).sum();
  writeln!(
    w,
    "\nunused WXSS removed: {selectors} selector{} in {} file{}, {} of source ([wxss] keep to keep some)",
    if selectors == 1 { "" } else { "s" },
    r.unused_wxss.len(),
    if r.unused_wxss.len() == 1 { "" } else { "s" },
    size(bytes)
  )?;
  let mut files: Vec<_> = r.unused_wxss.iter().collect();
  files.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.path.cmp(&b.path)));
  let shown = if style.verbose { files.len() } else { files.len().min(5) };
  for u in &files[..shown] {
    let first = &u.selectors[0];
    writeln!(w, "  {:>9}  {}  e.g. {} ({})", size(u.bytes), u.path, first.selector, why(first))?;
    if style.verbose {
      for s in &u.selectors[1..] {
        writeln!(w, "             {}:{}  {}  ({:?})", u.path, s.line, s.selector, s.class)?;
      }
    }
  }
  if shown < files.len() {
    writeln!(w, "  ... and {} more files (--verbose lists them)", files.len() - shown)?;
  }
  Ok(())
}

/// Embedded fonts: what cutting them saved, each font cut and each kept for a reason worth
/// a look (all of them, with why, with `--verbose`).
fn icon_fonts(r: &Report, style: &Style, w: &mut dyn Write) -> io::Result<()> {
  use crate::transform::wxss::fonts::Kept;
  let plain = |k: Option<Kept>| matches!(k, Some(Kept::Remote | Kept::File | Kept::AllUsed | Kept::NoIcons));
  if r.icon_fonts.is_empty() {
    return Ok(());
  }
  let saved: u64 = r.icon_fonts.iter().map(|f| f.font.bytes_in - f.font.bytes_out).sum();
  let cut = r.icon_fonts.iter().filter(|f| f.font.kept.is_none()).count();
  let others = r.icon_fonts.iter().filter(|f| plain(f.font.kept)).count();
  write!(w, "\nicon fonts: {cut} cut to the icons in use, {} saved", size(saved))?;
  if others > 0 && !style.verbose {
    write!(w, "; {others} kept as they are (remote, font files, every icon used; --verbose lists them)")?;
  }
  writeln!(w)?;
  for f in r.icon_fonts.iter().filter(|f| style.verbose || !plain(f.font.kept)) {
    let family = f.font.family.as_deref().unwrap_or("?");
    let at = format!("{}:{}", f.path, f.font.line);
    match f.font.kept {
      None => writeln!(
        w,
        "  {:>9}  {at}  {family}: {} -> {} glyphs, {} -> {}",
        size(f.font.bytes_in - f.font.bytes_out),
        f.font.glyphs_in,
        f.font.glyphs_out,
        size(f.font.bytes_in),
        size(f.font.bytes_out)
      )?,
      Some(kept) => {
        let table = f.font.table.as_deref().map(|t| format!(" ({t:?})")).unwrap_or_default();
        writeln!(w, "  {:>9}  {at}  {family}: kept, {}{table}", "", kept.says())?
      }
    }
  }
  Ok(())
}
