import { randomUUID } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { MemoryQueue } from '../../../src/github/jobs/memory-queue.js';
import { RedisQueue } from '../../../src/github/jobs/redis-queue.js';
import { TransientError } from '../../../src/github/jobs/types.js';
import { queueContract, recorder, scanJob, until } from './contract.js';

const fastRetries = { attempts: 2, baseDelayMs: 10, maxDelayMs: 50, deadlineMs: 30_000 };

describe('in-process queue', () => {
  queueContract(
    () => Promise.resolve(new MemoryQueue({ concurrency: 2, retry: fastRetries })),
    (queue) => queue.close(0),
  );
});

const redisUrl = process.env['PYGUARD_TEST_REDIS_URL'];

describe.skipIf(redisUrl === undefined)('BullMQ queue on Redis', () => {
  queueContract(
    () =>
      Promise.resolve(
        new RedisQueue({
          url: redisUrl ?? '',
          prefix: `pyguard-test-${randomUUID()}`,
          concurrency: 2,
          retry: fastRetries,
          heartbeatMs: 50,
        }),
      ),
    (queue) => queue.close(0),
  );
});

describe('in-process queue, backoff timers', () => {
  it('still runs a retry when its timer fires before the clock says the backoff is over', async () => {
    // A clock that runs at half speed: every timer fires "early" by its own reading.
    const origin = Date.now();
    const slowClock = (): number => origin + (Date.now() - origin) / 2;
    const queue = new MemoryQueue({ concurrency: 1, retry: fastRetries, now: slowClock });
    const rec = recorder();
    rec.behave('h1', (run) =>
      run.attempt === 1 ? Promise.reject(new TransientError('502', 40)) : Promise.resolve(),
    );
    queue.startWorker(rec.hooks);
    try {
      await queue.enqueue(scanJob(9, 'h1'));
      await until(() => rec.events.includes('done h1'), 5_000);
      expect(rec.runs.map((entry) => entry.run.attempt)).toEqual([1, 2]);
    } finally {
      await queue.close(0);
    }
  });
});
