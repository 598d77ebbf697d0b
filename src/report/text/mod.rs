//! The terminal report. Prints what [`Report`] holds and computes nothing.

use std::io::{self, Write};

use super::{Report, Status, images::FlagReason};
use crate::size::ByteSize;

mod sections;
use sections::{file_line, lists, payload, placement, preload, startup};

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
  let unchanged = if r.output_written { "" } else { " (unchanged: nothing written)" };
  writeln!(w, "wxpack {}: {} -> {}{unchanged}", r.wxpack_version, r.project, r.out_dir)?;
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
  verdict(r, style, w)
}

/// The last lines of the report: ok, or each budget passed. Under `--quiet` an over-budget
/// build prints these on stderr, so a CI log says why it failed.
pub fn verdict(r: &Report, style: &Style, w: &mut dyn Write) -> std::io::Result<()> {
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
          crate::manifest::startup::Measure::Ms => {
            (format!("{} ms", v.value), format!("{} ms", v.budget), format!("{} ms", v.over_by))
          }
          crate::manifest::startup::Measure::Bytes => (size(v.value), size(v.budget), size(v.over_by)),
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
