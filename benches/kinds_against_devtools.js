// Bytes per kind of one app against DevTools' minified output, on the files both ship (same
// path).
//
//   NODE_PATH=tests/support/node_modules node benches/devtools_minified.js APP | tail -1 | cut -c3- > dt.json
//   wxpack build APP -o OUT --no-plan --json report.json
//   node benches/kinds_against_devtools.js report.json dt.json
//
// Prints one JSON line {kind: {files, devtools, wxpack}}. JS here is per file: DevTools' ES5
// files share `@babel/runtime` helper files that wxpack may inline, so compare JS with
// benches/js_against_peers.js, which counts the helpers once on both sides.
const fs = require('fs');
const [reportPath, dtPath] = process.argv.slice(2);
const report = JSON.parse(fs.readFileSync(reportPath, 'utf8'));
const root = report.miniprogram_root || '';
const dt = JSON.parse(fs.readFileSync(dtPath, 'utf8'));
const out = {};
for (const f of report.files) {
  const path = f.path.startsWith(root) ? f.path.slice(root.length) : f.path;
  const kind = path.slice(path.lastIndexOf('.') + 1);
  if (!['js', 'wxml', 'wxss', 'wxs', 'json'].includes(kind) || !(path in dt) || path.includes('__wxpack__/')) continue;
  const k = (out[kind] ||= { files: 0, devtools: 0, wxpack: 0 });
  k.files += 1;
  k.devtools += dt[path];
  k.wxpack += f.bytes_out;
}
console.log(JSON.stringify(out));
