// The JS peer on the same input: DevTools' ES5 output of a project (getCompiledResult with
// minified off, the project's own es6 setting), each JS file minified by @swc/core with top-level
// compress and mangle (ecma 5); a file swc does not shrink counts as it was. Offline.
//
//   npm install --prefix /tmp/peers @swc/core@1
//   NODE_PATH=/tmp/mpci/node_modules:/tmp/peers/node_modules node benches/swc_on_devtools.js PROJECT
//
// The last line, after '@@', is {path: bytes}; compare with wxpack's --json report (--no-plan),
// counting DevTools' @babel/runtime helpers and wxpack's __wxpack__/helpers once per app.
const ci = require('miniprogram-ci');
const swc = require('@swc/core');
const { DefaultProjectAttr } = require('miniprogram-ci/dist/config/config');
const [projectPath] = require('../tests/support/scratch_cwd')();
(async () => {
  const project = new ci.Project({ appid: 'touristappid', type: 'miniProgram', projectPath, privateKey: 'offline', ignores: ['node_modules/**/*'] });
  project.attr = async () => DefaultProjectAttr; project.attrSync = () => DefaultProjectAttr;
  const compiled = await ci.getCompiledResult({ project, setting: { useProjectConfig: true, minified: false, minifyWXSS: false, minifyWXML: false } }, undefined);
  const out = {};
  for (const [k, v] of Object.entries(compiled)) {
    if (!k.endsWith('.js')) continue;
    const src = typeof v === 'string' ? v : v.toString();
    try {
      const r = await swc.minify(src, { ecma: 5, compress: { toplevel: true }, mangle: { toplevel: true }, module: false });
      out[k] = Math.min(Buffer.byteLength(r.code), Buffer.byteLength(src));
    } catch (e) { out[k] = Buffer.byteLength(src); }
  }
  process.stdout.write('\n@@' + JSON.stringify(out));
  process.exit(0);
})().catch(e => { console.error(e); process.exit(1); });
