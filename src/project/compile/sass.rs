//! SCSS and Sass with the grass crate, resolving imports the way DevTools' Sass plugin does: `/x`
//! from the mini program root, a bare path beside the importing file first and then from the root,
//! and a `.wxss` import kept as a plain WXSS `@import`.

use std::{
  cell::RefCell,
  path::{Path, PathBuf},
  sync::LazyLock,
};

use regex::Regex;

use super::{Compiled, Lang, depend::Probe};
use crate::{
  diagnostic::{Code, Diagnostic, Location},
  mp_path::MpPath,
};

/// `@import "x.wxss"` in a Sass source: Sass would look for `x.wxss.scss`; a `url()` import is
/// one Sass passes through untouched.
static WXSS_IMPORT: LazyLock<Option<Regex>> =
  LazyLock::new(|| Regex::new(r#"@import\s+(['"])([^'"\n]+\.wxss)['"]"#).ok());
/// The same import in Sass's output, turned back into the form WXSS documents.
static URL_IMPORT: LazyLock<Option<Regex>> =
  LazyLock::new(|| Regex::new(r#"@import url\((['"]?)([^'"()\n]+\.wxss)['"]?\)"#).ok());

/// grass's file system, with `/x` meaning the mini program root as in WXSS imports, and the
/// line DevTools puts in front of the file being compiled (`super::common_prefix`). It notes
/// every path it was asked about (as found on disk), for the cache ([`super::sass_cache`]).
#[derive(Debug)]
struct RootedFs<'a> {
  root: &'a Path,
  entry: &'a Path,
  prefix: Option<&'a str>,
  probes: RefCell<Vec<(PathBuf, Probe)>>,
}

impl RootedFs<'_> {
  fn map(&self, p: &Path) -> PathBuf {
    if p.is_absolute() && !p.starts_with(self.root) && !p.exists() {
      self.root.join(p.strip_prefix("/").unwrap_or(p))
    } else {
      p.to_path_buf()
    }
  }
}

impl grass::Fs for RootedFs<'_> {
  fn is_dir(&self, p: &Path) -> bool {
    let at = self.map(p);
    let found = at.is_dir();
    self.probes.borrow_mut().push((at, Probe::IsDir));
    found
  }
  fn is_file(&self, p: &Path) -> bool {
    let at = self.map(p);
    let found = at.is_file();
    self.probes.borrow_mut().push((at, Probe::IsFile));
    found
  }
  fn read(&self, p: &Path) -> std::io::Result<Vec<u8>> {
    let at = self.map(p);
    let mut bytes = std::fs::read(&at)?;
    self.probes.borrow_mut().push((at, Probe::Read));
    if let Some(prefix) = self.prefix.filter(|_| p == self.entry) {
      bytes.splice(0..0, prefix.bytes());
    }
    let sass = p.extension().is_some_and(|e| e.eq_ignore_ascii_case("scss") || e.eq_ignore_ascii_case("sass"));
    let (Some(re), true) = (WXSS_IMPORT.as_ref(), sass) else { return Ok(bytes) };
    Ok(match String::from_utf8(bytes) {
      Ok(text) => re.replace_all(&text, "@import url($1$2$1)").into_owned().into_bytes(),
      Err(e) => e.into_bytes(),
    })
  }
}

/// The CSS of `file`, and every path the compile asked about.
pub fn compile(
  root: &Path,
  file: &Path,
  c: &Compiled,
  prefix: Option<&str>,
  display: &(dyn Fn(&MpPath) -> String + Sync),
) -> Result<(String, Vec<(PathBuf, Probe)>), Diagnostic> {
  let fs = RootedFs { root, entry: file, prefix, probes: RefCell::default() };
  let syntax = if c.lang == Lang::Sass { grass::InputSyntax::Sass } else { grass::InputSyntax::Scss };
  // grass tries the importing file's folder first, then the load paths.
  let options = grass::Options::default().fs(&fs).input_syntax(syntax).load_path(root).quiet(true);
  let css = grass::from_path(file, &options).map_err(|e| match e.kind() {
    grass::ErrorKind::ParseError { message, loc, .. } => {
      let name = loc.file.name().to_string();
      // The prefix is one line the author did not write.
      let shift = usize::from(prefix.is_some() && Path::new(&name) == file);
      let at = Path::new(&name).strip_prefix(root).map(|p| p.to_string_lossy().into_owned()).unwrap_or(name);
      let shown = MpPath::new(&at).map_or(at, |p| display(&p));
      let line = u32::try_from(loc.begin.line.saturating_sub(shift) + 1).unwrap_or(u32::MAX);
      let column = u32::try_from(loc.begin.column + 1).unwrap_or(u32::MAX);
      Diagnostic::error(Code::Compile, format!("Sass: {message}"))
        .at(Location::at(shown, line, column))
        .with_help("fix the stylesheet; DevTools' sass compiler would reject it too")
    }
    other => Diagnostic::error(Code::Compile, format!("Sass: {other:?}")).at(Location::file(display(&c.from))),
  })?;
  let css = match URL_IMPORT.as_ref() {
    Some(re) => re.replace_all(&css, "@import \"$2\"").into_owned(),
    None => css,
  };
  Ok((css, fs.probes.into_inner()))
}
