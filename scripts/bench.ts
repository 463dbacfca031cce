/**
 * `npm run bench`: scans real Python that exists on this machine (node-gyp's gyp sources bundled
 * with npm, and the python3 standard library without its tests) and prints throughput, the split
 * between parsing and rules, the time tree-sitter alone takes, peak memory, and finding counts
 * per rule (a rule that fires a lot on ordinary code is worth a look).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRuleSet } from '../src/rule-set.js';
import { defaultConfig } from '../src/config/schema.js';
import { scanInWorkers } from '../src/engine/parallel.js';
import {
  backendUnavailable,
  parsePython,
  parserBackend,
  setParserBackend,
  type ParserBackend,
} from '../src/engine/parse.js';
import { createScanner } from '../src/engine/scanner.js';
import { gypRoot, pythonFiles, stdlibRoot } from './corpus.js';

/** The rule set the command-line tool ships (one bundled module when built). */
const ruleSet = await loadRuleSet();
const allRules = ruleSet.rules;

interface Corpus {
  name: string;
  root: string;
  files: string[];
}

function corpora(): Corpus[] {
  const found: Corpus[] = [];
  const gyp = gypRoot();
  if (gyp !== undefined)
    found.push({ name: 'gyp (bundled with npm)', root: gyp, files: pythonFiles(gyp) });
  const stdlib = stdlibRoot();
  if (stdlib !== undefined)
    found.push({ name: 'python3 standard library', root: stdlib, files: pythonFiles(stdlib) });
  return found;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

const ruleTimings = new Map<string, number>();

async function parseOnly(texts: readonly string[]): Promise<number> {
  const start = performance.now();
  for (const [index, text] of texts.entries()) {
    parsePython(text);
    if (index % 8 === 7) await yieldToEventLoop();
  }
  return performance.now() - start;
}

interface ScanFigures {
  totalMs: number;
  parseMs: number;
  rulesMs: number;
  findings: Map<string, number>;
  notices: number;
}

async function fullScan(corpus: Corpus, sources: readonly Buffer[]): Promise<ScanFigures> {
  const scanner = createScanner(defaultConfig(), allRules, undefined, ruleTimings);
  const findings = new Map<string, number>();
  let parseMs = 0;
  let rulesMs = 0;
  let notices = 0;
  const start = performance.now();
  const inputs = corpus.files.map((file, index) => ({
    path: relative(corpus.root, file),
    source: sources[index] ?? Buffer.alloc(0),
  }));
  for await (const result of scanner.scanFiles(inputs)) {
    parseMs += result.timings.parseMs;
    rulesMs += result.timings.rulesMs;
    notices += result.notices.length;
    for (const finding of result.findings) {
      const key = `${finding.ruleId} ${finding.slug}`;
      findings.set(key, (findings.get(key) ?? 0) + 1);
    }
  }
  return { totalMs: performance.now() - start, parseMs, rulesMs, findings, notices };
}

async function parallelScan(
  corpus: Corpus,
  sources: readonly Buffer[],
  workers: number,
): Promise<number> {
  const config = defaultConfig();
  const fallback = createScanner(config, allRules);
  const setup = {
    config,
    only: undefined,
    rulesModule: ruleSet.moduleUrl,
  };
  const inputs = corpus.files.map((file, index) => ({
    path: relative(corpus.root, file),
    source: sources[index] ?? Buffer.alloc(0),
  }));
  const start = performance.now();
  for await (const result of scanInWorkers(
    inputs,
    setup,
    { threads: workers, startAfterMs: 0 },
    fallback,
  )) {
    if (result.path === '') break;
  }
  return performance.now() - start;
}

/** One measured configuration, run in a process of its own so its peak memory is its own. */
interface Measure {
  label: string;
  mode: 'parse' | 'scan' | 'ruff';
  backend?: ParserBackend;
  workers?: number;
}

interface Measured {
  ms: number;
  /** Processor time of the whole process (all threads) during the measured part. */
  cpuMs: number;
  peakRssBytes: number;
}

/** Runs one configuration on the corpus in this process (the child side of {@link measure}). */
async function runMeasure(root: string, measure: Measure): Promise<Measured> {
  const files = pythonFiles(root);
  const sources = files.map((file) => readFileSync(file));
  // The scan decodes the bytes itself; only parse-only and ruff are handed decoded text.
  const texts = measure.mode === 'scan' ? [] : sources.map((source) => source.toString('utf8'));
  if (measure.backend !== undefined) setParserBackend(measure.backend);
  // Only ruff's own configuration loads its WebAssembly module (34 MiB of resident memory).
  const ruff = measure.mode === 'ruff' ? await import('@astral-sh/ruff-wasm-nodejs') : undefined;
  const cpuBefore = process.cpuUsage();
  let ms: number;
  if (measure.mode === 'parse') {
    await parseOnly(texts.slice(0, 20)); // warm-up
    ms = await parseOnly(texts);
  } else if (ruff !== undefined) {
    const { PositionEncoding, Workspace } = ruff;
    const workspace = new Workspace(
      { lint: { select: ['S'] }, 'target-version': 'py312' },
      PositionEncoding.Utf16,
    );
    workspace.check(texts[0] ?? ''); // warm-up
    const start = performance.now();
    for (const text of texts) workspace.check(text);
    ms = performance.now() - start;
  } else {
    const corpus = { name: '', root, files };
    ms = await parallelScan(corpus, sources, measure.workers ?? 1);
  }
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return { ms, cpuMs, peakRssBytes: process.resourceUsage().maxRSS * 1024 };
}

/** Runs one configuration in a child process; undefined when the child failed. */
function measure(root: string, configuration: Measure): Measured | undefined {
  const script = fileURLToPath(import.meta.url);
  const flags = configuration.mode === 'ruff' ? ['--liftoff-only'] : [];
  const child = spawnSync(
    process.execPath,
    [...flags, script, '--measure', root, JSON.stringify(configuration)],
    { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
  );
  const line = child.stdout.trim().split('\n').pop() ?? '';
  if (child.status !== 0 || !line.startsWith('{')) {
    console.log(`  ${configuration.label}: failed (${child.stderr.trim().split('\n')[0] ?? ''})`);
    return undefined;
  }
  return JSON.parse(line) as Measured;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/**
 * Parse-only, PyGuard's full scan with each backend on one thread and on two threads (the
 * calling one and a worker), and ruff's `S` rules on the same files, each in its own process,
 * in alternating rounds; prints medians, ratios to the binding's parse-only time and peak RSS.
 */
async function sideBySide(corpus: Corpus, rounds: number): Promise<void> {
  const { Workspace } = await import('@astral-sh/ruff-wasm-nodejs');
  const backends: ParserBackend[] =
    backendUnavailable('flat') === undefined ? ['binding', 'flat'] : ['binding'];
  const configurations: Measure[] = [
    { label: 'tree-sitter parse only (binding)', mode: 'parse', backend: 'binding' },
    ...(backends.includes('flat')
      ? [{ label: 'parse + flatten (flat tree)', mode: 'parse', backend: 'flat' } as const]
      : []),
    ...backends.flatMap((backend): Measure[] => [
      { label: `PyGuard, ${backend}, one thread`, mode: 'scan', backend, workers: 1 },
      { label: `PyGuard, ${backend}, two threads`, mode: 'scan', backend, workers: 2 },
    ]),
    { label: `ruff ${Workspace.version()} S rules (wasm)`, mode: 'ruff' },
  ];
  const times = configurations.map((): number[] => []);
  const cpuTimes = configurations.map((): number[] => []);
  const peaks = configurations.map((): number[] => []);
  for (let round = 0; round < rounds; round++) {
    for (const [index, configuration] of configurations.entries()) {
      const result = measure(corpus.root, configuration);
      if (result === undefined) continue;
      times[index]?.push(result.ms);
      cpuTimes[index]?.push(result.cpuMs);
      peaks[index]?.push(result.peakRssBytes);
    }
  }
  const parseOnlyMs = median(times[0] ?? []);
  const parseOnlyCpuMs = median(cpuTimes[0] ?? []);
  console.log(
    `  side by side, ${String(rounds)} alternating rounds, medians: wall time and its ratio to tree-sitter parse only, processor time (all threads) and its ratio, peak RSS of each round:`,
  );
  for (const [index, configuration] of configurations.entries()) {
    const ms = times[index] ?? [];
    const cpuMs = median(cpuTimes[index] ?? []);
    const rss = (peaks[index] ?? []).map((bytes) => (bytes / 1_048_576).toFixed(0));
    if (ms.length === 0) continue;
    const wall = `${formatMs(median(ms)).padStart(9)} ${(median(ms) / parseOnlyMs).toFixed(2).padStart(5)}x`;
    const cpu = `cpu ${formatMs(cpuMs).padStart(9)} ${(cpuMs / parseOnlyCpuMs).toFixed(2).padStart(5)}x`;
    const memory = `${rss.sort((a, b) => Number(a) - Number(b)).join('/')} MiB`;
    console.log(`    ${configuration.label.padEnd(34)} ${wall}  ${cpu}  ${memory}`);
  }
}

function smallFileStartup(): number | undefined {
  const cli = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
  if (!existsSync(cli)) return undefined;
  const directory = mkdtempSync(join(tmpdir(), 'pyguard-bench-'));
  const file = join(directory, 'small.py');
  writeFileSync(file, 'import yaml\n\ndef load(data):\n    return yaml.safe_load(data)\n');
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    spawnSync(process.execPath, [cli, 'scan', file], { encoding: 'utf8' });
    runs.push(performance.now() - start);
  }
  rmSync(directory, { recursive: true, force: true });
  runs.sort((a, b) => a - b);
  return runs[Math.floor(runs.length / 2)];
}

/**
 * Generated worst cases for the engine and the dataflow pass: each must scan in about a second,
 * not in minutes. Returns the file name and the milliseconds of one full scan.
 */
function worstCases(): [string, number][] {
  const flask = 'from flask import request\nimport os, subprocess\n';
  const cases: [string, string][] = [
    [
      '3,000-term concatenation reaching a sink',
      `${flask}x = request.args["q"]\nos.system("echo " + ${Array.from({ length: 3000 }, () => 'x').join(' + ')})\n`,
    ],
    [
      '6,000 chained reassignments',
      `${flask}x = request.args["q"]\n${'x = x + "a"\n'.repeat(6000)}os.system(x)\n`,
    ],
    [
      '3,000 traced sinks at module level',
      `${flask}${Array.from({ length: 3000 }, (_, i) => `v${String(i)} = request.args["a"] + "${String(i)}"\nsubprocess.run(v${String(i)}, shell=True)\n`).join('')}`,
    ],
    ['4,000 consecutive comment lines', `x = 1\n${'# note\n'.repeat(4000)}y = 2\n`],
    [
      '4,000 repeated sinks of one tainted value',
      `${flask}x = request.args["q"]\n${'os.system(x)\n'.repeat(4000)}`,
    ],
    ['a run of 200,000 # after a finding', `${flask}os.system(input())  ${'#'.repeat(200_000)}\n`],
    [
      '20,000 comment lines holding { before a sink',
      `${flask}c = request.args["c"]\n${'# {note}\n'.repeat(20_000)}os.system("ls " + c)\n`,
    ],
    ['20,000 suppression comment lines', `x = 1\n${'# nosec\n'.repeat(20_000)}y = 2\n`],
    [
      'indentation 600 levels deep (refused)',
      Array.from({ length: 600 }, (_, level) => `${' '.repeat(level)}if x:\n`).join('') +
        `${' '.repeat(600)}y = "s"\n`,
    ],
  ];
  const scanner = createScanner(defaultConfig(), allRules);
  return cases.map(([name, text]) => {
    const start = performance.now();
    scanner.scanFile({ path: 'worst.py', source: text });
    return [name, performance.now() - start];
  });
}

async function main(): Promise<void> {
  const roundsFlag = process.argv.indexOf('--rounds');
  const rounds = roundsFlag > 0 ? Math.max(1, Number(process.argv[roundsFlag + 1]) || 3) : 3;
  const found = corpora();
  if (found.length === 0) {
    console.log("No Python corpus found (neither npm's bundled gyp nor python3).");
    return;
  }
  console.log(
    `PyGuard benchmark: ${allRules.length} rules, node ${process.version}, parser backend ${parserBackend()}\n`,
  );
  const allFindings = new Map<string, number>();
  for (const corpus of found) {
    const sources = corpus.files.map((file) => readFileSync(file));
    const texts = sources.map((source) => source.toString('utf8'));
    const bytes = sources.reduce((sum, source) => sum + source.length, 0);
    const lines = texts.reduce((sum, text) => sum + text.split('\n').length, 0);
    await parseOnly(texts.slice(0, 20)); // warm-up
    const parseOnlyMs = await parseOnly(texts);
    const scan = await fullScan(corpus, sources);
    const megabytes = bytes / 1_048_576;
    console.log(`${corpus.name}: ${corpus.root}`);
    console.log(
      `  files ${corpus.files.length}, lines ${lines.toLocaleString('en')}, ${megabytes.toFixed(2)} MB`,
    );
    console.log(
      `  tree-sitter parse only   ${formatMs(parseOnlyMs).padStart(9)}  ${(megabytes / (parseOnlyMs / 1000)).toFixed(2)} MB/s`,
    );
    console.log(
      `  full scan                ${formatMs(scan.totalMs).padStart(9)}  ${(megabytes / (scan.totalMs / 1000)).toFixed(2)} MB/s` +
        `  (parse ${formatMs(scan.parseMs)}, model + rules ${formatMs(scan.rulesMs)})`,
    );
    console.log(`  full scan / parse only   ${(scan.totalMs / parseOnlyMs).toFixed(2)}x`);
    const workers = Math.min(availableParallelism(), 4);
    if (workers >= 2) {
      const parallelMs = await parallelScan(corpus, sources, workers);
      console.log(
        `  full scan, ${workers} threads     ${formatMs(parallelMs).padStart(9)}  ${(megabytes / (parallelMs / 1000)).toFixed(2)} MB/s` +
          `  (${(parallelMs / parseOnlyMs).toFixed(2)}x parse only on one thread)`,
      );
    }
    console.log(
      `  findings ${[...scan.findings.values()].reduce((a, b) => a + b, 0)}, file notices ${scan.notices}`,
    );
    await sideBySide(corpus, rounds);
    console.log('');
    for (const [rule, count] of scan.findings)
      allFindings.set(rule, (allFindings.get(rule) ?? 0) + count);
  }
  // The kernel's high-water mark: exact, and free, unlike sampling memory during the scans.
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  const startup = smallFileStartup();
  if (startup !== undefined)
    console.log(
      `one small file end to end (pyguard scan, process start included): ${formatMs(startup)}`,
    );
  console.log('\ngenerated worst cases (one file each, all rules):');
  for (const [name, ms] of worstCases()) console.log(`  ${formatMs(ms).padStart(9)}  ${name}`);
  console.log(
    '\ntime in the visitors of each rule (all corpora, one thread; shared model work is paid by the first rule that asks):',
  );
  const slowest = [...ruleTimings.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15);
  for (const [rule, ms] of slowest) console.log(`  ${formatMs(ms).padStart(9)}  ${rule}`);
  console.log('\nfindings per rule (all corpora, default configuration):');
  const ranked = [...allFindings.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  for (const [rule, count] of ranked) console.log(`  ${String(count).padStart(6)}  ${rule}`);
  if (ranked.length === 0) console.log('  none');
}

const measureFlag = process.argv.indexOf('--measure');
if (measureFlag > 0) {
  const root = process.argv[measureFlag + 1] ?? '';
  const configuration = JSON.parse(process.argv[measureFlag + 2] ?? '{}') as Measure;
  console.log(JSON.stringify(await runMeasure(root, configuration)));
} else {
  await main();
}
