// miniprogram-ci's checkCodeQuality (DevTools' 代码质量 panel) on projects, offline:
//
//   node tests/support/code_quality.js LIST.json OUT.json   (LIST: [[project_dir, name], ...])
//
// Writes {name: [{name, success, detail}, ...]} to OUT.json (a file: miniprogram-ci logs on
// stdout). Any private key string does: checkCodeQuality reads none.
const fs = require('fs');
const ci = require('miniprogram-ci');
const { DefaultProjectAttr } = require('miniprogram-ci/dist/config/config');
const [listPath, outPath] = require('./scratch_cwd')();
(async () => {
  const list = JSON.parse(fs.readFileSync(listPath, 'utf8'));
  const result = {};
  for (const [dir, name] of list) {
    const project = new ci.Project({ appid: 'touristappid', type: 'miniProgram', projectPath: dir, privateKey: 'offline', ignores: ['node_modules/**/*'] });
    project.attr = async () => DefaultProjectAttr;
    project.attrSync = () => DefaultProjectAttr;
    const checks = await ci.checkCodeQuality(project);
    result[name] = checks.map(({ name, success, detail }) => ({ name, success, detail }));
  }
  fs.writeFileSync(outPath, JSON.stringify(result));
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
