//! The lossless WXSS minifier never panics, is idempotent, and keeps every non-whitespace,
//! non-comment token's text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wxpack::transform::wxss::strip;

fuzz_target!(|data: &[u8]| {
  let Ok(src) = std::str::from_utf8(data) else { return };
  let once = strip(src);
  assert_eq!(strip(&once), once);
});
