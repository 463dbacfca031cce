/**
 * Several worker processes on one Redis: a worker killed mid-scan loses the job to another, and
 * two workers never scan the same pull request at once.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';

import { RedisQueue } from '../../../src/github/jobs/redis-queue.js';
import { recorder, scanJob, until } from './contract.js';

const redisUrl = process.env['PYGUARD_TEST_REDIS_URL'];
const blockingWorker = fileURLToPath(
  new URL('../../fixtures/jobs/blocking-worker.mjs', import.meta.url),
);
const built = existsSync(
  fileURLToPath(new URL('../../../dist/src/github/jobs/redis-queue.js', import.meta.url)),
);

function queueOn(prefix: string): RedisQueue {
  return new RedisQueue({
    url: redisUrl ?? '',
    prefix,
    concurrency: 2,
    lockMs: 1000,
    heartbeatMs: 100,
    retry: { attempts: 2, baseDelayMs: 10 },
  });
}

describe.skipIf(redisUrl === undefined || !built)('workers sharing one Redis', () => {
  it('another worker takes over the scan of a worker killed mid-scan', async () => {
    const prefix = `pyguard-test-${randomUUID()}`;
    const child = spawn(process.execPath, [blockingWorker, redisUrl ?? '', prefix], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const producer = queueOn(prefix);
    const survivor = queueOn(prefix);
    const rec = recorder();
    try {
      await producer.enqueue(scanJob(11, 'k1'));
      await until(() => output.includes('started k1'));
      child.kill('SIGKILL');
      survivor.startWorker(rec.hooks);
      await until(() => rec.events.includes('done k1'), 30_000);
      // The job kept the check run the killed worker's acceptance created; the takeover counts
      // as a second attempt, since the killed one may have left work behind.
      expect(rec.events).toContain('start k1 #2 check 7');
      expect(rec.abandoned).toEqual([]);
    } finally {
      child.kill('SIGKILL');
      await Promise.all([producer.close(0), survivor.close(0)]);
    }
  });

  it('never runs two scans of one pull request at once across workers', async () => {
    const prefix = `pyguard-test-${randomUUID()}`;
    const workers = [queueOn(prefix), queueOn(prefix)];
    let running = 0;
    let overlap = 0;
    const rec = recorder();
    const hooks = {
      ...rec.hooks,
      process: async (...args: Parameters<typeof rec.hooks.process>) => {
        running++;
        if (running > 1) overlap++;
        await new Promise((resolve) => setTimeout(resolve, 30));
        await rec.hooks.process(...args);
        running--;
      },
    };
    for (const worker of workers) worker.startWorker(hooks);
    try {
      // Reruns (not pushes) of one head: each must run, one after the other.
      for (let index = 0; index < 6; index++) {
        await workers[index % 2]?.enqueue(scanJob(12, 'm1', false));
      }
      await until(() => rec.events.filter((event) => event === 'done m1').length === 6, 30_000);
      expect(overlap).toBe(0);
    } finally {
      await Promise.all(workers.map((worker) => worker.close(0)));
    }
  });

  it('re-queues a check run whose job is gone, and completes it when it is lost again', async () => {
    const prefix = `pyguard-test-${randomUUID()}`;
    const redis = new Redis(redisUrl ?? '');
    const lost = scanJob(13, 'n1');
    const lostTwice = scanJob(14, 'p1');
    await redis.hset(`${prefix}:open-checks`, {
      '55': JSON.stringify({ data: { job: lost, checkRunId: 55 }, jobId: 'gone-1', since: 0 }),
      '56': JSON.stringify({
        data: { job: lostTwice, checkRunId: 56, recovered: true },
        jobId: 'gone-2',
        since: 0,
      }),
    });
    const worker = new RedisQueue({
      url: redisUrl ?? '',
      prefix,
      concurrency: 1,
      orphanAfterMs: 0,
      heartbeatMs: 100,
    });
    const rec = recorder();
    worker.startWorker(rec.hooks);
    try {
      await until(() => rec.events.includes('done n1') && rec.abandoned.length === 1);
      expect(rec.events).toContain('start n1 #1 check 55');
      expect(rec.abandoned[0]?.checkRunId).toBe(56);
      expect(rec.abandoned[0]?.reason.kind).toBe('exhausted');
      await until(() => rec.events.length > 0);
      expect(await redis.hlen(`${prefix}:open-checks`)).toBe(0);
    } finally {
      await worker.close(0);
      redis.disconnect();
    }
  });
});
