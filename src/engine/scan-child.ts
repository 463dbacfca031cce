/**
 * Child process body of the scan process pool: loads the rules module named on its command line,
 * then scans the files its parent sends over IPC, one at a time, answering each with a result.
 * A crash in native code here ends this process only; the parent reports the file and respawns.
 */
import type { AnyRule } from '../rules-api/types.js';
import type { ChildReply, ChildTask, ScanConfig } from './process-pool.js';
import { createScanner, type Scanner } from './scanner.js';

/** Scanners kept for the most recently used configurations (one per repository config). */
const SCANNER_CACHE_SIZE = 8;

const send = process.send?.bind(process);
if (send === undefined) {
  process.stderr.write('scan-child: start it with child_process.fork (it needs an IPC channel)\n');
  process.exit(2);
}

const rulesModuleUrl = process.argv[2];
if (rulesModuleUrl === undefined) {
  process.stderr.write('scan-child: the rules module URL is missing from the command line\n');
  process.exit(2);
}
const { allRules } = (await import(rulesModuleUrl)) as { allRules: readonly AnyRule[] };
const scanners = new Map<string, Scanner>();

/** The scanner for a configuration, built once and kept while it is among the recent ones. */
function scannerFor(config: ScanConfig): Scanner {
  const key = JSON.stringify(config);
  const cached = scanners.get(key);
  if (cached !== undefined) {
    scanners.delete(key);
    scanners.set(key, cached);
    return cached;
  }
  const scanner = createScanner(config, allRules, config.only);
  scanners.set(key, scanner);
  if (scanners.size > SCANNER_CACHE_SIZE) {
    const oldest = scanners.keys().next();
    if (oldest.done !== true) scanners.delete(oldest.value);
  }
  return scanner;
}

function answer(task: ChildTask): ChildReply {
  try {
    const result = scannerFor(task.config).scanFile({
      path: task.path,
      source: task.source,
      addedLines: task.addedLines === null ? null : new Set(task.addedLines),
    });
    return { type: 'result', id: task.id, result, rssBytes: process.memoryUsage.rss() };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { type: 'error', id: task.id, message, rssBytes: process.memoryUsage.rss() };
  }
}

process.on('message', (task: ChildTask) => {
  send(answer(task));
});
// The parent is gone (or retired this child): nothing is left to answer.
process.on('disconnect', () => {
  process.exit(0);
});
send({ type: 'ready' } satisfies ChildReply);
