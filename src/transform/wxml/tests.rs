use super::*;

#[test]
fn mustaches_lose_the_whitespace_that_separates_nothing() {
  let cases = [
    ("{{ a }}", "{{a}}"),
    ("{{ a ? 'x  y' : b }}", "{{a?'x  y':b}}"),
    ("{{ utils.bem('button', [type, size, { block, round }]) }}", "{{utils.bem('button',[type,size,{block,round}])}}"),
    ("{{ typeof x === 'a' }}", "{{typeof x==='a'}}"),
    ("{{ a - -b + +c }}", "{{a- -b+ +c}}"),
    ("{{ 1 .toFixed(2) }}", "{{1 .toFixed(2)}}"),
    ("{{ {a: 1} }}", "{{ {a:1} }}"),
    ("{{ 'it\\'s' + \" q \" }}", "{{'it\\'s'+\" q \"}}"),
    ("{{ 'open }}", "{{ 'open }}"),
    ("{{ f({ a: {} }) }}", "{{f({a:{} })}}"),
    ("{{ [{ {a} }] }}", "{{[{ {a} }]}}"),
  ];
  for (src, want) in cases {
    let mut out = String::new();
    squeeze(src, &mut out);
    assert_eq!(out, want, "{src}");
  }
}

fn no_wxs(_: &str) -> Option<String> {
  None
}

#[track_caller]
fn test(input: &str, expected: &str) {
  let (out, _) = minify(input, &no_wxs);
  assert_eq!(out, expected);
  assert_eq!(minify(&out, &no_wxs).0, out, "not idempotent");
}

#[track_caller]
fn test_same(input: &str) {
  test(input, input);
}

#[test]
fn collapses_like_devtools() {
  test("<view>\n  a    a\n</view>", "<view>a a</view>");
  test(
    "<view>\n  <view>x</view>\n  <!-- note -->\n  <view>y</view>\n</view>\n",
    "<view><view>x</view><view>y</view></view>",
  );
}

#[test]
fn text_is_kept_byte_for_byte() {
  test_same("<text>  two  spaces\n and a newline <text> nested </text> </text>");
  test("<view> <text decode>&nbsp; x </text> </view>", "<view><text decode>&nbsp; x </text></view>");
}

#[test]
fn whitespace_between_comments_goes_and_tags_inside_text_are_written_alike() {
  test("<view>\n  <!-- a -->\n  <!-- b -->\n  <view/></view>", "<view><view/></view>");
  test("<view>a <!-- c --> <!-- d --> b</view>", "<view>a b</view>");
  test("<text>x <text  style=\"a: b\"  >y</text></text>", "<text>x <text style=\"a:b\">y</text></text>");
}

#[test]
fn comments_after_an_open_mustache_stay() {
  // The tokenizer reads these comments as comments (the quote leaves the `{{` open).
  test_same("s{{ <!--\"<--> <!--b-->}}");
  test_same("{{<!----> x <!--\"-->}}");
  test_same("{{{<f><!--'-->-}}");
}

#[test]
fn style_values_lose_the_whitespace_between_declarations_as_devtools_writes_them() {
  test("<view style=\" color : red ;\n  margin: 0   auto; \"/>", "<view style=\"color:red;margin:0 auto;\"/>");
  test("<view style=\"width: {{ w }}px; height: {{h}} px\"/>", "<view style=\"width:{{w}}px;height:{{h}} px\"/>");
  // Inside strings, parentheses and escapes nothing changes; U+3000 is not CSS whitespace.
  test_same("<view style=\"font-family:'a  b';background:url(data:a ; b) no-repeat;content:\\ x\"/>");
  test_same("<view style=\"margin:\u{3000}0\"/>");
  // At the ends, whitespace next to a mustache stays: `" {{s}}"` is a string, `{{s}}` the value.
  test_same("<view style=\" {{s}} \"/>");
  test("<view style=\"{{a}}  {{b}} ; top:0 \"/>", "<view style=\"{{a}} {{b}};top:0\"/>");
  test_same("<view class=\"a ; b\" data-style=\"a : b\"/>");
}

#[test]
fn attribute_values_are_untouched_outside_their_expressions() {
  test(
    "<view\n   wx:for=\"{{[1, 2, 3]}} \"\n   class='a  b'   hidden\n/>",
    "<view wx:for=\"{{[1,2,3]}} \" class='a  b' hidden/>",
  );
  test_same("<image src=\"a.png\" mode=aspectFit/>");
}

#[test]
fn mustache_strings_are_untouched() {
  test("<view>  {{ a + '  ' + b }}   x  </view>", "<view>{{a+'  '+b}} x</view>");
  test("<text>{{ a }}</text>", "<text>{{a}}</text>");
  test("<text>\n  <!-- {{x}} -->\n  {{ f('{v}', {\n v: 1 }) }}\n</text>", "<text>\n  \n  {{f('{v}',{v:1})}}\n</text>");
}

#[test]
fn entities_are_not_decoded() {
  test_same("<view>&lt;&amp;&#x4e2d;</view>");
}

#[test]
fn whitespace_next_to_any_tag_goes_as_devtools_trims_it() {
  test("<view>Pay <button>now</button> please</view>", "<view>Pay<button>now</button>please</view>");
  test("<view>a <!-- c --> b</view>", "<view>a b</view>");
  test("<view>a<!-- c -->b</view>", "<view>ab</view>");
}

#[test]
fn wxs_bodies_go_through_the_callback() {
  let (out, _) = minify("<wxs module=\"m\">\n var a = 1;\n</wxs>", &|_| Some("var a=1;".into()));
  assert_eq!(out, "<wxs module=\"m\">var a=1;</wxs>");
}

#[test]
fn comments_never_join_text_into_a_mustache() {
  test("{<!-- x -->{a}}", "{<!-- x -->{a}}");
}

#[test]
fn junk_is_kept_as_written_and_reported() {
  let (out, fallback) = minify("<view>\n  a  <  b  <!-- c -->\n</view>", &no_wxs);
  assert_eq!(out, "<view>\n  a  <  b  <!-- c -->\n</view>");
  assert_eq!(fallback.unwrap().line, Some(2));
}

#[test]
fn junk_attributes_keep_the_tag_as_written() {
  // Found by `cargo fuzz run --fuzz-dir tests/fuzz wxml`.
  test("<<x {/=!w1>\0", "<<x {/=!w1>\0");
  test("<n a=X\n/>", "<n a=X />");
}

#[test]
fn a_comment_whose_removal_would_make_other_tags_stays() {
  // Found by the fuzzer: without the comment, the quotes around it pair inside `{{`, and
  // `<f>` reads as text of a mustache.
  let src = "\t{{<f>'}}\x0f<!--'-->'}}";
  let (out, fallback) = minify(src, &no_wxs);
  assert_eq!((out.as_str(), fallback), ("\t{{<f>'}}\x0f<!--'-->'}}", None));
  assert_eq!(minify(&out, &no_wxs).0, out);
}

#[test]
fn stray_text_and_broken_tags_survive() {
  test("a < b", "a < b");
  test("<view>  a  <  b  </view>", "<view>  a  <  b  </view>");
  test_same("<view");
}
