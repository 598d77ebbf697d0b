// Types of the wxpack JavaScript API. The report is the `--json` report, schema version 1
// (docs/report-schema.md); the comparison is `wxpack diff --format json` (docs/ci.md).

/** A size: bytes, or a string such as "2MB", "1.5MB", "2048KB" (1 KB = 1024 bytes). */
export type Size = number | string;

export interface RunOptions {
  /** Working directory of the build; relative paths are resolved from it. Default: process.cwd(). */
  cwd?: string;
  /** Extra environment variables for the binary. */
  env?: Record<string, string | undefined>;
  /** Aborts the build (SIGTERM): the previous output is left as it was, the promise rejects. */
  signal?: AbortSignal;
}

/** `wxpack build` flags; see `wxpack build --help` and docs/configuration.md. */
export interface BuildOptions extends RunOptions {
  /** The project folder (holds project.config.json). Default: ".". */
  project?: string;
  /** --out-dir. Default: PROJECT/dist. */
  outDir?: string;
  /** --config: settings file instead of PROJECT/wxpack.toml. */
  config?: string;
  /** --html: also write the treemap page here. */
  html?: string;
  /** --zip: also write an upload zip here. */
  zip?: string;
  /** --cache-dir: where the build cache lives (default: .wxpack-cache beside outDir). */
  cacheDir?: string;
  /** false: --no-cache (nothing read from or written to the build cache; the output is the same). */
  cache?: boolean;
  /** --budget-main, --budget-sub, --budget-total. */
  budgets?: { main?: Size; sub?: Size; total?: Size };
  /** --strict: unresolved references are errors. */
  strict?: boolean;
  /** --keep-going: a file with a syntax error ships unchanged, with a warning. */
  keepGoing?: boolean;
  /** false: --no-minify. */
  minify?: boolean;
  /** false: --no-plan (nothing moved, copied or pruned). */
  plan?: boolean;
  /** --shared. */
  shared?: 'auto' | 'main' | 'copy';
  /** --source-maps. */
  sourceMaps?: boolean;
}

export interface DiffOptions extends RunOptions {
  /** --max-growth: "10KB", "2%", "main=10KB,total=2%", or { main: "10KB", total: "2%" }. */
  maxGrowth?: string | Record<string, Size>;
  /** --config: read [diff] from this file instead of ./wxpack.toml. */
  config?: string;
}

export interface Location {
  /** Project-relative path. */
  file: string;
  /** 1-based; 0 when the message is about the whole file. */
  line: number;
  column: number;
}

export interface Diagnostic {
  /** Stable code, see docs/user-guide.md#messages. */
  code: string;
  severity: 'error' | 'warning';
  message: string;
  location?: Location;
  help?: string;
}

export type Kind = 'js' | 'wxss' | 'wxml' | 'wxs' | 'json' | 'image' | 'other';

export interface ReportFile {
  path: string;
  source?: string;
  package: string;
  kind: Kind;
  bytes_in: number;
  bytes_out: number;
  referenced: boolean;
  generated?: boolean;
}

export interface Totals {
  files: number;
  bytes_in: number;
  bytes_out: number;
  budget: number;
  over_by: number | null;
}

export interface Package extends Totals {
  name: string;
  kind: 'main' | 'subpackage' | 'independent' | 'worker';
  root: string | null;
  alias: string | null;
  pages: number;
  plugins: string[];
  largest: ReportFile[];
}

export interface Violation {
  scope: string;
  bytes: number;
  budget: number;
  over_by: number;
}

export interface Tally {
  files: number;
  bytes: number;
}

export interface Site {
  file: string;
  line: number;
  column: number;
  text: string;
}

export interface Placement {
  enabled: boolean;
  shared_policy: 'auto' | 'main' | 'copy';
  main_bytes_before: number;
  main_bytes_after: number;
  moved: Tally;
  copied: Tally;
  shared: Tally;
  pruned: Tally;
  /** Files not shipped because another file of their package has their bytes; `bytes`: saved. */
  identical: Tally;
  pinned: number;
  files: Array<{
    path: string;
    decision: 'stay' | 'moved' | 'copied' | 'shared' | 'pruned' | 'identical';
    packages: string[];
    bytes: number;
    /** An identical file: the file that ships in its place. */
    same_as?: string;
    pin?: { reason: 'config' | 'computed' | 'holds-computed' | 'mentioned' | 'holds-mention' | 'any-module' | 'renders-template'; at?: Site };
  }>;
  unmet: Array<{
    package: string;
    bytes: number;
    budget: number;
    over_by: number;
    blocked: Array<{ path: string; bytes: number; package: string | null; over_by: number | null }>;
  }>;
  suggestions: Array<{ page: string; bytes: number; files: number }>;
  notes: string[];
}

export interface StartupPage {
  page: string;
  reason: 'entry' | 'tabbar' | 'config';
  packages: string[];
  bytes: number;
  compressed_bytes: number;
  injected: { js: number; wxss: number; wxml: number; wxs: number };
  times: Array<{ profile: string; ms: number }>;
  largest: Array<{ path: string; package: string; bytes: number }>;
}

/** The `--json` report, schema version 1 (docs/report-schema.md). */
export interface Report {
  schema_version: 1;
  wxpack_version: string;
  project: string;
  out_dir: string;
  /** false when the output folder already held exactly this build's files: nothing was written. */
  output_written: boolean;
  miniprogram_root: string;
  /** "over_budget" exactly when `violations` or `startup.violations` is non-empty (CLI exit 1). */
  status: 'ok' | 'over_budget';
  packages: Package[];
  total: Totals;
  kinds: Array<{ kind: Kind; files: number; bytes_in: number; bytes_out: number }>;
  placement: Placement;
  preload: {
    mode: 'auto' | 'merge' | 'off';
    rules: Array<{ page: string; packages: string[]; network: 'wifi' | 'all'; added: string[] }>;
    left_out: Array<{ page: string; package: string; bytes: number; quota_used: number }>;
    quota: number;
    from_data: number;
  };
  lazy_code_loading: { source: boolean; output: boolean };
  startup: {
    pages: StartupPage[];
    violations: Array<{ page: string; measure: 'bytes' | 'ms'; value: number; budget: number; over_by: number }>;
  };
  payload: {
    typescript: number;
    styles: number;
    compiled_js: number;
    es5: boolean;
    settings: Record<string, unknown>;
    notes: string[];
  };
  largest_files: ReportFile[];
  files: ReportFile[];
  unreferenced: { code: string[]; assets: string[] };
  unanalysable: Array<{
    file: string;
    line: number;
    column: number;
    text: string;
    kind: 'require' | 'asset' | 'navigate';
    prefix: string | null;
  }>;
  fallbacks: Array<{
    path: string;
    kind: Kind;
    cause: 'unparsable' | 'changes-meaning' | 'raises-syntax' | 'too-deep' | 'below-quality' | 'tool-fault';
    reason: string;
    line: number | null;
    column: number | null;
  }>;
  dropped_components: Array<{ path: string; tags: string[] }>;
  unused_wxss: Array<{ path: string; bytes: number; selectors: Array<{ selector: string; class: string; line: number }> }>;
  icon_fonts: Array<{
    path: string;
    family: string | null;
    line: number;
    format: 'sfnt' | 'woff' | 'woff2' | null;
    bytes_in: number;
    bytes_out: number;
    glyphs_in: number;
    glyphs_out: number;
    kept: null | 'remote' | 'file' | 'all-used' | 'no-icons' | 'unreadable' | 'table' | 'not-smaller' | 'changed' | 'fault';
    table?: string;
  }>;
  images: {
    formats: Array<{ format: string; files: number; bytes_in: number; bytes_out: number }>;
    worst_psnr: number | null;
    mismatches: Array<{ path: string; extension: string; content: string }>;
    flagged: Array<{ path: string; package: string; bytes: number; reason: 'tabbar-icon-over-40kb' | 'image-over-200kb' }>;
  };
  not_shipped: Array<{ path: string; reason: 'not-whitelisted' | 'pack-ignore' }>;
  violations: Violation[];
  /** Warnings of the build (errors reject the promise instead). */
  diagnostics: Diagnostic[];
}

export interface PackageChange {
  name: string;
  alias?: string | null;
  before: number | null;
  after: number | null;
  delta: number;
  percent: number | null;
  budget: number;
  limit?: string;
}

/** `wxpack diff --format json` (docs/ci.md). */
export interface DiffResult {
  base: string;
  head: string;
  packages: PackageChange[];
  total: PackageChange;
  files: Array<{
    path: string;
    kind: Kind;
    change: 'added' | 'removed' | 'moved' | 'grew' | 'shrank';
    before: number | null;
    after: number | null;
    delta: number;
    packages_before: string[];
    packages_after: string[];
  }>;
  /** Empty when every limit and budget holds (CLI exit 0). */
  breaches: Array<
    | { reason: 'growth'; package: string; grew: number; limit: string }
    | { reason: 'over-budget'; package: string; bytes: number; budget: number }
  >;
}

export interface CheckOptions extends RunOptions {
  /** The project folder (holds project.config.json). Default: ".". */
  project?: string;
  /** --config: read [check] from this file instead of PROJECT/wxpack.toml. */
  config?: string;
}

/** One thing a rule found (docs/check.md). */
export interface Finding {
  level: 'error' | 'warning' | 'info';
  message: string;
  /** Relative to the project folder; line 0 for a whole file. */
  location?: Location;
  help: string;
  /** What `wxpack build` does about it. */
  build: 'fixed' | 'reduced' | 'superseded' | 'no';
  /** The bytes at stake, for size rules. */
  bytes?: number;
}

/** One rule's verdict: DevTools' rules as miniprogram-ci gives them, wxpack's own when nothing was found. */
export interface RuleResult {
  /** PACKAGE_SIZE_LIMIT, PRIVACY_API_UNDECLARED, ... */
  name: string;
  origin: 'devtools' | 'upload' | 'review';
  passed: boolean;
  title: string;
  /** The platform's document the rule follows. */
  doc: string;
  findings: Finding[];
}

/** `wxpack check --format json`. */
export interface CheckResult {
  checks: RuleResult[];
}

/** A build, diff or check that did not finish. */
export class WxpackError extends Error {
  /** 2: the input or the options are wrong (nothing was written); 130: it was stopped. */
  exitCode: number;
  /** The signal that ended the binary, if one did. */
  signal: string | null;
  /** Every error and warning, located (file, line, column). */
  diagnostics: Diagnostic[];
  /** The binary's stderr as it was. */
  stderr: string;
}

/** Builds a project; resolves with the report, also when over a budget (status "over_budget"). */
export function build(options?: BuildOptions): Promise<Report>;

/** Compares two reports (files, or objects build() returned). */
export function diff(base: string | Report, head: string | Report, options?: DiffOptions): Promise<DiffResult>;

/** Checks a project (docs/check.md); resolves whatever it found, rejects when it cannot check. */
export function check(options?: CheckOptions): Promise<CheckResult>;

/** The binary the API and the `wxpack` command run ($WXPACK_BINARY, else this platform's package). */
export function binaryPath(): string;
