/**
 * The built `pyguard` binary, end to end: the way users and CI run it, including the worker
 * threads that only the compiled code uses.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, tempDir, testEnv, UNSAFE_YAML, writeFiles } from './helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const binary = `${root}dist/src/cli/main.js`;

interface JsonReport {
  findings: {
    path: string;
    ruleId: string;
    span: { start: { line: number } };
    fingerprint: string;
  }[];
  summary: { files: number };
}

function runBinary(cwd: string, args: readonly string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [binary, ...args], {
    cwd,
    env: testEnv(env),
    encoding: 'utf8',
  });
}

describe('the built binary', () => {
  let dir = '';

  beforeAll(async () => {
    if (!existsSync(binary)) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
    dir = await tempDir();
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++) {
      files[`pkg/module_${String(i).padStart(2, '0')}.py`] =
        i % 3 === 0 ? UNSAFE_YAML : `def f_${i}(x):\n    return x + ${i}\n`;
    }
    await writeFiles(dir, files);
  });

  afterAll(async () => {
    await removeDir(dir);
  });

  it('reports the planted problems with exit 1, the same with one or several worker threads', () => {
    const single = runBinary(dir, ['scan', '.', '--format', 'json'], { PYGUARD_WORKERS: '1' });
    const parallel = runBinary(dir, ['scan', '.', '--format', 'json'], { PYGUARD_WORKERS: '2' });
    expect(single.status).toBe(1);
    expect(parallel.status).toBe(1);
    const one = JSON.parse(single.stdout) as JsonReport;
    const two = JSON.parse(parallel.stdout) as JsonReport;
    expect(one.summary.files).toBe(40);
    expect(
      one.findings.map((finding) => `${finding.path}:${finding.span.start.line} ${finding.ruleId}`),
    ).toEqual(
      Array.from(
        { length: 14 },
        (_, k) => `pkg/module_${String(k * 3).padStart(2, '0')}.py:5 PGD003`,
      ),
    );
    expect(two.findings).toEqual(one.findings);
  });

  it('gives worker threads the rule options from the configuration', async () => {
    const optionsDir = await tempDir();
    try {
      const files: Record<string, string> = {
        '.github/pyguard.yml': [
          'rules:',
          '  options:',
          "    hardcoded-tmp-path: { tmp_dirs: ['/scratch'] }",
          '    PGC007: { min_rsa_bits: 3072 }',
          '    markupsafe-markup: { allowed_calls: [app.sanitize] }',
          '',
        ].join('\n'),
      };
      for (let i = 0; i < 30; i++) {
        files[`pkg/module_${String(i).padStart(2, '0')}.py`] = [
          'import bleach',
          'from cryptography.hazmat.primitives.asymmetric import rsa',
          'from markupsafe import Markup',
          'from app import sanitize',
          '',
          `KEY = rsa.generate_private_key(public_exponent=65537, key_size=${i % 2 === 0 ? 2048 : 4096})`,
          `open("/scratch/out_${i}.bin", "wb")`,
          'open("/tmp/ignored.bin", "wb")',
          '',
          'def render(html):',
          '    return Markup(sanitize(html)), Markup(bleach.clean(html))',
          '',
        ].join('\n');
      }
      await writeFiles(optionsDir, files);
      const args = ['scan', '.', '--format', 'json', '--min-confidence', 'low'];
      const single = runBinary(optionsDir, args, { PYGUARD_WORKERS: '1' });
      const parallel = runBinary(optionsDir, args, { PYGUARD_WORKERS: '2' });
      expect(single.stderr).toBe('');
      expect(parallel.stderr).toBe('');
      const one = JSON.parse(single.stdout) as JsonReport;
      const two = JSON.parse(parallel.stdout) as JsonReport;
      expect(one.summary.files).toBe(30);
      const module00 = one.findings
        .filter((finding) => finding.path === 'pkg/module_00.py')
        .map((finding) => `${finding.span.start.line} ${finding.ruleId}`);
      // 2048-bit RSA (line 6), /scratch but not /tmp (7), Markup(bleach.clean()) but not sanitize (11).
      expect(module00).toEqual(['6 PGC007', '7 PGF002', '11 PGI042']);
      expect(one.findings).toHaveLength(15 + 30 + 30);
      expect(two.findings).toEqual(one.findings);
    } finally {
      await removeDir(optionsDir);
    }
  });

  it('loads its rules from one bundled module holding exactly the rule modules, same findings', () => {
    // Every rule fixture scanned in one child with the bundle's rules and with the rule modules'
    // (both over the built engine, audit profile, every confidence); the outputs must be equal.
    const script = [
      `import { readFileSync, readdirSync } from 'node:fs';`,
      `const dist = ${JSON.stringify(`${root}dist/`)};`,
      `const rulesDir = ${JSON.stringify(`${root}rules/`)};`,
      `const { createScanner } = await import(dist + 'src/engine/scanner.js');`,
      `const { defaultConfig } = await import(dist + 'src/config/schema.js');`,
      `const bundled = (await import(dist + 'rules/bundle.js')).allRules;`,
      `const modules = (await import(dist + 'rules/index.js')).allRules;`,
      `const config = { ...defaultConfig(), profile: 'audit', minConfidence: 'low' };`,
      `const fixtures = readdirSync(rulesDir, { recursive: true }).filter((f) => f.endsWith('.py'));`,
      `const scanAll = (rules) => { const scanner = createScanner(config, rules);`,
      `  return JSON.stringify(fixtures.map((path) =>`,
      `    ({ ...scanner.scanFile({ path, source: readFileSync(rulesDir + path), addedLines: null }),`,
      `      timings: undefined }))); };`,
      `const ids = (rules) => rules.map((rule) => rule.meta.id).join(' ');`,
      `const one = scanAll(bundled);`,
      `const cli = await (await import(dist + 'src/rule-set.js')).loadRuleSet();`,
      `console.log(JSON.stringify({ fixtures: fixtures.length, rules: bundled.length,`,
      `  sameIds: ids(bundled) === ids(modules), distinct: bundled[0] !== modules[0],`,
      `  findings: (one.match(/"ruleId"/g) ?? []).length, same: one === scanAll(modules),`,
      `  cliModule: cli.moduleUrl, cliRules: cli.rules.length }));`,
    ].join('\n');
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(child.stderr).toBe('');
    const outcome = JSON.parse(child.stdout) as Record<string, unknown>;
    expect(outcome).toMatchObject({ sameIds: true, distinct: true, same: true });
    expect(outcome['fixtures']).toBeGreaterThan(100);
    expect(outcome['rules']).toBeGreaterThan(100);
    expect(outcome['findings']).toBeGreaterThan(500);
    // The command-line tool (and the worker threads it starts) takes the bundle.
    expect(outcome['cliModule']).toBe(`${pathToFileURL(root).href}dist/rules/bundle.js`);
    expect(outcome['cliRules']).toBe(outcome['rules']);
  });

  it('exits 2 with one line for a bad flag', () => {
    const result = runBinary(dir, ['scan', '--frobnicate']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe("pyguard: unknown option '--frobnicate' (see 'pyguard --help')\n");
  });
});
