//! The configuration's own tests: wxpack.toml keys, CLI overrides and the checks.

use super::{
  manifest::{Network, PreloadMode},
  *,
};

fn load_with(toml_text: &str, flags: Overrides) -> Result<Config, Diagnostic> {
  let dir = tempfile::tempdir().unwrap();
  std::fs::write(dir.path().join(CONFIG_FILE), toml_text).unwrap();
  Config::load(dir.path(), flags)
}

#[test]
fn defaults_are_platform_limits() {
  let dir = tempfile::tempdir().unwrap();
  let c = Config::load(dir.path(), Overrides::default()).unwrap();
  assert_eq!(c.budgets.main, ByteSize(2_097_152));
  assert_eq!(c.budgets.total, ByteSize(31_457_280));
  assert_eq!(c.out_dir, dir.path().join("dist"));
}

#[test]
fn flags_override_file() {
  let flags = Overrides { budget_main: Some(ByteSize(10)), ..Overrides::default() };
  let c = load_with("[budget]\nmain = \"1MB\"\nsubpackage = 1000\n", flags).unwrap();
  assert_eq!(c.budgets.main, ByteSize(10));
  assert_eq!(c.budgets.subpackage, ByteSize(1000));
}

#[test]
fn unknown_key_is_located_error() {
  let err = load_with("[budget]\nmian = \"1MB\"\n", Overrides::default()).unwrap_err();
  assert_eq!(err.code, Code::InvalidToml);
  assert!(err.message.contains("mian"), "{}", err.message);
  let loc = err.location.unwrap();
  assert!(loc.file.ends_with(CONFIG_FILE));
  assert_eq!(loc.line, 2);
}

#[test]
fn plan_and_prune_keys() {
  let c = load_with(
    "[plan]\nshared = \"copy\"\nreserve = \"100KB\"\npin = [\"utils/store.js\"]\n[prune]\nassets = true\nkeep = [\"legacy/**\"]\n",
    Overrides::default(),
  )
  .unwrap();
  assert_eq!(c.plan.shared, SharedPolicy::Copy);
  assert_eq!(c.plan.reserve, ByteSize(102_400));
  assert!(c.plan.prune_assets && c.plan.prune_code);
  assert!(c.plan.keep.is_match(&crate::mp_path::MpPath::new("legacy/a/b.js").unwrap()));
  assert!(!c.plan.pin.is_match(&crate::mp_path::MpPath::new("utils/other.js").unwrap()));
  let flags = Overrides { shared: Some(SharedPolicy::Main), no_plan: true, ..Overrides::default() };
  let c = load_with("[plan]\nshared = \"copy\"\n", flags).unwrap();
  assert_eq!(c.plan.shared, SharedPolicy::Main);
  assert!(!c.plan.enabled);
  assert!(load_with("[plan]\nfolder = \"a/b\"\n", Overrides::default()).is_err());
  assert!(load_with("[plan]\nshared = \"sometimes\"\n", Overrides::default()).is_err());
}

#[test]
fn js_keys() {
  let c = load_with("[js]\ntarget = \"es5\"\n[plan]\nfolder = \"_pack\"\n", Overrides::default()).unwrap();
  assert_eq!(c.minify.js_target, JsTarget::Es5);
  assert_eq!(c.minify.helpers_dir.as_ref().map(MpPath::as_str), Some("_pack/helpers"));
  let c = load_with("[js]\nshared_helpers = false\n", Overrides::default()).unwrap();
  assert_eq!(c.minify.helpers_dir, None);
}

/// The full example in docs/configuration.md is a valid wxpack.toml.
#[test]
fn the_documented_example_loads() {
  let doc = include_str!("../../docs/configuration.md");
  let start = doc.find("```toml\n").unwrap() + "```toml\n".len();
  let example = &doc[start..start + doc[start..].find("```").unwrap()];
  assert!(example.contains("[js]") && example.contains("shared_helpers"), "{example}");
  load_with(example, Overrides::default()).unwrap();
}

#[test]
fn preload_and_startup_keys() {
  let c = load_with("preload = \"merge\"\n", Overrides::default()).unwrap();
  assert_eq!(c.manifest.preload.mode, PreloadMode::Merge);
  let c = load_with(
    "lazy_code_loading = true\n[preload]\nmode = \"off\"\nnetwork = \"all\"\nquota = \"1MB\"\n[startup]\npages = [\"pages/a/a\"]\nbudget_ms = 3000\nbudget_profile = \"edge\"\n[startup.profiles.edge]\nkbps = 240\nrtt_ms = 800\n",
    Overrides::default(),
  )
  .unwrap();
  let m = &c.manifest;
  assert!(m.lazy_code_loading);
  assert_eq!(
    (m.preload.mode, m.preload.network, m.preload.quota),
    (PreloadMode::Off, Some(Network::All), ByteSize::mb(1))
  );
  assert_eq!(m.startup.budget_profile().unwrap().kbps, 240);
  let err = load_with("[preload]\nmode = \"auto\"\nquotas = 1\n", Overrides::default()).unwrap_err();
  assert!(err.message.contains("quotas"), "{}", err.message);
  assert!(load_with("preload = \"sometimes\"\n", Overrides::default()).is_err());
  assert!(load_with("[startup]\nbudget_profile = \"5g\"\n", Overrides::default()).is_err());
}

#[test]
fn bad_size_is_error() {
  let err = load_with("[budget]\nmain = \"2XB\"\n", Overrides::default()).unwrap_err();
  assert!(err.message.contains("unknown size unit"), "{}", err.message);
}

#[test]
fn an_invalid_glob_is_located_at_its_string() {
  let err = load_with("[plan]\npin = [\"ok/**\", \"bad/[x\"]\n", Overrides::default()).unwrap_err();
  assert!(err.message.starts_with("plan.pin: invalid glob \"bad/[x\""), "{}", err.message);
  let at = err.location.unwrap();
  assert_eq!((at.file.ends_with("wxpack.toml"), at.line, at.column), (true, 2, 17), "{at:?}");
  let err = load_with("[prune]\nkeep = [\"a/{b\"]\n", Overrides::default()).unwrap_err();
  assert_eq!(err.location.map(|l| l.line), Some(2));
}

#[test]
fn wxss_prefixes_key() {
  let c = load_with("", Overrides::default()).unwrap();
  assert_eq!(c.minify.prefixes, Prefixes::Auto);
  let c = load_with("[wxss]\nprefixes = \"devtools\"\n", Overrides::default()).unwrap();
  assert_eq!(c.minify.prefixes, Prefixes::Devtools);
  let err = load_with("[wxss]\nprefixes = \"ios8\"\n", Overrides::default()).unwrap_err();
  assert_eq!(err.location.map(|l| l.line), Some(2));
}

#[test]
fn wxss_unused_keys() {
  let c = load_with("", Overrides::default()).unwrap();
  assert!(c.minify.removes_unused_css() && c.minify.keep_classes.is_empty());
  let c = load_with("[wxss]\nremove_unused = false\n", Overrides::default()).unwrap();
  assert!(!c.minify.removes_unused_css());
  let c = load_with("[wxss]\nkeep = [\"icon-*\"]\n", Overrides::default()).unwrap();
  assert_eq!(c.minify.keep_classes, ["icon-*"]);
  // `--no-minify` leaves every rule in place, as it leaves every byte.
  let c = load_with("", Overrides { no_minify: true, ..Overrides::default() }).unwrap();
  assert!(!c.minify.removes_unused_css());
  assert!(load_with("[wxss]\nkeep = \"icon-*\"\n", Overrides::default()).is_err());
}

#[test]
fn a_bad_image_setting_is_located_at_its_value() {
  let err = load_with("[images]\npng_level = 9\n", Overrides::default()).unwrap_err();
  assert!(err.message.contains("png_level must be 0 to 6"), "{}", err.message);
  let at = err.location.unwrap();
  assert_eq!((at.line, at.column), (2, 13), "{at:?}");
  let err = load_with("[images]\n\njpeg_quality = 0\n", Overrides::default()).unwrap_err();
  assert_eq!(err.location.map(|l| l.line), Some(3));
}
