/**
 * `npm run bench:soak`: scans many small files through the engine in one process, as the App
 * does over its lifetime, and prints resident memory and heap every few thousand scans. Memory
 * should stay flat: anything the engine or the parser binding keeps per scan shows up here.
 *
 * The loop gives the event loop a turn every few scans, as the App does between webhook events:
 * the parser binding frees a tree in a finalizer, and Node runs those only between turns.
 *
 * Options: `--files N` (default 50,000), `--every N` (default 5,000).
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { allRules } from '../rules/index.js';
import { defaultConfig } from '../src/config/schema.js';
import { createScanner } from '../src/engine/scanner.js';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  const value = index >= 0 ? Number(process.argv[index + 1]) : NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** A small file (about 3 KB) unlike the ones before it, so nothing can be served from a cache. */
function smallFile(index: number): string {
  const name = `handler_${String(index)}`;
  return [
    'import os',
    'import subprocess',
    'from flask import request',
    '',
    `def ${name}():`,
    `    value = request.args.get("q${String(index)}")`,
    `    label = "item-${String(index)}-" + "x" * ${String(index % 97)}`,
    '    if value:',
    '        os.system("echo " + value)',
    '    return subprocess.run(["ls", label], check=False)',
    '',
    ...Array.from(
      { length: 40 },
      (_, line) =>
        `${name}_${String(line)} = {"key": "value ${String(line)}", "n": ${String(index + line)}}`,
    ),
    '',
  ].join('\n');
}

/** Scans between two turns of the event loop. */
const TURN_EVERY = 50;

const mebibytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

async function main(): Promise<void> {
  const files = option('--files', 50_000);
  const every = option('--every', 5_000);
  const scanner = createScanner(defaultConfig(), allRules);
  const started = performance.now();
  let findings = 0;
  console.log(
    `soak: ${String(files)} scans, ${String(allRules.length)} rules, node ${process.version}`,
  );
  console.log('   scans       rss  heap used   seconds');
  for (let index = 1; index <= files; index++) {
    const result = scanner.scanFile({
      path: `app/handler_${String(index)}.py`,
      source: smallFile(index),
    });
    findings += result.findings.length;
    if (index % TURN_EVERY === 0) await nextTurn();
    if (index % every === 0 || index === files) {
      globalThis.gc?.();
      await nextTurn();
      const memory = process.memoryUsage();
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(
        `${String(index).padStart(8)}  ${mebibytes(memory.rss).padStart(10)}  ${mebibytes(memory.heapUsed).padStart(9)}  ${seconds.padStart(8)}`,
      );
    }
  }
  console.log(`findings: ${String(findings)} (${(findings / files).toFixed(1)} per file)`);
}

await main();
