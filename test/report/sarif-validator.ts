/**
 * Validates a SARIF log against the official OASIS SARIF 2.1.0 schema (vendored under
 * test/fixtures/sarif) and describes each violation on one readable line.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import Ajv from 'ajv';

const require = createRequire(import.meta.url);

function readJson(path: string): object {
  return JSON.parse(readFileSync(path, 'utf8')) as object;
}

/** The schema is JSON Schema draft-04: ajv 6 validates it with the meta-schema it ships. */
function compileSarifSchema(): Ajv.ValidateFunction {
  const ajv = new Ajv({
    schemaId: 'id',
    allErrors: true,
    verbose: true,
    jsonPointers: true,
    format: 'full',
    meta: false,
  });
  ajv.addMetaSchema(readJson(require.resolve('ajv/lib/refs/json-schema-draft-04.json')));
  return ajv.compile(
    readJson(new URL('../fixtures/sarif/sarif-schema-2.1.0.json', import.meta.url).pathname),
  );
}

let validate: Ajv.ValidateFunction | undefined;

/**
 * Every violation of the SARIF 2.1.0 schema in `log`, one line each: where (a JSON pointer),
 * what the schema says, and the offending value. Empty when the log is valid.
 */
export function sarifSchemaViolations(log: unknown): string[] {
  validate ??= compileSarifSchema();
  if (validate(log) === true) return [];
  return (validate.errors ?? []).map(describeError);
}

function describeError(error: Ajv.ErrorObject): string {
  const where = error.dataPath === '' ? '(log)' : error.dataPath;
  const value = error.data === undefined ? 'undefined' : JSON.stringify(error.data);
  const shown = value.length > 120 ? `${value.slice(0, 117)}...` : value;
  return `${where}: ${error.message ?? error.keyword} [${error.schemaPath}] (value: ${shown})`;
}
