// Loads a moved or copied mini program module in the output, and its original in the source,
// each through loader.js's platform-like require over the real files, and reports whether both
// export the same shape. Used by tests/planner.rs.
//
//   node tests/support/require.js job.json
//   job.json: {"source": {"root": "...", "aliases": [["@u", "utils"]]}, "output": {...},
//              "pairs": [["utils/a.js", "pkgA/__wxpack__/utils/a.js"], ...]}
'use strict';
const fs = require('fs');
const { shape } = require('./stub');
const { makeLoader } = require('./loader');

const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const results = job.pairs.map(([original, moved]) => {
  let before;
  try {
    before = shape(makeLoader(job.source.root, job.source.aliases).load(original));
  } catch (e) {
    // ES modules do not run as CommonJS; neither do files that need what no mini program has.
    // Neither says anything about the move.
    return { original, moved, loadable: false, error: String(e && e.message) };
  }
  try {
    const after = shape(makeLoader(job.output.root, job.output.aliases).load(moved));
    return { original, moved, loadable: true, same: before === after, before, after };
  } catch (e) {
    return { original, moved, loadable: true, same: false, before, error: 'the moved copy fails: ' + (e && e.message) };
  }
});
process.stdout.write(JSON.stringify(results));
