//! `--html FILE`: the report as one self-contained page (inline CSS and JS, no network): each
//! package against its budget and the total against 30 MB, the launch pages with their
//! estimated times (a click outlines what each injects before its first render), a treemap of
//! packages, folders and files (area by shipped bytes, colour by kind; hover says why a file is
//! where it is, click zooms), and a file list a search box filters.
//!
//! Every package and file element carries `data-package`, `data-path` and `data-bytes` with the
//! JSON report's exact figures, for tests and scripts. The budgets, the launch pages and the file
//! list are plain HTML; only the treemap is drawn by the script.

use std::fmt::Write as _;

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::{FileReport, PackageReport, Report, Status, placement::pin_reason};
use crate::{mp_path::MpPath, plan::Decision, size::ByteSize};

const STYLE: &str = include_str!("style.css");
const SCRIPT: &str = include_str!("treemap.js");
const KINDS: &[&str] = &["js", "wxss", "wxml", "wxs", "json", "image", "other"];

/// What the script draws from: the shipped files and each launch page's critical set.
#[derive(Serialize)]
struct Data<'a> {
  /// Subpackage roots by package name: the treemap starts each package's folders below it.
  roots: FxHashMap<&'a str, &'a MpPath>,
  files: Vec<FileData<'a>>,
  startup: Vec<StartupData<'a>>,
  /// Source files the planner pruned: a folder's tooltip counts those that were in it.
  pruned: Vec<&'a MpPath>,
}

#[derive(Serialize)]
struct FileData<'a> {
  path: &'a MpPath,
  #[serde(skip_serializing_if = "Option::is_none")]
  source: Option<&'a MpPath>,
  package: &'a str,
  kind: &'a str,
  bytes_in: u64,
  bytes_out: u64,
  #[serde(skip_serializing_if = "Option::is_none")]
  why: Option<String>,
}

#[derive(Serialize)]
struct StartupData<'a> {
  page: &'a MpPath,
  critical: &'a [MpPath],
}

/// `&`, `<`, `>`, `"` and `'` escaped: safe in text and in quoted attributes.
fn esc(s: &str) -> String {
  let mut out = String::with_capacity(s.len());
  for c in s.chars() {
    match c {
      '&' => out.push_str("&amp;"),
      '<' => out.push_str("&lt;"),
      '>' => out.push_str("&gt;"),
      '"' => out.push_str("&quot;"),
      '\'' => out.push_str("&#39;"),
      c => out.push(c),
    }
  }
  out
}

fn kind(f: &FileReport) -> &'static str {
  f.kind.as_str()
}

fn share(used: u64, budget: u64) -> f64 {
  if budget == 0 { 0.0 } else { used as f64 * 100.0 / budget as f64 }
}

/// Why the planner put a file where it is, from the placement report.
fn why(r: &Report) -> FxHashMap<&MpPath, String> {
  r.placement
    .files
    .iter()
    .map(|p| {
      let pin = p.pin.as_ref().map(|pin| format!("pinned: {}", pin_reason(pin)));
      let text = match p.decision {
        Decision::Moved => format!("moved into {}: only that package uses it", p.packages.join(", ")),
        Decision::Copied => format!("copied into {}: each uses it", p.packages.join(", ")),
        Decision::Shared => "kept in main: several subpackages share it".to_string(),
        Decision::Pruned => "pruned: nothing uses it".to_string(),
        Decision::Identical => match &p.same_as {
          Some(same) => format!("not shipped: the same bytes as {same}, which every reference now names"),
          None => String::new(),
        },
        Decision::Stay => String::new(),
      };
      let text = [Some(text).filter(|t| !t.is_empty()), pin].into_iter().flatten().collect::<Vec<_>>().join("; ");
      (&p.path, text)
    })
    .collect()
}

fn package_row(out: &mut String, name: &str, label: &str, bytes: u64, budget: u64, over: bool) {
  let pct = share(bytes, budget);
  let class = if over { "pkg over-budget" } else { "pkg" };
  let _ = writeln!(
    out,
    "<div class=\"{class}\" data-package=\"{}\" data-bytes=\"{bytes}\" data-budget=\"{budget}\"><span class=\"name\">{}</span><span class=\"bar\"><i style=\"width:{:.1}%\"></i></span><span>{} of {} ({pct:.0}%)</span></div>",
    esc(name),
    esc(label),
    pct.min(100.0),
    ByteSize(bytes),
    ByteSize(budget),
  );
}

fn label(p: &PackageReport) -> String {
  match &p.alias {
    Some(a) => format!("{} ({a})", p.name),
    None => p.name.clone(),
  }
}

pub fn render(r: &Report) -> String {
  let why = why(r);
  let data = Data {
    roots: r.packages.iter().filter_map(|p| Some((p.name.as_str(), p.root.as_ref()?))).collect(),
    files: r
      .files
      .iter()
      .map(|f| FileData {
        path: &f.path,
        source: f.source.as_ref(),
        package: &f.package,
        kind: kind(f),
        bytes_in: f.bytes_in,
        bytes_out: f.bytes_out,
        why: why.get(f.source.as_ref().unwrap_or(&f.path)).filter(|w| !w.is_empty()).cloned(),
      })
      .collect(),
    startup: r.startup.pages.iter().map(|s| StartupData { page: &s.page, critical: &s.critical }).collect(),
    pruned: r.placement.files.iter().filter(|p| p.decision == Decision::Pruned).map(|p| &p.path).collect(),
  };
  // `</script>` inside a string would end the element early.
  let json =
    serde_json::to_string(&data).unwrap_or_else(|_| "{\"files\":[],\"startup\":[]}".into()).replace("</", "<\\/");
  let mut body = String::new();
  let (status, class) = match r.status {
    Status::Ok => ("within budget", "ok"),
    Status::OverBudget => ("over budget", "over"),
  };
  let _ = writeln!(
    body,
    "<header><h1>wxpack size report</h1><p class=\"meta\">{} → {} · wxpack {} · <span class=\"{class}\">{status}</span></p></header>",
    esc(&r.project),
    esc(&r.out_dir),
    esc(r.wxpack_version)
  );
  body.push_str("<section id=\"budgets\"><h2>Packages</h2>\n");
  for p in &r.packages {
    package_row(&mut body, &p.name, &label(p), p.bytes_out, p.budget, p.over_by.is_some());
  }
  let t = &r.total;
  package_row(&mut body, "total", "total", t.bytes_out, t.budget, t.over_by.is_some());
  body.push_str("</section>\n");
  startup(&mut body, r);
  body.push_str("<section><h2>Treemap</h2><div id=\"legend\">");
  for k in KINDS {
    let _ = write!(body, "<span><i class=\"kind-{k}\"></i>{k}</span>");
  }
  body.push_str(
    "</div><nav id=\"crumbs\"></nav><div id=\"treemap\" role=\"img\" aria-label=\"files by shipped size\"></div></section>\n",
  );
  files(&mut body, r);
  unused_wxss(&mut body, r);
  icon_fonts(&mut body, r);
  format!(
    "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>wxpack: {}</title><style>\n{STYLE}</style></head>\n<body data-total-bytes=\"{}\">\n{body}<div id=\"tip\" hidden></div>\n<script type=\"application/json\" id=\"wxpack-data\">{json}</script>\n<script>window.addEventListener('error', function (e) {{ document.body.setAttribute('data-error', String(e.message)); }});</script>\n<script>\n{SCRIPT}</script>\n</body>\n</html>\n",
    esc(&r.project),
    r.total.bytes_out,
  )
}

fn startup(body: &mut String, r: &Report) {
  if r.startup.pages.is_empty() {
    return;
  }
  body.push_str("<section class=\"startup\"><h2>Launch pages</h2><p class=\"meta\">Click one to outline, in the treemap, the code it injects before its first render.</p>\n");
  for s in &r.startup.pages {
    let times: Vec<String> = s.times.iter().map(|t| format!("{} {:.1} s", t.profile, t.ms as f64 / 1000.0)).collect();
    let injected = s.injected.js + s.injected.wxss + s.injected.wxml + s.injected.wxs;
    let _ = writeln!(
      body,
      "<button data-startup=\"{}\" data-bytes=\"{}\">{} ({}) · downloads {} ({}, {} compressed) · injects {} · {}</button>",
      esc(s.page.as_str()),
      s.bytes,
      esc(s.page.as_str()),
      s.reason,
      esc(&s.packages.join(" + ")),
      ByteSize(s.bytes),
      ByteSize(s.compressed_bytes),
      ByteSize(injected),
      esc(&times.join(" · ")),
    );
  }
  body.push_str("</section>\n");
}

fn files(body: &mut String, r: &Report) {
  let _ = writeln!(
    body,
    "<section><h2>Files</h2><input id=\"search\" type=\"search\" placeholder=\"filter by path\" aria-label=\"filter files by path\"> <span id=\"shown\">{n}</span> of {n} files\n<table id=\"files\"><thead><tr><th>path</th><th>package</th><th>kind</th><th class=\"n\">in</th><th class=\"n\">out</th></tr></thead><tbody>",
    n = r.files.len()
  );
  // Largest first: the list is where a search for what takes the space starts.
  let mut rows: Vec<&FileReport> = r.files.iter().collect();
  rows.sort_by(|a, b| b.bytes_out.cmp(&a.bytes_out).then_with(|| a.path.cmp(&b.path)));
  for f in rows {
    let _ = writeln!(
      body,
      "<tr data-path=\"{p}\" data-package=\"{pkg}\" data-bytes=\"{b}\" data-kind=\"{k}\"><td>{p}</td><td>{pkg}</td><td>{k}</td><td class=\"n\">{i}</td><td class=\"n\">{o}</td></tr>",
      p = esc(f.path.as_str()),
      pkg = esc(&f.package),
      b = f.bytes_out,
      k = kind(f),
      i = ByteSize(f.bytes_in),
      o = ByteSize(f.bytes_out),
    );
  }
  body.push_str("</tbody></table></section>\n");
}

/// The selectors taken out as unused, one collapsed list per stylesheet.
fn unused_wxss(body: &mut String, r: &Report) {
  if r.unused_wxss.is_empty() {
    return;
  }
  let selectors: usize = r.unused_wxss.iter().map(|u| u.selectors.len()).sum();
  let bytes: u64 = r.unused_wxss.iter().map(|u| u.bytes).sum();
  let _ = writeln!(
    body,
    "<section id=\"unused-wxss\"><h2>Unused WXSS</h2><p class=\"meta\">{selectors} selectors in {} stylesheets, {} of source, taken out: each needs a class no element of the app can have. <code>[wxss] keep</code> keeps a class.</p>",
    r.unused_wxss.len(),
    ByteSize(bytes)
  );
  for u in &r.unused_wxss {
    let _ = write!(
      body,
      "<details data-path=\"{p}\" data-selectors=\"{n}\"><summary>{p} · {n} · {b}</summary><ul>",
      p = esc(u.path.as_str()),
      n = u.selectors.len(),
      b = ByteSize(u.bytes)
    );
    for s in &u.selectors {
      let _ = write!(
        body,
        "<li>{}:{} <code>{}</code> ({} <code>{}</code>)</li>",
        esc(u.path.as_str()),
        s.line,
        esc(&s.selector),
        if s.selector.starts_with('@') { "name" } else { "class" },
        esc(&s.class)
      );
    }
    body.push_str("</ul></details>\n");
  }
  body.push_str("</section>\n");
}

/// Each embedded font: cut (glyphs and bytes before and after) or kept, and why.
fn icon_fonts(body: &mut String, r: &Report) {
  if r.icon_fonts.is_empty() {
    return;
  }
  body.push_str("<section id=\"icon-fonts\"><h2>Icon fonts</h2><p class=\"meta\">Fonts embedded in stylesheets keep the glyphs of every character that is not an icon and the icons the app names. <code>[wxss] subset_fonts = false</code> keeps them whole.</p><table><thead><tr><th>Stylesheet</th><th>Family</th><th>Glyphs</th><th>Bytes</th><th>Kept because</th></tr></thead><tbody>\n");
  for f in &r.icon_fonts {
    let why = f.font.kept.map(|k| k.says()).unwrap_or_default();
    // A font that was not read has no glyph count to show.
    let glyphs = match f.font.glyphs_in {
      0 => "—".to_string(),
      n => format!("{n} → {}", f.font.glyphs_out),
    };
    let _ = writeln!(
      body,
      "<tr><td>{}:{}</td><td>{}</td><td>{glyphs}</td><td>{} → {}</td><td>{}</td></tr>",
      esc(f.path.as_str()),
      f.font.line,
      esc(f.font.family.as_deref().unwrap_or("")),
      ByteSize(f.font.bytes_in),
      ByteSize(f.font.bytes_out),
      esc(why)
    );
  }
  body.push_str("</tbody></table></section>\n");
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn text_and_attributes_are_escaped() {
    assert_eq!(esc("<a href=\"x\">&'</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
  }
}
