// Loads each (original, minified) pair of mini program JS files in a stub WeChat environment and
// reports what each exposes: the shape of module.exports and of every App/Page/Component/Behavior
// definition made at load time. An original that is an ES module runs as Babel's CommonJS
// transform makes it (DevTools' own compile; wxpack's output is CommonJS). Used by
// tests/fidelity.rs.
//
//   node tests/support/load.js pairs.json   (pairs.json: [[original, minified], ...])
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');

const commonjs = require('./commonjs');
const { stub, shape, environment } = require('./stub');

function load(file, compile = (_, s) => s) {
  const calls = [];
  const record = (name) => (def) => {
    calls.push(name + shape(def));
    return stub();
  };
  const context = vm.createContext(environment(record));
  // Every require is a stub except wxpack's shared helper modules, which the compiled code
  // needs to behave as it will on the platform: those run, from the output.
  const run = (file, source, req) => {
    const module = { exports: {} };
    const wrapped = '(function (module, exports, require) {' + source + '\n})';
    const fn = vm.runInContext(wrapped, context, { filename: file, timeout: 2000 });
    fn.call(module.exports, module, module.exports, req);
    return module.exports;
  };
  const helpers = new Map();
  const req = (spec) => {
    if (!HELPER.test(spec)) return stub();
    const helper = path.resolve(path.dirname(file), spec);
    if (!helpers.has(helper)) helpers.set(helper, run(helper, fs.readFileSync(helper, 'utf8'), () => stub()));
    return helpers.get(helper);
  };
  req.async = () => Promise.resolve(stub());
  const exports = run(file, compile(file, fs.readFileSync(file, 'utf8')), req);
  return { exports: shape(exports), calls };
}

const HELPER = /(^|\/)__wxpack__\/helpers\/_\w+\.js$/;

const pairs = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const results = pairs.map(([original, minified]) => {
  let a;
  try {
    a = load(original, commonjs);
  } catch (e) {
    return { original, loadable: false, error: String(e && e.message) };
  }
  try {
    const b = load(minified);
    const same = a.exports === b.exports && JSON.stringify(a.calls) === JSON.stringify(b.calls);
    return { original, loadable: true, same, before: a, after: same ? undefined : b };
  } catch (e) {
    return { original, loadable: true, same: false, before: a, error: 'minified file throws: ' + (e && e.message) };
  }
});
process.stdout.write(JSON.stringify(results));
