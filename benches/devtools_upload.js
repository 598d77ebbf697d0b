// What DevTools would upload, against what wxpack wrote: miniprogram-ci (DevTools' compiler, run
// offline) compiles PROJECT and applies its unused-file filter (setting.ignoreUploadUnusedFiles,
// on by default); the script prints both totals, main-package bytes, and every file wxpack ships
// that DevTools would drop (there should be none), and the WXSS of each.
//
//   mkdir -p /tmp/mpci && npm install --prefix /tmp/mpci miniprogram-ci@2.1.42
//   wxpack build PROJECT -o OUT --json OUT.json
//   NODE_PATH=/tmp/mpci/node_modules node benches/devtools_upload.js PROJECT OUT OUT.json
//
// The appid is DevTools' tourist id and no key is used: nothing is uploaded. The whitelist fetch
// fails offline and miniprogram-ci falls back to its built-in list.
const fs = require('fs');
const path = require('path');
const ci = require('miniprogram-ci');
const { filterUnusedFile } = require('miniprogram-ci/dist/ci/utils/filterUnusedFile');
const { DefaultProjectAttr } = require('miniprogram-ci/dist/config/config');

const [projectPath, outDir, reportPath] = require('../tests/support/scratch_cwd')();

function walk(dir, base = dir, out = {}) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, base, out);
    else out[path.relative(base, p).split(path.sep).join('/')] = fs.statSync(p).size;
  }
  return out;
}

(async () => {
  const project = new ci.Project({
    appid: 'touristappid', type: 'miniProgram', projectPath, privateKey: 'offline', ignores: ['node_modules/**/*'],
  });
  project.attr = async () => DefaultProjectAttr;
  project.attrSync = () => DefaultProjectAttr;
  const compiled = await ci.getCompiledResult({ project, setting: { useProjectConfig: true } }, undefined);
  const kept = await filterUnusedFile(false, project, Object.assign({}, compiled));
  const dt = {};
  for (const [k, v] of Object.entries(kept)) dt[k] = typeof v === 'string' ? Buffer.byteLength(v) : v.length;
  const report = JSON.parse(fs.readFileSync(reportPath, 'utf8'));
  const ours = walk(path.join(outDir, 'miniprogram'));
  const roots = report.packages.slice(1).map((p) => p.root.replace(/\/?$/, '/'));
  const inMain = (f) => !roots.some((r) => f.startsWith(r));
  const sum = (o, keep = () => true) => Object.entries(o).filter(([k]) => keep(k)).reduce((a, [, v]) => a + v, 0);
  // Moved and copied files carry the planner's folder; their source path is what DevTools has.
  // wxpack's shared JS helpers (`__wxpack__/helpers/`) stand where DevTools' @babel/runtime does.
  const moved = new Set(report.files.filter((f) => f.source).map((f) => f.path));
  const generated = (f) => /(^|\/)__wxpack__\/helpers\//.test(f);
  const extra = Object.keys(ours).filter((f) => !(f in dt) && !moved.has(f) && !generated(f));
  const wxss = (f) => f.endsWith('.wxss');
  const result = {
    devtools: { files: Object.keys(dt).length, bytes: sum(dt), main: sum(dt, inMain), wxss: sum(dt, wxss) },
    wxpack: { files: Object.keys(ours).length, bytes: sum(ours), main: report.packages[0].bytes_out, wxss: sum(ours, wxss) },
    shipped_but_devtools_drops: extra,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exit(0);
})().catch((e) => {
  process.stderr.write(String((e && e.stack) || e) + '\n');
  process.exit(3);
});
