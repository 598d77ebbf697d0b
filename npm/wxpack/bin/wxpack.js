#!/usr/bin/env node
'use strict';
// The `wxpack` command of the npm package: runs this platform's prebuilt binary with the same
// arguments, stdio, exit status and signals. No install script: the binary arrives as an
// optional dependency (@wxpack/<platform>), so installs work offline and where scripts are off.

const { spawn } = require('node:child_process');
const { binaryPath, binaryEnv } = require('../lib/platform.js');

let bin;
try {
  bin = binaryPath();
} catch (e) {
  process.stderr.write(`${e.message}\n`);
  process.exit(2);
}

const child = spawn(bin, process.argv.slice(2), { stdio: 'inherit', env: binaryEnv(process.env) });

// A Ctrl-C in a terminal reaches both processes; a signal sent to this process alone (a CI
// runner's timeout, `kill`) is passed on, so the build can remove its temporary output.
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const forward = (signal) => {
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
};
for (const signal of SIGNALS) process.on(signal, forward);

child.on('error', (e) => {
  process.stderr.write(`wxpack: cannot run ${bin}: ${e.message}\n`);
  process.exit(2);
});

child.on('exit', (code, signal) => {
  if (signal) {
    // End the way the binary ended, so the caller sees the signal, not a made-up status.
    for (const s of SIGNALS) process.removeListener(s, forward);
    process.kill(process.pid, signal);
    // A signal node ignores (SIGPIPE) leaves us running: end with the shell's status for it.
    setImmediate(() => process.exit(128 + (require('node:os').constants.signals[signal] || 0)));
    return;
  }
  process.exit(code);
});
