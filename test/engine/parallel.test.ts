/**
 * Scans on several threads, on the built code (worker threads run compiled JavaScript): results
 * in input order and equal to one thread's, the calling thread scanning from the start, workers
 * joining only when the plan says so, and the files of a worker that dies scanned by the caller.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type * as Parallel from '../../src/engine/parallel.js';
import type * as ScannerModule from '../../src/engine/scanner.js';
import type * as Schema from '../../src/config/schema.js';
import type { AnyRule } from '../../src/rules-api/types.js';
import type { FileResult } from '../../src/engine/types.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const threadRules = new URL('../fixtures/rules/thread-rules.js', import.meta.url).href;

let parallel: typeof Parallel;
let createScanner: typeof ScannerModule.createScanner;
let config: Schema.PyGuardConfig;
let rules: readonly AnyRule[];

beforeAll(async () => {
  if (!existsSync(`${root}dist/src/engine/parallel.js`))
    execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
  parallel = (await import(`${root}dist/src/engine/parallel.js`)) as typeof Parallel;
  ({ createScanner } = (await import(`${root}dist/src/engine/scanner.js`)) as typeof ScannerModule);
  config = ((await import(`${root}dist/src/config/schema.js`)) as typeof Schema).defaultConfig();
  rules = ((await import(threadRules)) as { allRules: readonly AnyRule[] }).allRules;
});

function inputs(count: number, marker: string): { path: string; source: Buffer }[] {
  return Array.from({ length: count }, (_, i) => ({
    path: `pkg/m${String(i).padStart(3, '0')}.py`,
    source: Buffer.from(
      i % 4 === 0
        ? `# ${marker}\nimport pickle\n\ndef load(blob):\n    return pickle.loads(blob)\n`
        : `# ${marker}\ndef f(x):\n    return x + ${i}\n`,
    ),
  }));
}

async function scan(
  files: { path: string; source: Buffer }[],
  plan: Parallel.ThreadPlan,
): Promise<FileResult[]> {
  const fallback = createScanner(config, rules);
  const setup = { config, only: undefined, rulesModule: threadRules };
  const results: FileResult[] = [];
  for await (const result of parallel.scanInWorkers(files, setup, plan, fallback)) {
    results.push(result);
  }
  return results;
}

/** Each result's path and findings, without the thread marker's finding and the timings. */
function comparable(results: readonly FileResult[]): unknown[] {
  return results.map((result) => ({
    path: result.path,
    findings: result.findings.filter((finding) => finding.ruleId !== 'PGM998'),
    notices: result.notices,
  }));
}

function threadsOf(results: readonly FileResult[]): Set<string> {
  return new Set(
    results.flatMap((result) =>
      result.findings
        .filter((finding) => finding.ruleId === 'PGM998')
        .map((finding) => (finding.message.includes('worker') ? 'worker' : 'calling thread')),
    ),
  );
}

describe('scanInWorkers', () => {
  it('scans on the calling thread and on workers, in input order, as one thread would', async () => {
    const files = inputs(120, 'PYGUARD_TEST_THREAD');
    const one = await scan(files, { threads: 1, startAfterMs: 0 });
    const three = await scan(files, { threads: 3, startAfterMs: 0 });
    expect(three.map((result) => result.path)).toEqual(files.map((file) => file.path));
    expect(comparable(three)).toEqual(comparable(one));
    expect(one.filter((result) => result.findings.some((f) => f.ruleId === 'PGD001'))).toHaveLength(
      30,
    );
    expect(threadsOf(one)).toEqual(new Set(['calling thread']));
    expect(threadsOf(three)).toEqual(new Set(['calling thread', 'worker']));
  });

  it('keeps reading, in input order, while a slow worker holds the next file to yield', async () => {
    // A worker takes 100 ms a file and the calling thread 5 ms: the calling thread fills the
    // read-ahead while the worker holds the next file to yield, and every answer releases more.
    const files = inputs(300, 'PYGUARD_TEST_SLOW_WORKER');
    const results = await scan(files, { threads: 2, startAfterMs: 0 });
    expect(results.map((result) => result.path)).toEqual(files.map((file) => file.path));
    expect(threadsOf(results)).toEqual(new Set(['calling thread', 'worker']));
  });

  it('starts no worker before the calling thread has scanned for startAfterMs', async () => {
    const files = inputs(40, 'PYGUARD_TEST_THREAD');
    const results = await scan(files, { threads: 3, startAfterMs: 60_000 });
    expect(results).toHaveLength(40);
    expect(threadsOf(results)).toEqual(new Set(['calling thread']));
  });

  it('starts no worker when the expected files left would take less than startAfterMs', async () => {
    // 30 ms a file here, so the calling thread passes 100 ms after four files; by then no file
    // is left of the three announced.
    const files = inputs(20, 'PYGUARD_TEST_THREAD');
    const announced = await scan(files, { threads: 2, startAfterMs: 100, expectedFiles: 3 });
    expect(announced).toHaveLength(20);
    expect(threadsOf(announced)).toEqual(new Set(['calling thread']));
    const unknown = await scan(inputs(80, 'PYGUARD_TEST_THREAD'), {
      threads: 2,
      startAfterMs: 100,
    });
    expect(threadsOf(unknown)).toEqual(new Set(['calling thread', 'worker']));
  });

  it('scans on the calling thread the files of a worker that dies', async () => {
    const files = inputs(60, 'PYGUARD_TEST_THREAD PYGUARD_TEST_WORKER_EXIT');
    const one = await scan(files, { threads: 1, startAfterMs: 0 });
    const three = await scan(files, { threads: 3, startAfterMs: 0 });
    expect(comparable(three)).toEqual(comparable(one));
    expect(threadsOf(three)).toEqual(new Set(['calling thread']));
  });
});
