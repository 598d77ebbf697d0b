//! The text and markdown forms of a [`Diff`]. Markdown is a pull-request comment: one table row
//! per package and a total, the verdict, then the changed files in a `<details>` block (GitHub
//! and GitLab render both).

use std::io::{self, Write};

use super::{Breach, Change, Diff, FileChange, PackageDelta, SHOWN};
use crate::size::ByteSize;

/// `+1.2 KB`, `-300 B`, `0 B`.
fn signed(delta: i64) -> String {
  let size = ByteSize(delta.unsigned_abs());
  match delta.signum() {
    1 => format!("+{size}"),
    -1 => format!("-{size}"),
    _ => "0 B".into(),
  }
}

fn opt_size(n: Option<u64>) -> String {
  n.map_or_else(|| "-".into(), |n| ByteSize(n).to_string())
}

fn percent(p: &PackageDelta) -> String {
  match (p.before, p.after, p.percent) {
    (None, _, _) => "new".into(),
    (_, None, _) => "removed".into(),
    (_, _, Some(x)) if x.abs() < 0.005 => "0%".into(),
    (_, _, Some(x)) => format!("{x:+.2}%"),
    (_, _, None) => "-".into(),
  }
}

fn budget(p: &PackageDelta) -> String {
  match (p.budget, p.after) {
    (Some(b), Some(a)) if b > 0 => format!("{:.0}% of {}", a as f64 * 100.0 / b as f64, ByteSize(b)),
    (Some(b), _) => ByteSize(b).to_string(),
    _ => "-".into(),
  }
}

fn label(p: &PackageDelta) -> String {
  match &p.alias {
    Some(a) => format!("{} ({a})", p.name),
    None => p.name.clone(),
  }
}

fn what(f: &FileChange) -> &'static str {
  match f.change {
    Change::Added => "added",
    Change::Removed => "removed",
    Change::Moved => "moved",
    Change::Grew => "grew",
    Change::Shrank => "shrank",
  }
}

/// Where it ships: `main`, or `main -> pkgA` for a file that moved.
fn packages_of(f: &FileChange) -> String {
  match f.change {
    Change::Moved => format!("{} -> {}", f.packages_before.join(", "), f.packages_after.join(", ")),
    Change::Removed => f.packages_before.join(", "),
    _ => f.packages_after.join(", "),
  }
}

fn breach(b: &Breach) -> String {
  match b {
    Breach::Growth { package, grew, limit } => {
      format!("{package} grew {}, past its limit of {limit}", ByteSize(*grew))
    }
    Breach::OverBudget { package, bytes, budget } => {
      format!("{package} is {}, over its budget of {}", ByteSize(*bytes), ByteSize(*budget))
    }
  }
}

pub fn text(d: &Diff, w: &mut dyn Write) -> io::Result<()> {
  writeln!(w, "wxpack diff: {} -> {}", d.base, d.head)?;
  writeln!(w)?;
  let rows: Vec<[String; 6]> = d
    .packages
    .iter()
    .chain(std::iter::once(&d.total))
    .map(|p| [label(p), opt_size(p.before), opt_size(p.after), signed(p.delta), percent(p), budget(p)])
    .collect();
  let head = ["package", "before", "after", "change", "%", "budget"].map(String::from);
  let width: Vec<usize> =
    (0..6).map(|i| rows.iter().chain([&head]).map(|r| r[i].chars().count()).max().unwrap_or(0)).collect();
  for r in std::iter::once(&head).chain(&rows) {
    let cells: Vec<String> = r
      .iter()
      .enumerate()
      .map(|(i, c)| if i == 0 { format!("{c:<w$}", w = width[i]) } else { format!("{c:>w$}", w = width[i]) })
      .collect();
    writeln!(w, "  {}", cells.join("  ").trim_end())?;
  }
  writeln!(w)?;
  if d.is_unchanged() {
    writeln!(w, "no change: every package and every file is the size it was")?;
  } else if !d.files.is_empty() {
    let shown = d.files.len().min(SHOWN);
    writeln!(w, "changed files ({shown} of {}, largest change first):", d.files.len())?;
    for f in d.files.iter().take(SHOWN) {
      writeln!(w, "  {:>10}  {:<7}  {}  ({}, {})", signed(f.delta), what(f), f.path, packages_of(f), f.kind)?;
    }
    writeln!(w)?;
  }
  if d.passes() {
    writeln!(w, "ok: no package grew past a limit, and every package is within its budget")
  } else {
    for b in &d.breaches {
      writeln!(w, "fails: {}", breach(b))?;
    }
    Ok(())
  }
}

/// A cell: `|` would end it early.
fn cell(s: &str) -> String {
  s.replace('|', "\\|")
}

pub fn markdown(d: &Diff, w: &mut dyn Write) -> io::Result<()> {
  writeln!(w, "### wxpack: package sizes")?;
  writeln!(w)?;
  writeln!(w, "| package | before | after | change | % | budget |")?;
  writeln!(w, "|:--|--:|--:|--:|--:|--:|")?;
  for p in &d.packages {
    let r = [cell(&label(p)), opt_size(p.before), opt_size(p.after), signed(p.delta), percent(p), budget(p)];
    writeln!(w, "| {} |", r.join(" | "))?;
  }
  let t = &d.total;
  let r = [opt_size(t.before), opt_size(t.after), signed(t.delta), percent(t), budget(t)];
  writeln!(w, "| **total** | {} |", r.map(|c| format!("**{c}**")).join(" | "))?;
  writeln!(w)?;
  if d.passes() {
    writeln!(w, "**Passes**: no package grew past a limit, and every package is within its budget.")?;
  } else {
    writeln!(w, "**Fails**:")?;
    for b in &d.breaches {
      writeln!(w, "- {}", cell(&breach(b)))?;
    }
  }
  writeln!(w)?;
  if d.is_unchanged() {
    return writeln!(w, "No change: every package and every file is the size it was.");
  }
  if d.files.is_empty() {
    return Ok(());
  }
  let shown = d.files.len().min(SHOWN);
  let of = if shown < d.files.len() { format!(" ({shown} largest shown)") } else { String::new() };
  writeln!(w, "<details><summary>{} files changed{of}</summary>", d.files.len())?;
  writeln!(w)?;
  writeln!(w, "| file | change | package | kind | before | after | delta |")?;
  writeln!(w, "|:--|:--|:--|:--|--:|--:|--:|")?;
  for f in d.files.iter().take(SHOWN) {
    let size_or_dash = |n: u64, present: bool| if present { ByteSize(n).to_string() } else { "-".into() };
    let r = [
      format!("`{}`", cell(&f.path)),
      what(f).to_string(),
      cell(&packages_of(f)),
      f.kind.clone(),
      size_or_dash(f.before, f.change != Change::Added),
      size_or_dash(f.after, f.change != Change::Removed),
      signed(f.delta),
    ];
    writeln!(w, "| {} |", r.join(" | "))?;
  }
  writeln!(w)?;
  writeln!(w, "</details>")
}
