import { randomUUID } from 'node:crypto';

import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';

import { RedisAdvisoryCache } from '../../src/github/redis-advisory-cache.js';

const redisUrl = process.env['PYGUARD_TEST_REDIS_URL'];

describe.skipIf(redisUrl === undefined)('OSV answers cached in Redis', () => {
  it('are shared between caches on one Redis and expire with their TTL', async () => {
    const prefix = `pyguard-test-${randomUUID()}`;
    const first = new Redis(redisUrl ?? '');
    const second = new Redis(redisUrl ?? '');
    try {
      await new RedisAdvisoryCache(first, prefix).set('PyPI/jinja2@2.10', '["GHSA-1"]', 60);
      const other = new RedisAdvisoryCache(second, prefix);
      expect(await other.get('PyPI/jinja2@2.10')).toBe('["GHSA-1"]');
      expect(await other.get('PyPI/jinja2@3.1.4')).toBeUndefined();
      expect(await second.ttl(`${prefix}:osv:PyPI/jinja2@2.10`)).toBeGreaterThan(50);
    } finally {
      first.disconnect();
      second.disconnect();
    }
  });

  it('misses instead of failing when Redis cannot be reached', async () => {
    const unreachable = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    const cache = new RedisAdvisoryCache(unreachable, 'pyguard');
    expect(await cache.get('PyPI/jinja2@2.10')).toBeUndefined();
    await expect(cache.set('PyPI/jinja2@2.10', '[]', 60)).resolves.toBeUndefined();
    unreachable.disconnect();
  });
});
