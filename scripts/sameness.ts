/**
 * `npm run sameness`: scans the python3 standard library, its tests included, with both parser
 * backends (the flat tree and the tree-sitter binding), on one thread and on two threads (the
 * calling one and a worker), and fails unless every file's findings and notices are
 * byte-identical as JSON.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { loadRuleSet } from '../src/rule-set.js';
import { defaultConfig } from '../src/config/schema.js';
import { scanInWorkers } from '../src/engine/parallel.js';
import { backendUnavailable, setParserBackend, type ParserBackend } from '../src/engine/parse.js';
import { createScanner, type ScanFileInput } from '../src/engine/scanner.js';
import type { FileResult } from '../src/engine/types.js';
import { pythonFiles, stdlibRoot } from './corpus.js';

/** The rule set the command-line tool ships (one bundled module when built). */
const ruleSet = await loadRuleSet();
const allRules = ruleSet.rules;

/** One way of scanning the corpus. */
interface Run {
  backend: ParserBackend;
  threads: number;
}

function digest(result: FileResult): string {
  const json = JSON.stringify({ findings: result.findings, notices: result.notices });
  return createHash('sha256').update(json).digest('hex');
}

/** Each file's digest and the run's totals. */
async function scanAll(
  inputs: readonly ScanFileInput[],
  run: Run,
): Promise<{ digests: Map<string, string>; findings: number; ms: number }> {
  setParserBackend(run.backend);
  const config = defaultConfig();
  const scanner = createScanner(config, allRules);
  const setup = {
    config,
    only: undefined,
    rulesModule: ruleSet.moduleUrl,
  };
  const digests = new Map<string, string>();
  let findings = 0;
  const start = performance.now();
  for await (const result of scanInWorkers(
    inputs,
    setup,
    { threads: run.threads, startAfterMs: 0 },
    scanner,
  )) {
    digests.set(result.path, digest(result));
    findings += result.findings.length;
  }
  return { digests, findings, ms: performance.now() - start };
}

async function main(): Promise<void> {
  const unavailable = backendUnavailable('flat');
  if (unavailable !== undefined) {
    console.log(`The flat tree is unavailable (${unavailable}): nothing to compare.`);
    return;
  }
  const root = process.argv[2] ?? stdlibRoot();
  if (root === undefined) {
    console.log('No python3 standard library on this machine: nothing to compare.');
    return;
  }
  const files = pythonFiles(root, []);
  const inputs = files.map((file) => ({ path: relative(root, file), source: readFileSync(file) }));
  const megabytes = inputs.reduce((sum, input) => sum + input.source.length, 0) / 1_048_576;
  console.log(
    `${root}: ${String(files.length)} files, ${megabytes.toFixed(1)} MB (tests included)`,
  );
  const runs: Run[] = [
    { backend: 'binding', threads: 1 },
    { backend: 'flat', threads: 1 },
    { backend: 'binding', threads: 2 },
    { backend: 'flat', threads: 2 },
  ];
  let reference: Map<string, string> | undefined;
  let differing = 0;
  for (const run of runs) {
    const { digests, findings, ms } = await scanAll(inputs, run);
    const name = `${run.backend}, ${run.threads === 1 ? 'one thread' : `${String(run.threads)} threads`}`;
    reference ??= digests;
    const different = [...reference].filter(([path, hash]) => digests.get(path) !== hash);
    const extra = [...digests.keys()].filter((path) => !reference?.has(path));
    console.log(
      `  ${name.padEnd(22)} ${(ms / 1000).toFixed(1).padStart(6)} s  ${String(findings)} findings  ` +
        (different.length + extra.length === 0
          ? 'identical'
          : `${String(different.length + extra.length)} files differ`),
    );
    for (const [path] of different.slice(0, 10)) console.log(`    differs: ${path}`);
    differing += different.length + extra.length;
  }
  if (differing > 0) {
    console.log('The backends disagree.');
    process.exitCode = 1;
  } else {
    console.log('Findings and notices are byte-identical across backends and threads.');
  }
}

await main();
