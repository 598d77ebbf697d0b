//! Taking unused selectors out never panics, and is done in one go: what is left has nothing
//! more to take out for the same classes. The first line of the input is the app's text, the
//! rest the sheet.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wxpack::transform::wxss::unused::{Classes, prune};

fuzz_target!(|data: &[u8]| {
  let Ok(input) = std::str::from_utf8(data) else { return };
  let (text, sheet) = input.split_once('\n').unwrap_or(("", input));
  let classes = Classes::from_text(text.as_bytes(), true);
  if let Some(once) = prune(sheet, &classes) {
    assert!(once.text.len() < sheet.len() || once.removed.is_empty());
    assert!(prune(&once.text, &classes).is_none(), "{sheet:?} -> {:?}", once.text);
  }
});
