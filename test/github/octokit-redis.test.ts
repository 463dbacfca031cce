import { Redis } from 'ioredis';
import nock from 'nock';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';

import { writeFromTwoInstallations } from './throttle-scenario.js';

/** Set by scripts/test-redis.sh (CI starts a throwaway Redis). */
const redisUrl = process.env['PYGUARD_TEST_REDIS_URL'];

describe.skipIf(redisUrl === undefined)('write throttling clustered over Redis', () => {
  const redis = new Redis(redisUrl ?? '', { lazyConnect: true });

  beforeEach(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    await redis.connect().catch(() => undefined);
    await deleteLimiterKeys(redis);
  });

  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  afterAll(async () => {
    await deleteLimiterKeys(redis);
    redis.disconnect();
  });

  it('starts Probot with REDIS_URL (ioredis resolves) and keys the limiters per installation', async () => {
    const writes = await writeFromTwoInstallations(redisUrl);

    expect(writes).toHaveLength(4);
    const at = (repo: string): number[] =>
      writes.filter((write) => write.repo === repo).map((write) => write.at);
    const [firstOfOne = 0, secondOfOne = 0] = at('one');
    const [firstOfTwo = 0, secondOfTwo = 0] = at('two');
    expect(Math.abs(firstOfOne - firstOfTwo)).toBeLessThan(1000);
    expect(secondOfOne - firstOfOne).toBeGreaterThanOrEqual(900);
    expect(secondOfTwo - firstOfTwo).toBeGreaterThanOrEqual(900);
    // The limiters live in Redis, one per installation, shared by every replica.
    const keys = await redis.keys('b_octokit-write-*_settings');
    expect(keys.sort()).toEqual([
      'b_octokit-write-pyguard-installation-21_settings',
      'b_octokit-write-pyguard-installation-22_settings',
    ]);
  });
});

async function deleteLimiterKeys(redis: Redis): Promise<void> {
  const keys = await redis.keys('b_octokit-*');
  if (keys.length > 0) await redis.del(...keys);
}
