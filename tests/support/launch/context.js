// The logic layer's JS context for the launch harness: one vm context per app, as the platform
// runs every file of an app in one context. Time and randomness are fixed, timers run on a
// harness clock (after each phase, in order), and every call into the program goes through
// `call`, which bounds it in time and records what it throws: a program that loops on a stub
// value fails its phase, not the harness.
'use strict';
const vm = require('vm');

const NOW = Date.UTC(2026, 0, 15, 4, 0, 0);
const TIMEOUT_MS = 3000;

// What the context's own realm provides over vm's bare globals: a fixed clock and a seeded
// Math.random, written in the context so `instanceof Date` holds for its dates.
const PRELUDE = `(function (g) {
  var RealDate = Date, now = ${NOW};
  function FixedDate(a, b, c, d, e, f, h) {
    if (!(this instanceof FixedDate)) return new RealDate(now).toString();
    switch (arguments.length) {
      case 0: return new RealDate(now);
      case 1: return new RealDate(a);
      default: return new RealDate(a, b, c === undefined ? 1 : c, d || 0, e || 0, f || 0, h || 0);
    }
  }
  FixedDate.prototype = RealDate.prototype;
  FixedDate.now = function () { return now; };
  FixedDate.UTC = RealDate.UTC; FixedDate.parse = RealDate.parse;
  g.Date = FixedDate;
  var seed = 42;
  Math.random = function () { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
})(this);`;

function makeContext(globals, { timeout = TIMEOUT_MS } = {}) {
  const context = vm.createContext(globals, { microtaskMode: 'afterEvaluate' });
  vm.runInContext(PRELUDE, context);
  const exceptions = [];
  let where = { phase: 'load', file: '' };
  const record = (error) => {
    const type = error && typeof error === 'object' && error.constructor ? String(error.constructor.name) : typeof error;
    const message = error && error.message !== undefined ? String(error.message) : String(error);
    exceptions.push({ phase: where.phase, file: where.file, type, message: message.split('\n')[0].slice(0, 300) });
  };
  // Runs fn.apply(self, args) inside the context, so the timeout covers it and the context's
  // microtasks run when it returns, as they do when a platform task ends. A call made while the
  // program runs (a require, a callback the program hands the harness) is a plain call inside
  // the running one: no nested evaluation, which would run microtasks in the middle of it.
  let inside = false;
  function invoke(fn, self, args, ms = timeout) {
    if (typeof fn !== 'function') return undefined;
    if (inside) return fn.apply(self, args || []);
    context.__harness = { fn, self, args: args || [] };
    inside = true;
    try {
      return vm.runInContext('__harness.fn.apply(__harness.self, __harness.args)', context, { timeout: ms });
    } finally {
      inside = false;
      context.__harness = undefined;
    }
  }
  function call(fn, self, args, ms) {
    try {
      return invoke(fn, self, args, ms);
    } catch (e) {
      record(e);
      return undefined;
    }
  }
  // A function of the context's realm from source text, compiled without running anything.
  function compile(params, body, filename) {
    return vm.compileFunction(body, params, { parsingContext: context, filename });
  }
  const Promise = vm.runInContext('Promise', context);
  const queue = [];
  let seq = 0;
  let elapsed = 0;
  const clock = {
    later(fn, delay = 0, args = []) {
      const id = ++seq;
      queue.push({ id, at: elapsed + Math.max(0, Number(delay) || 0), fn, args });
      return id;
    },
    cancel(id) {
      const i = queue.findIndex((t) => t.id === id);
      if (i >= 0) queue.splice(i, 1);
    },
    // A promise of the context's realm, settled on the clock.
    promise(value, reject) {
      return new Promise((resolve, fail) => clock.later(() => (reject ? fail(value) : resolve(value))));
    },
    // Runs what is due within `horizon` ms, in time order, at most `limit` callbacks: a timer
    // that re-arms itself forever stops there.
    flush(horizon = 5000, limit = 500) {
      const end = elapsed + horizon;
      for (let n = 0; n < limit; n++) {
        queue.sort((a, b) => a.at - b.at || a.id - b.id);
        const next = queue[0];
        if (!next || next.at > end) break;
        queue.shift();
        elapsed = Math.max(elapsed, next.at);
        call(next.fn, undefined, next.args);
      }
    },
  };
  return {
    context, call, invoke, compile, clock, exceptions, record, Promise,
    at(phase, file) { where = { phase, file }; },
  };
}

module.exports = { makeContext, NOW };
