/**
 * `npm run bench`: scans real Python that exists on this machine (node-gyp's gyp sources bundled
 * with npm, and the python3 standard library without its tests) and prints throughput, the split
 * between parsing and rules, the time tree-sitter alone takes, peak memory, and finding counts
 * per rule (a rule that fires a lot on ordinary code is worth a look).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allRules } from '../rules/index.js';
import { defaultConfig } from '../src/config/schema.js';
import { scanInWorkers } from '../src/engine/parallel.js';
import { parsePython } from '../src/engine/parse.js';
import { createScanner } from '../src/engine/scanner.js';

interface Corpus {
  name: string;
  root: string;
  files: string[];
}

const SKIPPED_DIRECTORIES = new Set([
  'test',
  'tests',
  'idle_test',
  'site-packages',
  '__pycache__',
  'node_modules',
]);

function pythonFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (directory: string): void => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) walk(path);
      } else if (entry.isFile() && entry.name.endsWith('.py')) {
        found.push(path);
      }
    }
  };
  walk(root);
  return found.sort();
}

function gypRoot(): string | undefined {
  const candidates: string[] = [];
  try {
    const globalRoot = execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim();
    candidates.push(join(globalRoot, 'npm/node_modules/node-gyp/gyp'));
  } catch {
    // npm not on PATH: fall through to the path next to node.
  }
  candidates.push(
    join(dirname(process.execPath), '../lib/node_modules/npm/node_modules/node-gyp/gyp'),
  );
  return candidates.find((candidate) => existsSync(candidate));
}

function stdlibRoot(): string | undefined {
  const result = spawnSync(
    'python3',
    ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"],
    {
      encoding: 'utf8',
    },
  );
  const root = result.status === 0 ? result.stdout.trim() : '';
  return root !== '' && existsSync(root) ? root : undefined;
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

let peakRss = 0;
const ruleTimings = new Map<string, number>();
function sampleRss(): void {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}

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
    sampleRss();
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
    rulesModule: new URL('../rules/index.js', import.meta.url).href,
  };
  const inputs = corpus.files.map((file, index) => ({
    path: relative(corpus.root, file),
    source: sources[index] ?? Buffer.alloc(0),
  }));
  const start = performance.now();
  for await (const result of scanInWorkers(inputs, setup, workers, fallback)) {
    if (result.path === '') break;
    sampleRss();
  }
  return performance.now() - start;
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
  const found = corpora();
  if (found.length === 0) {
    console.log("No Python corpus found (neither npm's bundled gyp nor python3).");
    return;
  }
  console.log(`PyGuard benchmark: ${allRules.length} rules, node ${process.version}\n`);
  const allFindings = new Map<string, number>();
  for (const corpus of found) {
    const sources = corpus.files.map((file) => readFileSync(file));
    const texts = sources.map((source) => source.toString('utf8'));
    const bytes = sources.reduce((sum, source) => sum + source.length, 0);
    const lines = texts.reduce((sum, text) => sum + text.split('\n').length, 0);
    await parseOnly(texts.slice(0, 20)); // warm-up
    const parseOnlyMs = await parseOnly(texts);
    sampleRss();
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
        `  full scan, ${workers} workers     ${formatMs(parallelMs).padStart(9)}  ${(megabytes / (parallelMs / 1000)).toFixed(2)} MB/s` +
          `  (${(parallelMs / parseOnlyMs).toFixed(2)}x parse only on one thread)`,
      );
    }
    console.log(
      `  findings ${[...scan.findings.values()].reduce((a, b) => a + b, 0)}, file notices ${scan.notices}\n`,
    );
    for (const [rule, count] of scan.findings)
      allFindings.set(rule, (allFindings.get(rule) ?? 0) + count);
  }
  console.log(`peak RSS ${(peakRss / 1_048_576).toFixed(0)} MiB`);
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

await main();
