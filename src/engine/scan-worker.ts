/**
 * Worker thread body for parallel scans: builds the same scanner as the main thread (same
 * configuration, same rules module) and scans the files it is sent, one message per file.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { AnyRule } from '../rules-api/types.js';
import { createScanner, type ScanFileInput } from './scanner.js';
import type { WorkerSetup, WorkerTask } from './parallel.js';

const setup = workerData as WorkerSetup;
const rulesModule = (await import(setup.rulesModule)) as { allRules: readonly AnyRule[] };
const scanner = createScanner(setup.config, rulesModule.allRules, setup.only);
const port = parentPort;

port?.on('message', (task: WorkerTask) => {
  const input: ScanFileInput = {
    path: task.path,
    source: task.source,
    addedLines: task.addedLines,
  };
  try {
    port.postMessage({ id: task.id, result: scanner.scanFile(input) });
  } catch (error) {
    port.postMessage({
      id: task.id,
      error: error instanceof Error ? error.message : String(error),
    });
  }
});
port?.postMessage({ ready: true });
