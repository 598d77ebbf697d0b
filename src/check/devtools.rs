//! DevTools' code-quality checks, with miniprogram-ci 2.1.42's verdicts (`checkCodeQuality`,
//! `ci/utils/codeDenpendencyQualityChecker.js`): what it measures is the source project as
//! DevTools would upload it, so sizes are of the files on disk. The settings and size rules are
//! here; those about what nothing or only subpackages use are in [`unused`].

use serde_json::Value;

use super::{BuildFix, CheckResult, Finding, Input, Level, Rule, unused};
use crate::{
  diagnostic::{Location, Source},
  index_vec::IndexVec,
  mp_path::MpPath,
  project::{PackageId, Project, project_config},
  size::ByteSize,
};

/// DevTools' limits: 1.5 MB per package, 200 KB of images and audio in all (KB = 1024 bytes).
const PACKAGE_LIMIT: u64 = 1536 * 1024;
const MEDIA_LIMIT: u64 = 200 * 1024;

/// The suffixes DevTools counts as images and audio (`regList.IMAGE_AND_AUDIO_LIMIT`, compared
/// as written).
const MEDIA: &[&str] = &[
  "jpg", "jpeg", "png", "svg", "webp", "gif", "flac", "m4a", "ogg", "ape", "amr", "wma", "wav", "mp3", "mp4", "aac",
  "aiff", "caf",
];

pub fn run(input: &Input) -> Vec<CheckResult> {
  let settings = Settings::of(input.project);
  vec![
    package_size(input),
    settings.flag(Rule::JsCompressOpen, "minified"),
    settings.flag(Rule::WxmlCompressOpen, "minifyWXML"),
    settings.flag(Rule::WxssCompressOpen, "minifyWXSS"),
    lazy_code_loading(input),
    media_size(input),
    unused::other_package_js(input),
    unused::other_package_components(input),
    unused::unused_plugins(input),
    unused::unused_components(input),
    // DevTools ignores unused files unless one of these is explicitly off.
    unused::unused_code(
      input,
      ["ignoreDevUnusedFiles", "ignoreUploadUnusedFiles"]
        .iter()
        .any(|k| settings.value(k) == Some(&Value::Bool(false))),
    ),
  ]
}

/// project.config.json's `setting`, and where each key is written.
struct Settings<'a> {
  project: &'a Project,
  source: Option<(String, String)>,
}

impl<'a> Settings<'a> {
  fn of(project: &'a Project) -> Self {
    let path = project.dir.join(project_config::FILE);
    let source = std::fs::read_to_string(&path).ok().map(|t| (project_config::FILE.to_string(), t));
    Self { project, source }
  }

  fn value(&self, key: &str) -> Option<&Value> {
    self.project.config.raw.get("setting")?.get(key)
  }

  /// Where `setting.key` is written, else the file.
  fn at(&self, key: &str) -> Location {
    let Some((file, text)) = &self.source else { return Location::file(project_config::FILE) };
    let source = Source::new(file, text);
    let spans = crate::project::json::JsonSpans::of(text);
    spans
      .value(&["setting", key])
      .or_else(|| spans.key(&["setting"]))
      .map_or_else(|| Location::file(file), |s| source.at(s))
  }

  /// A `setting` switch DevTools wants on (it reads any truthy value as on).
  fn flag(&self, rule: Rule, key: &str) -> CheckResult {
    let on = self.value(key).is_some_and(truthy);
    let output = self.project.dir.join(crate::project::files::MARKER).is_file();
    let findings = if on {
      Vec::new()
    } else if output {
      let f = Finding::new(
        Level::Warning,
        format!("setting.{key} is off: this is wxpack's output, whose files wxpack minified already"),
        "nothing to do: DevTools' panel reads the switch, not the files",
        BuildFix::Superseded,
      );
      vec![f.at(&MpPath::root(), self.at(key))]
    } else {
      let f = Finding::new(
        Level::Warning,
        format!("project.config.json does not turn on setting.{key}"),
        format!("set \"{key}\": true under \"setting\", or ship what `wxpack build` writes"),
        BuildFix::Superseded,
      );
      vec![f.at(&MpPath::root(), self.at(key))]
    };
    CheckResult { rule, passed: on, findings }
  }
}

fn truthy(v: &Value) -> bool {
  match v {
    Value::Null => false,
    Value::Bool(b) => *b,
    Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
    Value::String(s) => !s.is_empty(),
    _ => true,
  }
}

/// Bytes per package of the files on disk DevTools would upload, as ci counts them: DevTools'
/// settings files at the mini program root in main, and no compiled output (`x.js` from `x.ts` exists only once DevTools compiles).
fn package_bytes(project: &Project) -> IndexVec<PackageId, u64> {
  let mut sizes = IndexVec::from_elem(0u64, project.packages().len());
  for (path, file) in project.files.iter() {
    if file.ships() && file.compiled.is_none() {
      sizes[project.package_of(path)] += file.size;
    }
  }
  // wxpack's file table leaves DevTools' settings files at the mini program root out.
  for name in ["project.config.json", "project.private.config.json"] {
    sizes[PackageId::MAIN] += std::fs::metadata(project.root_dir.join(name)).map_or(0, |m| m.len());
  }
  sizes
}

fn package_size(input: &Input) -> CheckResult {
  let project = input.project;
  let sizes = package_bytes(project);
  let mut findings = Vec::new();
  for (id, &bytes) in sizes.iter_enumerated() {
    if bytes > PACKAGE_LIMIT {
      let package = &project.packages()[id];
      let f = Finding::new(
        Level::Warning,
        format!("{} is {} as DevTools would upload it, over its 1.5 MB advice", package.label(), ByteSize(bytes)),
        "run `wxpack build`: it minifies every file and moves what only subpackages use out of main; \
         its report gives the package's size after",
        BuildFix::Reduced,
      );
      findings.push(f.bytes(bytes));
    }
  }
  CheckResult { rule: Rule::PackageSizeLimit, passed: findings.is_empty(), findings }
}

fn lazy_code_loading(input: &Input) -> CheckResult {
  let app = &input.project.app;
  let on = app.lazy_code_loading.as_deref().is_some_and(|s| !s.is_empty());
  let mut findings = Vec::new();
  if !on {
    let file = crate::project::app_json::FILE;
    let f = Finding::new(
      Level::Warning,
      "app.json does not set lazyCodeLoading: every component of every page is injected at launch",
      "add \"lazyCodeLoading\": \"requiredComponents\" to app.json (`lazy_code_loading = true` in wxpack.toml sets it \
       in the output)",
      BuildFix::No,
    );
    findings.push(f.at(
      &MpPath::root(),
      Location::file(input.project.display(&MpPath::root().join(file).unwrap_or_else(|_| MpPath::root()))),
    ));
  }
  CheckResult { rule: Rule::LazycodeLoadingOpen, passed: on, findings }
}

fn media_size(input: &Input) -> CheckResult {
  let project = input.project;
  let mut media: Vec<(&MpPath, u64)> = project
    .files
    .iter()
    .filter(|(p, f)| f.ships() && p.extension().is_some_and(|e| MEDIA.contains(&e)))
    .map(|(p, f)| (p, f.size))
    .collect();
  let total: u64 = media.iter().map(|(_, n)| n).sum();
  let passed = total < MEDIA_LIMIT;
  let mut findings = Vec::new();
  if !passed {
    media.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let largest: Vec<String> =
      media.iter().take(5).map(|(p, n)| format!("{} ({})", project.display(p), ByteSize(*n))).collect();
    let f = Finding::new(
      Level::Warning,
      format!(
        "{} file{} of images and audio weigh {} in all, over DevTools' 200 KB; the largest: {}",
        media.len(),
        if media.len() == 1 { "" } else { "s" },
        ByteSize(total),
        largest.join(", ")
      ),
      "serve large images and audio from a CDN; `wxpack build` recompresses images losslessly and drops the unused ones",
      BuildFix::Reduced,
    );
    findings.push(f.bytes(total));
  }
  CheckResult { rule: Rule::ImageAndAudioLimit, passed, findings }
}
