// An ES module as Babel's CommonJS transform writes it (DevTools' own compile; wxpack's output is
// CommonJS), or the source as it is. Shared by the harnesses that run an original beside
// wxpack's output.
'use strict';

const ESM = /\b(import|export)\b/;

module.exports = function commonjs(file, source) {
  if (!ESM.test(source)) return source;
  return require('@babel/core').transformSync(source, {
    babelrc: false,
    configFile: false,
    filename: file,
    sourceType: 'unambiguous',
    plugins: [require.resolve('@babel/plugin-transform-modules-commonjs')],
  }).code;
};
