import { describe, expect, it } from 'vitest';

import { JobQueue, SupersededError } from '../../src/github/queue.js';
import type { QueueJob } from '../../src/github/queue.js';

let deliveries = 0;

/** A job that runs until released, recording what happened to it. */
function controllable(key: string, headSha: string, supersedes = true) {
  let release: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    release = resolve;
  });
  const events: string[] = [];
  let signal: AbortSignal | undefined;
  const job: QueueJob = {
    key,
    headSha,
    deliveryId: `delivery-${++deliveries}`,
    supersedes,
    run: async ({ signal: jobSignal }) => {
      signal = jobSignal;
      events.push('started');
      await done;
      events.push(jobSignal.aborted ? 'finished-aborted' : 'finished');
    },
    onDropped: (newer) => events.push(`dropped-for-${newer}`),
  };
  return {
    job,
    events,
    release: () => {
      release();
    },
    signal: () => signal,
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('JobQueue', () => {
  it('runs at most `concurrency` jobs at once and one per key', async () => {
    const queue = new JobQueue({ concurrency: 2 });
    const a1 = controllable('a', '1');
    const a2 = controllable('a', '1', false);
    const b = controllable('b', '1');
    const c = controllable('c', '1');
    queue.enqueue(a1.job);
    queue.enqueue(a2.job);
    queue.enqueue(b.job);
    queue.enqueue(c.job);
    await tick();
    expect(queue.size).toEqual({ pending: 2, running: 2, tasks: 0 });
    expect([a1.events, a2.events, b.events, c.events]).toEqual([['started'], [], ['started'], []]);

    a1.release();
    await tick();
    // a2 waited behind a1 and is first in line.
    expect([a2.events, c.events]).toEqual([['started'], []]);
    a2.release();
    b.release();
    c.release();
    await queue.idle();
    expect([a1.events, a2.events, b.events, c.events]).toEqual([
      ['started', 'finished'],
      ['started', 'finished'],
      ['started', 'finished'],
      ['started', 'finished'],
    ]);
  });

  it('aborts a running job when a push of a newer head arrives, then runs the newer one', async () => {
    const queue = new JobQueue({ concurrency: 2 });
    const old = controllable('pr', 'old');
    const fresh = controllable('pr', 'new');
    queue.enqueue(old.job);
    await tick();
    expect(queue.enqueue(fresh.job)).toBe('superseded-running');
    const reason: unknown = old.signal()?.reason;
    expect(reason).toBeInstanceOf(SupersededError);
    expect((reason as SupersededError).newerSha).toBe('new');
    expect(fresh.events).toEqual([]);
    old.release();
    await tick();
    expect(fresh.events).toEqual(['started']);
    fresh.release();
    await queue.idle();
    expect(old.events).toEqual(['started', 'finished-aborted']);
  });

  it('drops a queued job that a newer push replaces', async () => {
    const queue = new JobQueue({ concurrency: 1 });
    const blocker = controllable('other', 'x');
    const first = controllable('pr', '1');
    const second = controllable('pr', '2');
    queue.enqueue(blocker.job);
    queue.enqueue(first.job);
    expect(queue.enqueue(second.job)).toBe('replaced-queued');
    blocker.release();
    second.release();
    await queue.idle();
    expect(first.events).toEqual(['dropped-for-2']);
    expect(second.events).toEqual(['started', 'finished']);
  });

  it('lets a re-run wait without aborting, and never lets it displace a queued push', async () => {
    const queue = new JobQueue({ concurrency: 1 });
    const running = controllable('pr', 'head');
    const push = controllable('pr', 'newer');
    const rerunOfOld = controllable('pr', 'old', false);
    const rerunOfHead = controllable('pr', 'head', false);
    queue.enqueue(running.job);
    await tick();
    expect(queue.enqueue(rerunOfHead.job)).toBe('queued');
    expect(running.signal()?.aborted).toBe(false);
    expect(queue.enqueue(push.job)).toBe('superseded-running');
    expect(queue.enqueue(rerunOfOld.job)).toBe('dropped-stale');
    running.release();
    push.release();
    await queue.idle();
    expect(rerunOfHead.events).toEqual(['dropped-for-newer']);
    expect(rerunOfOld.events).toEqual(['dropped-for-newer']);
    expect(push.events).toEqual(['started', 'finished']);
  });

  it('ignores a redelivery of a job that is waiting or running', async () => {
    const queue = new JobQueue({ concurrency: 1 });
    const job = controllable('pr', '1');
    queue.enqueue(job.job);
    expect(queue.enqueue({ ...job.job })).toBe('duplicate');
    job.release();
    await queue.idle();
    expect(job.events).toEqual(['started', 'finished']);
  });

  it('keeps errors inside: jobs and tasks that throw are reported and the queue goes on', async () => {
    const errors: string[] = [];
    const queue = new JobQueue({
      concurrency: 1,
      onError: (error, key) => errors.push(`${key}: ${(error as Error).message}`),
    });
    queue.enqueue({
      key: 'pr',
      headSha: '1',
      deliveryId: 'd1',
      supersedes: true,
      run: () => Promise.reject(new Error('boom')),
    });
    queue.track('task', () => {
      throw new Error('bang');
    });
    const after = controllable('pr2', '1');
    queue.enqueue(after.job);
    after.release();
    await queue.idle();
    expect(errors.sort()).toEqual(['pr: boom', 'task: bang']);
    expect(after.events).toEqual(['started', 'finished']);
  });

  it('is idle at once when empty', async () => {
    await expect(new JobQueue({ concurrency: 0 }).idle()).resolves.toBeUndefined();
  });
});
