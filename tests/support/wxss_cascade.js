// Runs in headless Chromium (tests/meaning.rs): for each pair of stylesheets (source, minified),
// what every selector gets, in every @media/@supports/@keyframes context, as the browser's own
// CSS engine computes it. Each sheet is parsed by CSSOM (`rpx` read as `px`, a length Chromium
// knows); per selector the declarations of every rule naming it are applied in order,
// `!important` first, shorthands as the engine expands them into longhands. Where the specified
// values differ, both sets go onto a probe element and its computed styles are compared, so
// `translateX(0)` and `translate(0)`, `#fff` and `white` count as the same. What is the same by
// the spec but serialized differently is compared in one canonical form (`canon`): data URLs by
// their percent-decoded content, `0%` and `0px` positions, gradient directions (`to right` is
// `90deg`; `0deg, a, b` is `b, a`), a transition list with an autoprefixer `-webkit-` twin, and
// custom properties by what they mean as a color or a length (they are token lists, minified
// like any value). Selectors likewise (`:nth-child(1)` is `:first-child`). A pair's fourth
// element lists the selectors taken out as unused: the source's rules for them are not looked
// for in the output. Writes
// {checked, differences: [...]} into <pre id="result">.
(function () {
  const pairs = JSON.parse(document.getElementById('pairs').textContent);
  let probe = document.createElement('div');
  document.body.appendChild(probe);

  const { selectors, selectorCanon, canon } = CssCanon;

  function apply(into, style) {
    for (let i = 0; i < style.length; i++) {
      const p = style[i];
      const important = style.getPropertyPriority(p) === 'important';
      const was = into.get(p);
      if (was && was.important && !important) continue;
      into.set(p, { value: style.getPropertyValue(p), important });
    }
  }

  // Context|selector -> longhand -> {value, important}.
  function model(text) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(text.replace(/(\d)rpx\b/gi, '$1px'));
    const m = new Map();
    const at = (key) => m.get(key) || m.set(key, new Map()).get(key);
    const faces = {};
    (function walk(rules, context) {
      for (const r of rules) {
        if (r instanceof CSSStyleRule) {
          for (const s of selectors(r.selectorText)) apply(at(context + selectorCanon(s)), r.style);
          if (r.cssRules && r.cssRules.length) walk(r.cssRules, context + r.selectorText + '{');
        } else if (r instanceof CSSMediaRule) walk(r.cssRules, context + '@media ' + r.conditionText + '{');
        else if (r instanceof CSSSupportsRule) walk(r.cssRules, context + '@supports ' + r.conditionText + '{');
        else if (r instanceof CSSKeyframesRule) {
          for (const k of r.cssRules) apply(at(context + '@keyframes ' + r.name + '{' + k.keyText), k.style);
        } else if (r instanceof CSSFontFaceRule) {
          // By family, then in order: a face taken out shifts no other's key.
          const family = r.style.getPropertyValue('font-family').replace(/["']/g, '').trim();
          faces[family] = (faces[family] || 0) + 1;
          apply(at(context + '@font-face ' + family + '#' + faces[family]), r.style);
        }
      }
    })(sheet.cssRules, '');
    return m;
  }

  function computed(decls) {
    // A fresh element each time: nothing set for one selector can leak into the next.
    const old = probe;
    probe = document.createElement('div');
    old.replaceWith(probe);
    for (const [p, d] of decls) probe.style.setProperty(p, d.value, d.important ? 'important' : '');
    const style = getComputedStyle(probe);
    const out = {};
    for (let i = 0; i < style.length; i++) out[style[i]] = style.getPropertyValue(style[i]);
    for (const [p] of decls) if (p.startsWith('--')) out[p] = probe.style.getPropertyValue(p).trim();
    return canon(out);
  }

  // A selector as CSSOM writes it, the form the model's keys have.
  function canonSelector(s) {
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(s + '{}');
      return sheet.cssRules.length ? selectorCanon(sheet.cssRules[0].selectorText) : s;
    } catch (e) {
      return s;
    }
  }

  const differences = [];
  let checked = 0;
  for (const [name, source, output, removed] of pairs) {
    const gone = new Set((removed || []).filter((s) => !s.startsWith('@')).map(canonSelector));
    // At-rules taken out: `@keyframes name` (any prefix) and `@font-face family`.
    const goneAt = (removed || [])
      .filter((s) => s.startsWith('@'))
      .map((s) => (s.startsWith('@font-face ') ? s : '@keyframes ' + s.slice(s.indexOf(' ') + 1)));
    const atGone = (key) => goneAt.some((g) => key.includes(g + (g.startsWith('@font-face') ? '#' : '{')));
    let a, b;
    try {
      a = model(source);
      b = model(output);
    } catch (e) {
      differences.push(name + ': ' + e.message);
      continue;
    }
    for (const [key, before] of a) {
      if (gone.has(key.slice(key.lastIndexOf('{') + 1)) || atGone(key)) continue;
      checked++;
      const after = b.get(key) || new Map();
      const same =
        before.size === after.size &&
        [...before].every(([p, d]) => after.has(p) && after.get(p).value === d.value && after.get(p).important === d.important);
      if (same) continue;
      // Importance decides against other selectors' rules, which the probe does not see.
      const flipped = [...before].find(([p, d]) => after.has(p) && after.get(p).important !== d.important);
      if (flipped) {
        differences.push(`${name}: ${key}: ${flipped[0]}: !important ${flipped[1].important ? 'lost' : 'added'}`);
        continue;
      }
      const x = computed(before);
      const y = computed(after);
      const changed = Object.keys(Object.assign({}, x, y)).filter((p) => x[p] !== y[p]);
      if (changed.length) {
        const p = changed[0];
        differences.push(`${name}: ${key}: ${p}: ${JSON.stringify(x[p])} -> ${JSON.stringify(y[p])}`);
      }
    }
    for (const key of b.keys()) {
      if (a.has(key)) continue;
      // A vendor-prefixed twin the autoprefixing added (`::-webkit-input-placeholder` beside
      // `::placeholder`) must style what its unprefixed selector styles.
      const twin = key.replace(/::?-(?:webkit|moz|ms|o)-(?:input-)?([\w-]+)/g, '::$1');
      if (twin !== key && a.has(twin)) {
        const x = computed(a.get(twin));
        const y = computed(b.get(key));
        const changed = Object.keys(Object.assign({}, x, y)).filter((p) => x[p] !== y[p]);
        if (!changed.length) continue;
      }
      differences.push(`${name}: ${key}: only in the output`);
    }
  }
  document.getElementById('result').textContent = JSON.stringify({ checked, differences });
})();
