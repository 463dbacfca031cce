import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { allRules } from '../../rules/index.js';
import {
  pyguard,
  removeDir,
  SAFE_YAML,
  tempDir,
  testEnv,
  UNSAFE_YAML,
  writeFiles,
} from './helpers.js';

const ONLY_YAML = ['--rule', 'yaml-unsafe-load'];

let dir: string;

beforeEach(async () => {
  dir = await tempDir();
});

afterEach(async () => {
  await removeDir(dir);
});

interface JsonReport {
  findings: { ruleId: string; path: string; span: { start: { line: number } } }[];
  suppressed: { ruleId: string; suppression: { kind: string; reason?: string } }[];
  notices: { path: string; kind: string; message: string }[];
  summary: { files: number; findings: number; suppressed: number; skipped: number };
}

function parseReport(stdout: string): JsonReport {
  return JSON.parse(stdout) as JsonReport;
}

describe('pyguard scan', () => {
  it('reports a planted unsafe yaml.load on its line and exits 1', async () => {
    await writeFiles(dir, { 'app.py': UNSAFE_YAML });
    const { code, stdout, stderr } = await pyguard(dir, ['scan', ...ONLY_YAML]);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(stdout).toMatchInlineSnapshot(`
      "app.py:5:12: PGD003 [high] \`yaml.load\` without a safe \`Loader\` can construct arbitrary Python objects; use \`yaml.safe_load\`.
        5 |     return yaml.load(data)
          |            ^^^^^^^^^^^^^^^

      1 finding (1 high) in 1 file
      "
    `);
  });

  it('finds the planted problem with every rule enabled', async () => {
    expect(allRules.some((rule) => rule.meta.id === 'PGD003')).toBe(true);
    await writeFiles(dir, { 'app.py': UNSAFE_YAML });
    const { code, stdout } = await pyguard(dir, ['scan', '--format', 'json']);
    expect(code).toBe(1);
    const yamlFindings = parseReport(stdout).findings.filter(
      (finding) => finding.ruleId === 'PGD003',
    );
    expect(yamlFindings.map((finding) => `${finding.path}:${finding.span.start.line}`)).toEqual([
      'app.py:5',
    ]);
  });

  it('does not report yaml.safe_load and exits 0', async () => {
    await writeFiles(dir, { 'app.py': SAFE_YAML });
    const { code, stdout, stderr } = await pyguard(dir, ['scan', ...ONLY_YAML]);
    expect({ code, stdout, stderr }).toEqual({
      code: 0,
      stdout: 'No findings in 1 file\n',
      stderr: '',
    });
  });

  it('exits 0 for a clean directory', async () => {
    await writeFiles(dir, { 'pkg/clean.py': 'print("hello")\n', 'README.md': 'yaml.load(x)\n' });
    const { code, stdout } = await pyguard(dir, ['scan', '.', ...ONLY_YAML]);
    expect(code).toBe(0);
    expect(stdout).toBe('No findings in 1 file\n');
  });

  it('does not count suppressed findings for the exit code', async () => {
    await writeFiles(dir, {
      'app.py': 'import yaml\nyaml.load(x)  # pyguard: ignore[PGD003] trusted input\n',
    });
    const text = await pyguard(dir, ['scan', ...ONLY_YAML]);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe('No findings in 1 file; 1 suppressed\n');
    const json = parseReport(
      (await pyguard(dir, ['scan', '--format', 'json', ...ONLY_YAML])).stdout,
    );
    expect(json.suppressed).toMatchObject([
      { ruleId: 'PGD003', suppression: { kind: 'pyguard', reason: 'trusted input' } },
    ]);
  });

  it('honours --fail-on over the configuration', async () => {
    await writeFiles(dir, { 'app.py': UNSAFE_YAML, 'pyguard.yml': 'fail_on: never\n' });
    expect((await pyguard(dir, ['scan', '--config', 'pyguard.yml', ...ONLY_YAML])).code).toBe(0);
    expect(
      (await pyguard(dir, ['scan', '--config', 'pyguard.yml', '--fail-on', 'high', ...ONLY_YAML]))
        .code,
    ).toBe(1);
    expect((await pyguard(dir, ['scan', '--fail-on', 'never', ...ONLY_YAML])).code).toBe(0);
  });

  it('passes rule options from the configuration file to the rules', async () => {
    const source = [
      'from cryptography.hazmat.primitives.asymmetric import rsa',
      '',
      'key = rsa.generate_private_key(public_exponent=65537, key_size=2048)',
      'open("/scratch/cache.bin", "wb")',
      '',
    ].join('\n');
    const rules = ['--rule', 'weak-key-size', '--rule', 'PGF002', '--format', 'json'];
    await writeFiles(dir, { 'app.py': source });
    expect(parseReport((await pyguard(dir, ['scan', ...rules])).stdout).findings).toEqual([]);

    await writeFiles(dir, {
      '.github/pyguard.yml': [
        'rules:',
        '  options:',
        '    PGC007: { min_rsa_bits: 3072 }',
        "    hardcoded-tmp-path: { tmp_dirs: ['/tmp', '/scratch'] }",
        '',
      ].join('\n'),
    });
    const { code, stdout, stderr } = await pyguard(dir, ['scan', ...rules]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const findings = parseReport(stdout).findings.map(
      (finding) => `${finding.span.start.line} ${finding.ruleId}`,
    );
    expect(findings).toEqual(['3 PGC007', '4 PGF002']);
  });

  it('honours --min-confidence over the configuration', async () => {
    // An unresolvable Loader makes the finding medium-confidence.
    await writeFiles(dir, {
      'app.py': 'import yaml\nclass Mine: pass\nyaml.load(x, Loader=Mine)\n',
    });
    expect((await pyguard(dir, ['scan', ...ONLY_YAML])).code).toBe(1);
    const strict = await pyguard(dir, ['scan', '--min-confidence', 'high', ...ONLY_YAML]);
    expect({ code: strict.code, stdout: strict.stdout }).toEqual({
      code: 0,
      stdout: 'No findings in 1 file\n',
    });
  });

  it('scans broken Python as far as it parses and warns about the syntax error', async () => {
    await writeFiles(dir, {
      'broken.py': 'import yaml\n\ndef broken(:\n    pass\n\nyaml.load(data)\n',
    });
    const { code, stdout, stderr } = await pyguard(dir, ['scan', '--format', 'json', ...ONLY_YAML]);
    const report = parseReport(stdout);
    expect(report.findings.map((finding) => finding.span.start.line)).toEqual([6]);
    expect(report.notices).toMatchObject([{ path: 'broken.py', kind: 'syntax-error' }]);
    expect(code).toBe(1);
    expect(stderr).toBe('');
    const text = await pyguard(dir, ['scan', ...ONLY_YAML]);
    expect(text.stderr).toMatch(/^pyguard: warning: broken\.py:3: syntax error/);
    expect(text.stderr.split('\n')).toHaveLength(2);
  });

  it('skips a file larger than max_file_bytes with a warning', async () => {
    await writeFiles(dir, {
      'big.py': `import yaml\nyaml.load(x)\n${'#'.repeat(200)}\n`,
      'small.py': SAFE_YAML,
      'pyguard.yml': 'max_file_bytes: 100\n',
    });
    const { code, stdout, stderr } = await pyguard(dir, [
      'scan',
      '--config',
      'pyguard.yml',
      ...ONLY_YAML,
    ]);
    expect(stderr).toBe(
      'pyguard: warning: skipped big.py: 226 bytes is larger than max_file_bytes (100 bytes)\n',
    );
    expect(stdout).toBe('No findings in 1 file; 1 file skipped\n');
    expect(code).toBe(0);
    const json = parseReport(
      (await pyguard(dir, ['scan', '--config', 'pyguard.yml', '--format', 'json'])).stdout,
    );
    expect(json.notices).toEqual([
      {
        path: 'big.py',
        kind: 'skipped',
        message: '226 bytes is larger than max_file_bytes (100 bytes)',
      },
    ]);
  });

  it('walks directories, skipping caches, virtualenvs, symlinked directories and excluded paths', async () => {
    const unsafe = 'import yaml\nyaml.load(x)\n';
    await writeFiles(dir, {
      'src/app.py': unsafe,
      'src/deep/er/mod.py': unsafe,
      'src/notes.txt': unsafe,
      '.git/hooks/hook.py': unsafe,
      'node_modules/pkg/x.py': unsafe,
      'src/__pycache__/cached.py': unsafe,
      '.tox/py/x.py': unsafe,
      '.venv/lib/x.py': unsafe,
      'venv/lib/x.py': unsafe,
      'env-custom/pyvenv.cfg': 'home = /usr\n',
      'env-custom/lib/x.py': unsafe,
      'lib/python3/site-packages/x.py': unsafe,
      'vendor/third.py': unsafe,
      'scripts/tool': unsafe,
      'pyguard.yml': 'paths:\n  exclude: ["vendor/**"]\n',
    });
    await mkdir(join(dir, 'outside'));
    await writeFile(join(dir, 'outside', 'linked.py'), unsafe);
    await symlink(join(dir, 'outside'), join(dir, 'src', 'link'), 'dir');
    await removeDir(join(dir, 'outside'));
    await writeFiles(dir, { 'elsewhere/linked.py': unsafe });
    await symlink(join(dir, 'elsewhere'), join(dir, 'src', 'elsewhere-link'), 'dir');

    const args = ['scan', '--config', 'pyguard.yml', '--format', 'json', ...ONLY_YAML];
    const walked = parseReport(
      (await pyguard(dir, [...args, 'src', 'scripts/tool', 'vendor/third.py'])).stdout,
    );
    expect(walked.findings.map((finding) => finding.path)).toEqual([
      'scripts/tool',
      'src/app.py',
      'src/deep/er/mod.py',
    ]);

    const everything = parseReport((await pyguard(dir, args)).stdout);
    expect(everything.findings.map((finding) => finding.path)).toEqual([
      'elsewhere/linked.py',
      'src/app.py',
      'src/deep/er/mod.py',
    ]);
  });

  it('scans Django/Jinja2 templates in a folder with the template rules, and no other files', async () => {
    await writeFiles(dir, {
      'app.py': UNSAFE_YAML,
      'templates/post.html': '<h1>{{ post.title }}</h1>\n{{ post.body|safe }}\n',
      'templates/mail.j2': '{% autoescape false %}{{ name }}{% endautoescape %}\n',
      'templates/quiet.html': '{# pyguard: ignore[PGI045] rendered by bleach #}\n{{ bio|safe }}\n',
      'static/app.js': 'el.innerHTML = "{{ x|safe }}";\n',
      'notes.txt': '{{ x|safe }}\n',
    });
    const { code, stdout } = await pyguard(dir, [
      'scan',
      '.',
      '--format',
      'json',
      '--rule',
      'template-file-unescaped',
      ...ONLY_YAML,
    ]);
    expect(code).toBe(1);
    const report = parseReport(stdout);
    expect(
      report.findings.map(
        (finding) => `${finding.ruleId} ${finding.path}:${finding.span.start.line}`,
      ),
    ).toEqual(['PGD003 app.py:5', 'PGI045 templates/mail.j2:1', 'PGI045 templates/post.html:2']);
    expect(report.suppressed.map((finding) => finding.ruleId)).toEqual(['PGI045']);
    expect(report.summary.files).toBe(4);

    const text = await pyguard(dir, ['scan', 'templates/post.html', '--rule', 'PGI045']);
    expect(text.stdout).toContain('templates/post.html:2:1: PGI045 [medium]');
    expect(text.stdout).toContain('2 | {{ post.body|safe }}');
  });

  it('scans an explicitly named directory even when it is a virtualenv', async () => {
    await writeFiles(dir, {
      '.venv/pyvenv.cfg': '',
      '.venv/tool.py': 'import yaml\nyaml.load(x)\n',
    });
    const { code, stdout } = await pyguard(dir, [
      'scan',
      '.venv',
      '--format',
      'json',
      ...ONLY_YAML,
    ]);
    expect(code).toBe(1);
    expect(parseReport(stdout).findings.map((finding) => finding.path)).toEqual(['.venv/tool.py']);
  });

  it('writes the report to --output', async () => {
    await writeFiles(dir, { 'app.py': UNSAFE_YAML });
    const { code, stdout } = await pyguard(dir, [
      'scan',
      '--output',
      'report.json',
      '--format',
      'json',
      ...ONLY_YAML,
    ]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const report = parseReport(await readFile(join(dir, 'report.json'), 'utf8'));
    expect(report.summary).toEqual({
      files: 1,
      findings: 1,
      suppressed: 0,
      skipped: 0,
      bySeverity: { high: 1, medium: 0, low: 0 },
    });
  });

  it('colours the text report on a terminal unless NO_COLOR or --no-color', async () => {
    await writeFiles(dir, { 'app.py': UNSAFE_YAML });
    const ESC = '\u001b[';
    expect((await pyguard(dir, ['scan', ...ONLY_YAML], { isTTY: true })).stdout).toContain(ESC);
    expect(
      (await pyguard(dir, ['scan', ...ONLY_YAML], { isTTY: true, env: testEnv({ NO_COLOR: '1' }) }))
        .stdout,
    ).not.toContain(ESC);
    expect(
      (await pyguard(dir, ['scan', '--no-color', ...ONLY_YAML], { isTTY: true })).stdout,
    ).not.toContain(ESC);
    expect(
      (await pyguard(dir, ['scan', ...ONLY_YAML], { env: testEnv({ FORCE_COLOR: '1' }) })).stdout,
    ).toContain(ESC);
  });
});

describe('pyguard scan errors (exit 2, one line)', () => {
  it('rejects an unknown flag', async () => {
    const { code, stdout, stderr } = await pyguard(dir, ['scan', '--bogus']);
    expect({ code, stdout, stderr }).toEqual({
      code: 2,
      stdout: '',
      stderr: "pyguard: unknown option '--bogus' (see 'pyguard --help')\n",
    });
  });

  it('rejects a bad value', async () => {
    const { code, stderr } = await pyguard(dir, ['scan', '--format', 'xml']);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toBe(
      "pyguard: invalid value 'xml' for --format: expected text, json or sarif (see 'pyguard --help')",
    );
  });

  it('rejects a missing path', async () => {
    const { code, stdout, stderr } = await pyguard(dir, ['scan', 'missing.py']);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr.split('\n')[0]).toBe('pyguard: no such file or directory: missing.py');
  });

  it('rejects an unknown rule', async () => {
    const { code, stderr } = await pyguard(dir, ['scan', '--rule', 'no-such-rule']);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toBe(
      "pyguard: unknown rule 'no-such-rule' (see 'pyguard rules')",
    );
  });

  it('stops on every problem in the configuration file', async () => {
    await writeFiles(dir, {
      'app.py': UNSAFE_YAML,
      '.github/pyguard.yml': 'fail_on: sometimes\nbogus: 1\n',
    });
    const { code, stdout, stderr } = await pyguard(dir, ['scan']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const lines = stderr.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) expect(line).toMatch(/^pyguard: config \.github\/pyguard\.yml: /);
    expect(stderr).toContain('fail_on');
    expect(stderr).toContain('bogus');
  });

  it('stops on an unknown rule option or a value of the wrong type', async () => {
    await writeFiles(dir, {
      'app.py': SAFE_YAML,
      'custom.yml':
        'rules:\n  options:\n    weak-key-size: { min_rsa_bit: 3072, min_ec_bits: big }\n',
    });
    const { code, stdout, stderr } = await pyguard(dir, ['scan', '--config', 'custom.yml']);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toBe(
      [
        'pyguard: config custom.yml: unknown key "rules.options.weak-key-size.min_rsa_bit", expected one of min_rsa_bits, min_ec_bits; did you mean "min_rsa_bits"?',
        'pyguard: config custom.yml: rules.options.weak-key-size.min_ec_bits: got "big", expected an integer from 160 to 571',
        '',
      ].join('\n'),
    );
  });

  it('stops when the --config file does not exist', async () => {
    const { code, stderr } = await pyguard(dir, ['scan', '--config', 'nope.yml']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^pyguard: config file not found: .*nope\.yml\n$/);
  });

  it('fails cleanly when the report cannot be written', async () => {
    await writeFiles(dir, { 'app.py': SAFE_YAML });
    const { code, stderr } = await pyguard(dir, ['scan', '--output', 'no/such/dir/report.txt']);
    expect(code).toBe(2);
    expect(stderr).toBe(
      'pyguard: cannot write no/such/dir/report.txt: no such file or directory\n',
    );
  });
});

describe('pyguard rules, --help, --version', () => {
  it('lists the rules', async () => {
    const { code, stdout } = await pyguard(dir, ['rules']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^PGD003 +yaml-unsafe-load +high +YAML loaded with an unsafe loader$/m);
    const json = JSON.parse((await pyguard(dir, ['rules', '--format', 'json'])).stdout) as {
      id: string;
      options?: Record<string, { kind: string; default: unknown }>;
    }[];
    expect(json.map((rule) => rule.id)).toContain('PGD003');
    const keySize = json.find((rule) => rule.id === 'PGC007');
    expect(keySize?.options?.['min_rsa_bits']).toMatchObject({ kind: 'integer', default: 2048 });
    expect(json.find((rule) => rule.id === 'PGD003')?.options).toBeUndefined();
  });

  it('prints help and version', async () => {
    const help = await pyguard(dir, ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: pyguard <command>/);
    const manifest = JSON.parse(
      await readFile(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as {
      version: string;
    };
    expect(await pyguard(dir, ['--version'])).toEqual({
      code: 0,
      stdout: `${manifest.version}\n`,
      stderr: '',
    });
  });

  it('asks for a command', async () => {
    const { code, stderr } = await pyguard(dir, []);
    expect(code).toBe(2);
    expect(stderr).toBe(
      "pyguard: missing command: expected scan, diff, baseline, rules or config (see 'pyguard --help')\n",
    );
  });
});
