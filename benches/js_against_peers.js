// JS bytes of one app against DevTools and swc, on the files both ship, helpers counted once.
//
//   NODE_PATH=/tmp/mpci/node_modules node benches/devtools_minified.js APP | tail -1 | cut -c3- > dt.json
//   NODE_PATH=/tmp/mpci/node_modules:/tmp/peers/node_modules node benches/swc_on_devtools.js APP | tail -1 | cut -c3- > swc.json
//   wxpack build APP -o OUT --no-plan --json report.json
//   node benches/js_against_peers.js report.json OUT dt.json swc.json
//
// Prints one JSON line {files, devtools, swc, wxpack}. DevTools' side adds its `@babel/runtime`
// helper files (they ship only when an uploaded file requires them); wxpack's side adds the
// `__wxpack__/helpers` modules the compared files require, directly or through another helper
// (without the planner wxpack also ships files DevTools' unused-file filter leaves out, and the
// helpers only those use are not part of the comparison).
const fs = require('fs');
const path = require('path');
const [reportPath, outDir, dtPath, swcPath] = process.argv.slice(2);
const report = JSON.parse(fs.readFileSync(reportPath, 'utf8'));
const root = report.miniprogram_root || '';
const strip = (d) => Object.fromEntries(Object.entries(d).map(([k, v]) => [k.startsWith(root) ? k.slice(root.length) : k, v]));
const dt = strip(JSON.parse(fs.readFileSync(dtPath, 'utf8')));
const sw = strip(JSON.parse(fs.readFileSync(swcPath, 'utf8')));
const ours = Object.fromEntries(report.files.map((f) => [f.path, f.bytes_out]));
const both = Object.keys(ours).filter((p) => p.endsWith('.js') && p in dt && p in sw && !p.includes('__wxpack__/'));
const miniprogram = path.join(outDir, root);

// The helper modules `files` require, transitively.
const helpers = new Set();
const queue = [...both];
while (queue.length) {
  const file = queue.pop();
  let code;
  try {
    code = fs.readFileSync(path.join(miniprogram, file), 'utf8');
  } catch (e) {
    continue;
  }
  for (const m of code.matchAll(/require\("([^"]*__wxpack__\/helpers\/[^"]+)"\)/g)) {
    const helper = path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1]));
    if (!helpers.has(helper)) {
      helpers.add(helper);
      queue.push(helper);
    }
  }
}
const sum = (list, sizes) => list.reduce((n, p) => n + (sizes[p] || 0), 0);
const babel = (d) => Object.keys(d).filter((p) => p.startsWith('@babel/') && p.endsWith('.js'));
const out = {
  files: both.length,
  devtools: sum(both, dt) + sum(babel(dt), dt),
  swc: sum(both, sw) + sum(babel(sw), sw),
  wxpack: sum(both, ours) + sum([...helpers], ours),
};
process.stdout.write(JSON.stringify(out) + '\n');
