// The size report's treemap, search and highlights. Self-contained: no library, no network.
// Data: the JSON in #wxpack-data (packages, files, startup), written by wxpack with the report.
'use strict';
(function () {
  var data = JSON.parse(document.getElementById('wxpack-data').textContent);
  var map = document.getElementById('treemap');
  var crumbs = document.getElementById('crumbs');
  var tip = document.getElementById('tip');
  var search = document.getElementById('search');
  var KB = 1024, MB = 1024 * 1024;
  function size(n) {
    if (n >= MB) return (n / MB).toFixed(2) + ' MB';
    if (n >= KB) return (n / KB).toFixed(1) + ' KB';
    return n + ' B';
  }

  // packages -> folders -> files, each node weighing its shipped bytes.
  function node(name, path) { return { name: name, path: path, bytes: 0, children: {}, file: null }; }
  var root = node('all packages', '');
  data.files.forEach(function (f) {
    var pkg = root.children[f.package] || (root.children[f.package] = node(f.package, ''));
    pkg.package = f.package;
    var pkgRoot = data.roots[f.package], rel = f.path;
    if (pkgRoot && rel.indexOf(pkgRoot + '/') === 0) rel = rel.slice(pkgRoot.length + 1);
    var parts = rel.split('/'), base = rel !== f.path ? pkgRoot + '/' : '';
    var at = pkg;
    root.bytes += f.bytes_out;
    pkg.bytes += f.bytes_out;
    for (var i = 0; i < parts.length; i++) {
      var p = base + parts.slice(0, i + 1).join('/');
      var next = at.children[parts[i]] || (at.children[parts[i]] = node(parts[i], p));
      next.package = f.package;
      if (i < parts.length - 1) next.bytes += f.bytes_out;
      at = next;
    }
    at.file = f;
    at.bytes = f.bytes_out;
  });
  function kids(n) {
    return Object.keys(n.children).map(function (k) { return n.children[k]; })
      .filter(function (c) { return c.bytes > 0; })
      .sort(function (a, b) { return b.bytes - a.bytes || (a.name < b.name ? -1 : 1); });
  }

  // Squarified treemap (Bruls, Huizing, van Wijk): rows of items laid along the shorter side,
  // each row kept while it lowers the worst aspect ratio.
  function squarify(items, x, y, w, h) {
    var out = [], total = 0, i;
    items.forEach(function (it) { total += it.bytes; });
    if (total <= 0 || w <= 0 || h <= 0) return out;
    var scale = (w * h) / total, rest = items.slice();
    function worst(row, side) {
      var s = 0, max = 0, min = Infinity;
      row.forEach(function (r) { var a = r.bytes * scale; s += a; max = Math.max(max, a); min = Math.min(min, a); });
      return Math.max(side * side * max / (s * s), (s * s) / (side * side * min));
    }
    while (rest.length) {
      var side = Math.min(w, h), row = [rest[0]], k = 1;
      while (k < rest.length && worst(row.concat([rest[k]]), side) <= worst(row, side)) { row.push(rest[k]); k++; }
      rest = rest.slice(k);
      var sum = 0;
      row.forEach(function (r) { sum += r.bytes * scale; });
      var thick = sum / side, off = 0;
      for (i = 0; i < row.length; i++) {
        var len = row[i].bytes * scale / thick;
        if (w >= h) out.push({ n: row[i], x: x, y: y + off, w: thick, h: len });
        else out.push({ n: row[i], x: x + off, y: y, w: len, h: thick });
        off += len;
      }
      if (w >= h) { x += thick; w -= thick; } else { y += thick; h -= thick; }
    }
    return out;
  }

  var current = root, highlighted = null, files = 0;
  function draw(n, box, depth, parent) {
    var el = document.createElement('div');
    el.className = n.file ? 'cell file kind-' + n.file.kind : 'cell folder';
    el.style.left = box.x + 'px'; el.style.top = box.y + 'px';
    el.style.width = Math.max(0, box.w - 1) + 'px'; el.style.height = Math.max(0, box.h - 1) + 'px';
    el.setAttribute('data-package', n.package || '');
    el.setAttribute('data-bytes', String(n.bytes));
    if (n.path) el.setAttribute('data-path', n.path);
    el._node = n;
    parent.appendChild(el);
    if (n.file) {
      files++;
      if (highlighted && highlighted.indexOf(n.file.path) >= 0) el.classList.add('critical');
      if (box.w > 40 && box.h > 14) el.textContent = n.name;
      return;
    }
    var header = box.h > 34 && box.w > 30 ? 16 : 0;
    if (header) {
      var label = document.createElement('span');
      label.className = 'label';
      label.textContent = n.name + ' ' + size(n.bytes);
      el.appendChild(label);
    }
    if (box.w < 6 || box.h - header < 6) return;
    squarify(kids(n), 1, header, box.w - 3, box.h - header - 2).forEach(function (b) { draw(b.n, b, depth + 1, el); });
  }
  function render() {
    map.textContent = '';
    files = 0;
    var w = map.clientWidth, h = map.clientHeight;
    squarify(kids(current), 0, 0, w, h).forEach(function (b) { draw(b.n, b, 0, map); });
    map.setAttribute('data-files-drawn', String(files));
    map.setAttribute('data-critical-drawn', String(map.querySelectorAll('.critical').length));
    crumbs.textContent = '';
    var chain = [], at = current;
    while (at) { chain.unshift(at); at = at.parent; }
    chain.forEach(function (c, i) {
      var a = document.createElement('button');
      a.textContent = c === root ? 'all packages' : c.name;
      a.onclick = function () { current = c; render(); };
      crumbs.appendChild(a);
      if (i < chain.length - 1) crumbs.appendChild(document.createTextNode(' / '));
    });
  }
  (function link(n) { kids(n).forEach(function (c) { c.parent = n; link(c); }); })(root);

  // A tap on a file shows it (the click that follows does not zoom); a folder zooms in.
  var lastTouch = 0;
  map.addEventListener('click', function (e) {
    var el = e.target.closest('.cell');
    if (!el || (el.classList.contains('file') && Date.now() - lastTouch < 800)) return;
    var n = el._node;
    while (n && n.file) n = n.parent; // a file zooms into its folder
    if (n && n !== current) { current = n; render(); }
  });
  // Hover (or, on a touch screen, tap) shows what a cell is.
  function show(target, x, y) {
    var el = target.closest ? target.closest('.cell') : null;
    if (!el) { tip.hidden = true; return; }
    var n = el._node, f = n.file, lines = [];
    if (f) {
      lines.push(f.path, 'package: ' + f.package + ' · ' + f.kind,
        'in ' + size(f.bytes_in) + ' → out ' + size(f.bytes_out) + ' (saved ' + size(Math.max(0, f.bytes_in - f.bytes_out)) + ')');
      if (f.source) lines.push('from ' + f.source);
      if (f.why) lines.push(f.why);
    } else {
      lines.push((n.path || n.name) + ' — ' + size(n.bytes), 'package: ' + n.package);
      var prefix = n.path ? n.path + '/' : null;
      var pruned = prefix ? data.pruned.filter(function (p) { return p.indexOf(prefix) === 0; }).length : 0;
      if (pruned) lines.push(pruned + ' unused file' + (pruned === 1 ? '' : 's') + ' pruned from here');
      lines.push('click to zoom in');
    }
    tip.textContent = lines.join('\n');
    tip.hidden = false;
    tip.style.left = Math.max(0, Math.min(x + 12, window.innerWidth - 320)) + 'px';
    tip.style.top = (y + 12) + 'px';
  }
  map.addEventListener('mousemove', function (e) { show(e.target, e.pageX, e.pageY); });
  map.addEventListener('touchstart', function (e) {
    var t = e.touches[0];
    lastTouch = Date.now();
    if (t) show(e.target, t.pageX, t.pageY);
  }, { passive: true });
  map.addEventListener('mouseleave', function () { tip.hidden = true; });

  // Startup: highlight what a launch page injects before its first render.
  document.querySelectorAll('[data-startup]').forEach(function (b) {
    b.addEventListener('click', function () {
      var page = data.startup.filter(function (s) { return s.page === b.getAttribute('data-startup'); })[0];
      var on = !b.classList.contains('on');
      document.querySelectorAll('[data-startup]').forEach(function (o) { o.classList.remove('on'); });
      if (on) b.classList.add('on');
      highlighted = on && page ? page.critical : null;
      render();
    });
  });

  // Search: filters the file table, and dims treemap cells whose path does not match.
  search.addEventListener('input', function () {
    var q = search.value.trim().toLowerCase(), shown = 0;
    document.querySelectorAll('#files tbody tr').forEach(function (tr) {
      var hit = !q || tr.getAttribute('data-path').toLowerCase().indexOf(q) >= 0;
      tr.hidden = !hit;
      if (hit) shown++;
    });
    document.getElementById('shown').textContent = String(shown);
    map.querySelectorAll('.file').forEach(function (el) {
      el.classList.toggle('dim', !!q && el.getAttribute('data-path').toLowerCase().indexOf(q) < 0);
    });
  });

  window.addEventListener('resize', render);
  render();
  // `#startup=<page>` opens the page with that launch page's critical set outlined.
  var wanted = decodeURIComponent(location.hash.replace(/^#startup=/, ''));
  document.querySelectorAll('[data-startup]').forEach(function (b) {
    if (location.hash.indexOf('#startup=') === 0 && b.getAttribute('data-startup') === wanted) b.click();
  });
  map.setAttribute('data-critical-drawn', String(map.querySelectorAll('.critical').length));
  document.body.setAttribute('data-ready', '1');
})();
