// Runs the peer minifiers on the files wxpack minified, in one process each, timing only the
// minification (files are read first). Prints JSON: { tool: { files, bytes_in, bytes_out, ms } }.
// Invoked by benches/peers.rs, which installs the tools with npm into a cache folder.
//
//   node benches/peers.mjs NODE_MODULES_DIR list.json
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const [modulesDir, listFile] = process.argv.slice(2);
const require = createRequire(path.join(modulesDir, 'noop.js'));
const { js, wxss } = JSON.parse(fs.readFileSync(listFile, 'utf8'));
const read = (files) => files.map((f) => fs.readFileSync(f, 'utf8'));
const jsSrc = read(js);
const cssSrc = read(wxss);
const bytes = (s) => Buffer.byteLength(s);

async function run(name, sources, fn) {
  const start = process.hrtime.bigint();
  let out = 0;
  let failed = 0;
  for (const src of sources) {
    try {
      out += bytes(await fn(src));
    } catch {
      failed += 1;
      out += bytes(src);
    }
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return [name, { files: sources.length, failed, bytes_in: sources.reduce((a, s) => a + bytes(s), 0), bytes_out: out, ms }];
}

const terser = require('terser');
const esbuild = require('esbuild');
const swc = require('@swc/core');
const lightningcss = require('lightningcss');
const targets = { chrome: 53 << 16, ios_saf: 8 << 16, android: 53 << 16 };

const results = [
  await run('terser -c -m --toplevel', jsSrc, async (s) => (await terser.minify(s, { compress: true, mangle: true, toplevel: true })).code),
  await run('esbuild --minify', jsSrc, (s) => esbuild.transformSync(s, { minify: true }).code),
  await run('swc (@swc/core minify, toplevel)', jsSrc, (s) =>
    swc.minifySync(s, { module: 'unknown', compress: { toplevel: true }, mangle: { topLevel: true } }).code),
  await run('lightningcss --minify --error-recovery', cssSrc, (s) =>
    lightningcss.transform({ filename: 'a.wxss', code: Buffer.from(s), minify: true, errorRecovery: true }).code.toString()),
  await run('lightningcss --minify --error-recovery --targets ios 8, chrome 53', cssSrc, (s) =>
    lightningcss.transform({ filename: 'a.wxss', code: Buffer.from(s), minify: true, errorRecovery: true, targets }).code.toString()),
];
process.stdout.write(JSON.stringify(Object.fromEntries(results)));
