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

module.exports = { stub, shape };
