/**
 * OSV answers cached in Redis when the App runs with `REDIS_URL`, so every worker shares what any
 * worker has asked (the dependency audit's cache is in memory otherwise). A Redis failure is a
 * cache miss, never a failed scan.
 */
import type { Redis } from 'ioredis';

import type { AdvisoryCache } from '../deps/cache.js';

export class RedisAdvisoryCache implements AdvisoryCache {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async get(key: string): Promise<string | undefined> {
    try {
      return (await this.redis.get(`${this.prefix}:osv:${key}`)) ?? undefined;
    } catch {
      return undefined;
    }
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    try {
      await this.redis.set(`${this.prefix}:osv:${key}`, value, 'EX', Math.max(1, ttlSeconds));
    } catch {
      // The answer is still used for this scan; the next one asks OSV again.
    }
  }
}
