//! The image part of the report: savings per format, the worst PSNR of any lossy result, files
//! whose extension lies about their format, and the images the platform's code-quality scan
//! flags (a tabBar icon over 40 KB, any image over 200 KB), with their package.

use serde::Serialize;

use crate::{
  diagnostic::{Code, Diagnostic, Location},
  graph::{AssetKind, Graph},
  mp_path::MpPath,
  project::Project,
  transform::Shipped,
  transform::image::Format,
};

pub const TABBAR_ICON_LIMIT: u64 = 40 * 1024;
pub const IMAGE_LIMIT: u64 = 200 * 1024;

#[derive(Debug, Default, Serialize, serde::Deserialize)]
pub struct ImagesReport {
  pub formats: Vec<FormatReport>,
  /// The lowest PSNR (dB) among lossy results that shipped.
  pub worst_psnr: Option<f64>,
  pub mismatches: Vec<Mismatch>,
  pub flagged: Vec<Flagged>,
}

#[derive(Debug, Serialize, serde::Deserialize)]
pub struct FormatReport {
  pub format: Format,
  pub files: usize,
  pub bytes_in: u64,
  pub bytes_out: u64,
}

#[derive(Debug, Serialize, serde::Deserialize)]
pub struct Mismatch {
  pub path: MpPath,
  pub extension: String,
  pub content: Format,
}

#[derive(Debug, Serialize, serde::Deserialize)]
pub struct Flagged {
  pub path: MpPath,
  pub package: String,
  pub bytes: u64,
  pub reason: FlagReason,
}

/// Why an image is flagged (serialized as `tabbar-icon-over-40kb`, `image-over-200kb`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub enum FlagReason {
  #[serde(rename = "tabbar-icon-over-40kb")]
  TabBarIconOver40Kb,
  #[serde(rename = "image-over-200kb")]
  ImageOver200Kb,
}

impl ImagesReport {
  pub fn build(project: &Project, graph: &Graph, shipped: &[Shipped], diagnostics: &mut Vec<Diagnostic>) -> Self {
    let icons: Vec<MpPath> =
      project.app.tab_bar.iter().flat_map(|t| t.icons.iter()).filter_map(|i| MpPath::new(i).ok()).collect();
    let mut report = Self::default();
    let mut formats: Vec<FormatReport> = Vec::new();
    let mut warned = rustc_hash::FxHashSet::default();
    for (s, id) in shipped.iter().filter(|s| s.kind == AssetKind::Image).filter_map(|s| Some((s, s.asset()?))) {
      let (asset, out) = (&graph.assets[id], &s.output);
      let package = project.packages()[s.package].label();
      let format = Format::of(&out.bytes);
      match formats.iter_mut().find(|f| f.format == format) {
        Some(f) => {
          f.files += 1;
          f.bytes_in += out.size_in;
          f.bytes_out += out.bytes.len() as u64;
        }
        None => {
          formats.push(FormatReport { format, files: 1, bytes_in: out.size_in, bytes_out: out.bytes.len() as u64 })
        }
      }
      if let Some(p) = out.psnr {
        report.worst_psnr = Some(report.worst_psnr.map_or(p, |w: f64| w.min(p)));
      }
      let ext = asset.path.extension().unwrap_or("").to_ascii_lowercase();
      let claimed = Format::of_extension(&ext);
      // A copy shipped in several packages is one source file: one warning.
      let first = warned.insert(id);
      // A file named as an image whose bytes are no image format at all: the platform cannot
      // show it either (the user guide promises this warning).
      if first && format == Format::Unknown && claimed != Format::Unknown {
        let what = if out.bytes.is_empty() { "is empty".to_string() } else { format!("holds no .{ext} data") };
        diagnostics.push(
          Diagnostic::warning(Code::Image, format!("{} {what}; it shipped unchanged", asset.path))
            .at(Location::file(project.display(&asset.path)))
            .with_help("replace it with the image it should be, or remove the reference"),
        );
      }
      if first && format != Format::Unknown && claimed != format {
        diagnostics.push(
          Diagnostic::warning(
            Code::ImageFormat,
            format!("{} is named .{ext} but holds {} data", asset.path, format!("{format:?}").to_uppercase()),
          )
          .at(Location::file(project.display(&asset.path)))
          .with_help("rename it to match its content; the platform sniffs bytes, tools and CDNs may not"),
        );
        report.mismatches.push(Mismatch { path: asset.path.clone(), extension: ext, content: format });
      }
      if first && out.unreadable {
        let why = out.fallback.as_ref().map_or("unreadable", |f| f.reason.as_str());
        diagnostics.push(
          Diagnostic::warning(Code::Image, format!("{} shipped unchanged: {why}", asset.path))
            .at(Location::file(project.display(&asset.path))),
        );
      }
      let bytes = out.bytes.len() as u64;
      if icons.contains(&asset.path) && bytes > TABBAR_ICON_LIMIT {
        report.flagged.push(Flagged {
          path: s.path.clone(),
          package: package.clone(),
          bytes,
          reason: FlagReason::TabBarIconOver40Kb,
        });
      }
      if bytes > IMAGE_LIMIT {
        report.flagged.push(Flagged {
          path: s.path.clone(),
          package: package.clone(),
          bytes,
          reason: FlagReason::ImageOver200Kb,
        });
      }
    }
    formats.sort_by_key(|f| format!("{:?}", f.format));
    report.formats = formats;
    report
  }
}
