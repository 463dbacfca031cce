/**
 * What every scan queue promises, run against the in-process queue and against BullMQ on a real
 * Redis (`PYGUARD_TEST_REDIS_URL`, started by scripts/with-test-redis.sh).
 */
import { expect, it } from 'vitest';

import type { AbandonReason, ScanQueue, WorkerHooks } from '../../../src/github/jobs/queue.js';
import {
  ShutdownError,
  SupersededError,
  TransientError,
  type JobRun,
  type ScanJob,
} from '../../../src/github/jobs/types.js';

let deliveries = 0;

export function scanJob(pullNumber: number, headSha: string, supersedes = true): ScanJob {
  return {
    key: `octo/repo#${pullNumber}`,
    installationId: 1,
    owner: 'octo',
    repo: 'repo',
    pullNumber,
    headSha,
    trigger: supersedes ? 'pull_request.synchronize' : 'command',
    deliveryId: `delivery-${++deliveries}-${Date.now()}`,
    supersedes,
    acceptedAt: Date.now(),
  };
}

export interface Recorder {
  hooks: WorkerHooks;
  events: string[];
  abandoned: { job: ScanJob; checkRunId: number | undefined; reason: AbandonReason }[];
  runs: { job: ScanJob; run: JobRun }[];
  /** Makes the processor of `headSha` behave as given (default: finish at once). */
  behave: (headSha: string, behaviour: (run: JobRun) => Promise<void>) => void;
}

export function recorder(): Recorder {
  const events: string[] = [];
  const abandoned: Recorder['abandoned'] = [];
  const runs: Recorder['runs'] = [];
  const behaviours = new Map<string, (run: JobRun) => Promise<void>>();
  let nextCheck = 100;
  const hooks: WorkerHooks = {
    accept: (job) => {
      const id = ++nextCheck;
      events.push(`accept ${job.headSha} → ${id}`);
      return Promise.resolve(id);
    },
    process: async (job, run) => {
      runs.push({ job, run });
      events.push(`start ${job.headSha} #${run.attempt} check ${run.checkRunId ?? '-'}`);
      await (behaviours.get(job.headSha) ?? (() => Promise.resolve()))(run);
      events.push(`done ${job.headSha}`);
    },
    onAbandoned: (job, checkRunId, reason) => {
      abandoned.push({ job, checkRunId, reason });
      events.push(`abandoned ${job.headSha} ${reason.kind}`);
      return Promise.resolve();
    },
  };
  return {
    hooks,
    events,
    abandoned,
    runs,
    behave: (headSha, behaviour) => behaviours.set(headSha, behaviour),
  };
}

/** Waits until `predicate` holds (polling), failing after `ms`. */
export async function until(predicate: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function blocked(): { wait: (run: JobRun) => Promise<void>; release: () => void } {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    wait: (run) =>
      new Promise<void>((resolve, reject) => {
        run.signal.addEventListener('abort', () => {
          reject(run.signal.reason as Error);
        });
        void gate.then(resolve);
      }),
    release: () => {
      release();
    },
  };
}

/** The contract, for a factory of fresh queues (fast retries, short deadlines). */
export function queueContract(
  make: () => Promise<ScanQueue>,
  drop: (q: ScanQueue) => Promise<void>,
): void {
  it('creates the check run at acceptance and hands it to the processor', async () => {
    const queue = await make();
    const rec = recorder();
    queue.startWorker(rec.hooks);
    try {
      expect(await queue.enqueue(scanJob(1, 'a1'))).toBe('queued');
      await until(() => rec.events.includes('done a1'));
      expect(rec.events.filter((event) => event.includes('a1'))).toEqual([
        'accept a1 → 101',
        'start a1 #1 check 101',
        'done a1',
      ]);
    } finally {
      await drop(queue);
    }
  });

  it('ignores a redelivery of a job it already has', async () => {
    const queue = await make();
    const rec = recorder();
    const gate = blocked();
    rec.behave('b1', gate.wait);
    queue.startWorker(rec.hooks);
    try {
      const job = scanJob(2, 'b1');
      await queue.enqueue(job);
      expect(await queue.enqueue({ ...job })).toBe('duplicate');
      await until(() => rec.runs.length === 1);
      gate.release();
      await until(() => rec.events.includes('done b1'));
      expect(rec.events.filter((event) => event.startsWith('accept'))).toHaveLength(1);
    } finally {
      await drop(queue);
    }
  });

  it('scans one head of a pull request at a time, and a newer push stops the older one', async () => {
    const queue = await make();
    const rec = recorder();
    const gate = blocked();
    rec.behave('c1', gate.wait);
    queue.startWorker(rec.hooks);
    try {
      await queue.enqueue(scanJob(3, 'c1'));
      await until(() => rec.runs.length === 1);
      await queue.enqueue(scanJob(3, 'c2'));
      await until(() => rec.events.includes('done c2'));
      const first = rec.runs[0]?.run;
      expect(first?.signal.aborted).toBe(true);
      expect(first?.signal.reason).toBeInstanceOf(SupersededError);
      // c2 started only after c1 had stopped.
      const c1Stopped = rec.events.findIndex((event) => event.startsWith('start c1'));
      const c2Started = rec.events.findIndex((event) => event.startsWith('start c2'));
      expect(c2Started).toBeGreaterThan(c1Stopped);
      expect(rec.events.filter((event) => event === 'done c1')).toHaveLength(0);
    } finally {
      gate.release();
      await drop(queue);
    }
  });

  it('completes a queued older head as superseded without scanning it', async () => {
    const queue = await make();
    const rec = recorder();
    const gate = blocked();
    rec.behave('d0', gate.wait);
    queue.startWorker(rec.hooks);
    try {
      // A rerun of d0 holds the pull request; d1 and then d2 are pushed meanwhile.
      await queue.enqueue(scanJob(4, 'd0', false));
      await until(() => rec.runs.length === 1);
      await queue.enqueue(scanJob(4, 'd1'));
      await until(() => rec.events.some((event) => event.startsWith('accept d1')));
      await queue.enqueue(scanJob(4, 'd2'));
      // d1 may be taken up before or after d2 runs; either way it is never scanned.
      await until(
        () =>
          rec.events.includes('done d2') &&
          rec.abandoned.some((entry) => entry.job.headSha === 'd1'),
      );
      expect(rec.runs.map((entry) => entry.job.headSha)).not.toContain('d1');
      const d1 = rec.abandoned.find((entry) => entry.job.headSha === 'd1');
      expect(d1?.reason).toEqual({ kind: 'superseded', newerSha: 'd2' });
      expect(d1?.checkRunId).toBeTypeOf('number');
    } finally {
      gate.release();
      await drop(queue);
    }
  });

  it('retries a transient failure, then abandons the job when attempts run out', async () => {
    const queue = await make();
    const rec = recorder();
    rec.behave('e1', (run) =>
      run.attempt === 1
        ? Promise.reject(new TransientError('502 from GitHub', 10))
        : Promise.resolve(),
    );
    rec.behave('f1', () => Promise.reject(new TransientError('still 502', 10)));
    queue.startWorker(rec.hooks);
    try {
      await queue.enqueue(scanJob(5, 'e1'));
      await queue.enqueue(scanJob(6, 'f1'));
      await until(() => rec.events.includes('done e1'));
      await until(() => rec.abandoned.some((entry) => entry.job.headSha === 'f1'));
      expect(
        rec.runs.filter((entry) => entry.job.headSha === 'e1').map((e) => e.run.attempt),
      ).toEqual([1, 2]);
      const f1Runs = rec.runs.filter((entry) => entry.job.headSha === 'f1').map((e) => e.run);
      expect(f1Runs.map((run) => [run.attempt, run.finalAttempt])).toEqual([
        [1, false],
        [2, true],
      ]);
      const f1 = rec.abandoned.find((entry) => entry.job.headSha === 'f1');
      expect(f1?.reason.kind).toBe('exhausted');
      expect(f1?.checkRunId).toBeTypeOf('number');
    } finally {
      await drop(queue);
    }
  });

  it('stops a running job at shutdown once the deadline passes', async () => {
    const queue = await make();
    const rec = recorder();
    const gate = blocked();
    rec.behave('g1', gate.wait);
    queue.startWorker(rec.hooks);
    await queue.enqueue(scanJob(7, 'g1'));
    await until(() => rec.runs.length === 1);
    await queue.close(50);
    expect(rec.runs[0]?.run.signal.reason).toBeInstanceOf(ShutdownError);
    gate.release();
    await drop(queue);
  });
}
