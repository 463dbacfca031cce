import { randomUUID } from 'node:crypto';

import { describe } from 'vitest';

import { MemoryQueue } from '../../../src/github/jobs/memory-queue.js';
import { RedisQueue } from '../../../src/github/jobs/redis-queue.js';
import { queueContract } from './contract.js';

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
