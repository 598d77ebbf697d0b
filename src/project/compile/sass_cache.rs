//! Sass compiles through the build cache ([`super::depend`]): the source's own key is its bytes
//! and the line DevTools puts in front of it; the result depends on every path grass asked the
//! file system about.

use std::path::Path;

use super::{Compiled, depend, sass};
use crate::{
  cache::{Key, Store},
  diagnostic::Diagnostic,
  mp_path::MpPath,
};

const DOMAIN: &str = "sass";

/// [`sass::compile`], through `store`; `true` with a result the cache held.
pub fn compile(
  root: &Path,
  file: &Path,
  c: &Compiled,
  prefix: Option<&str>,
  display: &(dyn Fn(&MpPath) -> String + Sync),
  store: &Store,
) -> Result<(String, bool), Diagnostic> {
  let own = std::fs::read(file).ok().map(|bytes| {
    let key = Key::builder("sass-deps").part(format!("{:?}", c.lang).as_bytes());
    key.part(prefix.unwrap_or_default().as_bytes()).part(c.from.as_str().as_bytes()).part(&bytes).finish()
  });
  if let Some(css) = own.and_then(|own| depend::lookup(store, DOMAIN, &own, root)) {
    return Ok((css, true));
  }
  let (css, probes) = sass::compile(root, file, c, prefix, display)?;
  if let Some(own) = own
    && let Some(deps) = depend::deps(probes.iter().map(|(at, probe)| (at.as_path(), *probe)), root)
  {
    depend::remember(store, DOMAIN, &own, &deps, root, &css);
  }
  Ok((css, false))
}
