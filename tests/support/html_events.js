// Appended to a copy of an --html report by tests/html.rs: drives the page's own handlers with
// synthetic events after it loaded, and writes what they did into a pre element (id events) for
// --dump-dom to read. Hover: the tooltip of the largest file; search: the rows a query leaves;
// a tap on a file: its tooltip, and no zoom; click: zooming into the first folder and back
// through the crumbs.
(function () {
  var out = {};
  var map = document.getElementById('treemap');
  var file = map.querySelector('.file');
  var r = file.getBoundingClientRect();
  file.dispatchEvent(new MouseEvent('mousemove', { bubbles: true, clientX: r.left + 2, clientY: r.top + 2 }));
  var tip = document.getElementById('tip');
  out.tipShown = !tip.hidden;
  out.tip = tip.textContent;
  out.tipFor = file.getAttribute('data-path');
  tip.hidden = true;
  var touch = new Touch({ identifier: 1, target: file, pageX: r.left + 3, pageY: r.top + 3, clientX: r.left + 3, clientY: r.top + 3 });
  file.dispatchEvent(new TouchEvent('touchstart', { bubbles: true, touches: [touch], targetTouches: [touch], changedTouches: [touch] }));
  file.dispatchEvent(new MouseEvent('click', { bubbles: true }));
  out.tapTipShown = !tip.hidden;
  out.tapTip = tip.textContent;
  out.crumbsAfterTap = document.getElementById('crumbs').textContent;
  var search = document.getElementById('search');
  var rows = document.querySelectorAll('#files tbody tr');
  var query = rows[rows.length - 1].getAttribute('data-path');
  search.value = query;
  search.dispatchEvent(new Event('input', { bubbles: true }));
  out.query = query;
  out.rowsShown = Array.prototype.filter.call(rows, function (tr) { return !tr.hidden; }).map(function (tr) { return tr.getAttribute('data-path'); });
  out.dimmed = map.querySelectorAll('.file.dim').length;
  search.value = '';
  search.dispatchEvent(new Event('input', { bubbles: true }));
  var folder = map.querySelector('.folder .folder');
  out.zoomInto = folder ? folder.getAttribute('data-path') : null;
  if (folder) {
    folder.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    out.crumbsAfterZoom = document.getElementById('crumbs').textContent;
    out.cellsAfterZoom = Array.prototype.map.call(map.children, function (c) { return c.getAttribute('data-path'); });
    var first = document.querySelector('#crumbs button');
    first.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    out.crumbsAfterBack = document.getElementById('crumbs').textContent;
  }
  var pre = document.createElement('pre');
  pre.id = 'events';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
