import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { scanSource } from '../../src/engine/scan.js';

/** Names that are members of every JavaScript object: lookups must not find them. */
const OBJECT_MEMBERS = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__'];

function source(): string {
  const lines = [
    'import copyreg, os, subprocess, yaml, stat',
    'from flask import Flask, request',
    'app = Flask(__name__)',
    '',
    '@app.route("/x")',
    'def view():',
    '    value = request.args["v"]',
  ];
  for (const name of OBJECT_MEMBERS) {
    lines.push(
      `    copyreg.${name}(value)`,
      `    ${name} = "s3cr3t-value-${name}"`,
      `    settings = {"${name}": value, "${name}_password": "hunter2hunter2"}`,
      `    subprocess.run(["${name}", "-c", value])`,
      `    yaml.${name}(value)`,
      `    os.chmod("/tmp/x", stat.${name})`,
      `    getattr(value, "${name}")()`,
      `    value.${name}().strip()`,
    );
  }
  lines.push('    return value', '');
  return lines.join('\n');
}

describe('every rule', () => {
  it('survives names that JavaScript objects carry (constructor, toString, __proto__)', () => {
    const result = scanSource('app/views.py', source(), { rules: allRules });
    expect(result.notices).toEqual([]);
  });
});
