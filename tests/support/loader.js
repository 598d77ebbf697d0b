// A require() that resolves like the platform's (relative and root-absolute paths, `.js` and
// `/index.js` appended, bare names relative first and then through every miniprogram_npm folder
// up to the root, resolveAlias) over real files, in a stub WeChat environment that records every
// App/Page/Component/Behavior definition and keeps a global `__log` for side-effect order.
//
// makeLoader(root, aliases, { extensions, transform }): `extensions` are tried in order after a
// path as written (default ['.js']); `transform(file, source)` may compile a file before it runs.
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const { stub, describe, environment } = require('./stub');

function makeLoader(root, aliases, options = {}) {
  const extensions = options.extensions || ['.js'];
  const transform = options.transform || ((_, source) => source);
  const cache = new Map();
  const calls = [];
  const record = (name) => (def) => {
    calls.push([name, describe(def)]);
    return stub();
  };
  const sandbox = environment(record);
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
      const stem = base.replace(/\.js$/, '');
      const candidates = [base, ...extensions.map((e) => stem + e), ...extensions.map((e) => path.join(base, 'index' + e))];
      for (const c of candidates) if (inRoot(c) && isFile(c)) return c;
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
    const code = '(function (module, exports, require) {' + transform(file, fs.readFileSync(file, 'utf8')) +
      '\n}).call(__load.module.exports, __load.module, __load.module.exports, __load.req)';
    vm.runInContext(code, context, { filename: file, timeout: 2000 });
    return module.exports;
  }
  return { load: (rel) => load(path.join(root, rel)), calls, log: sandbox.__log, resolve };
}

module.exports = { makeLoader };
