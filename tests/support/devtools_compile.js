// DevTools' own compile of a project, the reference the launch test runs: miniprogram-ci's
// getCompiledResult (the exact payload DevTools would upload) with every minifier and code
// protection off and the project's other settings as they are (its "compile to ES5", its
// compiler plugins), offline, written out as a folder.
//
//   node tests/support/devtools_compile.js PROJECT_DIR OUT_DIR
//
// OUT_DIR gets the compiled mini program root (app.json at its top). Files DevTools would not
// upload are not there.
'use strict';
const fs = require('fs');
const path = require('path');
const ci = require('miniprogram-ci');
const [projectPath, outPath] = require('./scratch_cwd')();
const { DefaultProjectAttr } = require('miniprogram-ci/dist/config/config');

(async () => {
  const project = new ci.Project({ appid: 'touristappid', type: 'miniProgram', projectPath, privateKey: 'offline', ignores: ['node_modules/**/*'] });
  project.attr = async () => DefaultProjectAttr;
  project.attrSync = () => DefaultProjectAttr;
  const setting = { useProjectConfig: true, minify: false, minifyJS: false, minifyWXML: false, minifyWXSS: false, codeProtect: false };
  const compiled = await ci.getCompiledResult({ project, setting }, undefined);
  const tmp = outPath + '.tmp';
  fs.rmSync(tmp, { recursive: true, force: true });
  for (const [file, content] of Object.entries(compiled)) {
    if (file === 'project.config.json' || file.endsWith('project.private.config.json')) continue;
    const target = path.join(tmp, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
  }
  fs.rmSync(outPath, { recursive: true, force: true });
  fs.renameSync(tmp, outPath);
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
