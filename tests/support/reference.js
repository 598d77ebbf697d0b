// Runs each entry twice in a stub WeChat environment and reports what each run exposes: its
// exports, every App/Page/Component/Behavior definition, and the order of side effects in the
// global `__log`. Once from the source, compiled file by file by a reference compiler (esbuild
// for TypeScript, Babel's CommonJS transform for ES modules: DevTools' own compile is Babel), and
// once from wxpack's output as it is. Used by tests/compile.rs.
//
//   node tests/support/reference.js job.json
//   job.json: {"source": "...", "output": "...", "aliases": [...], "entries": [["app.ts", "app.js"], ...]}
'use strict';
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');
const babel = require('@babel/core');
const { makeLoader } = require('./loader');

const ESM = /(^|\n)\s*(import|export)\b/;

function reference(file, source) {
  if (file.endsWith('.ts')) {
    // Class fields as DevTools' compile (and tsc for ES5 targets) reads them: a field with no
    // initializer declares a type only, an initializer assigns.
    const tsconfigRaw = { compilerOptions: { useDefineForClassFields: false } };
    return esbuild.transformSync(source, { loader: 'ts', format: 'cjs', target: 'es2017', sourcefile: file, tsconfigRaw }).code;
  }
  if (!ESM.test(source)) return source;
  return babel.transformSync(source, {
    babelrc: false,
    configFile: false,
    filename: file,
    plugins: [require.resolve('@babel/plugin-transform-modules-commonjs')],
  }).code;
}

function run(root, aliases, rel, options) {
  const loader = makeLoader(root, aliases, options);
  try {
    const exports = loader.load(rel);
    return { exports: require('./stub').describe(exports), calls: loader.calls, log: loader.log.slice() };
  } catch (e) {
    return { error: String(e && e.stack || e) };
  }
}

const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const results = job.entries.map(([source, output]) => {
  const expected = run(job.source, job.aliases, source, { extensions: ['.js', '.ts'], transform: reference });
  const actual = run(job.output, job.aliases, output, {});
  const same = !expected.error && !actual.error && JSON.stringify(expected) === JSON.stringify(actual);
  return { source, output, same, expected, actual };
});
process.stdout.write(JSON.stringify(results, null, 1));
