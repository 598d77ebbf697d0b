// Runs each (original, minified) module alone in the launch harness's logic layer and reports
// the pairs that behave differently. Each run gets a fresh context with the recording `wx`, a
// `require` that records what it is asked for and answers a stub, and App/Page/Component/
// Behavior that keep the definition; then every function the module exposes (its exports, the
// methods and lifecycles of what it registered) is called: with no argument and with a stub for
// JS, with sample arguments for WXS. Recorded: exports, definitions, wx calls, requires, setData
// payloads, what each call returns or throws (by error type: messages name minified
// identifiers). An original that is an ES module runs as Babel's CommonJS transform makes it
// (DevTools' compile).
//
//   node tests/support/module_diff.js PAIRS.json OUT.json
//   PAIRS: [["<original>", "<minified>", "js" | "wxs"], ...]
//   OUT: [{"original", "minified", "before", "after"}] for the pairs that differ, and
//        {"compared": n, "unloadable": n, "slow": n} at the end (slow: differed where one side
//        ran out of time, so neither compared nor a difference).
'use strict';
const fs = require('fs');
const { stub } = require('./stub');
const { makeContext } = require('./launch/context');
const { makeWx } = require('./launch/wx');
const { describe } = require('./launch/runtime');
const { SAMPLES, closed } = require('./launch/wxs');
const commonjs = require('./commonjs');

const LIFECYCLES = ['onLaunch', 'onShow', 'onLoad', 'onReady', 'onHide', 'onUnload', 'created', 'attached', 'ready',
  'detached', 'onPullDownRefresh', 'onReachBottom', 'onShareAppMessage', 'onPageScroll'];

function run(file, source, kind) {
  const log = [];
  const record = (what) => log.push(what);
  const globals = {};
  const ctx = makeContext(globals);
  const definitions = [];
  const register = (name) => (options) => {
    definitions.push([name, options]);
    record(['define', name, describe(options)]);
    return stub();
  };
  if (kind === 'wxs') {
    Object.assign(ctx.context, {
      getRegExp: (p, f) => new RegExp(p, f),
      getDate: (...a) => (a.length === 0 ? new Date(Date.UTC(2026, 0, 15)) : new Date(...a)),
      console: { log() {}, info() {}, warn() {}, error() {} },
    });
  } else {
    Object.assign(ctx.context, {
      wx: makeWx({ clock: ctx.clock, stub, launch: { path: '', scene: 1001, query: {} }, record: (n, a) => record(['wx', n, describe(a)]) }),
      App: register('App'), Page: register('Page'), Component: register('Component'), Behavior: register('Behavior'),
      getApp: () => stub(), getCurrentPages: () => [], requirePlugin: () => stub(),
      console: { log() {}, info() {}, debug() {}, warn() {}, error() {} },
      setTimeout: (fn, ms, ...args) => (typeof fn === 'function' ? ctx.clock.later(fn, ms, args) : 0),
      setInterval: (fn, ms, ...args) => (typeof fn === 'function' ? ctx.clock.later(fn, ms, args) : 0),
      clearTimeout: (id) => ctx.clock.cancel(id), clearInterval: (id) => ctx.clock.cancel(id),
    });
  }
  const module = { exports: {} };
  const req = (spec) => { record(['require', String(spec)]); return stub(); };
  req.async = (spec) => { record(['require.async', String(spec)]); return ctx.Promise.resolve(stub()); };
  ctx.at('load', file);
  const body = ctx.compile(['module', 'exports', 'require'], source, file);
  ctx.call(body, module.exports, [module, module.exports, req]);
  ctx.clock.flush();
  record(['exports', describe(module.exports)]);

  const calls = [];
  const exported = module.exports;
  if (typeof exported === 'function') calls.push(['export', exported, null]);
  else if (exported && typeof exported === 'object') {
    for (const k of Object.keys(exported).sort()) if (typeof exported[k] === 'function') calls.push(['export.' + k, exported[k], exported]);
  }
  for (const [n, [name, options]] of definitions.entries()) {
    if (!options || typeof options !== 'object') continue;
    const self = {};
    for (const [k, v] of Object.entries(options.methods || {})) self[k] = v;
    for (const [k, v] of Object.entries(options)) if (!(k in self)) self[k] = v;
    self.data = JSON.parse(JSON.stringify(options.data && typeof options.data === 'object' ? options.data : {}));
    self.setData = (patch) => record(['setData', describe(patch)]);
    self.triggerEvent = (...a) => record(['triggerEvent', describe(a)]);
    for (const m of ['selectComponent', 'createSelectorQuery', 'getRelationNodes', 'selectAllComponents']) self[m] = () => stub();
    const groups = [['', options], ['methods.', options.methods], ['lifetimes.', options.lifetimes], ['pageLifetimes.', options.pageLifetimes]];
    for (const [prefix, group] of groups) {
      if (!group || typeof group !== 'object') continue;
      const keys = Object.keys(group).filter((k) => typeof group[k] === 'function');
      keys.sort((a, b) => (LIFECYCLES.indexOf(a) + 1 || 99) - (LIFECYCLES.indexOf(b) + 1 || 99) || (a < b ? -1 : a > b ? 1 : 0));
      for (const k of keys) calls.push([`${name}${n}.${prefix}${k}`, group[k], self]);
    }
  }
  for (const [label, fn, self] of calls) {
    const argsList = kind === 'wxs' ? SAMPLES.map((s) => JSON.parse(s)) : [[], [stub()]];
    for (const args of argsList) {
      const before = ctx.exceptions.length;
      ctx.at('call', label);
      // Short: a function walking a stub value never ends, and a module may have hundreds.
      const result = ctx.call(fn, self, args, 400);
      ctx.clock.flush();
      const thrown = ctx.exceptions.slice(before);
      // A call that runs out of time will on other arguments too: the rest are not made.
      if (thrown.some((e) => /timed out/.test(e.message))) {
        record(['call', label, 'timed out']);
        break;
      }
      record(['call', label, thrown.length ? 'throws ' + thrown.map((e) => e.type).join(',') : describe(result)]);
    }
  }
  return {
    log,
    exceptions: ctx.exceptions.map((e) => [e.phase, e.file === file ? '' : e.file, e.type]),
    slow: ctx.exceptions.some((e) => /timed out/.test(e.message)),
  };
}

const [pairsPath, outPath] = process.argv.slice(2);
const pairs = JSON.parse(fs.readFileSync(pairsPath, 'utf8'));
const out = [];
let compared = 0;
let unloadable = 0;
let slow = 0;
process.on('unhandledRejection', () => {});
for (const [original, minified, kind] of pairs) {
  let before;
  try {
    const source = fs.readFileSync(original, 'utf8');
    before = run(original, kind === 'wxs' ? closed(source) : commonjs(original, source), kind);
  } catch (e) {
    unloadable++;
    continue;
  }
  compared++;
  let after;
  try {
    const source = fs.readFileSync(minified, 'utf8');
    after = run(original, kind === 'wxs' ? closed(source) : source, kind);
  } catch (e) {
    after = { error: String(e && e.message) };
  }
  if (JSON.stringify(before) !== JSON.stringify(after)) {
    // Running out of time depends on the machine's load, not on what the program does: a pair
    // that differs where one side timed out is not a verdict either way.
    if (before.slow || after.slow) {
      compared--;
      slow++;
      continue;
    }
    const at = before.log ? before.log.findIndex((x, i) => !after.log || JSON.stringify(x) !== JSON.stringify(after.log[i])) : -1;
    out.push({ original, minified, first: at, before: before.log && before.log[at], after: after.log ? after.log[at] : after.error,
      exceptions: [before.exceptions, after.exceptions] });
  }
}
out.push({ compared, unloadable, slow });
fs.writeFileSync(outPath, JSON.stringify(out));
process.exit(0);
