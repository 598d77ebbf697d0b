// Shared by the browser checks (wxss_cascade.js, wxss_overlap.js): what is the same by the spec
// but serialized differently, in one canonical form. Loaded before them; defines `CssCanon`.
var CssCanon = (function () {
  const probe = document.createElement('div');
  document.documentElement.appendChild(probe);

  function selectors(text) {
    const out = [];
    let depth = 0;
    let current = '';
    let quote = null;
    for (const c of text) {
      if (quote) {
        if (c === quote) quote = null;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '(' || c === '[') depth++;
      else if (c === ')' || c === ']') depth--;
      else if (c === ',' && depth === 0) {
        out.push(current.trim());
        current = '';
        continue;
      }
      current += c;
    }
    out.push(current.trim());
    return out;
  }

  function selectorCanon(s) {
    return s
      .replace(/:nth-child\(1\)/g, ':first-child')
      .replace(/:nth-of-type\(1\)/g, ':first-of-type')
      .replace(/:nth-last-child\(1\)/g, ':last-child')
      .replace(/:nth-last-of-type\(1\)/g, ':last-of-type')
      .replace(/\(2n\+1\)/g, '(odd)')
      .replace(/\(2n\)/g, '(even)');
  }

  // Top-level comma-separated parts of a function's arguments.
  function args(text) {
    return selectors(text);
  }

  function decodeDataUrls(v) {
    return v.replace(/url\("(data:[^,]*,)((?:[^"\\]|\\.)*)"\)/g, (m, head, body) => {
      const raw = body.replace(/\\(.)/g, '$1');
      let text;
      try {
        text = decodeURIComponent(raw);
      } catch (e) {
        text = raw;
      }
      return 'url(' + head + text + ')';
    });
  }

  // A color stop with a position after its color (`red 10%`, `rgba(0, 0, 0, .5) 2px`).
  function positioned(stop) {
    const t = stop.trim();
    if (t.endsWith(')') && t.indexOf('(') > 0 && !/\)\s+\S/.test(t)) return false;
    return /\)\s+\S/.test(t) || (!t.includes('(') && /\s/.test(t));
  }

  function gradients(v) {
    const dirs = { 'to top': '0deg', 'to right': '90deg', 'to bottom': '180deg', 'to left': '270deg' };
    return v.replace(/linear-gradient\(((?:[^()]|\([^()]*\))*)\)/g, (m, inner) => {
      let parts = args(inner);
      const first = dirs[parts[0]] || parts[0];
      if (/^-?[\d.]+deg$/.test(first)) {
        parts = [first].concat(parts.slice(1));
        if (first === '180deg') parts = parts.slice(1);
        else if (first === '0deg' && parts.slice(1).every((p) => !positioned(p))) {
          parts = ['180deg'].concat(parts.slice(1).reverse()).slice(1);
        }
      }
      return 'linear-gradient(' + parts.join(', ') + ')';
    });
  }

  function transitions(style) {
    const list = (p) => (style[p] === undefined ? null : args(style[p]));
    const props = list('transition-property');
    if (!props) return;
    const drop = props.map((p, i) => (p.startsWith('-webkit-') && props.includes(p.slice(8)) ? i : -1)).filter((i) => i >= 0);
    if (!drop.length) return;
    for (const p of Object.keys(style)) {
      if (!p.startsWith('transition-')) continue;
      const items = list(p);
      if (items.length === props.length) style[p] = items.filter((_, i) => !drop.includes(i)).join(', ');
    }
  }

  function customCanon(v) {
    const t = v.trim();
    for (const p of ['color', 'width']) {
      probe.style.setProperty(p, '');
      probe.style.setProperty(p, t);
      if (probe.style.getPropertyValue(p)) {
        const out = getComputedStyle(probe).getPropertyValue(p);
        probe.style.setProperty(p, '');
        return out;
      }
    }
    return t.toLowerCase().replace(/\s*([,()])\s*/g, '$1').replace(/(^|[^\d.])0\.(\d)/g, '$1.$2');
  }

  function canon(style) {
    transitions(style);
    for (const p of Object.keys(style)) {
      let v = style[p];
      if (p.startsWith('--')) v = customCanon(v);
      v = decodeDataUrls(gradients(v)).replace(/(^|[\s,(])0%/g, '$10px');
      style[p] = v;
    }
    return style;
  }

  return { selectors, selectorCanon, canon };
})();
