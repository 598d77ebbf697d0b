'use strict';
// The JavaScript API: the wxpack binary run with `--json -` and `--message-format json`, its
// report parsed. Not a second implementation: what the CLI does is what this returns.

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { binaryPath, binaryEnv } = require('./lib/platform.js');

/** A build or diff that did not finish: `exitCode` 2 (bad input) or 130 (stopped). */
class WxpackError extends Error {
  constructor(message, { exitCode, signal, diagnostics, stderr }) {
    super(message);
    this.name = 'WxpackError';
    this.exitCode = exitCode;
    this.signal = signal;
    this.diagnostics = diagnostics;
    this.stderr = stderr;
  }
}

function size(value, name) {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return String(Math.floor(value));
  if (typeof value === 'string' && value.length > 0) return value;
  throw new TypeError(`wxpack: ${name} must be a byte count or a size such as "1.5MB"`);
}

function growthLimits(value) {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    return Object.entries(value)
      .map(([k, v]) => `${k}=${typeof v === 'number' ? size(v, `maxGrowth.${k}`) : v}`)
      .join(',');
  }
  throw new TypeError('wxpack: maxGrowth must be a string ("main=10KB,total=2%") or an object');
}

const BUILD_FLAGS = {
  outDir: (v) => ['--out-dir', v],
  config: (v) => ['--config', v],
  html: (v) => ['--html', v],
  zip: (v) => ['--zip', v],
  cacheDir: (v) => ['--cache-dir', v],
  cache: (v) => (v === false ? ['--no-cache'] : []),
  strict: (v) => (v ? ['--strict'] : []),
  keepGoing: (v) => (v ? ['--keep-going'] : []),
  minify: (v) => (v === false ? ['--no-minify'] : []),
  plan: (v) => (v === false ? ['--no-plan'] : []),
  shared: (v) => ['--shared', v],
  sourceMaps: (v) => (v ? ['--source-maps'] : []),
  budgets: (v) =>
    Object.entries(v).flatMap(([k, b]) => {
      if (!['main', 'sub', 'total'].includes(k)) throw new TypeError(`wxpack: budgets.${k}: use main, sub or total`);
      return [`--budget-${k}`, size(b, `budgets.${k}`)];
    }),
};
const RUN_OPTIONS = ['project', 'cwd', 'env', 'signal'];

/** The CLI arguments for `build(options)`. */
function buildArgs(options) {
  const args = ['build', options.project ?? '.'];
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || RUN_OPTIONS.includes(key)) continue;
    const flag = BUILD_FLAGS[key];
    if (!flag) throw new TypeError(`wxpack: unknown build option "${key}"`);
    args.push(...flag(value));
  }
  return [...args, '--json', '-', '--quiet', '--color', 'never', '--message-format', 'json'];
}

/** Runs the binary; resolves `{ code, signal, stdout, stderr }`. */
function run(args, options, stdin) {
  return new Promise((resolve, reject) => {
    let bin;
    try {
      bin = binaryPath();
    } catch (e) {
      reject(new WxpackError(e.message, { exitCode: 2, signal: null, diagnostics: [], stderr: '' }));
      return;
    }
    const env = binaryEnv({ ...process.env, ...options.env });
    const child = spawn(bin, args, { cwd: options.cwd, env, signal: options.signal, stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout = [];
    const stderr = [];
    child.stdout.on('data', (d) => stdout.push(d));
    child.stderr.on('data', (d) => stderr.push(d));
    child.on('error', (e) => {
      if (e.name === 'AbortError') return; // 'close' follows with the signal
      reject(new WxpackError(`wxpack: cannot run ${bin}: ${e.message}`, { exitCode: 2, signal: null, diagnostics: [], stderr: '' }));
    });
    child.on('close', (code, signal) => {
      resolve({ code, signal, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
    });
    child.stdin.on('error', () => {}); // the binary may exit before reading stdin
    child.stdin.end(stdin ?? '');
  });
}

/** The JSON lines of `--message-format json`; other lines (a crash) are kept as text. */
function messages(stderr) {
  const diagnostics = [];
  const other = [];
  for (const line of stderr.split('\n')) {
    if (!line.trim()) continue;
    try {
      const d = JSON.parse(line);
      if (d && typeof d === 'object' && 'code' in d && 'message' in d) {
        diagnostics.push(d);
        continue;
      }
    } catch {
      // not a message line
    }
    other.push(line);
  }
  return { diagnostics, other };
}

function located(d) {
  const l = d.location;
  const at = l ? `${l.file}${l.line ? `:${l.line}:${l.column}` : ''}: ` : '';
  return `${at}${d.severity}[${d.code}]: ${d.message}`;
}

function failure(what, result) {
  const { diagnostics, other } = messages(result.stderr);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const exitCode = result.code ?? (result.signal ? 128 + (os.constants.signals[result.signal] || 0) : 2);
  const first = errors[0] ?? diagnostics[0];
  let message;
  if (first) {
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : '';
    message = `wxpack ${what} failed: ${located(first)}${more}`;
  } else if (result.signal) {
    message = `wxpack ${what} was stopped by ${result.signal}`;
  } else {
    message = `wxpack ${what} failed with exit status ${exitCode}${other.length ? `: ${other.join('\n')}` : ''}`;
  }
  return new WxpackError(message, { exitCode, signal: result.signal, diagnostics, stderr: result.stderr });
}

/**
 * Builds a project, as `wxpack build` does. Resolves with the report (docs/report-schema.md),
 * also when a package is over its budget (`report.status === "over_budget"`); rejects with a
 * WxpackError when nothing could be built.
 */
async function build(options = {}) {
  return answer('build', await run(buildArgs(options), options));
}

/** The JSON a command printed on stdout when it finished (exit 0 or 1), else its failure. */
function answer(what, result) {
  if (result.code === 0 || result.code === 1) {
    try {
      return JSON.parse(result.stdout);
    } catch {
      throw failure(what, { ...result, code: 2 });
    }
  }
  throw failure(what, result);
}

/**
 * Compares two reports, as `wxpack diff` does. `base` and `head` are report files or report
 * objects (what build() returned). Resolves with the comparison (docs/ci.md, `--format json`);
 * `breaches` is empty when every limit and budget holds.
 */
async function diff(base, head, options = {}) {
  for (const key of Object.keys(options)) {
    if (!['maxGrowth', 'config', 'cwd', 'env', 'signal'].includes(key)) {
      throw new TypeError(`wxpack: unknown diff option "${key}"`);
    }
  }
  let tmp = null;
  const file = (report, name) => {
    if (typeof report === 'string') return report;
    if (!report || typeof report !== 'object') throw new TypeError(`wxpack: ${name} must be a report file or object`);
    tmp ??= fs.mkdtempSync(path.join(os.tmpdir(), 'wxpack-diff-'));
    const f = path.join(tmp, `${name}.json`);
    fs.writeFileSync(f, JSON.stringify(report));
    return f;
  };
  try {
    const args = ['diff', file(base, 'base'), file(head, 'head'), '--format', 'json', '--message-format', 'json'];
    if (options.maxGrowth !== undefined) args.push('--max-growth', growthLimits(options.maxGrowth));
    if (options.config !== undefined) args.push('--config', options.config);
    return answer('diff', await run(args, options));
  } finally {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Checks a project, as `wxpack check` does: DevTools' code-quality rules, upload blockers and
 * review risks (docs/check.md). Resolves with `{ checks: [...] }` whatever it found (a finding
 * at error level is the CLI's exit 1); rejects with a WxpackError when the project cannot be
 * checked.
 */
async function check(options = {}) {
  for (const key of Object.keys(options)) {
    if (!['project', 'config', 'cwd', 'env', 'signal'].includes(key)) {
      throw new TypeError(`wxpack: unknown check option "${key}"`);
    }
  }
  const args = ['check', options.project ?? '.', '--format', 'json', '--color', 'never', '--message-format', 'json'];
  if (options.config !== undefined) args.push('--config', options.config);
  return answer('check', await run(args, options));
}

module.exports = { build, diff, check, WxpackError, binaryPath };
