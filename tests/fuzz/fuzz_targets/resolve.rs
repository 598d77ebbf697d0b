//! The resolver never panics on any UTF-8 specifier, alias table or file tree, whatever the
//! reference kind, and whatever it returns lies inside the root and exists in the tree.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wxpack::{
  graph::{DepKind, Ref, resolve::{Resolved, Tree, resolve}},
  mp_path::MpPath,
};

struct Files {
  paths: Vec<MpPath>,
  aliases: Vec<(String, String)>,
}

impl Tree for Files {
  fn exists(&self, path: &MpPath) -> bool {
    self.paths.contains(path)
  }
  fn aliases(&self) -> &[(String, String)] {
    &self.aliases
  }
}

const KINDS: [DepKind; 12] = [
  DepKind::Page,
  DepKind::Component,
  DepKind::Require,
  DepKind::Import,
  DepKind::WxmlImport,
  DepKind::WxmlInclude,
  DepKind::WxsSrc,
  DepKind::WxsRequire,
  DepKind::CssImport,
  DepKind::CssUrl,
  DepKind::Src,
  DepKind::AppFile,
];

// Input: lines. The first is the referencing file, the second the specifier; `a=b` lines are
// aliases (key, value), the rest files of the tree.
fuzz_target!(|data: &[u8]| {
  let Ok(text) = std::str::from_utf8(data) else { return };
  let mut lines = text.split('\n');
  let (Some(from), Some(spec)) = (lines.next(), lines.next()) else { return };
  let Ok(from) = MpPath::new(from) else { return };
  let mut files = Files { paths: Vec::new(), aliases: Vec::new() };
  for line in lines {
    match line.split_once('=') {
      Some((k, v)) => files.aliases.push((k.to_string(), v.to_string())),
      None => files.paths.extend(MpPath::new(line).ok()),
    }
  }
  for kind in KINDS {
    if let Resolved::Files(found) = resolve(&files, &from, &Ref::new(spec, kind, Default::default())) {
      assert!(found.iter().all(|f| files.exists(f)), "{found:?}");
    }
  }
});
