/**
 * Scans many files on several worker threads (large scans use both cores). Results come back in
 * input order. Any file a worker could not finish is scanned again on the calling thread, so a
 * crashed worker never loses a result.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Scanner, ScanFileInput, ScannerConfig } from './scanner.js';
import type { FileResult } from './types.js';

export interface WorkerSetup {
  /**
   * The configuration each worker builds its scanner from: `rules` includes `rules.options`,
   * so workers resolve the same option values as the calling thread, and the profile.
   */
  config: ScannerConfig;
  only: readonly string[] | undefined;
  /** URL of a module exporting `allRules`, loaded by each worker. */
  rulesModule: string;
}

export interface WorkerTask {
  id: number;
  path: string;
  source: string | Uint8Array;
  addedLines: ReadonlySet<number> | null;
}

type WorkerReply =
  { ready: true } | { id: number; result: FileResult } | { id: number; error: string };

/** The compiled worker script, or undefined when running from TypeScript sources. */
export function workerScript(): URL | undefined {
  const url = new URL('./scan-worker.js', import.meta.url);
  return existsSync(fileURLToPath(url)) && import.meta.url.endsWith('.js') ? url : undefined;
}

interface Pending {
  input: ScanFileInput;
  resolve: (result: FileResult) => void;
  worker: Worker | undefined;
}

/**
 * Scans inputs on `workerCount` threads, yielding results in input order. `fallback` is the
 * calling thread's scanner, used for files whose worker failed.
 */
export async function* scanInWorkers(
  inputs: Iterable<ScanFileInput> | AsyncIterable<ScanFileInput>,
  setup: WorkerSetup,
  workerCount: number,
  fallback: Scanner,
): AsyncGenerator<FileResult> {
  const script = workerScript();
  if (script === undefined || workerCount < 2) {
    yield* fallback.scanFiles(inputs);
    return;
  }
  const pending = new Map<number, Pending>();
  const results = new Map<number, Promise<FileResult>>();
  const load = new Map<Worker, number>();
  const alive = new Set<Worker>();

  const rescueWorkerTasks = (worker: Worker): void => {
    alive.delete(worker);
    for (const [, task] of pending) {
      if (task.worker !== worker) continue;
      task.worker = undefined;
      task.resolve(fallback.scanFile(task.input));
    }
  };

  for (let i = 0; i < workerCount; i++) {
    const worker = new Worker(script, { workerData: setup });
    worker.unref();
    load.set(worker, 0);
    alive.add(worker);
    worker.on('message', (reply: WorkerReply) => {
      if ('ready' in reply) return;
      const task = pending.get(reply.id);
      if (task === undefined) return;
      load.set(worker, (load.get(worker) ?? 1) - 1);
      task.resolve('result' in reply ? reply.result : fallback.scanFile(task.input));
    });
    worker.on('error', () => {
      rescueWorkerTasks(worker);
    });
    worker.on('exit', () => {
      rescueWorkerTasks(worker);
    });
  }

  const dispatch = (id: number, input: ScanFileInput): void => {
    let chosen: Worker | undefined;
    for (const worker of alive) {
      if (chosen === undefined || (load.get(worker) ?? 0) < (load.get(chosen) ?? 0))
        chosen = worker;
    }
    const promise = new Promise<FileResult>((resolve) => {
      const task: Pending = { input, resolve, worker: chosen };
      pending.set(id, task);
      if (chosen === undefined) {
        resolve(fallback.scanFile(input));
        return;
      }
      load.set(chosen, (load.get(chosen) ?? 0) + 1);
      const message: WorkerTask = {
        id,
        path: input.path,
        source: input.source,
        addedLines: input.addedLines ?? null,
      };
      chosen.postMessage(message);
    });
    results.set(
      id,
      promise.finally(() => pending.delete(id)),
    );
  };

  const aheadLimit = workerCount * 4;
  let nextToYield = 0;
  let nextId = 0;
  try {
    const iterator = (Symbol.asyncIterator in inputs ? inputs : toAsync(inputs))[
      Symbol.asyncIterator
    ]();
    let exhausted = false;
    while (!exhausted || nextToYield < nextId) {
      while (!exhausted && nextId - nextToYield < aheadLimit) {
        const next = await iterator.next();
        if (next.done === true) exhausted = true;
        else dispatch(nextId++, next.value);
      }
      const ready = results.get(nextToYield);
      if (ready === undefined) break;
      yield await ready;
      results.delete(nextToYield);
      nextToYield++;
    }
  } finally {
    for (const worker of load.keys()) {
      worker.removeAllListeners('exit');
      void worker.terminate();
    }
  }
}

async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) yield await Promise.resolve(item);
}
