//! The WXSS minifier (lightningcss, the prefix protection, the guard, the per-statement
//! fallback) never panics, and without autoprefixing never writes more than the lossless strip.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wxpack::{targets::BaseLibrary, transform::wxss};

fuzz_target!(|data: &[u8]| {
  let Ok(src) = std::str::from_utf8(data) else { return };
  for autoprefix in [false, true] {
    let css = wxss::Css { targets: BaseLibrary::default().engines().css_targets(autoprefix), autoprefix };
    let sheet = wxss::minify(src, css);
    if !autoprefix {
      assert!(sheet.code.len() <= wxss::strip(src).len().max(src.len()), "{src:?} -> {:?}", sheet.code);
    }
  }
});
