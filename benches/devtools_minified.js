// DevTools' minified output of a project, per file: getCompiledResult with every minifier on
// (minified, minifyWXSS, minifyWXML; postcss as the project sets it), offline.
//
//   NODE_PATH=/tmp/mpci/node_modules node benches/devtools_minified.js PROJECT > dt.txt
//
// The last line, after '@@', is {path: bytes}; compare it with wxpack's --json report (--no-plan).
const ci = require('miniprogram-ci');
const { DefaultProjectAttr } = require('miniprogram-ci/dist/config/config');
const [projectPath] = require('../tests/support/scratch_cwd')();
(async () => {
  const project = new ci.Project({ appid: 'touristappid', type: 'miniProgram', projectPath, privateKey: 'offline', ignores: ['node_modules/**/*'] });
  project.attr = async () => DefaultProjectAttr; project.attrSync = () => DefaultProjectAttr;
  const compiled = await ci.getCompiledResult({ project, setting: { useProjectConfig: true, minified: true, minifyWXSS: true, minifyWXML: true } }, undefined);
  const out = {};
  for (const [k, v] of Object.entries(compiled)) out[k] = typeof v === 'string' ? Buffer.byteLength(v) : v.length;
  process.stdout.write('\n@@' + JSON.stringify(out));
  process.exit(0);
})().catch(e => { console.error(e); process.exit(1); });
