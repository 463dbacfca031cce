/**
 * Scans many files on several threads (large scans use every core): the calling thread scans
 * files itself from the start, and worker threads, once started, take files as soon as they have
 * loaded the rules. A worker costs a second load of the rules and its own warm-up, so by default
 * workers start only when the scan has run for a while and enough of it is left. Results come
 * back in input order. Any file a worker could not finish is scanned again on the calling thread,
 * so a crashed worker never loses a result.
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

/** Files a worker holds at once: one it scans, the others so it never waits for the next. */
const WORKER_DEPTH = 3;
/** Files read ahead of the next result to yield, per scanning thread. */
const AHEAD_PER_THREAD = 16;
/** Bytes of read files waiting for a thread, beyond which no further file is read yet. */
const MAX_WAITING_BYTES = 64 * 1024 * 1024;

/** When worker threads join a scan. */
export interface ThreadPlan {
  /** Scanning threads at most, the calling one included (below 2: no worker). */
  threads: number;
  /**
   * Workers start once the calling thread has scanned for this long (0: at once) and, when
   * `expectedFiles` is known, the files left would take at least as long again on one thread.
   */
  startAfterMs: number;
  /** How many inputs there are, when known. */
  expectedFiles?: number | undefined;
}

/** Workers join a default scan after this long on the calling thread alone. */
export const DEFAULT_WORKER_START_MS = 1000;

interface ScanThread {
  worker: Worker;
  ready: boolean;
  /** Ids of the files sent to it and not answered yet. */
  held: Set<number>;
}

/** A waiting file, taken from the queue by a worker or by the calling thread. */
interface Queue {
  /** The next file's id and input, or undefined when none waits. */
  take(): { id: number; input: ScanFileInput } | undefined;
}

/**
 * Worker threads fed from a shared queue, each holding up to {@link WORKER_DEPTH} files. A
 * result goes to `done`; a file its worker failed or died on goes to `lost`, for the calling
 * thread to scan.
 */
class WorkerPool {
  private readonly threads: ScanThread[] = [];

  constructor(
    private readonly script: URL,
    private readonly setup: WorkerSetup,
    private readonly queue: Queue,
    private readonly done: (id: number, result: FileResult) => void,
    private readonly lost: (id: number) => void,
  ) {}

  start(count: number): void {
    for (let i = 0; i < count; i++) this.threads.push(this.spawn());
  }

  /** Sends waiting files to every ready worker with room for them. */
  feed(): void {
    for (const thread of this.threads) {
      while (thread.ready && thread.held.size < WORKER_DEPTH) {
        const next = this.queue.take();
        if (next === undefined) return;
        thread.held.add(next.id);
        const task: WorkerTask = {
          id: next.id,
          path: next.input.path,
          source: next.input.source,
          addedLines: next.input.addedLines ?? null,
        };
        thread.worker.postMessage(task);
      }
    }
  }

  stop(): void {
    for (const thread of this.threads.splice(0)) {
      thread.worker.removeAllListeners('exit');
      void thread.worker.terminate();
    }
  }

  private spawn(): ScanThread {
    const thread: ScanThread = {
      worker: new Worker(this.script, { workerData: this.setup }),
      ready: false,
      held: new Set(),
    };
    thread.worker.unref();
    thread.worker.on('message', (reply: WorkerReply) => {
      if ('ready' in reply) {
        thread.ready = true;
      } else if (thread.held.delete(reply.id)) {
        if ('result' in reply) this.done(reply.id, reply.result);
        else this.lost(reply.id);
      }
      this.feed();
    });
    thread.worker.on('error', () => {
      this.retire(thread);
    });
    thread.worker.on('exit', () => {
      this.retire(thread);
    });
    return thread;
  }

  private retire(thread: ScanThread): void {
    const index = this.threads.indexOf(thread);
    if (index < 0) return;
    this.threads.splice(index, 1);
    const held = [...thread.held];
    thread.held.clear();
    for (const id of held) this.lost(id);
  }
}

/**
 * Scans inputs on the calling thread and up to `plan.threads - 1` workers, yielding results in
 * input order. `fallback` is the calling thread's scanner.
 */
export async function* scanInWorkers(
  inputs: Iterable<ScanFileInput> | AsyncIterable<ScanFileInput>,
  setup: WorkerSetup,
  plan: ThreadPlan,
  fallback: Scanner,
): AsyncGenerator<FileResult> {
  const script = workerScript();
  const { threads } = plan;
  if (script === undefined || threads < 2) {
    yield* fallback.scanFiles(inputs);
    return;
  }
  /** Files read and not yet finished, by id (ids count from 0 in input order). */
  const read = new Map<number, ScanFileInput>();
  const waiting: number[] = [];
  let waitingBytes = 0;
  const finished = new Map<number, FileResult>();
  let nextToYield = 0;
  let nextId = 0;
  let wake: (() => void) | undefined;

  const finish = (id: number, result: FileResult): void => {
    finished.set(id, result);
    read.delete(id);
    wake?.();
    wake = undefined;
  };
  const scanHere = (id: number): void => {
    const input = read.get(id);
    if (input !== undefined) finish(id, fallback.scanFile(input));
  };
  const queue: Queue = {
    take: () => {
      const id = waiting.shift();
      const input = id === undefined ? undefined : read.get(id);
      if (id === undefined || input === undefined) return undefined;
      waitingBytes -= input.source.length;
      return { id, input };
    },
  };
  const pool = new WorkerPool(script, setup, queue, finish, scanHere);

  let started = false;
  let scannedHere = 0;
  let msHere = 0;
  /** Whether the files left justify workers, judged by the calling thread's pace so far. */
  const workersPayOff = (): boolean => {
    if (msHere < plan.startAfterMs) return false;
    if (plan.expectedFiles === undefined || scannedHere === 0) return true;
    const left = plan.expectedFiles - nextId + waiting.length;
    return left * (msHere / scannedHere) >= plan.startAfterMs;
  };

  const aheadLimit = threads * AHEAD_PER_THREAD;
  try {
    if (plan.startAfterMs <= 0) {
      started = true;
      pool.start(threads - 1);
    }
    const iterator = (Symbol.asyncIterator in inputs ? inputs : toAsync(inputs))[
      Symbol.asyncIterator
    ]();
    let exhausted = false;
    for (;;) {
      while (
        !exhausted &&
        nextId - nextToYield < aheadLimit &&
        (waiting.length === 0 || waitingBytes < MAX_WAITING_BYTES)
      ) {
        const next = await iterator.next();
        if (next.done === true) {
          exhausted = true;
        } else {
          read.set(nextId, next.value);
          waiting.push(nextId++);
          waitingBytes += next.value.source.length;
        }
      }
      pool.feed();
      for (let result = finished.get(nextToYield); result !== undefined;) {
        finished.delete(nextToYield++);
        yield result;
        result = finished.get(nextToYield);
      }
      if (nextToYield === nextId) {
        // Every file read so far is yielded: read on (the read-ahead has room again) or stop.
        if (exhausted) return;
        continue;
      }
      const here = queue.take();
      if (here !== undefined) {
        const start = performance.now();
        scanHere(here.id);
        msHere += performance.now() - start;
        scannedHere++;
        if (!started && workersPayOff()) {
          started = true;
          pool.start(threads - 1);
        }
        // Let the workers' answers in (and send them more) before the next file here.
        await new Promise((resolve) => setImmediate(resolve));
      } else {
        // The next file to yield is on a worker, which answers or exits.
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    }
  } finally {
    pool.stop();
  }
}

async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) yield await Promise.resolve(item);
}
