// Parses files with acorn at ecmaVersion 5 (a real ES5 grammar: no automatic `;` after
// `do ... while (...)`, no reserved words as property names' newer leniencies).
// Usage: node es5.js PAIRS.json, where PAIRS.json is [[source, output], ...]. Prints, as JSON,
// {checked, skipped, failures: [{source, output, message}]}: a pair is checked when its source
// parses as ES5, and fails when its output then does not.
'use strict';
const fs = require('fs');
const acorn = require('acorn');
const parses = (file) => {
  try {
    acorn.parse(fs.readFileSync(file, 'utf8'), { ecmaVersion: 5, sourceType: 'script', allowReturnOutsideFunction: true });
    return null;
  } catch (e) {
    return e.message;
  }
};
const pairs = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const result = { checked: 0, skipped: 0, failures: [] };
for (const [source, output] of pairs) {
  if (parses(source) !== null) {
    result.skipped++;
    continue;
  }
  result.checked++;
  const message = parses(output);
  if (message !== null) result.failures.push({ source, output, message });
}
process.stdout.write(JSON.stringify(result));
