'use strict';
// Which prebuilt binary fits this machine, and where it is. Shared by the launcher (bin/),
// the JavaScript API (index.js) and npm/pack.sh, so the three never disagree.

const fs = require('node:fs');
const path = require('node:path');

/** `${process.platform} ${process.arch}` (and the C library on Linux) → platform package. */
const PACKAGES = {
  'linux x64 glibc': '@wxpack/linux-x64-gnu',
  'linux arm64 glibc': '@wxpack/linux-arm64-gnu',
  'linux x64 musl': '@wxpack/linux-x64-musl',
  'darwin x64': '@wxpack/darwin-x64',
  'darwin arm64': '@wxpack/darwin-arm64',
  'win32 x64': '@wxpack/win32-x64-msvc',
};

/**
 * `glibc` or `musl` on Linux, as napi-rs decides: ldd says which C library it belongs to (a
 * file read, fast); else node's own report names the glibc it runs on (about 10 ms more).
 */
function libc() {
  if (process.platform !== 'linux') return null;
  try {
    return fs.readFileSync('/usr/bin/ldd', 'utf8').includes('musl') ? 'musl' : 'glibc';
  } catch {
    // no ldd: ask node
  }
  try {
    return process.report.getReport().header.glibcVersionRuntime ? 'glibc' : 'musl';
  } catch {
    return fs.existsSync('/etc/alpine-release') ? 'musl' : 'glibc';
  }
}

function platformKey() {
  const c = libc();
  return [process.platform, process.arch, c].filter(Boolean).join(' ');
}

/** The platform package for this machine, or null when none is built for it. */
function platformPackage() {
  return PACKAGES[platformKey()] || null;
}

function binaryName(pkg) {
  return pkg && pkg.startsWith('@wxpack/win32') ? 'wxpack.exe' : 'wxpack';
}

class BinaryNotFound extends Error {}

/**
 * The wxpack binary to run: $WXPACK_BINARY when set, else the one in this machine's platform
 * package. Throws a BinaryNotFound whose message says what to do.
 */
function binaryPath() {
  const fromEnv = process.env.WXPACK_BINARY;
  if (fromEnv) {
    if (!fs.existsSync(fromEnv)) {
      throw new BinaryNotFound(`wxpack: WXPACK_BINARY is set to ${fromEnv}, which does not exist`);
    }
    return fromEnv;
  }
  const pkg = platformPackage();
  if (!pkg) {
    throw new BinaryNotFound(
      `wxpack: no prebuilt binary for this platform (${platformKey()}).\n` +
        `Prebuilt: ${Object.keys(PACKAGES).join(', ')}.\n` +
        'Build one with `cargo install wxpack` (or from its repository) and point the launcher at it:\n' +
        '  WXPACK_BINARY=$HOME/.cargo/bin/wxpack npx wxpack ...',
    );
  }
  let dir;
  try {
    dir = path.dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    throw new BinaryNotFound(
      `wxpack: the package ${pkg}, which holds the binary for this platform (${platformKey()}), is not installed.\n` +
        'npm installs it with wxpack (an optional dependency); it is missing when the install skipped\n' +
        'optional dependencies (--omit=optional, --no-optional) or when node_modules came from another platform\n' +
        '(a lockfile or folder made on macOS, used in Linux CI). Fix: reinstall on this machine with\n' +
        `optional dependencies (rm -rf node_modules && npm install), or: npm install --save-dev ${pkg}@${version()}\n` +
        'Or point the launcher at any wxpack binary: WXPACK_BINARY=/path/to/wxpack',
    );
  }
  const bin = path.join(dir, 'bin', binaryName(pkg));
  if (!fs.existsSync(bin)) {
    throw new BinaryNotFound(`wxpack: ${pkg} is installed but has no ${path.join('bin', binaryName(pkg))}; reinstall it`);
  }
  return bin;
}

function version() {
  return require('../package.json').version;
}

/**
 * The environment the binary runs in: the Less compiler this package depends on (the project's
 * own `less` still wins; see docs/user-guide.md) and the node that runs the launcher.
 */
function binaryEnv(base) {
  const env = { ...base };
  if (!env.WXPACK_BUNDLED_LESS) {
    try {
      env.WXPACK_BUNDLED_LESS = path.dirname(require.resolve('less/package.json', { paths: [__dirname] }));
    } catch {
      // No bundled Less (installed without dependencies): the project's or PATH's lessc is used.
    }
  }
  if (!env.WXPACK_NODE) env.WXPACK_NODE = process.execPath;
  return env;
}

module.exports = { PACKAGES, platformKey, platformPackage, binaryName, binaryPath, binaryEnv, BinaryNotFound, version };
