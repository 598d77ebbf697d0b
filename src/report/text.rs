//! The terminal report. Prints what [`Report`] holds and computes nothing.

use std::io::{self, Write};

use super::{FileReport, Report, Status, images::FlagReason};
use crate::{
  plan::{Pin, pins::Site},
  size::ByteSize,
};

const BAR: usize = 20;

pub struct Style {
  pub color: bool,
  /// List every unreferenced and unanalysable item instead of counting them.
  pub verbose: bool,
}

impl Style {
  fn paint(&self, code: &str, s: &str) -> String {
    if self.color { format!("\x1b[{code}m{s}\x1b[0m") } else { s.to_string() }
  }
}

fn size(n: u64) -> String {
  ByteSize(n).to_string()
}

fn bar(used: u64, budget: u64) -> String {
  let filled =
    if budget == 0 { BAR } else { ((used as f64 / budget as f64) * BAR as f64).round().min(BAR as f64) as usize };
  format!("[{}{}]", "#".repeat(filled), ".".repeat(BAR - filled))
}

fn percent(used: u64, budget: u64) -> String {
  if budget == 0 { "-".into() } else { format!("{:.0}%", used as f64 * 100.0 / budget as f64) }
}

pub fn render(r: &Report, style: &Style, w: &mut dyn Write) -> io::Result<()> {
  writeln!(w, "wxpack {}: {} -> {}", r.wxpack_version, r.project, r.out_dir)?;
  writeln!(w)?;
  writeln!(w, "{:<24} {:>6} {:>11} {:>11} {:>10}  use", "package", "files", "bytes in", "bytes out", "budget")?;
  for p in &r.packages {
    let name = match p.kind {
      crate::project::PackageKind::Main => p.name.clone(),
      k => format!("{} ({})", p.name, label(k)),
    };
    budget_row(w, style, &name, p.files, p.bytes_in, p.bytes_out, p.budget, p.over_by)?;
    if p.over_by.is_some() {
      for f in &p.largest {
        writeln!(w, "    {:>11}  {}", size(f.bytes_out), f.path)?;
      }
    }
    if !p.plugins.is_empty() {
      writeln!(w, "    plugins (size counted by WeChat, not here): {}", p.plugins.join(", "))?;
    }
  }
  let t = &r.total;
  budget_row(w, style, "total", t.files, t.bytes_in, t.bytes_out, t.budget, t.over_by)?;
  placement(r, style, w)?;
  preload(r, style, w)?;
  startup(r, w)?;
  payload(r, w)?;

  writeln!(w, "\n{:<24} {:>6} {:>11} {:>11} {:>10}", "kind", "files", "bytes in", "bytes out", "saved")?;
  for k in r.kinds.iter().filter(|k| k.files > 0) {
    let saved = k.bytes_in.saturating_sub(k.bytes_out);
    let pct = if k.bytes_in == 0 { 0.0 } else { saved as f64 * 100.0 / k.bytes_in as f64 };
    writeln!(
      w,
      "{:<24} {:>6} {:>11} {:>11} {:>10}",
      k.kind.as_str(),
      k.files,
      size(k.bytes_in),
      size(k.bytes_out),
      format!("{pct:.1}%")
    )?;
  }
  images(r, w)?;
  writeln!(w, "\nlargest files")?;
  for f in &r.largest_files {
    file_line(w, f)?;
  }
  lists(r, style, w)?;
  writeln!(w)?;
  match r.status {
    Status::Ok => writeln!(w, "{}", style.paint("32", "ok: every package is within its budget"))?,
    Status::OverBudget => {
      for v in &r.violations {
        let msg = format!(
          "over budget: {} is {} (budget {}, over by {})",
          v.scope,
          size(v.bytes),
          size(v.budget),
          size(v.over_by)
        );
        writeln!(w, "{}", style.paint("1;31", &msg))?;
      }
      for v in &r.startup.violations {
        let (value, budget, over) = match v.measure {
          "ms" => (format!("{} ms", v.value), format!("{} ms", v.budget), format!("{} ms", v.over_by)),
          _ => (size(v.value), size(v.budget), size(v.over_by)),
        };
        let msg = format!("over budget: startup of {} is {value} (budget {budget}, over by {over})", v.page);
        writeln!(w, "{}", style.paint("1;31", &msg))?;
      }
    }
  }
  Ok(())
}

/// One row of the package table; red with its overage when over budget.
#[allow(clippy::too_many_arguments)]
fn budget_row(
  w: &mut dyn Write,
  style: &Style,
  name: &str,
  files: usize,
  bytes_in: u64,
  bytes_out: u64,
  budget: u64,
  over_by: Option<u64>,
) -> io::Result<()> {
  let line = format!(
    "{name:<24} {files:>6} {:>11} {:>11} {:>10}  {} {:>5}",
    size(bytes_in),
    size(bytes_out),
    size(budget),
    bar(bytes_out, budget),
    percent(bytes_out, budget)
  );
  match over_by {
    Some(over) => writeln!(w, "{}", style.paint("1;31", &format!("{line}  over by {}", size(over)))),
    None => writeln!(w, "{line}"),
  }
}

/// The serde name of a unit enum value (`independent`, `pack-ignore`).
fn label(v: impl serde::Serialize) -> String {
  serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

fn images(r: &Report, w: &mut dyn Write) -> io::Result<()> {
  let im = &r.images;
  if im.formats.is_empty() {
    return Ok(());
  }
  writeln!(w, "\n{:<24} {:>6} {:>11} {:>11} {:>10}", "image format", "files", "bytes in", "bytes out", "saved")?;
  for f in &im.formats {
    let saved = f.bytes_in.saturating_sub(f.bytes_out);
    let pct = if f.bytes_in == 0 { 0.0 } else { saved as f64 * 100.0 / f.bytes_in as f64 };
    writeln!(
      w,
      "{:<24} {:>6} {:>11} {:>11} {:>10}",
      label(f.format),
      f.files,
      size(f.bytes_in),
      size(f.bytes_out),
      format!("{pct:.1}%")
    )?;
  }
  if let Some(p) = im.worst_psnr {
    writeln!(w, "  lossy results: worst PSNR {p:.1} dB")?;
  }
  for m in &im.mismatches {
    writeln!(w, "  {} is named .{} but holds {}", m.path, m.extension, label(m.content))?;
  }
  for f in &im.flagged {
    let what = match f.reason {
      FlagReason::TabBarIconOver40Kb => "tabBar icon over 40 KB",
      FlagReason::ImageOver200Kb => "image over 200 KB (move it to a CDN)",
    };
    writeln!(w, "  {what}: {} ({}, {})", f.path, f.package, size(f.bytes))?;
  }
  Ok(())
}

fn placement(r: &Report, style: &Style, w: &mut dyn Write) -> io::Result<()> {
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
  ];
  for (name, t, what) in rows.iter().filter(|(_, t, _)| t.files > 0) {
    writeln!(w, "  {name:<8} {:>5} files {:>11}  {what}", t.files, size(t.bytes))?;
  }
  if p.pinned > 0 {
    writeln!(w, "  {:<8} {:>5} files {:>11}  may not move (computed paths may name them)", "pinned", p.pinned, "")?;
  }
  if style.verbose {
    for f in &p.files {
      let to = if f.packages.is_empty() { String::new() } else { format!("  -> {}", f.packages.join(", ")) };
      let pin = f.pin.as_ref().map(|p| format!("  (pinned: {})", pin_text(p))).unwrap_or_default();
      writeln!(w, "    {:<7} {}{to}{pin}", label(f.decision), f.path)?;
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

fn preload(r: &Report, style: &Style, w: &mut dyn Write) -> io::Result<()> {
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

fn startup(r: &Report, w: &mut dyn Write) -> io::Result<()> {
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

fn payload(r: &Report, w: &mut dyn Write) -> io::Result<()> {
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
  writeln!(
    w,
    "payload: the output is the upload payload (DevTools' compile steps are off in its project.config.json){compiled}"
  )?;
  for note in &p.notes {
    writeln!(w, "  note: {note}")?;
  }
  Ok(())
}

fn pin_text(p: &Pin) -> String {
  let at = |s: &Site| format!("{}:{}:{}", s.file, s.line, s.column);
  match p {
    Pin::Config => "plan.pin".into(),
    Pin::Computed { at: s } => format!("a computed path at {} may name it", at(s)),
    Pin::HoldsComputed { at: s } => format!("computes a relative path at {}", at(s)),
    Pin::Mentioned { at: s } => format!("named in code at {}", at(s)),
    Pin::HoldsMention { at: s } => format!("writes a relative asset path at {}", at(s)),
    Pin::AnyModule { at: s } => format!("{} may require any module", at(s)),
    Pin::RendersTemplate { at: s } => {
      format!("renders a template whose relative path at {} names files from here", at(s))
    }
  }
}

fn file_line(w: &mut dyn Write, f: &FileReport) -> io::Result<()> {
  writeln!(w, "  {:>11}  {:<8} {}", size(f.bytes_out), f.package, f.path)
}

fn lists(r: &Report, style: &Style, w: &mut dyn Write) -> io::Result<()> {
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
  if style.verbose && !r.not_shipped.is_empty() {
    writeln!(w, "\nnot shipped (not on the upload whitelist, or packOptions.ignore): {}", r.not_shipped.len())?;
    for n in &r.not_shipped {
      writeln!(w, "  {}  ({})", n.path, label(n.reason))?;
    }
  }
  Ok(())
}
