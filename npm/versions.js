#!/usr/bin/env node
'use strict';
// One version for everything: Cargo.toml's. Checks that every package.json under npm/ carries
// it (and that wxpack depends on every platform package at exactly it), or, with --write, sets
// it. Exit 1 on drift, naming each file.
//   node npm/versions.js           check
//   node npm/versions.js --write   set every version to Cargo.toml's

const fs = require('node:fs');
const path = require('node:path');

const npmDir = __dirname;
const cargo = fs.readFileSync(path.join(npmDir, '..', 'Cargo.toml'), 'utf8');
const version = /^\[package\][^[]*?^version\s*=\s*"([^"]+)"/ms.exec(cargo)?.[1];
if (!version) {
  console.error('npm/versions.js: no [package] version in Cargo.toml');
  process.exit(1);
}

const platforms = fs.readdirSync(path.join(npmDir, '@wxpack')).sort();
const files = ['wxpack', ...platforms.map((p) => `@wxpack/${p}`)].map((d) => path.join(npmDir, d, 'package.json'));
const write = process.argv.includes('--write');
const drift = [];

for (const file of files) {
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
  const rel = path.relative(path.join(npmDir, '..'), file);
  if (pkg.version !== version) drift.push(`${rel}: version ${pkg.version}`);
  pkg.version = version;
  if (pkg.name === 'wxpack') {
    const deps = pkg.optionalDependencies ?? {};
    for (const p of platforms) {
      if (deps[`@wxpack/${p}`] !== version) drift.push(`${rel}: optionalDependencies["@wxpack/${p}"] ${deps[`@wxpack/${p}`]}`);
    }
    for (const name of Object.keys(deps)) {
      if (!platforms.includes(name.replace('@wxpack/', ''))) drift.push(`${rel}: optionalDependencies names ${name}, which npm/ does not have`);
    }
    pkg.optionalDependencies = Object.fromEntries(platforms.map((p) => [`@wxpack/${p}`, version]));
  }
  if (write) fs.writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
}

if (drift.length && !write) {
  console.error(`npm/versions.js: Cargo.toml says ${version}, but:\n  ${drift.join('\n  ')}\nRun: node npm/versions.js --write`);
  process.exit(1);
}
console.log(version);
