// Runs in headless Chromium (tests/overlap.rs): elements that two neighbouring rules both match,
// styled by the source sheet and by the minified one. wxpack writes what neighbouring rules both
// declare once, under both selectors (`.a{x}.a,.b{y}.b{z}`), which moves declarations between
// rules; the per-selector comparison (wxss_cascade.js) cannot see an element with both classes.
// For every pair of neighbouring style rules in either sheet (at the top level or inside one
// @media), each naming a class on its own (`.a`, `.a:after`), a probe element carries both
// classes; its computed styles (and its ::before and ::after) must be the same under both
// sheets. `rpx` is read as `px`; values are compared in CssCanon's form (css_canon.js).
// Writes {checked, differences: [...]} into <pre id="result">.
(function () {
  const jobs = JSON.parse(document.getElementById('pairs').textContent);
  const style = document.createElement('style');
  document.head.appendChild(style);
  const host = document.createElement('div');
  document.body.appendChild(host);
  const px = (s) => s.replace(/(\d*\.?\d+)rpx/gi, '$1px');
  const single = /^\.([A-Za-z_][\w-]*)(::?(?:before|after))?$/;

  // Each class named on its own, and whether for a pseudo-element (`.a:after`).
  function classesOf(rule) {
    return rule.selectorText.split(',').map((s) => s.trim().match(single)).filter(Boolean).map((m) => [m[1], !!m[2]]);
  }

  function neighbours(rules, out) {
    let previous = null;
    for (const rule of rules) {
      if (rule instanceof CSSMediaRule) {
        neighbours(rule.cssRules, out);
        previous = null;
      } else if (rule instanceof CSSStyleRule) {
        const mine = classesOf(rule);
        if (previous)
          for (const [a, pa] of previous)
            for (const [b, pb] of mine) if (a !== b) out.set(a + ' ' + b, out.get(a + ' ' + b) || pa || pb);
        previous = mine;
      } else previous = null;
    }
  }

  function pairsOf(css) {
    style.textContent = px(css);
    const out = new Map();
    if (style.sheet) neighbours(style.sheet.cssRules, out);
    return out;
  }

  // Numbers to 4 significant digits: lightningcss prints `1.41176` for `1.411764706`.
  const rounded = (v) => v.replace(/-?\d*\.?\d+(?:e-?\d+)?/g, (n) => String(Number(Number(n).toPrecision(4))));

  function snapshot(css, pairs) {
    style.textContent = px(css);
    host.innerHTML = '';
    const elements = pairs.map(([p]) => {
      const e = document.createElement('div');
      e.className = p;
      host.appendChild(e);
      return e;
    });
    return elements.map((e, i) =>
      [null, '::before', '::after'].slice(0, pairs[i][1] ? 3 : 1).map((pseudo) => {
        const cs = getComputedStyle(e, pseudo);
        const o = {};
        for (let i = 0; i < cs.length; i++) o[cs[i]] = cs.getPropertyValue(cs[i]);
        const c = CssCanon.canon(o);
        for (const p of Object.keys(c)) if (!c[p].includes('url(')) c[p] = rounded(c[p]);
        return c;
      })
    );
  }

  let checked = 0;
  const differences = [];
  for (const [name, source, output] of jobs) {
    const all = pairsOf(source);
    for (const [p, pseudo] of pairsOf(output)) all.set(p, all.get(p) || pseudo);
    const pairs = [...all];
    if (!pairs.length) continue;
    const before = snapshot(source, pairs);
    const after = snapshot(output, pairs);
    pairs.forEach(([p], i) => {
      checked++;
      before[i].forEach((a, k) => {
        const [b, pseudo] = [after[i][k], ['', '::before', '::after'][k]];
        for (const prop of Object.keys(a)) {
          if (a[prop] === b[prop]) continue;
          differences.push(`${name}: <div class="${p}">${pseudo} ${prop}: ${a[prop]} -> ${b[prop]}`);
          break;
        }
      });
    });
  }
  document.getElementById('result').textContent = JSON.stringify({ checked, differences });
})();
