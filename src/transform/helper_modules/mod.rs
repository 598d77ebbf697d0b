//! Shared helper modules: the helpers compiled JS needs (`_create_class`, `_ts_generator`, …),
//! one module per helper in each package's helper folder (`__wxpack__/helpers/`), required by the
//! files that use them, instead of a copy inlined into every such file.
//!
//! Each package has its own modules, so no file reaches into another package (independent
//! subpackages cannot). A module only pays when enough files of its package share it; a file
//! whose helpers do not pay is compiled again with them inline (see [`Sharing::compute`]).

use rustc_hash::FxHashMap;

use super::js;
use super::js::Shared;
use crate::{
  cache::{Key, Store},
  config::MinifyConfig,
  diagnostic::{Code, Diagnostic},
  mp_path::MpPath,
  project::{PackageId, Project},
};

/// What a `var x = require("<prefix><name>.js")` and its `x._` uses add to a file, besides the
/// prefix and name: measured on minified output, rounded up.
const REQUIRE_BYTES: usize = 24;

/// What requiring `name` from `prefix` costs a file.
pub(crate) fn require_bytes(prefix: &str, name: &str) -> u64 {
  (prefix.len() + name.len() + REQUIRE_BYTES) as u64
}

/// How a file at `path` in `package` requires the shared helper modules: `../__wxpack__/helpers/`.
/// `None` when helpers are inlined.
pub fn prefix(project: &Project, path: &MpPath, package: PackageId, config: &MinifyConfig) -> Option<String> {
  let dir = project.packages()[package].root.join(config.helpers_dir.as_ref()?.as_str()).ok()?;
  let spec = dir.join("_.js").ok()?.relative_from(&path.parent());
  Some(spec.strip_suffix("_.js").unwrap_or(&spec).to_string())
}

/// The module of each helper some file requires.
#[derive(Debug, Default)]
pub struct Modules(pub(crate) FxHashMap<&'static str, Vec<u8>>);

impl Modules {
  /// Writes the module of each of `names`, minified as JS is; through the build cache, since
  /// every build of a compiled project needs them (a dozen swc runs a no-op rebuild would
  /// otherwise make).
  pub fn of<'a>(
    names: impl Iterator<Item = &'a &'static str>,
    config: &MinifyConfig,
    store: &Store,
  ) -> Result<Self, Diagnostic> {
    let minify = config.js.then_some(config.js_options);
    let mut modules = FxHashMap::default();
    for &name in names {
      if !modules.contains_key(name) {
        let key = Key::builder("helper module").part(name.as_bytes()).part(format!("{minify:?}").as_bytes()).finish();
        let code = match store.get_small(&key) {
          Some(code) => code,
          None => {
            let code = js::helper_module(name, minify)
              .ok_or_else(|| Diagnostic::error(Code::Internal, format!("swc has no helper {name}")))?
              .into_bytes();
            store.put_small(&key, &code);
            code
          }
        };
        modules.insert(name, code);
      }
    }
    Ok(Self(modules))
  }

  /// What the helper adds to a file that inlines it: its module without `exports._=`.
  pub fn inline_bytes(&self, name: &str) -> u64 {
    self.0.get(name).map_or(0, |m| m.len().saturating_sub("exports._=".len()) as u64)
  }

  /// What a file that requires `helpers` from `prefix` would gain by inlining them instead.
  pub fn inlined_minus_required(&self, helpers: &[&'static str], prefix: &str) -> u64 {
    let inline: u64 = helpers.iter().map(|h| self.inline_bytes(h)).sum();
    inline.saturating_sub(helpers.iter().map(|h| require_bytes(prefix, h)).sum())
  }
}

/// How one file gets its helpers (see [`Shared`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
  pub prefix: String,
  pub inline: Vec<&'static str>,
}

impl Route {
  /// The first pass requires every helper: which ones pay is known once all files are compiled.
  pub fn all_shared(prefix: String) -> Self {
    Self { prefix, inline: Vec::new() }
  }

  pub fn shared(&self) -> Shared<'_> {
    Shared { prefix: &self.prefix, inline: &self.inline }
  }
}
