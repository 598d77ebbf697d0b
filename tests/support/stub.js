// The stub WeChat environment shared by load.js and require.js.
'use strict';

// A value that is every object and every function: property reads, calls and `new` all return it.
function stub() {
  const target = function () {};
  const proxy = new Proxy(target, {
    get(_, key) {
      if (key === Symbol.toPrimitive) return () => 0;
      if (key === 'then') return undefined;
      if (key === Symbol.iterator) return function* () {};
      return proxy;
    },
    apply: () => proxy,
    construct: () => proxy,
  });
  return proxy;
}

// The shape of a value: keys (sorted) and the type of each; one level into plain objects.
function shape(value, depth = 0) {
  if (value === null) return 'null';
  const t = typeof value;
  if (t === 'function') return 'function';
  if (t !== 'object') return t;
  if (Array.isArray(value)) return 'array';
  if (depth > 1) return 'object';
  const keys = Object.keys(value).sort();
  return '{' + keys.map((k) => k + ':' + shape(value[k], depth + 1)).join(',') + '}';
}

// A deterministic description of a value: primitives as they are, functions as 'function',
// objects and arrays by their (sorted) keys, three levels deep. Two builds of the same code
// describe their exports and page definitions identically.
function describe(value, depth = 0) {
  if (value === null || value === undefined) return value === null ? null : '<undefined>';
  const t = typeof value;
  if (t === 'function') return '<function>';
  if (t !== 'object') return value;
  if (depth > 2) return '<object>';
  if (Array.isArray(value)) return value.map((v) => describe(v, depth + 1));
  const out = {};
  for (const k of Object.keys(value).sort()) out[k] = describe(value[k], depth + 1);
  return out;
}

// The globals of a mini program's logic layer, as stubs; `record(name)` makes the stand-in of
// App/Page/Component/Behavior, which sees each definition.
function environment(record) {
  const sandbox = {
    wx: stub(), App: record('App'), Page: record('Page'), Component: record('Component'), Behavior: record('Behavior'),
    getApp: () => stub(), getCurrentPages: () => [], requirePlugin: () => stub(), worker: stub(),
    console: { log() {}, info() {}, warn() {}, error() {}, debug() {} },
    setTimeout() {}, clearTimeout() {}, setInterval() {}, clearInterval() {},
    Promise, __log: [],
  };
  sandbox.global = sandbox;
  return sandbox;
}

module.exports = { stub, shape, describe, environment };
