// The report against the upload: miniprogram-ci's getCompiledResult of wxpack's output (the
// output folder is a project of its own), per kind and per file, against the --json report.
//
//   wxpack build PROJECT -o OUT --json OUT.json
//   NODE_PATH=/tmp/mpci/node_modules node benches/upload_vs_report.js OUT OUT.json
//
// Prints {report, upload, reportKinds, uploadKinds, diffs: [[path, report, upload]], ndiffs}.
// DUMP=a.json,b.wxss prints DevTools' text of those files on stderr.
const fs = require('fs');
const ci = require('miniprogram-ci');
const { DefaultProjectAttr } = require('miniprogram-ci/dist/config/config');
(async () => {
  const [out, reportPath] = require('../tests/support/scratch_cwd')();
  const project = new ci.Project({ appid: 'touristappid', type: 'miniProgram', projectPath: out, privateKey: 'offline', ignores: ['node_modules/**/*'] });
  project.attr = async () => DefaultProjectAttr; project.attrSync = () => DefaultProjectAttr;
  const compiled = await ci.getCompiledResult({ project, setting: { useProjectConfig: true } }, undefined);
  const size = v => typeof v === 'string' ? Buffer.byteLength(v) : v.length;
  const kinds = {}; let total = 0; const files = {};
  for (const [k, v] of Object.entries(compiled)) {
    if (k === 'project.config.json' || k.endsWith('project.private.config.json')) continue;
    const ext = k.split('.').pop(); kinds[ext] = (kinds[ext] || 0) + size(v); total += size(v); files[k] = size(v);
  }
  if (process.env.DUMP) for (const k of process.env.DUMP.split(",")) { const v = compiled[k] ?? compiled["miniprogram/" + k]; console.error("=== " + k + "\n" + (typeof v === "string" ? v : v && v.toString())); }
  const report = JSON.parse(fs.readFileSync(reportPath, 'utf8'));
  const rk = {}; for (const f of report.files) { const e = f.path.split('.').pop(); rk[e] = (rk[e] || 0) + f.bytes_out; }
  const rfiles = {}; for (const f of report.files) rfiles[f.path] = f.bytes_out;
  const diffs = [];
  for (const [k, v] of Object.entries(files)) { const p = k.replace(/^miniprogram\//, ''); if (rfiles[p] !== v) diffs.push([p, rfiles[p], v]); }
  console.log(JSON.stringify({ report: report.total.bytes_out, upload: total, reportKinds: rk, uploadKinds: kinds, diffs: diffs, ndiffs: diffs.length }));
  process.exit(0);
})().catch(e => { console.error(e); process.exit(1); });
