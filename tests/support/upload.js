// What DevTools uploads from wxpack's outputs: miniprogram-ci's getCompiledResult of each output
// folder as a project of its own (its project.config.json as wxpack wrote it), offline (any
// private key string; the project's attr() resolving to ci.DefaultProjectAttr; the extension
// white list falls back to miniprogram-ci's built-in one when servicewechat.com is unreachable).
//
//   node tests/support/upload.js LIST.json OUT.json   (LIST: [[out_dir, name], ...])
//
// Writes {name: {path: bytes}} to OUT.json, paths relative to the output's miniprogram root
// (a file, not stdout: miniprogram-ci logs there, and exit() would cut a long pipe write).
const fs = require('fs');
const ci = require('miniprogram-ci');
const [listPath, outPath] = require('./scratch_cwd')();
const { DefaultProjectAttr } = require('miniprogram-ci/dist/config/config');
(async () => {
  const list = JSON.parse(fs.readFileSync(listPath, 'utf8'));
  const result = {};
  for (const [out, name] of list) {
    const project = new ci.Project({ appid: 'touristappid', type: 'miniProgram', projectPath: out, privateKey: 'offline', ignores: ['node_modules/**/*'] });
    project.attr = async () => DefaultProjectAttr;
    project.attrSync = () => DefaultProjectAttr;
    const compiled = await ci.getCompiledResult({ project, setting: { useProjectConfig: true } }, undefined);
    // Keys are relative to the miniprogram root, but for the project's own config files.
    const files = {};
    for (const [k, v] of Object.entries(compiled)) {
      if (k === 'project.config.json' || k.endsWith('project.private.config.json')) continue;
      files[k] = typeof v === 'string' ? Buffer.byteLength(v) : v.length;
    }
    result[name] = files;
  }
  fs.writeFileSync(outPath, JSON.stringify(result));
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
