/**
 * The built `pyguard` binary, end to end: the way users and CI run it, including the worker
 * threads that only the compiled code uses.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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

  it('exits 2 with one line for a bad flag', () => {
    const result = runBinary(dir, ['scan', '--frobnicate']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe("pyguard: unknown option '--frobnicate' (see 'pyguard --help')\n");
  });
});
