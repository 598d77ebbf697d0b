// Validates SARIF files against the SARIF 2.1.0 JSON schema (the final rtm.5 text, as
// SchemaStore publishes it), with the schema and the draft-04 validator @microsoft/jest-sarif
// ships (ajv 6, resolved from that package):
//
//   node tests/support/sarif_valid.js FILE...
//
// Exits 0 when every file is valid, else prints each file's errors and exits 1.
const fs = require('fs');
const path = require('path');
const base = path.dirname(require.resolve('@microsoft/jest-sarif/package.json'));
const Ajv = require(require.resolve('ajv', { paths: [base] }));
const schema = JSON.parse(fs.readFileSync(path.join(base, 'lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
const ajv = new Ajv({ schemaId: 'auto', allErrors: true });
ajv.addMetaSchema(require(require.resolve('ajv/lib/refs/json-schema-draft-04.json', { paths: [base] })));
const validate = ajv.compile(schema);
let ok = true;
for (const file of process.argv.slice(2)) {
  const log = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!validate(log)) {
    ok = false;
    console.error(`${file}: ${ajv.errorsText(validate.errors, { separator: '\n  ' })}`);
  }
}
process.exit(ok ? 0 : 1);
