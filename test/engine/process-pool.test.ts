/**
 * The scan process pool on the built child script: results equal to in-process scanning, a file
 * that takes its child down is refused (after one retry) while the other files are scanned, a
 * hung child is killed at the deadline, a scan can be cancelled, and no child outlives the pool.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { defaultConfig, type PyGuardConfig } from '../../src/config/schema.js';
import {
  createPooledScanner,
  scanProcessCount,
  ScanProcessPool,
  type ScanProcessPoolOptions,
} from '../../src/engine/process-pool.js';
import { createScanner, type ScanFileInput } from '../../src/engine/scanner.js';
import type { FileResult } from '../../src/engine/types.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const childScript = new URL('dist/src/engine/scan-child.js', `file://${root}`);
const builtInRules = new URL('dist/rules/index.js', `file://${root}`).href;
const crashingRules = new URL('../fixtures/rules/crashing-rules.js', import.meta.url).href;

const config: PyGuardConfig = {
  ...defaultConfig(),
  minConfidence: 'low',
  rules: {
    enable: [],
    disable: ['PGC005'],
    severity: { PGI016: 'low' },
    options: { 'weak-key-size': { min_rsa_bits: 4096 } },
  },
};

/** Rule fixtures of a few categories, as bytes, one with only some lines counted as added. */
function fixtureInputs(): ScanFileInput[] {
  const inputs: ScanFileInput[] = [];
  for (const category of ['crypto', 'injection', 'web']) {
    const dir = join(root, 'rules', category);
    const files = readdirSync(dir)
      .filter((name) => name.endsWith('.py') || name.endsWith('.html'))
      .sort()
      .slice(0, 6);
    for (const name of files) {
      inputs.push({
        path: `${category}/${name}`,
        source: readFileSync(join(dir, name)),
        addedLines: inputs.length === 2 ? new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) : null,
      });
    }
  }
  return inputs;
}

/** A result without its timings, which differ from run to run. */
function withoutTimings(result: FileResult): Omit<FileResult, 'timings'> {
  return {
    path: result.path,
    findings: result.findings,
    notices: result.notices,
    lines: result.lines,
  };
}

async function collect(results: AsyncIterable<FileResult>): Promise<FileResult[]> {
  const list: FileResult[] = [];
  for await (const result of results) list.push(result);
  return list;
}

function inProcess(inputs: readonly ScanFileInput[]): Omit<FileResult, 'timings'>[] {
  const scanner = createScanner(config, allRules);
  return inputs.map((input) => withoutTimings(scanner.scanFile(input)));
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const pools: ScanProcessPool[] = [];
const seenPids = new Set<number>();

/** A pool on the built child script, closed after the tests; its children's pids are recorded. */
function newPool(options: ScanProcessPoolOptions, messages: string[] = []): ScanProcessPool {
  const pool = new ScanProcessPool({
    childScript,
    rulesModule: builtInRules,
    log: (message) => messages.push(message),
    ...options,
  });
  pools.push(pool);
  return pool;
}

function notePids(pool: ScanProcessPool): void {
  for (const pid of pool.childPids) seenPids.add(pid);
}

const clean = { path: 'clean.py', source: 'def add(a, b):\n    return a + b\n' };
const unsafe = { path: 'unsafe.py', source: 'import os\n\nos.system(input())\n' };

describe('the scan process pool', () => {
  let flagDir = '';

  beforeAll(async () => {
    if (!existsSync(fileURLToPath(childScript))) {
      execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
    }
    flagDir = await mkdtemp(join(tmpdir(), 'pyguard-pool-'));
  });

  afterAll(async () => {
    for (const pool of pools) notePids(pool);
    await Promise.all(pools.map((pool) => pool.close()));
    await rm(flagDir, { recursive: true, force: true });
  });

  it('returns the same results as scanning in-process, in input order', async () => {
    const pool = newPool({ size: 2 });
    const inputs = fixtureInputs();
    const scanner = createPooledScanner(config, allRules, pool);
    const pooled = await collect(scanner.scanFiles(inputs));
    notePids(pool);

    expect(pool.stats.started).toBe(2);
    expect(pooled.map(withoutTimings)).toEqual(inProcess(inputs));
    expect(pooled.some((result) => result.findings.length > 0)).toBe(true);
    expect(scanner.selection.rules.some((rule) => rule.meta.id === 'PGC005')).toBe(false);
  });

  it('refuses a file that aborts or kills its child twice and scans the others', async () => {
    const messages: string[] = [];
    const pool = newPool({ size: 2, rulesModule: crashingRules }, messages);
    const scanner = createPooledScanner(config, allRules, pool);
    const inputs: ScanFileInput[] = [
      clean,
      { path: 'pkg/aborts.py', source: '# PYGUARD_TEST_ABORT\nx = 1\n' },
      unsafe,
      { path: 'pkg/killed.py', source: 'x = 1  # PYGUARD_TEST_SIGKILL\n' },
      { ...unsafe, path: 'after.py' },
    ];
    const results = await collect(scanner.scanFiles(inputs));
    notePids(pool);

    expect(results.map((result) => result.path)).toEqual(inputs.map((input) => input.path));
    expect(results[1]).toEqual({
      path: 'pkg/aborts.py',
      findings: [],
      notices: [
        {
          path: 'pkg/aborts.py',
          kind: 'refused',
          message: "PyGuard's parser stopped on this file (signal SIGABRT); it was not scanned",
        },
      ],
      lines: 2,
      timings: { parseMs: 0, rulesMs: 0 },
    });
    expect(results[3]?.notices).toEqual([
      {
        path: 'pkg/killed.py',
        kind: 'refused',
        message: "PyGuard's parser stopped on this file (signal SIGKILL); it was not scanned",
      },
    ]);
    const healthy = [results[0], results[2], results[4]].map((result) =>
      result === undefined ? undefined : withoutTimings(result),
    );
    expect(healthy).toEqual(inProcess([inputs[0], inputs[2], inputs[4]] as ScanFileInput[]));
    expect(pool.stats.crashed).toBe(4);
    expect(messages.filter((message) => message.includes('pkg/aborts.py'))).toHaveLength(2);

    // The pool carries on: a second scan is served by fresh children.
    const again = await createPooledScanner(config, allRules, pool).scanFile(unsafe);
    expect(withoutTimings(again)).toEqual(inProcess([unsafe])[0]);
    notePids(pool);
  });

  it('does not blame a file for a single death of its child: the retry scans it', async () => {
    const messages: string[] = [];
    const pool = newPool({ size: 1, rulesModule: crashingRules }, messages);
    const flag = join(flagDir, 'killed-once');
    const input = {
      path: 'once.py',
      source: `import os\nos.system(input())  # PYGUARD_TEST_KILL_ONCE ${flag}\n`,
    };
    const result = await createPooledScanner(config, allRules, pool).scanFile(input);
    notePids(pool);

    expect(existsSync(flag)).toBe(true);
    expect(result.notices).toEqual([]);
    expect(result.findings.map((finding) => finding.ruleId)).toEqual(['PGI005']);
    expect(pool.stats).toMatchObject({ started: 2, crashed: 1 });
    expect(messages).toEqual([
      expect.stringMatching(/^scan child \d+ stopped \(signal SIGKILL\) while scanning once\.py/),
    ]);
  });

  it('kills a child stuck on a file at the deadline and skips the file', async () => {
    const pool = newPool({ size: 1, rulesModule: crashingRules, fileDeadlineMs: 4000 });
    const scanner = createPooledScanner(config, allRules, pool);
    const results = await collect(
      scanner.scanFiles([{ path: 'stuck.py', source: '# PYGUARD_TEST_HANG\n' }, unsafe]),
    );
    notePids(pool);

    expect(results[0]?.notices).toEqual([
      {
        path: 'stuck.py',
        kind: 'skipped',
        message: 'not scanned: scanning took longer than 4 s',
      },
    ]);
    expect(results[1] === undefined ? undefined : withoutTimings(results[1])).toEqual(
      inProcess([unsafe])[0],
    );
    expect(pool.stats).toMatchObject({ timedOut: 1, crashed: 0 });
  });

  it('cancels the files of one scan on its abort signal and keeps serving others', async () => {
    const pool = newPool({ size: 1, rulesModule: crashingRules });
    const controller = new AbortController();
    const cancelled = createPooledScanner(config, allRules, pool, { signal: controller.signal });
    // Once the child has loaded its rules, the stuck file starts at once.
    await cancelled.scanFile(clean);
    const hung = cancelled.scanFile({ path: 'stuck.py', source: '# PYGUARD_TEST_HANG\n' });
    const queued = cancelled.scanFile(unsafe);
    const other = createPooledScanner(config, allRules, pool).scanFile(unsafe);
    setTimeout(() => {
      notePids(pool);
      controller.abort();
    }, 300);

    await expect(hung).rejects.toMatchObject({ name: 'AbortError' });
    await expect(queued).rejects.toMatchObject({ name: 'AbortError' });
    expect(withoutTimings(await other)).toEqual(inProcess([unsafe])[0]);
    await expect(cancelled.scanFile(clean)).rejects.toMatchObject({ name: 'AbortError' });
    notePids(pool);
    // The stuck child was killed, not left running until the deadline: another served `other`.
    expect(pool.stats).toMatchObject({ started: 2, timedOut: 0, crashed: 0 });
  });

  it('replaces a child after its task limit or memory limit', async () => {
    const byCount = newPool({ size: 1, maxTasksPerChild: 2 });
    await collect(createPooledScanner(config, allRules, byCount).scanFiles([clean, unsafe, clean]));
    notePids(byCount);
    expect(byCount.stats).toMatchObject({ started: 2, recycled: 1 });

    const byMemory = newPool({ size: 1, maxChildRssBytes: 1 });
    await collect(createPooledScanner(config, allRules, byMemory).scanFiles([clean, unsafe]));
    notePids(byMemory);
    expect(byMemory.stats).toMatchObject({ started: 2, recycled: 2 });
  });

  it('scans in-process with the same interface when processes are off, and says so once', async () => {
    const messages: string[] = [];
    const off = newPool({ env: { PYGUARD_SCAN_PROCESSES: '0' } }, messages);
    const noScript = newPool({ size: 2, childScript: null }, messages);
    const inputs = fixtureInputs().slice(0, 4);
    for (const pool of [off, noScript]) {
      expect(pool.available).toBe(false);
      const results = await collect(createPooledScanner(config, allRules, pool).scanFiles(inputs));
      expect(results.map(withoutTimings)).toEqual(inProcess(inputs));
      expect(pool.childPids).toEqual([]);
    }
    expect(messages).toEqual([
      expect.stringContaining('PYGUARD_SCAN_PROCESSES=0'),
      expect.stringContaining('compiled scan child is not available'),
    ]);
  });

  it('reads its size from PYGUARD_SCAN_PROCESSES', () => {
    expect(scanProcessCount({ PYGUARD_SCAN_PROCESSES: '3' })).toBe(3);
    expect(scanProcessCount({ PYGUARD_SCAN_PROCESSES: '0' })).toBe(0);
    expect(scanProcessCount({})).toBeGreaterThanOrEqual(1);
    expect(scanProcessCount({})).toBeLessThanOrEqual(2);
    expect(() => scanProcessCount({ PYGUARD_SCAN_PROCESSES: 'two' })).toThrow(/whole number/);
  });

  it('leaves no child process behind once closed', async () => {
    const pool = newPool({ size: 2 });
    pool.warmUp();
    await createPooledScanner(config, allRules, pool).scanFile(unsafe);
    notePids(pool);
    expect(pool.childPids).toHaveLength(2);
    await pool.close();
    expect(pool.childPids).toEqual([]);
    for (const other of pools) notePids(other);
    await Promise.all(pools.map((other) => other.close()));
    expect(seenPids.size).toBeGreaterThan(5);
    expect([...seenPids].filter(isRunning)).toEqual([]);
    await expect(createPooledScanner(config, allRules, pool).scanFile(clean)).rejects.toThrow(
      'the scan pool was closed',
    );
  });
});
