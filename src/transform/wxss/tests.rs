use super::*;
use crate::targets::{BaseLibrary, Prefixes};

/// With `autoprefix`, DevTools' own list (`[wxss] prefixes = "devtools"`).
fn css(autoprefix: bool) -> Css {
  let prefixes = if autoprefix { Prefixes::Devtools } else { Prefixes::None };
  Css { targets: BaseLibrary::default().engines().for_prefixes(prefixes).css_targets(autoprefix), autoprefix }
}

fn run(input: &str) -> (String, Option<Fallback>) {
  let sheet = minify(input, css(false));
  (sheet.code, sheet.fallback)
}

#[track_caller]
fn test(input: &str, expected: &str) {
  let (out, fallback) = run(input);
  assert_eq!(out, expected, "fallback: {fallback:?}");
  assert_eq!(run(&out).0, out, "not idempotent");
}

#[test]
fn keeps_old_webview_syntax() {
  test(".a { color: rgba(0, 0, 0, 0.5); }", ".a{color:rgba(0,0,0,.5)}");
  test(
    "@media (min-width: 375px) { .a { top: 0; left: 0; right: 0; bottom: 0 } }",
    "@media (min-width:375px){.a{top:0;bottom:0;left:0;right:0}}",
  );
}

#[test]
fn a_prefixed_supports_condition_stays_as_written_around_minified_rules() {
  let src = "@supports (-webkit-backdrop-filter: blur(20px)) or (backdrop-filter: blur(20px)) {\n.a::before { -webkit-backdrop-filter: blur(20px); backdrop-filter: blur(20px); color: red }\n}";
  let sheet = minify(src, css(true));
  assert_eq!(
    sheet.code,
    "@supports (-webkit-backdrop-filter:blur(20px)) or (backdrop-filter:blur(20px)){.a:before{-webkit-backdrop-filter:blur(20px);backdrop-filter:blur(20px);color:red}}"
  );
  assert!(sheet.fallback.is_none() && !sheet.unprefixed, "{:?}", sheet.fallback);
}

#[test]
fn a_transform_browsers_ignore_stays_ignored() {
  // Chromium and WebKit drop `translateY(0.5)`; lightningcss would print `translateY(.5px)`.
  let (out, _) = run(".a{height:1px;transform:translateY(0.5)}.b{transform:translateY(0.5px)}");
  assert_eq!(out, ".a{transform:translateY(.5);height:1px}.b{transform:translateY(.5px)}");
}

#[test]
fn rpx_survives() {
  test(".a { width: 750rpx; margin: 0 20rpx; }", ".a{width:750rpx;margin:0 20rpx}");
  test(".a { backdrop-filter: blur(10rpx) }", ".a{backdrop-filter:blur(10rpx)}");
}

#[test]
fn import_stays_a_statement() {
  test("@import \"../base.wxss\";\n.a { color: red; }", "@import \"../base.wxss\";.a{color:red}");
  // After rules (WXSS reads it where it is; lightningcss only at the top): the rules on either
  // side still merge, never across it.
  test(
    ".a{color:red}.b{color:red}\n@import \"x.wxss\";\n.c{color:blue}.d{color:blue}.e{color:blue}",
    ".a,.b{color:red}@import \"x.wxss\";.c,.d,.e{color:#00f}",
  );
}

#[test]
fn line_clamp_survives() {
  test(
    ".t { display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; overflow: hidden; }",
    ".t{display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:2;overflow:hidden}",
  );
}

#[test]
fn merging_that_keeps_meaning_is_used() {
  test(".a{margin-top:1px;margin-left:2px;margin-right:2px;margin-bottom:1px}", ".a{margin:1px 2px}");
  test(".a{color:red}.b{color:red}", ".a,.b{color:red}");
  test(".a{color:red;color:blue}", ".a{color:#00f}");
}

/// lightningcss's minifier drops these (measured on lightningcss 1.0.0-alpha.72): prefixed
/// declarations are kept out of its handlers, and what it still gets wrong the guard keeps
/// as written, and only that statement.
#[test]
fn author_prefixes_and_shorthands_are_never_lost() {
  for (src, kept) in [
    (
      ".a{display:-webkit-box;display:-webkit-flex;display:flex}",
      ".a{display:-webkit-box;display:-webkit-flex;display:flex}",
    ),
    (".a{-webkit-box-flex:1;-webkit-flex:1;flex:1}", ".a{-webkit-box-flex:1;-webkit-flex:1;flex:1}"),
    (".a{-webkit-align-items:center;align-items:center;-webkit-box-align:center}", "-webkit-align-items:center"),
    (
      ".a{background:-webkit-linear-gradient(top,#fff,#000);background:linear-gradient(180deg,#fff,#000)}",
      "-webkit-linear-gradient(top,#fff,#000)",
    ),
    (".a{-webkit-filter:blur(2px);filter:blur(2px)}", ".a{-webkit-filter:blur(2px);filter:blur(2px)}"),
    (".a{width:-webkit-fit-content;width:fit-content}", ".a{width:-webkit-fit-content;width:fit-content}"),
    (
      ".a{-ms-flex-align:center;-webkit-backdrop-filter:blur(10rpx);backdrop-filter:blur(10rpx)}",
      "-ms-flex-align:center;-webkit-backdrop-filter:blur(10rpx)",
    ),
  ] {
    let input = format!("{src}\n.b {{ color: #ffffff; }}");
    let (out, fallback) = run(&input);
    assert!(out.contains(kept), "{src} -> {out}");
    assert!(out.ends_with(".b{color:#fff}"), "{out}");
    assert!(fallback.is_none(), "{fallback:?}");
  }
  // lightningcss prints this `animation:none`; kept out of it, it is only minified.
  let (out, fallback) = run(".a { animation: ease both }\n.b { color: #ffffff; }");
  assert_eq!((out.as_str(), fallback), (".a{animation:ease both}.b{color:#fff}", None));
  // What the guard still catches ships as written, counted, located.
  let (out, fallback) = run(".b { color: #ffffff; }\n.a { *zoom: 1; color: red }");
  assert_eq!(out, ".b{color:#fff}.a{*zoom:1;color:red}");
  let f = fallback.expect("counted in the report");
  assert!(f.reason.starts_with("1 of 2 rules"), "{}", f.reason);
  assert_eq!(f.line, Some(2), "{}", f.reason);
}

#[test]
fn autoprefix_adds_what_devtools_adds_and_keeps_what_was_written() {
  let sheet = minify(".a{display:flex;transform:rotate(1deg)}", css(true));
  assert_eq!(sheet.code, ".a{display:-webkit-flex;display:flex;-webkit-transform:rotate(1deg);transform:rotate(1deg)}");
  assert!(sheet.fallback.is_none() && !sheet.unprefixed);
  let sheet = minify(".a{animation:ease both}", css(true));
  assert_eq!(sheet.code, ".a{-webkit-animation:ease both;animation:ease both}");
  assert!(sheet.fallback.is_none() && !sheet.unprefixed);
  let sheet = minify(".a{*zoom:1;display:flex}.b{*zoom:1}", css(true));
  assert_eq!(sheet.code, ".a{*zoom:1;display:flex}.b{*zoom:1}");
  assert!(sheet.unprefixed, "a stripped statement that needed prefixes leaves them to DevTools");
  let sheet = minify(".b{*zoom:1}.c{color:red}", css(true));
  assert!(sheet.fallback.is_some() && !sheet.unprefixed, "nothing to prefix in what was stripped");
}

#[test]
fn dirt_falls_back_losslessly() {
  for src in [
    ".a { *zoom: 1; color: red }",
    ".a >>> .b { color: red }\n.c{}",
    ".a{color:red}\n@import 'late.wxss';",
    "@media (max-width: 750rpx) { .a { color: red } }",
  ] {
    let (out, fallback) = run(src);
    if let Some(f) = &fallback {
      assert!(out.len() <= strip(src).len(), "{src}: {f:?}");
    }
    assert!(out.len() < src.len(), "{src}");
  }
  let (out, fallback) = run(".a { *zoom: 1; color: red }");
  assert_eq!(out, ".a{*zoom:1;color:red}");
  assert_eq!(fallback.unwrap().line, Some(1));
  let (out, fallback) = run(".a { color: #ffffff }\n.b { *zoom: 1 }");
  assert_eq!(out, ".a{color:#fff}.b{*zoom:1}");
  assert_eq!(fallback.unwrap().line, Some(2));
}

#[test]
fn fuzz_finds_stay_fixed() {
  // A zero in a value: its log10 is -inf (cargo fuzz, wxss_minify).
  for src in ["q0{;\0:0~", ".a{width:0.0px;opacity:0.0}"] {
    for autoprefix in [false, true] {
      let _ = minify(src, css(autoprefix));
    }
  }
}

#[test]
fn quoted_urls_and_system_fonts_stay_as_written() {
  let src = ".a{display:flex;background-image:url(\"data:image/svg+xml,%3Csvg fill=%22rgba(0, 0, 0, .4)%22%3E\")}";
  let sheet = minify(src, css(true));
  assert!(sheet.code.contains("url('data:image/svg+xml,%3Csvg fill=\"rgba(0, 0, 0, .4)\"%3E')"), "{}", sheet.code);
  assert!(sheet.code.contains("-webkit-flex") && sheet.fallback.is_none(), "{sheet:?}");
  let (_, fallback) = run(".a{transform-origin:0% 0%;transition-duration:150ms}");
  assert_eq!(fallback, None, "printed shorter, the same value");
  let (out, fallback) = run("page{font-family:system-ui,sans-serif;color:#ffffff}");
  assert_eq!((out.as_str(), fallback), ("page{font-family:system-ui,sans-serif;color:#fff}", None));
}

#[test]
fn no_escape_is_introduced() {
  let (out, fallback) = run("[class*=\" weui-icon-\"] { display: inline-block }");
  assert_eq!(out, "[class*=\" weui-icon-\"]{display:inline-block}");
  // The value is kept out of lightningcss and put back quoted: the rule is still minified.
  assert_eq!(fallback, None);
}

#[test]
fn deep_combinator_is_kept() {
  let (out, _) = run(".a /deep/ .b { color: red }");
  assert!(out.contains("/deep/"), "{out}");
}

#[test]
fn escapes_are_kept_byte_for_byte() {
  // In a string the escape is kept out of lightningcss, and the rule around it minified.
  let (out, fallback) = run(".a::after { content: \"\\2713\"; }\n.b { color: #ffffff }");
  assert_eq!(out, ".a:after{content:\"\\2713\"}.b{color:#fff}");
  assert!(fallback.is_none(), "{fallback:?}");
  // Elsewhere (a selector) the statement is stripped as written.
  let (out, fallback) = run(".a\\:b { color: #ffffff }\n.b { color: #ffffff }");
  assert_eq!(out, ".a\\:b { color: #ffffff }.b{color:#fff}");
  assert!(fallback.is_some());
}

#[test]
fn an_authors_prefixed_copy_is_not_written_twice() {
  let auto = Css { targets: BaseLibrary::default().engines().css_targets(true), autoprefix: true };
  // vant's spinner: the author's `@-webkit-keyframes` stays the prefixed one, and the
  // author's `-webkit-transform` goes where lightningcss writes the same value again.
  let src = "@-webkit-keyframes r{0%{-webkit-transform:rotate(0deg);transform:rotate(0deg)}to{-webkit-transform:rotate(1turn);transform:rotate(1turn)}}\
             @keyframes r{0%{-webkit-transform:rotate(0deg);transform:rotate(0deg)}to{-webkit-transform:rotate(1turn);transform:rotate(1turn)}}\
             .a{-webkit-transform-origin:center;transform-origin:center}";
  let sheet = minify(src, auto);
  assert!(sheet.fallback.is_none(), "{:?}", sheet.fallback);
  assert_eq!(
    sheet.code,
    "@-webkit-keyframes r{0%{-webkit-transform:rotate(0);transform:rotate(0)}to{-webkit-transform:rotate(1turn);transform:rotate(1turn)}}\
     @keyframes r{0%{-webkit-transform:rotate(0);transform:rotate(0)}to{-webkit-transform:rotate(1turn);transform:rotate(1turn)}}\
     .a{-webkit-transform-origin:50%;transform-origin:50%}"
  );
  // Different bodies: old WebKit still runs the author's prefixed animation.
  let src = "@-webkit-keyframes s{0%{-webkit-transform:scale(0)}}@keyframes s{0%{transform:scale(1)}}";
  let sheet = minify(src, auto);
  assert!(sheet.fallback.is_none(), "{:?}", sheet.fallback);
  assert_eq!(sheet.code.matches("@-webkit-keyframes s").count(), 1, "{}", sheet.code);
  assert!(sheet.code.starts_with("@-webkit-keyframes s{0%{-webkit-transform:scale(0)}}"), "{}", sheet.code);
}

#[test]
fn neighbours_of_a_lossless_statement_are_minified_together() {
  let auto = Css { targets: BaseLibrary::default().engines().css_targets(true), autoprefix: true };
  // `*zoom` makes lightningcss warn: that rule ships stripped, the rest still merges and pairs.
  let src = ".h{*zoom:1}.a{color:red}.b{color:red}\
             @-webkit-keyframes k{0%{-webkit-transform:scale(0)}}@keyframes k{0%{transform:scale(1)}}\
             .c{top:0}.c{top:0}";
  let sheet = minify(src, auto);
  assert!(sheet.fallback.is_some());
  assert_eq!(
    sheet.code,
    ".h{*zoom:1}.a,.b{color:red}@-webkit-keyframes k{0%{-webkit-transform:scale(0)}}\
     @keyframes k{0%{-webkit-transform:scale(1);transform:scale(1)}}.c{top:0}"
  );
  // Exact copies on both sides of the lossless rule: the earlier goes.
  let sheet = minify(".c{top:0}.h{*zoom:1}.c{top:0}", auto);
  assert_eq!(sheet.code, ".h{*zoom:1}.c{top:0}");
}

#[test]
fn an_attribute_value_with_a_space_keeps_its_quotes_and_the_rule_is_minified() {
  let (out, fallback) =
    run("[class*=\" weui-icon-\"],[class^=weui-icon-] { display: inline-block; width: 24PX; margin: 0px 0px 0px 0px }");
  assert!(fallback.is_none(), "{fallback:?}");
  assert_eq!(out, "[class*=\" weui-icon-\"],[class^=weui-icon-]{width:24px;margin:0;display:inline-block}");
}

#[test]
fn an_authors_display_chain_keeps_its_order_and_is_minified() {
  let auto = Css { targets: BaseLibrary::default().engines().css_targets(true), autoprefix: true };
  let src = ".t .c{display:-webkit-box;display:-webkit-flex;display:-ms-flexbox;display:flex;color:#ffffff}";
  let sheet = minify(src, auto);
  assert!(sheet.fallback.is_none(), "{:?}", sheet.fallback);
  assert_eq!(sheet.code, ".t .c{display:-webkit-box;display:-webkit-flex;display:-ms-flexbox;color:#fff;display:flex}");
}
