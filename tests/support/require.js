// Loads mini program modules with a require() that resolves like the platform's (relative and
// root-absolute paths, `.js` and `/index.js` appended, bare names relative first and then through
// every miniprogram_npm folder up to the root, resolveAlias) over the real files, in a stub WeChat
// environment. Used by tests/planner.rs to check that a moved or copied module still loads, with
// its real dependencies, and exports the same shape as the original.
//
//   node tests/support/require.js job.json
//   job.json: {"source": {"root": "...", "aliases": [["@u", "utils"]]}, "output": {...},
//              "pairs": [["utils/a.js", "pkgA/__wxpack__/utils/a.js"], ...]}
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');

const { stub, shape } = require('./stub');

function loader(root, aliases) {
  const cache = new Map();
  const sandbox = {
    wx: stub(), App: stub(), Page: stub(), Component: stub(), Behavior: stub(), getApp: () => stub(),
    getCurrentPages: () => [], requirePlugin: () => stub(), worker: stub(),
    console: { log() {}, info() {}, warn() {}, error() {}, debug() {} },
    setTimeout() {}, clearTimeout() {}, setInterval() {}, clearInterval() {},
  };
  sandbox.global = sandbox;
  const context = vm.createContext(sandbox);
  const isFile = (p) => { try { return fs.statSync(p).isFile(); } catch (_) { return false; } };
  const inRoot = (p) => p === root || p.startsWith(root + path.sep);

  function resolve(from, spec) {
    for (const [k, v] of aliases) {
      if (spec === k || spec.startsWith(k + '/')) { spec = '/' + v + spec.slice(k.length); break; }
    }
    const bases = [];
    if (spec.startsWith('/')) bases.push(path.join(root, spec));
    else {
      bases.push(path.resolve(path.dirname(from), spec));
      if (!spec.startsWith('.')) {
        for (let d = path.dirname(from); inRoot(d); d = path.dirname(d)) bases.push(path.join(d, 'miniprogram_npm', spec));
      }
    }
    for (const base of bases) {
      for (const c of [path.extname(base) ? base : null, base + '.js', path.join(base, 'index.js')]) {
        if (c && inRoot(c) && isFile(c)) return c;
      }
    }
    throw new Error('cannot resolve ' + JSON.stringify(spec) + ' from ' + path.relative(root, from));
  }

  function load(file) {
    if (cache.has(file)) return cache.get(file).exports;
    const module = { exports: {} };
    cache.set(file, module);
    const req = (spec) => load(resolve(file, spec));
    req.async = (spec) => Promise.resolve(load(resolve(file, spec)));
    // The call runs inside runInContext so the timeout covers it: stubs are truthy forever, and
    // a loop that walks them would never end.
    sandbox.__load = { module, req };
    const code = '(function (module, exports, require) {' + fs.readFileSync(file, 'utf8') +
      '\n}).call(__load.module.exports, __load.module, __load.module.exports, __load.req)';
    vm.runInContext(code, context, { filename: file, timeout: 2000 });
    return module.exports;
  }
  return (rel) => load(path.join(root, rel));
}

const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const results = job.pairs.map(([original, moved]) => {
  let before;
  try {
    before = shape(loader(job.source.root, job.source.aliases)(original));
  } catch (e) {
    // ES modules do not run as CommonJS (the compile stage converts them); neither do files
    // that need what no mini program has. Neither says anything about the move.
    return { original, moved, loadable: false, error: String(e && e.message) };
  }
  try {
    const after = shape(loader(job.output.root, job.output.aliases)(moved));
    return { original, moved, loadable: true, same: before === after, before, after };
  } catch (e) {
    return { original, moved, loadable: true, same: false, before, error: 'the moved copy fails: ' + (e && e.message) };
  }
});
process.stdout.write(JSON.stringify(results));
