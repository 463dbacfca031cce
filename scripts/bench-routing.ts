/**
 * What routing calls by selector saves: the standard library scanned in one process, sources in
 * memory, once with the rules as shipped and once with every rule's `select` removed (each `call`
 * visitor then sees every call, as before selectors), in alternating rounds. Prints medians of
 * processor time and their ratio to parsing (with the configured backend) in the same process.
 *
 * Also counts, in one untimed scan of each configuration, how often rule visitors are called.
 *
 * Usage: `npm run bench:routing [-- --rounds N]`.
 */
import { readFileSync } from 'node:fs';
import { allRules } from '../rules/index.js';
import { parsePython } from '../src/engine/parse.js';
import { scanSource } from '../src/engine/scan.js';
import type { AnyRule, Visitors } from '../src/rules-api/types.js';
import { pythonFiles, stdlibRoot } from './corpus.js';

/** Milliseconds of processor time `work` takes. */
function processorMs(work: () => void): number {
  const start = process.cpuUsage();
  work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** The same rule without its selectors. */
function unrouted(rule: AnyRule): AnyRule {
  const copy: { -readonly [Key in keyof AnyRule]: AnyRule[Key] } = { ...rule };
  delete copy.select;
  return copy;
}

/** Visitor calls of a scan: of `call` visitors, and of every visitor (`end` excluded). */
interface VisitorTally {
  calls: number;
  all: number;
}

/** The same rule, its visitors counted in `tally`. */
function counted(rule: AnyRule, tally: VisitorTally): AnyRule {
  return {
    ...rule,
    create(context): Visitors {
      const visitors: Record<string, ((node: never) => void) | undefined> = {
        ...rule.create(context),
      };
      for (const [kind, visit] of Object.entries(visitors)) {
        if (kind === 'end' || visit === undefined) continue;
        visitors[kind] = (node: never): void => {
          tally.all++;
          if (kind === 'call') tally.calls++;
          visit(node);
        };
      }
      return visitors;
    },
  };
}

function main(): void {
  const root = stdlibRoot();
  if (root === undefined) {
    console.log('python3 standard library not found: nothing to measure');
    return;
  }
  const roundsFlag = process.argv.indexOf('--rounds');
  const rounds = roundsFlag > 0 ? Math.max(1, Number(process.argv[roundsFlag + 1]) || 3) : 3;
  const files = pythonFiles(root);
  const sources = files.map((file) => readFileSync(file));
  const texts = sources.map((source) => source.toString('utf8'));
  const configurations: [string, readonly AnyRule[]][] = [
    ['rules without selectors', allRules.map(unrouted)],
    ['rules as shipped', allRules],
  ];
  const scan = (rules: readonly AnyRule[]) => (): void => {
    for (const [index, file] of files.entries()) {
      const source = sources[index];
      if (source !== undefined) scanSource(file, source, { rules });
    }
  };
  const parse = (): void => {
    for (const text of texts) parsePython(text);
  };
  for (const [, rules] of configurations) scan(rules)(); // warm up
  const parseTimes: number[] = [];
  const scanTimes = configurations.map((): number[] => []);
  for (let round = 0; round < rounds; round++) {
    parseTimes.push(processorMs(parse));
    for (const [index, [, rules]] of configurations.entries()) {
      scanTimes[index]?.push(processorMs(scan(rules)));
    }
  }
  const parseMs = median(parseTimes);
  console.log(
    `${String(files.length)} files, ${String(rounds)} rounds, medians of processor time:`,
  );
  console.log(`  ${'parse'.padEnd(24)} ${parseMs.toFixed(0).padStart(6)} ms  1.00x`);
  for (const [index, [label]] of configurations.entries()) {
    const ms = median(scanTimes[index] ?? []);
    console.log(
      `  ${label.padEnd(24)} ${ms.toFixed(0).padStart(6)} ms  ${(ms / parseMs).toFixed(2)}x`,
    );
  }
  console.log('visitor calls in one scan (call visitors / all visitors):');
  for (const [label, rules] of configurations) {
    const tally: VisitorTally = { calls: 0, all: 0 };
    scan(rules.map((rule) => counted(rule, tally)))();
    console.log(
      `  ${label.padEnd(24)} ${String(tally.calls).padStart(9)} / ${String(tally.all).padStart(9)}`,
    );
  }
}

main();
