/**
 * Scans files in a small pool of child processes, so that input which crashes native code (an
 * assertion in tree-sitter's C scanner aborts the whole process) costs one file, never the
 * service, and no scan runs on the thread that answers webhooks.
 *
 * Each child loads the rules from a module URL and scans one file at a time; it is reused for many
 * files and replaced after a number of files or when its memory grows past a limit. A file whose
 * child dies is tried once more in a fresh child (the first death may be a neighbour's fault, such
 * as the kernel's OOM killer); if that child dies too, the file is refused with a notice and the
 * pool carries on. A file still running at its deadline has its child killed and is skipped.
 *
 * Without the compiled child script (TypeScript sources under vitest) or with
 * `PYGUARD_SCAN_PROCESSES=0`, the same async interface scans in-process.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Socket } from 'node:net';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { RuleRegistry, RuleSelection } from '../rules-api/registry.js';
import type { AnyRule } from '../rules-api/types.js';
import { countLines } from './scan.js';
import { createScanner, type ScanFileInput, type Scanner, type ScannerConfig } from './scanner.js';
import type { FileNotice, FileResult } from './types.js';

/** What a child needs of the configuration to build the same scanner as the caller. */
export interface ScanConfig extends ScannerConfig {
  /** Restricts the scan to these rule IDs or slugs (the CLI's `--rule`). */
  only?: readonly string[] | undefined;
}

/** One file sent to a child. Only structured-clone data: added lines travel as an array. */
export interface ChildTask {
  id: number;
  path: string;
  source: string | Uint8Array;
  addedLines: number[] | null;
  config: ScanConfig;
}

/** What a child sends back: once `ready` when its rules are loaded, then one reply per task. */
export type ChildReply =
  | { type: 'ready' }
  | { type: 'result'; id: number; result: FileResult; rssBytes: number }
  | { type: 'error'; id: number; message: string; rssBytes: number };

export interface ScanProcessPoolOptions {
  /** Child processes; 0 scans in-process. Default: `PYGUARD_SCAN_PROCESSES`, else 1–2 by cores. */
  size?: number | undefined;
  /** URL of a module exporting `allRules`, loaded by each child. Default: the built-in rules. */
  rulesModule?: string | undefined;
  /** The compiled child script; null forces in-process scanning. Default: next to this module. */
  childScript?: URL | null | undefined;
  /** Files a child scans before it is replaced. Default 500. */
  maxTasksPerChild?: number | undefined;
  /** Resident memory after which a child is replaced once its file is done. Default 512 MiB. */
  maxChildRssBytes?: number | undefined;
  /** Time one file may take before its child is killed and the file skipped. Default 60 s. */
  fileDeadlineMs?: number | undefined;
  /** Operator messages: in-process fallback, children that died and why. */
  log?: ((message: string) => void) | undefined;
  /** Environment read for `PYGUARD_SCAN_PROCESSES`. Default: `process.env`. */
  env?: NodeJS.ProcessEnv | undefined;
}

export const DEFAULT_MAX_TASKS_PER_CHILD = 500;
export const DEFAULT_MAX_CHILD_RSS_BYTES = 512 * 1024 * 1024;
export const DEFAULT_FILE_DEADLINE_MS = 60_000;
/** Children that die before loading their rules, in a row, after which the pool gives up. */
const MAX_START_FAILURES = 3;
/** Bytes of a child's stderr kept to explain its death in the log. */
const STDERR_TAIL_BYTES = 2048;
/** Time a child may take to load its rules before it counts as failing to start. */
const START_DEADLINE_MS = 60_000;
/** Time a retired child has to exit on its own before it is killed. */
const RETIRE_GRACE_MS = 5000;

/** What the pool has done since it was created. */
export interface ScanPoolStats {
  /** Children started (first ones, replacements and respawns). */
  started: number;
  /** Children that died while scanning a file. */
  crashed: number;
  /** Children killed at a file's deadline. */
  timedOut: number;
  /** Children replaced after their task count or memory limit. */
  recycled: number;
}

/** The compiled child script, or undefined when running from TypeScript sources. */
export function childScript(): URL | undefined {
  const url = new URL('./scan-child.js', import.meta.url);
  return import.meta.url.endsWith('.js') && existsSync(fileURLToPath(url)) ? url : undefined;
}

/**
 * Child processes from `PYGUARD_SCAN_PROCESSES` (a whole number, 0 for in-process scanning), or
 * the default: two on a machine with two cores or more, else one. Throws on a malformed value.
 */
export function scanProcessCount(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env['PYGUARD_SCAN_PROCESSES'];
  if (raw === undefined || raw.trim() === '') return Math.min(2, availableParallelism());
  if (!/^\d+$/.test(raw.trim())) {
    throw new Error(`PYGUARD_SCAN_PROCESSES must be a whole number (0 scans in-process): "${raw}"`);
  }
  return Number(raw.trim());
}

/** The result of a file that was not scanned: no findings, one notice. */
function noticeResult(input: ScanFileInput, kind: FileNotice['kind'], message: string): FileResult {
  const text =
    typeof input.source === 'string' ? input.source : new TextDecoder().decode(input.source);
  return {
    path: input.path,
    findings: [],
    notices: [{ path: input.path, kind, message }],
    lines: countLines(text),
    timings: { parseMs: 0, rulesMs: 0 },
  };
}

/** The result of a file that took its scan process down twice. */
function refusedResult(input: ScanFileInput, how: string): FileResult {
  return noticeResult(
    input,
    'refused',
    `PyGuard's parser stopped on this file (${how}); it was not scanned`,
  );
}

/** `signal SIGABRT` or `exit code 134`: how a child ended, for notices and logs. */
function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal !== null ? `signal ${signal}` : `exit code ${String(code)}`;
}

/** The bytes a task sends: a view on a larger buffer is copied so only the file travels. */
function ownBytes(source: string | Uint8Array): string | Uint8Array {
  if (typeof source === 'string') return source;
  return source.byteOffset === 0 && source.byteLength === source.buffer.byteLength
    ? source
    : source.slice();
}

interface Task {
  id: number;
  input: ScanFileInput;
  config: ScanConfig;
  /** Children that died while scanning this file. */
  deaths: number;
  settle: (outcome: { result: FileResult } | { error: unknown }) => void;
  signal: AbortSignal | undefined;
}

/** Why the pool ended a child on purpose, decided before it exits. */
type Ending = 'deadline' | 'aborted' | 'retired' | 'closed';

interface Child {
  process: ChildProcess;
  ready: boolean;
  task: Task | undefined;
  tasksDone: number;
  ending: Ending | undefined;
  stderrTail: string;
  timer: NodeJS.Timeout | undefined;
  exited: Promise<void>;
}

/** Raised to callers when the pool cannot start children at all; the facade scans in-process. */
export class ScanPoolUnavailableError extends Error {
  override readonly name = 'ScanPoolUnavailableError';
}

/** A small pool of scanning child processes shared by every scan of a service. */
export class ScanProcessPool {
  /** Child processes at most (0 when scanning in-process). */
  readonly size: number;
  private readonly script: URL | undefined;
  private readonly rulesModule: string;
  private readonly maxTasksPerChild: number;
  private readonly maxChildRssBytes: number;
  private readonly fileDeadlineMs: number;
  private readonly log: (message: string) => void;
  private readonly children = new Set<Child>();
  private readonly queue: Task[] = [];
  private nextId = 0;
  private startFailures = 0;
  private closed = false;
  private keepWarm = false;
  /** Counters since the pool was created, for metrics. */
  readonly stats: ScanPoolStats = { started: 0, crashed: 0, timedOut: 0, recycled: 0 };
  private broken = false;

  constructor(options: ScanProcessPoolOptions = {}) {
    this.log = options.log ?? (() => undefined);
    const size = options.size ?? scanProcessCount(options.env);
    const script = options.childScript === undefined ? childScript() : options.childScript;
    this.script = size > 0 && script !== null ? script : undefined;
    this.size = this.script === undefined ? 0 : size;
    this.rulesModule = options.rulesModule ?? new URL('../../rules/index.js', import.meta.url).href;
    this.maxTasksPerChild = options.maxTasksPerChild ?? DEFAULT_MAX_TASKS_PER_CHILD;
    this.maxChildRssBytes = options.maxChildRssBytes ?? DEFAULT_MAX_CHILD_RSS_BYTES;
    this.fileDeadlineMs = options.fileDeadlineMs ?? DEFAULT_FILE_DEADLINE_MS;
    if (this.size === 0) {
      this.log(
        size === 0
          ? 'scan processes are off (PYGUARD_SCAN_PROCESSES=0): files are scanned in-process, without crash isolation'
          : 'the compiled scan child is not available (running from sources?): files are scanned in-process, without crash isolation',
      );
    }
  }

  /** Whether files go to child processes (false: callers scan in-process). */
  get available(): boolean {
    return this.size > 0 && !this.broken && !this.closed;
  }

  /** Whether {@link close} was called: scanners of this pool then refuse to scan. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Process ids of the live children (for operators and tests). */
  get childPids(): number[] {
    return [...this.children].flatMap((child) => child.process.pid ?? []);
  }

  /**
   * Scans one file in a child. Never rejects for the file's sake: a crash or a deadline becomes a
   * notice. Rejects with the signal's reason when `signal` aborts, when the pool is closed, and
   * with {@link ScanPoolUnavailableError} when children cannot be started.
   */
  scan(input: ScanFileInput, config: ScanConfig, signal?: AbortSignal): Promise<FileResult> {
    if (!this.available) {
      return Promise.reject(
        new ScanPoolUnavailableError(this.closed ? 'the scan pool is closed' : 'no scan processes'),
      );
    }
    if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
    return new Promise<FileResult>((resolve, reject) => {
      const onAbort = (): void => {
        this.cancel(task);
      };
      const task: Task = {
        id: this.nextId++,
        input,
        config,
        deaths: 0,
        signal,
        settle: (outcome) => {
          signal?.removeEventListener('abort', onAbort);
          task.settle = () => undefined;
          if ('result' in outcome) resolve(outcome.result);
          else
            reject(
              outcome.error instanceof Error ? outcome.error : new Error(String(outcome.error)),
            );
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(task);
      this.pump();
    });
  }

  /**
   * Starts every child now and keeps the pool full from then on (replacements start as soon as a
   * child is retired or dies), so no scan waits for a child to load its rules.
   */
  warmUp(): void {
    this.keepWarm = true;
    this.pump();
  }

  /** Stops every child and fails queued and running files; resolves once all children exited. */
  async close(): Promise<void> {
    this.closed = true;
    const error = new Error('the scan pool was closed');
    for (const task of this.queue.splice(0)) task.settle({ error });
    const exits: Promise<void>[] = [];
    for (const child of this.children) {
      child.task?.settle({ error });
      child.task = undefined;
      this.end(child, 'closed');
      exits.push(child.exited);
    }
    await Promise.all(exits);
  }

  /** Hands queued files to idle children, starting children up to the pool size. */
  private pump(): void {
    while (this.queue.length > 0 && !this.closed && !this.broken) {
      const live = [...this.children].filter((child) => child.ending === undefined);
      const idle = live.find((child) => child.ready && child.task === undefined);
      const task = idle === undefined ? undefined : this.queue.shift();
      if (idle !== undefined && task !== undefined) {
        this.assign(idle, task);
        continue;
      }
      const starting = live.filter((child) => !child.ready).length;
      if (live.length >= this.size || starting >= this.queue.length) break;
      this.start();
    }
    if (!this.keepWarm || this.closed || this.broken) return;
    const live = [...this.children].filter((child) => child.ending === undefined).length;
    for (let count = live; count < this.size; count++) this.start();
  }

  private assign(child: Child, task: Task): void {
    child.task = task;
    setReferenced(child.process, true);
    const message: ChildTask = {
      id: task.id,
      path: task.input.path,
      source: ownBytes(task.input.source),
      addedLines: task.input.addedLines == null ? null : [...task.input.addedLines],
      config: task.config,
    };
    child.timer = setTimeout(() => {
      this.end(child, 'deadline');
    }, this.fileDeadlineMs);
    child.process.send(message, (error) => {
      if (error !== null)
        this.log(`scan child ${pidOf(child)}: sending a file failed: ${error.message}`);
    });
  }

  private start(): void {
    const script = this.script;
    if (script === undefined) return;
    let proc: ChildProcess;
    try {
      proc = fork(fileURLToPath(script), [this.rulesModule], {
        serialization: 'advanced',
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        execArgv: [],
      });
    } catch (error) {
      this.log(
        `scan child could not be started: ${error instanceof Error ? error.message : String(error)}`,
      );
      this.giveUp();
      return;
    }
    let markExited: () => void = () => undefined;
    const child: Child = {
      process: proc,
      ready: false,
      task: undefined,
      tasksDone: 0,
      ending: undefined,
      stderrTail: '',
      timer: undefined,
      exited: new Promise((resolve) => (markExited = resolve)),
    };
    this.children.add(child);
    this.stats.started++;
    child.timer = setTimeout(() => {
      this.end(child, 'deadline');
    }, START_DEADLINE_MS);
    proc.stderr?.setEncoding('utf8');
    proc.stderr?.on('data', (chunk: string) => {
      child.stderrTail = (child.stderrTail + chunk).slice(-STDERR_TAIL_BYTES);
    });
    proc.on('message', (reply: ChildReply) => {
      this.onReply(child, reply);
    });
    proc.on('error', (error) => {
      this.log(`scan child ${pidOf(child)}: ${error.message}`);
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    });
    proc.on('exit', (code, signal) => {
      this.onExit(child, code, signal);
      markExited();
    });
  }

  private onReply(child: Child, reply: ChildReply): void {
    if (reply.type === 'ready') {
      clearTimeout(child.timer);
      child.ready = true;
      this.startFailures = 0;
      setReferenced(child.process, false);
      this.pump();
      return;
    }
    const task = child.task;
    if (task === undefined || task.id !== reply.id || child.ending !== undefined) return;
    clearTimeout(child.timer);
    child.task = undefined;
    child.tasksDone++;
    setReferenced(child.process, false);
    task.settle({
      result:
        reply.type === 'result'
          ? reply.result
          : noticeResult(task.input, 'skipped', `not scanned: the scan failed (${reply.message})`),
    });
    if (child.tasksDone >= this.maxTasksPerChild || reply.rssBytes > this.maxChildRssBytes) {
      this.stats.recycled++;
      this.end(child, 'retired');
    }
    this.pump();
  }

  private onExit(child: Child, code: number | null, signal: NodeJS.Signals | null): void {
    clearTimeout(child.timer);
    this.children.delete(child);
    const task = child.task;
    child.task = undefined;
    const how = describeExit(code, signal);
    if (!child.ready && child.ending !== 'closed') this.onStartFailure(child, how);
    if (task !== undefined) {
      if (child.ending === 'deadline') {
        this.stats.timedOut++;
        const seconds = Math.round(this.fileDeadlineMs / 1000);
        this.log(
          `scan child ${pidOf(child)} killed: ${task.input.path} took longer than ${seconds} s`,
        );
        task.settle({
          result: noticeResult(
            task.input,
            'skipped',
            `not scanned: scanning took longer than ${seconds} s`,
          ),
        });
      } else if (child.ending === undefined) {
        this.onCrash(child, task, how);
      }
    }
    this.pump();
  }

  /** A child died mid-file: the file is tried once more in a fresh child, then refused. */
  private onCrash(child: Child, task: Task, how: string): void {
    task.deaths++;
    this.stats.crashed++;
    const tail = child.stderrTail.trim();
    this.log(
      `scan child ${pidOf(child)} stopped (${how}) while scanning ${task.input.path}` +
        (tail === '' ? '' : `: ${tail.split('\n').slice(-5).join(' | ')}`),
    );
    if (task.deaths < 2 && !this.closed) {
      this.queue.unshift(task);
      return;
    }
    task.settle({ result: refusedResult(task.input, how) });
  }

  /** A child died before loading its rules: after a few in a row, the pool stops trying. */
  private onStartFailure(child: Child, how: string): void {
    this.startFailures++;
    const tail = child.stderrTail.trim();
    this.log(
      `scan child ${pidOf(child)} failed to start (${how})` + (tail === '' ? '' : `: ${tail}`),
    );
    if (this.startFailures >= MAX_START_FAILURES) this.giveUp();
  }

  /**
   * Stops using children. Queued files go back to the callers to scan in-process, except a file
   * that already took a child down: it is refused rather than risked on the service's thread.
   */
  private giveUp(): void {
    this.broken = true;
    this.log('scan children cannot be started: files are scanned in-process from now on');
    const error = new ScanPoolUnavailableError('scan children cannot be started');
    for (const task of this.queue.splice(0)) {
      if (task.deaths === 0) task.settle({ error });
      else task.settle({ result: refusedResult(task.input, 'its scan process stopped') });
    }
  }

  /** Removes a file from the queue, or kills the child scanning it, and rejects it. */
  private cancel(task: Task): void {
    const reason = task.signal?.reason as unknown;
    const queued = this.queue.indexOf(task);
    if (queued !== -1) this.queue.splice(queued, 1);
    for (const child of this.children) {
      if (child.task === task) this.end(child, 'aborted');
    }
    task.settle({ error: reason });
  }

  /** Ends a child on purpose: a retired one finishes quietly, any other is killed at once. */
  private end(child: Child, why: Ending): void {
    if (child.ending !== undefined) return;
    child.ending = why;
    clearTimeout(child.timer);
    // Whoever waits for the exit (close, a retry) needs the event loop to stay up until it comes.
    setReferenced(child.process, true);
    if (why === 'retired' && child.process.connected) {
      // The child exits when its channel closes; one that does not within a few seconds is killed.
      child.process.disconnect();
      child.timer = setTimeout(() => child.process.kill('SIGKILL'), RETIRE_GRACE_MS);
      return;
    }
    child.process.kill('SIGKILL');
  }
}

function pidOf(child: Child): string {
  return String(child.process.pid ?? '?');
}

/** An idle child does not keep the service's event loop alive; a busy one does. */
function setReferenced(child: ChildProcess, referenced: boolean): void {
  const stderr = child.stderr as Socket | null;
  if (referenced) {
    child.ref();
    child.channel?.ref();
    stderr?.ref();
  } else {
    child.unref();
    child.channel?.unref();
    stderr?.unref();
  }
}

/** Files scanned in-process between two turns of the event loop. */
const YIELD_EVERY = 8;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A scanner with the shape of {@link Scanner} whose files are scanned by a process pool. */
export interface PooledScanner {
  readonly registry: RuleRegistry;
  readonly selection: RuleSelection;
  /** Scans one file; resolves with a notice instead of a result when the file crashed a child. */
  scanFile(input: ScanFileInput): Promise<FileResult>;
  /** Scans several files, as many at once as the pool has children; yields in input order. */
  scanFiles(
    inputs: Iterable<ScanFileInput> | AsyncIterable<ScanFileInput>,
  ): AsyncGenerator<FileResult>;
}

export interface PooledScannerOptions {
  /** Restricts the scan to these rule IDs or slugs. */
  only?: readonly string[] | undefined;
  /** Cancels the files of this scanner still queued or running. */
  signal?: AbortSignal | undefined;
}

/**
 * Builds a scanner for one configuration whose files go to `pool`. `rules` must be the rules the
 * pool's children load: the caller's registry and selection come from them, and they scan
 * in-process when the pool has no children.
 */
export function createPooledScanner(
  config: ScannerConfig,
  rules: readonly AnyRule[],
  pool: ScanProcessPool,
  options: PooledScannerOptions = {},
): PooledScanner {
  const local: Scanner = createScanner(config, rules, options.only);
  const scanConfig: ScanConfig = {
    rules: config.rules,
    minConfidence: config.minConfidence,
    profile: config.profile ?? 'default',
    ...(config.pathBase === undefined ? {} : { pathBase: config.pathBase }),
    ...(options.only === undefined ? {} : { only: options.only }),
  };
  const { signal } = options;
  const scanFile = async (input: ScanFileInput): Promise<FileResult> => {
    signal?.throwIfAborted();
    if (pool.isClosed) throw new Error('the scan pool was closed');
    if (!pool.available) return local.scanFile(input);
    try {
      return await pool.scan(input, scanConfig, signal);
    } catch (error) {
      const unavailable = error instanceof ScanPoolUnavailableError && !pool.isClosed;
      if (!unavailable || signal?.aborted === true) throw error;
      return local.scanFile(input);
    }
  };
  return {
    registry: local.registry,
    selection: local.selection,
    scanFile,
    async *scanFiles(inputs) {
      const window: Promise<FileResult>[] = [];
      const width = Math.max(1, pool.available ? pool.size : 1);
      let count = 0;
      try {
        for await (const input of inputs) {
          // In-process, parse trees are freed only when the event loop turns.
          if (!pool.available && ++count % YIELD_EVERY === 0) await yieldToEventLoop();
          const next = scanFile(input);
          next.catch(() => undefined);
          window.push(next);
          const oldest = window.length >= width ? window.shift() : undefined;
          if (oldest !== undefined) yield await oldest;
        }
        for (let oldest = window.shift(); oldest !== undefined; oldest = window.shift()) {
          yield await oldest;
        }
      } finally {
        window.length = 0;
      }
    },
  };
}
