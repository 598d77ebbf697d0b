use super::*;
use lightningcss::targets::Targets;

fn t() -> Targets {
  crate::targets::BaseLibrary::default().engines().css_targets(true)
}

#[test]
fn what_lightningcss_would_escape_is_kept_out_and_put_back() {
  let src = ".a{background:url(\"data:image/svg+xml,%3Csvg a='b'%3E\") no-repeat}.b{background:url(\"x.png\")}.c:after{content:'\\e666'}/* \\ */";
  let (hidden, texts) = hide(src).unwrap();
  assert_eq!(
    hidden,
    ".a{background:url(--wxpack-hidden-0) no-repeat}.b{background:url(\"x.png\")}.c:after{content:\"--wxpack-hidden-1\"}/**/"
  );
  assert_eq!(show(&hidden, &texts), src.replace("/* \\ */", "/**/"));
  assert!(hide(".a{background:url(\"x.png\")}").is_none());
}

#[test]
fn renames_prefixed_declarations_and_back() {
  let src = ".a{display:-webkit-box;display:flex;-ms-flex-align:center}@media (x){.b{-moz-user-select:none}}";
  let out = protect(src, false).unwrap();
  assert_eq!(
    out,
    ".a{--wxpack-keep-0_display:-webkit-box;display:flex;--wxpack-keep-1_-ms-flex-align:center}@media (x){.b{--wxpack-keep-2_-moz-user-select:none}}"
  );
  assert_eq!(restore(&out, t()), src);
  assert_eq!(protect(".a{animation: ease both}", false).as_deref(), Some(".a{--wxpack-keep-0_animation: ease both}"));
  assert_eq!(
    protect(".a{animation: ease both;}", true).as_deref(),
    Some(".a{--wxpack-keep-0_-webkit-animation:ease both;--wxpack-keep-0_animation: ease both;}")
  );
  assert_eq!(
    protect(".a{-webkit-animation:x 1s;animation:x 1s}", true).as_deref(),
    Some(".a{--wxpack-keep-0_-webkit-animation:x 1s;--wxpack-keep-1_animation:x 1s}")
  );
  let printed = ".a{--wxpack-keep-0_-webkit-transform:x;-webkit-transform:x;transform:x;--wxpack-keep-1_-ms-x:y}";
  assert_eq!(restore(printed, t()), ".a{-webkit-transform:x;transform:x;-ms-x:y}");
  assert_eq!(
    restore(".a{color:red;--wxpack-keep-0_-webkit-a:b}.c{-webkit-a:b}", t()),
    ".a{color:red;-webkit-a:b}.c{-webkit-a:b}"
  );
  assert_eq!(protect(".a{color:red}", false), None);
  assert_eq!(
    protect(".a{/* c */ -webkit-appearance:none}", false).as_deref(),
    Some(".a{/* c */ --wxpack-keep-0_-webkit-appearance:none}")
  );
  assert_eq!(protect("@supports (-webkit-backdrop-filter:none){.a{color:red}}", false), None);
  assert_eq!(
    protect(".a{--x:-webkit-box;width:calc(1px - -webkit-x)}", false).as_deref(),
    Some(".a{--x:-webkit-box;--wxpack-keep-0_width:calc(1px - -webkit-x)}")
  );
}

#[test]
fn lightningcss_copy_after_the_authors_chain_goes_instead() {
  let printed = ".a{--wxpack-keep-0_display:-webkit-box;--wxpack-keep-1_display:-webkit-flex;--wxpack-keep-2_display:-ms-flexbox;display:-webkit-flex;display:flex}";
  assert_eq!(restore(printed, t()), ".a{display:-webkit-box;display:-webkit-flex;display:-ms-flexbox;display:flex}");
  // Nothing related between: the author's copy goes, lightningcss's stays.
  let printed = ".a{--wxpack-keep-0_-webkit-transform:x;color:red;-webkit-transform:x;transform:x}";
  assert_eq!(restore(printed, t()), ".a{color:red;-webkit-transform:x;transform:x}");
}
