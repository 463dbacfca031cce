/**
 * `npm run build && node dist/scripts/bench-pool.js`: what scanning in child processes costs
 * against scanning in-process, on the rule fixtures and on modules of the python3 standard library
 * (50 files each). Prints the median wall time of a scan of each set, in-process and through pools
 * of one and two warm children, the cost of starting a child, and the longest stall of the calling
 * thread's event loop during a scan (what a webhook would wait for).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { allRules } from '../rules/index.js';
import { defaultConfig } from '../src/config/schema.js';
import { createPooledScanner, ScanProcessPool } from '../src/engine/process-pool.js';
import { createScanner, type ScanFileInput } from '../src/engine/scanner.js';
import type { FileResult } from '../src/engine/types.js';

const FILES_PER_SET = 50;
const RUNS = 7;
const root = fileURLToPath(new URL('../../', import.meta.url));
const config = defaultConfig();

function pythonFilesUnder(directory: string, skip: ReadonlySet<string>): string[] {
  const found: string[] = [];
  const walk = (path: string): void => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const child = join(path, entry.name);
      if (entry.isDirectory() && !skip.has(entry.name)) walk(child);
      else if (entry.isFile() && entry.name.endsWith('.py')) found.push(child);
    }
  };
  walk(directory);
  return found.sort();
}

function inputsOf(paths: readonly string[], base: string): ScanFileInput[] {
  return paths.slice(0, FILES_PER_SET).map((path) => ({
    path: path.slice(base.length),
    source: readFileSync(path),
  }));
}

function standardLibrary(): ScanFileInput[] {
  const lib = readdirSync('/usr/lib').find((name) => /^python3\.\d+$/.test(name));
  if (lib === undefined) return [];
  const base = `/usr/lib/${lib}/`;
  const skip = new Set(['test', 'tests', 'idlelib', 'site-packages', 'dist-packages', 'lib2to3']);
  return inputsOf(pythonFilesUnder(base, skip), base);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

interface Timing {
  wallMs: number;
  /** Longest the calling thread's event loop waited during the scan. */
  maxStallMs: number;
}

async function timed(scan: () => Promise<unknown>): Promise<Timing> {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const start = performance.now();
  await scan();
  const wallMs = performance.now() - start;
  delay.disable();
  return { wallMs, maxStallMs: delay.max / 1e6 };
}

async function drain(results: AsyncIterable<FileResult>): Promise<number> {
  let findings = 0;
  for await (const result of results) findings += result.findings.length;
  return findings;
}

function report(label: string, timings: readonly Timing[], baselineMs?: number): number {
  const wall = median(timings.map((timing) => timing.wallMs));
  const stall = median(timings.map((timing) => timing.maxStallMs));
  const ratio = baselineMs === undefined ? '' : `  ${(wall / baselineMs).toFixed(2)}×`;
  console.log(
    `  ${label.padEnd(22)} ${wall.toFixed(0).padStart(6)} ms${ratio.padEnd(8)}  longest event-loop stall ${stall.toFixed(0)} ms`,
  );
  return wall;
}

async function benchSet(name: string, inputs: readonly ScanFileInput[]): Promise<void> {
  const bytes = inputs.reduce((sum, input) => sum + input.source.length, 0);
  console.log(`${name}: ${inputs.length} files, ${(bytes / 1024).toFixed(0)} KiB`);
  const local = createScanner(config, allRules);
  await drain(local.scanFiles(inputs));
  const inProcess: Timing[] = [];
  for (let run = 0; run < RUNS; run++)
    inProcess.push(await timed(() => drain(local.scanFiles(inputs))));
  const baseline = report('in-process', inProcess);

  for (const size of [1, 2]) {
    const pool = new ScanProcessPool({ size });
    const scanner = createPooledScanner(config, allRules, pool);
    const cold = await timed(() => drain(scanner.scanFiles(inputs)));
    const warm: Timing[] = [];
    for (let run = 0; run < RUNS; run++)
      warm.push(await timed(() => drain(scanner.scanFiles(inputs))));
    report(`pool of ${size}, first scan`, [cold], baseline);
    report(`pool of ${size}, warm`, warm, baseline);
    await pool.close();
  }
}

async function childStartMs(): Promise<number> {
  const samples: number[] = [];
  for (let run = 0; run < 3; run++) {
    const pool = new ScanProcessPool({ size: 1 });
    const scanner = createPooledScanner(config, allRules, pool);
    const start = performance.now();
    await scanner.scanFile({ path: 'empty.py', source: '' });
    samples.push(performance.now() - start);
    await pool.close();
  }
  return median(samples);
}

console.log(
  `child start (load rules, scan an empty file): ${(await childStartMs()).toFixed(0)} ms`,
);
const fixtures = inputsOf(pythonFilesUnder(join(root, 'rules'), new Set(['_shared'])), root);
await benchSet('rule fixtures', fixtures);
const stdlib = standardLibrary();
if (stdlib.length > 0) await benchSet('python3 standard library', stdlib);
