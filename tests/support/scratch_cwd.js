// miniprogram-ci leaves an empty md5-named folder in the working directory each time it compiles
// a project; scripts that run it move to a temporary folder first so the checkout stays clean.
// Returns the command line arguments resolved against the caller's directory.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

module.exports = function scratchCwd() {
  const args = process.argv.slice(2).map((a) => path.resolve(a));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxpack-mpci-'));
  process.chdir(dir);
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return args;
};
