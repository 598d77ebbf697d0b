// The platform's module system over a mini program folder, for the launch harness: `require`
// resolves relative paths, root-absolute paths, `resolveAlias`, bare names relative first and
// then through every `miniprogram_npm` up to the root, with `.js` and `/index.js` appended;
// each file runs once, in the app's one context; `require.async` and `require(path, cb)` load
// lazily. Also the JSON and component lookups the runtime needs (usingComponents resolves as
// DevTools >= 1.06.2307172 does).
'use strict';
const fs = require('fs');
const path = require('path');

function makeModules(root, ctx, aliases) {
  const cache = new Map();
  // The file whose top level is running: App(), Page(), Component() and Behavior() belong to it.
  let loading = null;
  const isFile = (p) => { try { return fs.statSync(p).isFile(); } catch (_) { return false; } };
  const inRoot = (p) => p === root || p.startsWith(root + path.sep);
  const rel = (file) => path.relative(root, file).split(path.sep).join('/');

  function aliased(spec) {
    let best = null;
    for (const [key, value] of aliases) {
      const k = key.replace(/\*$/, '');
      if (spec.startsWith(k) && (!best || k.length > best[0].length)) best = [k, value.replace(/\*$/, '')];
    }
    return best ? '/' + best[1].replace(/^\//, '') + spec.slice(best[0].length) : spec;
  }

  // The candidates of `spec` from `dir`, in the platform's order.
  function bases(dir, spec) {
    spec = aliased(spec);
    if (spec.startsWith('/')) return [path.join(root, spec)];
    const out = [path.resolve(dir, spec)];
    if (!spec.startsWith('.')) {
      for (let d = dir; inRoot(d); d = path.dirname(d)) {
        out.push(path.join(d, 'miniprogram_npm', spec));
        if (d === root) break;
      }
    }
    return out;
  }

  function resolve(from, spec) {
    for (const base of bases(path.dirname(from), spec)) {
      const stem = base.replace(/\.js$/, '');
      for (const c of [base, stem + '.js', path.join(base, 'index.js')]) if (inRoot(c) && isFile(c)) return c;
    }
    throw new Error('module "' + spec + '" is not defined, required from ' + rel(from));
  }

  function load(file) {
    if (cache.has(file)) return cache.get(file).exports;
    const module = { exports: {} };
    cache.set(file, module);
    const req = (spec, done, failed) => {
      if (typeof done === 'function') {
        ctx.clock.later(() => {
          let m;
          try { m = load(resolve(file, spec)); } catch (e) { if (typeof failed === 'function') failed(e); return; }
          done(m);
        });
        return undefined;
      }
      return load(resolve(file, spec));
    };
    req.async = (spec) => new ctx.Promise((ok, fail) => ctx.clock.later(() => {
      try { ok(load(resolve(file, spec))); } catch (e) { fail(e); }
    }));
    const source = fs.readFileSync(file, 'utf8');
    const parent = loading;
    loading = file;
    try {
      const body = ctx.compile(['module', 'exports', 'require'], source, file);
      ctx.invoke(body, module.exports, [module, module.exports, req]);
    } catch (e) {
      cache.delete(file);
      throw e;
    } finally {
      loading = parent;
    }
    return module.exports;
  }

  // A JSON file of the app, or null.
  function json(file) {
    try { return JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '')); } catch (_) { return null; }
  }

  // The component a usingComponents value names from the JSON at `from` (a path without
  // extension whose .js exists), or null (plugins, missing files).
  function component(from, spec) {
    if (typeof spec !== 'string' || spec.startsWith('plugin://') || spec.startsWith('plugin-private://')) return null;
    for (const base of bases(path.dirname(from), spec)) {
      for (const c of [base, path.join(base, 'index')]) {
        if (inRoot(c) && isFile(c + '.json') && isFile(c + '.js')) return c;
      }
    }
    return null;
  }

  return { load, resolve, json, component, rel, isFile, loading: () => loading };
}

module.exports = { makeModules };
