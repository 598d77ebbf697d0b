// WXS for the launch harness: the modules a WXML file defines (`<wxs src="x.wxs" module="m"/>`
// and inline `<wxs module="m">…</wxs>`), found through its `<import>`/`<include>` closure, each
// run in a scope of its own that has what WXS has (no `wx`, no page code: getDate, getRegExp,
// console, require of other .wxs files), with every exported function called on fixed sample
// arguments. What each call returns (or throws) is the module's record.
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const { describe } = require('./runtime');
const { NOW } = require('./context');

// Sample arguments, as JSON so every call gets fresh values of the module's own realm.
const SAMPLES = [
  '[]', '[0]', '[1]', '[-1.5]', '[1234.5678]', '[""]', '["abc"]', '["2024-05-06 07:08:09"]', '["a,b;c"]',
  '[true]', '[null]', '[[]]', '[[1,2,3]]', '[["x","y"]]', '[{}]', '[{"a":1,"b":"s"}]', '[1,2]', '[10,3]',
  '["abc",1]', '["abc","b"]', '[[1,2],1]', '[{"a":1},"a"]', '["2024-05-06",0]', '[1700000000000]', '[2,"x",true]',
];

// An unterminated /* comments out the rest of a WXS module; JS needs it closed.
function closed(text) {
  return /\/\*(?![\s\S]*\*\/)/.test(text) ? text + '*/' : text;
}

function attrs(tag) {
  const out = {};
  tag.replace(/([\w:-]+)\s*=\s*("([^"]*)"|'([^']*)')/g, (m, name, _, d, s) => { out[name] = d !== undefined ? d : s; return m; });
  return out;
}

function makeWxs(root, key) {
  const seenWxml = new Set();
  const modules = new Map(); // id -> record

  function runModule(id, source, filename) {
    const context = vm.createContext({
      console: { log() {}, info() {}, warn() {}, error() {} },
      getRegExp: (p, f) => new RegExp(p, f),
      getDate: (...a) => (a.length === 0 ? new Date(NOW) : new Date(...a)),
    });
    const cache = new Map();
    function load(file, text) {
      if (cache.has(file)) return cache.get(file).exports;
      const module = { exports: {} };
      cache.set(file, module);
      const req = (spec) => {
        const target = path.resolve(path.dirname(file), spec);
        return load(target, fs.readFileSync(target, 'utf8'));
      };
      const body = closed(text);
      vm.compileFunction(body, ['module', 'exports', 'require'], { parsingContext: context, filename: file })
        .call(module.exports, module, module.exports, req);
      return module.exports;
    }
    const record = { calls: {} };
    let exports;
    try {
      vm.runInContext('0', context);
      context.__load = () => load(filename, source);
      exports = vm.runInContext('__load()', context, { timeout: 2000 });
    } catch (e) {
      record.error = e && e.constructor ? e.constructor.name : 'throw';
      modules.set(id, record);
      return;
    }
    const fns = typeof exports === 'function'
      ? [['default', exports]]
      : Object.keys(exports || {}).sort().filter((k) => typeof exports[k] === 'function').map((k) => [k, exports[k]]);
    record.exports = describe(exports);
    for (const [name, fn] of fns) {
      record.calls[name] = SAMPLES.map((sample) => {
        context.__call = { fn, sample };
        try {
          return describe(vm.runInContext('__call.fn.apply(null, JSON.parse(__call.sample))', context, { timeout: 1000 }));
        } catch (e) {
          return 'throws ' + (e && e.constructor ? e.constructor.name : typeof e);
        }
      });
    }
    modules.set(id, record);
  }

  // Runs the WXS modules of `wxml` (an absolute path) and of what it imports or includes.
  function visit(wxml) {
    if (seenWxml.has(wxml)) return;
    seenWxml.add(wxml);
    let text;
    try { text = fs.readFileSync(wxml, 'utf8'); } catch (_) { return; }
    const dir = path.dirname(wxml);
    const resolve = (src) => (src.startsWith('/') ? path.join(root, src) : path.resolve(dir, src));
    const wxs = /<wxs\b([^>]*?)(\/>|>([\s\S]*?)<\/wxs\s*>)/g;
    for (let m; (m = wxs.exec(text));) {
      const a = attrs(m[1]);
      if (!a.module) continue;
      if (a.src) {
        const file = resolve(a.src.endsWith('.wxs') ? a.src : a.src + '.wxs');
        const id = key(file);
        if (modules.has(id)) continue;
        let source;
        try { source = fs.readFileSync(file, 'utf8'); } catch (_) { modules.set(id, { error: 'missing' }); continue; }
        runModule(id, source, file);
      } else if (m[3] !== undefined) {
        runModule(key(wxml) + "#" + a.module, m[3], wxml);
      }
    }
    const refs = /<(import|include)\b([^>]*?)\/?>/g;
    for (let m; (m = refs.exec(text));) {
      const src = attrs(m[2]).src;
      if (src && !src.includes('{{')) visit(resolve(src.endsWith('.wxml') ? src : src + '.wxml'));
    }
  }

  return { visit, modules };
}

module.exports = { makeWxs, SAMPLES, closed };
