// Compiles Less sources with the project's own `less` package, the way DevTools' Less plugin
// does: `/x` and bare paths that do not resolve beside the importing file are looked up from the
// mini program root, and a `.wxss` import stays a plain WXSS `@import`.
// Each job's prefix is the line DevTools puts first (`@import (optional, reference) 'app.less'`);
// `globalVars` are the plugin's options.
// argv: [less package dir, mini program root]; stdin: JSON {jobs: [{file, prefix}], globalVars};
// stdout: JSON results: the CSS, every file it read, and the paths whose absence it depends on.
const less = require(process.argv[1]);
const fs = require('fs');
const path = require('path');
const root = process.argv[2];

// `absent` collects the paths tried beside the importing file before the root: a file created
// there later changes the result, so wxpack's cache keys on their absence.
class RootedFileManager extends less.FileManager {
  constructor(absent) {
    super();
    this.absent = absent;
  }
  supports() {
    return true;
  }
  loadFile(filename, currentDirectory, options, environment) {
    const own = super.loadFile(filename, currentDirectory, options, environment);
    if (/^[a-z]+:/i.test(filename) || filename.startsWith('.')) return own;
    const rooted = path.join(root, filename.replace(/^\/+/, ''));
    return own.catch((e) => {
      const beside = path.resolve(currentDirectory || '', filename);
      this.absent.push(beside, beside + '.less');
      return super.loadFile(rooted, '', options, environment).catch(() => { throw e; });
    });
  }
}

// `@import 'x.wxss'` (also with url() or options) becomes a CSS import, which Less prints as is.
const WXSS_IMPORT = /@import\s+(?:\([^)]*\)\s*)?((?:url\(\s*)?(['"]?)[^'"();\n]+\.wxss\2(?:\s*\))?)/gi;
const plugin = (absent) => ({
  install(_less, manager) {
    manager.addFileManager(new RootedFileManager(absent));
    manager.addPreProcessor({ process: (src) => src.replace(WXSS_IMPORT, '@import (css) $1') }, 2000);
  },
});

const { jobs, globalVars } = JSON.parse(fs.readFileSync(0, 'utf8'));
Promise.all(
  jobs.map(({ file: f, prefix }) => {
    const absent = [];
    return less.render((prefix || '') + fs.readFileSync(f, 'utf8'), { filename: f, globalVars, plugins: [plugin(absent)] }).then(
      // `imports`: every file the result read, for wxpack's cache.
      (r) => ({ css: r.css, imports: r.imports, absent }),
      (e) => ({ error: String(e.message), line: e.line, column: e.column, file: e.filename }),
    );
  }),
).then((out) => process.stdout.write(JSON.stringify(out)));
