/**
 * The durable queue: BullMQ on Redis (`REDIS_URL`). Any number of webhook receivers and workers
 * share it. A job survives crashes, restarts and deploys; a worker killed mid-scan loses its
 * lock and another worker takes the job over.
 *
 * Two BullMQ queues: `accept` (creates the `queued` check run at once, then hands the job on)
 * and `scan` (the scans, bounded per worker). On top of BullMQ:
 * - one job per pull request at a time: a per-key lock in Redis, renewed while the job runs;
 *   a job that finds it taken waits a moment in the delayed set;
 * - the newest head wins: the latest pushed head SHA per key is kept in Redis; a job for an
 *   older head is completed as superseded when it starts, and a running one is stopped;
 * - no check run left pending: every `queued` check run is recorded until its job completes
 *   it; a sweep (at start and every minute) re-queues or completes those whose job is gone.
 */
import { DelayedError, Queue, Worker } from 'bullmq';
import type { Job } from 'bullmq';
import { Redis } from 'ioredis';

import {
  DEFAULT_RETRY_POLICY,
  jobIdOf,
  retryDelayMs,
  type AbandonReason,
  type EnqueueOutcome,
  type QueueStats,
  type ReadinessCheck,
  type RetryPolicy,
  type ScanQueue,
  type WorkerHooks,
} from './queue.js';
import {
  DeadlineError,
  ShutdownError,
  SupersededError,
  type JobRun,
  type ScanJob,
} from './types.js';

export interface RedisQueueOptions {
  url: string;
  /** Scans one worker process runs at once. */
  concurrency: number;
  /** Key prefix in Redis (default `pyguard`), so several deployments can share a server. */
  prefix?: string;
  retry?: Partial<RetryPolicy>;
  /** How often the lock is renewed and the newest head checked (ms, default 1,000). */
  heartbeatMs?: number;
  /** A lost worker's job is taken over after about this long (ms, default 10,000). */
  lockMs?: number;
  /** A recorded check run whose job is gone for this long is recovered (ms, default 60,000). */
  orphanAfterMs?: number;
  /** How often workers sweep for orphaned check runs (ms, default 60,000). */
  sweepEveryMs?: number;
  /** Waiting this long with no job started makes `/readyz` fail (ms, default 10 minutes). */
  stalledAfterMs?: number;
}

interface ScanData {
  job: ScanJob;
  checkRunId?: number | undefined;
  /** Set on a job re-queued by the orphan sweep: the next orphaning completes it instead. */
  recovered?: boolean;
}

interface OpenCheck {
  data: ScanData;
  jobId: string;
  since: number;
}

/** Releases the key's lock only when this job holds it. */
const RELEASE_LOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
/** Extends the key's lock only when this job holds it. */
const RENEW_LOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

export class RedisQueue implements ScanQueue {
  readonly backend = 'redis';
  private readonly options: Required<Omit<RedisQueueOptions, 'retry'>>;
  private readonly policy: RetryPolicy;
  private readonly redis: Redis;
  private readonly acceptQueue: Queue<ScanJob>;
  private readonly scanQueue: Queue<ScanData>;
  private readonly workers: Worker[] = [];
  private readonly running = new Map<string, AbortController>();
  private sweeper: NodeJS.Timeout | undefined;
  private closing = false;

  constructor(options: RedisQueueOptions) {
    this.options = {
      prefix: 'pyguard',
      heartbeatMs: 1_000,
      lockMs: 10_000,
      orphanAfterMs: 60_000,
      sweepEveryMs: 60_000,
      stalledAfterMs: 10 * 60_000,
      ...options,
    };
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.redis = this.connect();
    const common = { connection: this.redis, prefix: this.options.prefix };
    this.acceptQueue = new Queue<ScanJob>('accept', common);
    this.scanQueue = new Queue<ScanData>('scan', common);
  }

  private connect(): Redis {
    // Workers block on Redis; BullMQ requires unlimited retries per request for them.
    return new Redis(this.options.url, { maxRetriesPerRequest: null, enableReadyCheck: true });
  }

  private key(...parts: string[]): string {
    return [this.options.prefix, ...parts].join(':');
  }

  async enqueue(job: ScanJob): Promise<EnqueueOutcome> {
    const id = jobIdOf(job);
    if ((await this.acceptQueue.getJob(id)) !== undefined) return 'duplicate';
    if (job.supersedes) await this.redis.set(this.key('head', job.key), job.headSha);
    await this.acceptQueue.add('accept', job, {
      jobId: id,
      attempts: 5,
      backoff: { type: 'exponential', delay: 1_000 },
      removeOnComplete: { age: 3_600 },
      removeOnFail: { age: 86_400 },
    });
    return 'queued';
  }

  startWorker(hooks: WorkerHooks): void {
    const settings = {
      prefix: this.options.prefix,
      lockDuration: this.options.lockMs,
      stalledInterval: Math.max(1_000, Math.floor(this.options.lockMs / 2)),
      maxStalledCount: 1,
    };
    const acceptWorker = new Worker<ScanJob>(
      'accept',
      async (bullJob) => {
        await this.acceptJob(bullJob.data, hooks);
      },
      { ...settings, connection: this.connect(), concurrency: 8 },
    );
    const scanWorker = new Worker<ScanData>(
      'scan',
      (bullJob, token) => this.processScan(bullJob, token, hooks),
      {
        ...settings,
        connection: this.connect(),
        concurrency: Math.max(1, Math.floor(this.options.concurrency)),
        settings: {
          backoffStrategy: (attemptsMade: number, _type?: string, error?: Error) =>
            retryDelayMs(this.policy, attemptsMade, error),
        },
      },
    );
    // A job that fails outside its processor (its worker died twice mid-scan) still has its
    // check run completed.
    scanWorker.on('failed', (bullJob, error) => {
      if (bullJob === undefined || !/stalled/i.test(error.message)) return;
      void this.abandon(hooks, bullJob.data, { kind: 'exhausted', error });
    });
    for (const worker of [acceptWorker, scanWorker]) {
      worker.on('error', (error) => hooks.onError?.(error, 'worker'));
      this.workers.push(worker);
    }
    const sweep = (): void => {
      this.sweep(hooks).catch((error: unknown) => hooks.onError?.(error, 'orphan sweep'));
    };
    sweep();
    this.sweeper = setInterval(sweep, this.options.sweepEveryMs);
    this.sweeper.unref();
  }

  /** Creates the job's `queued` check run, records it, and hands the job to the scanners. */
  private async acceptJob(job: ScanJob, hooks: WorkerHooks): Promise<void> {
    const id = jobIdOf(job);
    if ((await this.scanQueue.getJob(id)) !== undefined) return;
    const checkRunId = await hooks.accept(job);
    const data: ScanData = { job, checkRunId };
    if (checkRunId !== undefined) await this.recordOpenCheck(checkRunId, data, id);
    await this.addScan(id, data);
  }

  private async addScan(id: string, data: ScanData): Promise<void> {
    await this.scanQueue.add('scan', data, {
      jobId: id,
      attempts: this.policy.attempts,
      backoff: { type: 'pyguard' },
      removeOnComplete: { age: 3_600 },
      removeOnFail: { age: 86_400 },
    });
  }

  private async recordOpenCheck(checkRunId: number, data: ScanData, jobId: string): Promise<void> {
    const entry: OpenCheck = { data, jobId, since: Date.now() };
    await this.redis.hset(this.key('open-checks'), String(checkRunId), JSON.stringify(entry));
  }

  private async forgetOpenCheck(checkRunId: number | undefined): Promise<void> {
    if (checkRunId !== undefined)
      await this.redis.hdel(this.key('open-checks'), String(checkRunId));
  }

  private async abandon(hooks: WorkerHooks, data: ScanData, reason: AbandonReason): Promise<void> {
    await hooks.onAbandoned(data.job, data.checkRunId, reason);
    await this.forgetOpenCheck(data.checkRunId);
  }

  private async processScan(
    bullJob: Job<ScanData>,
    token: string | undefined,
    hooks: WorkerHooks,
  ): Promise<void> {
    const data = bullJob.data;
    const { job } = data;
    const newest = await this.redis.get(this.key('head', job.key));
    if (newest !== null && newest !== job.headSha) {
      await this.abandon(hooks, data, { kind: 'superseded', newerSha: newest });
      return;
    }
    const lockKey = this.key('lock', job.key);
    const lockId = bullJob.id ?? jobIdOf(job);
    const locked = await this.redis.set(lockKey, lockId, 'PX', this.options.lockMs, 'NX');
    if (locked === null) {
      // Another head or trigger of this pull request is being scanned: wait for it.
      await bullJob.moveToDelayed(Date.now() + this.options.heartbeatMs, token);
      throw new DelayedError();
    }
    const controller = new AbortController();
    this.running.set(lockId, controller);
    const heartbeat = setInterval(() => {
      void this.heartbeat(lockKey, lockId, job, controller);
    }, this.options.heartbeatMs);
    const deadline = setTimeout(() => {
      controller.abort(new DeadlineError(this.policy.deadlineMs));
    }, this.policy.deadlineMs);
    // A run taken over from a worker that died counts as another attempt: it may have left
    // part of its work behind (annotations sent, a review posted).
    const attempt = bullJob.attemptsMade + bullJob.stalledCounter + 1;
    const run: JobRun = {
      signal: controller.signal,
      attempt,
      finalAttempt: bullJob.attemptsMade + 1 >= this.policy.attempts,
      checkRunId: data.checkRunId,
      rememberCheckRun: async (checkRunId) => {
        data.checkRunId = checkRunId;
        await bullJob.updateData(data);
        await this.recordOpenCheck(checkRunId, data, lockId);
      },
    };
    try {
      await hooks.process(job, run);
      await this.forgetOpenCheck(data.checkRunId);
    } catch (error: unknown) {
      await this.afterFailure(bullJob, token, hooks, run, error);
    } finally {
      clearInterval(heartbeat);
      clearTimeout(deadline);
      this.running.delete(lockId);
      await this.redis.eval(RELEASE_LOCK, 1, lockKey, lockId).catch(() => undefined);
    }
  }

  private async afterFailure(
    bullJob: Job<ScanData>,
    token: string | undefined,
    hooks: WorkerHooks,
    run: JobRun,
    error: unknown,
  ): Promise<void> {
    const data = bullJob.data;
    const reason: unknown = run.signal.aborted ? run.signal.reason : undefined;
    const superseded = [reason, error].find((value) => value instanceof SupersededError);
    if (superseded instanceof SupersededError) {
      await this.forgetOpenCheck(data.checkRunId);
      return;
    }
    if (reason instanceof ShutdownError && !run.finalAttempt) {
      // Stopped by a deploy: back to the queue for another worker, without using an attempt.
      await bullJob.moveToDelayed(Date.now(), token);
      throw new DelayedError();
    }
    if (run.finalAttempt) {
      await this.abandon(hooks, data, { kind: 'exhausted', error });
      return;
    }
    hooks.onRetry?.(data.job, run.attempt, retryDelayMs(this.policy, run.attempt, error), error);
    throw error instanceof Error ? error : new Error(String(error));
  }

  /** Keeps the key's lock and stops the job when a newer head has been pushed. */
  private async heartbeat(
    lockKey: string,
    lockId: string,
    job: ScanJob,
    controller: AbortController,
  ): Promise<void> {
    try {
      await this.redis.eval(RENEW_LOCK, 1, lockKey, lockId, String(this.options.lockMs));
      const newest = await this.redis.get(this.key('head', job.key));
      if (newest !== null && newest !== job.headSha && !controller.signal.aborted) {
        controller.abort(new SupersededError(newest));
      }
    } catch {
      // Redis unreachable for a moment: the next beat tries again; BullMQ's lock decides.
    }
  }

  /** Re-queues (once) or completes the recorded check runs whose job no longer exists. */
  async sweep(hooks: WorkerHooks): Promise<void> {
    const entries = await this.redis.hgetall(this.key('open-checks'));
    const now = Date.now();
    for (const [checkRunId, text] of Object.entries(entries)) {
      const entry = parseOpenCheck(text);
      if (entry === undefined) {
        await this.redis.hdel(this.key('open-checks'), checkRunId);
        continue;
      }
      if (now - entry.since < this.options.orphanAfterMs) continue;
      const state = await this.scanQueue.getJobState(entry.jobId);
      if (['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'].includes(state)) {
        continue;
      }
      const accepting = await this.acceptQueue.getJobState(entry.jobId);
      if (['waiting', 'active', 'delayed', 'prioritized'].includes(accepting)) continue;
      // Claim the entry so that only one worker recovers it.
      if ((await this.redis.hdel(this.key('open-checks'), checkRunId)) === 0) continue;
      if (entry.data.recovered === true) {
        await hooks.onAbandoned(entry.data.job, entry.data.checkRunId, {
          kind: 'exhausted',
          error: new Error('the scan was lost twice (its worker stopped)'),
        });
        continue;
      }
      const data: ScanData = { ...entry.data, recovered: true };
      const id = `${entry.jobId}@recovered`;
      await this.recordOpenCheck(Number(checkRunId), data, id);
      await this.addScan(id, data);
    }
  }

  async stats(): Promise<QueueStats> {
    const counts = await this.scanQueue.getJobCounts(
      'waiting',
      'active',
      'delayed',
      'failed',
      'prioritized',
    );
    const accepting = await this.acceptQueue.getJobCounts('waiting', 'active');
    const [oldest] = await this.scanQueue.getJobs(['waiting', 'prioritized'], 0, 0, true);
    return {
      waiting:
        (counts['waiting'] ?? 0) + (counts['prioritized'] ?? 0) + (accepting['waiting'] ?? 0),
      active: (counts['active'] ?? 0) + (accepting['active'] ?? 0),
      delayed: counts['delayed'] ?? 0,
      failed: counts['failed'] ?? 0,
      oldestWaitingMs: oldest === undefined ? 0 : Math.max(0, Date.now() - oldest.timestamp),
    };
  }

  async readiness(): Promise<ReadinessCheck[]> {
    const checks: ReadinessCheck[] = [];
    try {
      await this.redis.ping();
      checks.push({ name: 'redis', ok: true });
    } catch (error: unknown) {
      const detail = error instanceof Error ? error.message : String(error);
      return [{ name: 'redis', ok: false, detail }];
    }
    const stats = await this.stats();
    const stalled = stats.oldestWaitingMs > this.options.stalledAfterMs;
    checks.push({
      name: 'queue',
      ok: !stalled && !this.closing,
      ...(stalled
        ? { detail: `oldest job waiting ${Math.round(stats.oldestWaitingMs / 1000)} s` }
        : this.closing
          ? { detail: 'shutting down' }
          : {}),
    });
    return checks;
  }

  async close(deadlineMs: number): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (this.sweeper !== undefined) clearInterval(this.sweeper);
    const closed = Promise.all(this.workers.map((worker) => worker.close()));
    const timeout = new Promise<'timeout'>((resolve) => {
      setTimeout(() => {
        resolve('timeout');
      }, deadlineMs).unref();
    });
    if ((await Promise.race([closed, timeout])) === 'timeout') {
      for (const controller of this.running.values()) controller.abort(new ShutdownError());
      await closed;
    }
    await Promise.all([this.acceptQueue.close(), this.scanQueue.close()]);
    await this.redis.quit().catch(() => undefined);
  }

  /** Removes every job and record of this prefix (tests only). */
  async obliterate(): Promise<void> {
    await this.acceptQueue.obliterate({ force: true });
    await this.scanQueue.obliterate({ force: true });
    const keys = await this.redis.keys(`${this.options.prefix}:*`);
    if (keys.length > 0) await this.redis.del(...keys);
  }
}

function parseOpenCheck(text: string): OpenCheck | undefined {
  try {
    const value = JSON.parse(text) as Partial<OpenCheck>;
    if (typeof value.jobId !== 'string' || typeof value.since !== 'number') return undefined;
    if (typeof value.data !== 'object') return undefined;
    return value as OpenCheck;
  } catch {
    return undefined;
  }
}
