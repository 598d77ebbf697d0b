//! What DevTools does with the output at upload: the sources wxpack compiled, the settings of the
//! output project.config.json that decide DevTools' compile steps, and where DevTools still
//! changes files (so the upload differs from what the report measured).

use serde::Serialize;

use crate::{config::Config, emit::Emitted, project::Project, transform::Shipped};

#[derive(Debug, Serialize, serde::Deserialize)]
pub struct Payload {
  /// `.ts` sources compiled to `.js`.
  pub typescript: usize,
  /// `.less`, `.scss`, `.sass` sources compiled to `.wxss`.
  pub styles: usize,
  /// Shipped JS files that were compiled (types stripped, ES module converted, syntax lowered).
  pub compiled_js: usize,
  /// JS was lowered to ES5.
  pub es5: bool,
  /// The `setting` keys of the output project.config.json that decide what DevTools does at upload.
  pub settings: serde_json::Map<String, serde_json::Value>,
  /// Settings under which DevTools still changes files at upload.
  pub notes: Vec<String>,
}

impl Payload {
  pub(super) fn build(config: &Config, project: &Project, shipped: &[Shipped], emitted: &Emitted) -> Self {
    use crate::project::compile::Lang;
    let compiled = |pred: fn(Lang) -> bool| {
      project.files.values().filter(|f| f.ships() && f.compiled.as_ref().is_some_and(|c| pred(c.lang))).count()
    };
    let all = &emitted.settings;
    const KEYS: [&str; 8] =
      ["es6", "enhance", "useCompilerPlugins", "minified", "minifyWXSS", "minifyWXML", "postcss", "uglifyFileName"];
    let settings = KEYS.iter().filter_map(|k| all.get(*k).map(|v| ((*k).to_string(), v.clone()))).collect();
    let on = |k: &str| all.get(k).and_then(serde_json::Value::as_bool).unwrap_or(false);
    let mut notes = Vec::new();
    if on("postcss") {
      notes.push(
        "setting.postcss is on: DevTools adds vendor prefixes to WXSS at upload, so the upload is larger than measured"
          .into(),
      );
    }
    if on("uglifyFileName") {
      notes.push("setting.uglifyFileName is on: DevTools renames and flattens files at upload".into());
    }
    let recompiled = &emitted.devtools_compiled;
    if !recompiled.is_empty() {
      let names: Vec<&str> = recompiled.iter().take(5).map(|p| p.as_str()).collect();
      notes.push(format!(
        "{} JS file(s) ship as written and DevTools compiles them at upload ({}{}): setting.es6 stays on and every other JS file is in setting.babelSetting.ignore",
        recompiled.len(),
        names.join(", "),
        if recompiled.len() > names.len() { ", ..." } else { "" }
      ));
    }
    if project.config.es5 && config.minify.js_target == crate::config::JsTarget::Source {
      notes.push(
        "[js] target = \"source\": DevTools compiles every JS file to ES5 at upload (setting.es6 and setting.minified stay as the project has them), so the uploaded JS differs from what was measured".into(),
      );
    }
    let es5 = match config.minify.js_target {
      crate::config::JsTarget::Auto => project.config.es5,
      crate::config::JsTarget::Es5 => true,
      crate::config::JsTarget::Source => false,
    };
    Self {
      typescript: compiled(|l| l == Lang::TypeScript),
      styles: compiled(|l| l != Lang::TypeScript),
      compiled_js: shipped.iter().filter(|s| s.output.compiled).count(),
      es5,
      settings,
      notes,
    }
  }
}
