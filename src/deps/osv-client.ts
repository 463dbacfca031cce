/**
 * Advisories from the OSV API: one `POST /v1/querybatch` with every package version (in chunks
 * of the API's limit), then `GET /v1/vulns/{id}` for each matched advisory. Every request has a
 * timeout and is retried with backoff on 5xx, 429, timeouts and connection resets; answers are
 * cached (in memory by default; any {@link AdvisoryCache}, such as Redis, fits).
 */
import {
  AdvisoryUnavailableError,
  type AdvisorySource,
  type PackageQuery,
} from './advisory-source.js';
import { MemoryTtlCache, type AdvisoryCache } from './cache.js';
import { readOsvRecord, type OsvRecord } from './osv-record.js';

export const OSV_API_URL = 'https://api.osv.dev';
/** The most queries OSV accepts in one `querybatch` request. */
export const OSV_BATCH_LIMIT = 1000;

export interface OsvClientOptions {
  /** Base URL (default `https://api.osv.dev`). */
  baseUrl?: string;
  /** Milliseconds one request may take (default 10 s). */
  timeoutMs?: number;
  /** Attempts per request, the first included (default 3). */
  attempts?: number;
  /** Delay before the first retry, doubled for each next one (default 500 ms). */
  backoffMs?: number;
  cache?: AdvisoryCache;
  /** Seconds answers stay cached (default one hour). */
  ttlSeconds?: number;
  /** Advisory details fetched at once (default 8). */
  concurrency?: number;
  fetch?: typeof globalThis.fetch;
  sleep?: (milliseconds: number) => Promise<void>;
}

interface BatchAnswer {
  results: { vulns?: { id: string; modified?: string }[] }[];
}

/** A failed request that may succeed when tried again. */
class RetryableError extends Error {}

export class OsvClient implements AdvisorySource {
  readonly description: string;
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly cache: AdvisoryCache;
  private readonly ttlSeconds: number;
  private readonly concurrency: number;
  private readonly fetch: typeof globalThis.fetch;
  private readonly sleep: (milliseconds: number) => Promise<void>;

  constructor(options: OsvClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? OSV_API_URL).replace(/\/+$/, '');
    this.description = `OSV (${this.baseUrl})`;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.attempts = Math.max(1, options.attempts ?? 3);
    this.backoffMs = options.backoffMs ?? 500;
    this.cache = options.cache ?? new MemoryTtlCache();
    this.ttlSeconds = options.ttlSeconds ?? 3600;
    this.concurrency = Math.max(1, options.concurrency ?? 8);
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.sleep =
      options.sleep ??
      ((milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds)));
  }

  async advisoriesFor(queries: readonly PackageQuery[]): Promise<OsvRecord[][]> {
    const ids = await this.matchingIds(queries);
    const unique = [...new Set(ids.flat())];
    const records = new Map<string, OsvRecord>();
    for (let start = 0; start < unique.length; start += this.concurrency) {
      const chunk = unique.slice(start, start + this.concurrency);
      const fetched = await Promise.all(chunk.map((id) => this.record(id)));
      chunk.forEach((id, index) => {
        const record = fetched[index];
        if (record !== undefined) records.set(id, record);
      });
    }
    return ids.map((list) => list.flatMap((id) => records.get(id) ?? []));
  }

  /** The advisory ids of each query: from the cache, the rest from `querybatch`. */
  private async matchingIds(queries: readonly PackageQuery[]): Promise<string[][]> {
    const ids: (string[] | undefined)[] = await Promise.all(
      queries.map(async (query) => {
        const cached = await this.cache.get(queryKey(query));
        return cached === undefined ? undefined : (JSON.parse(cached) as string[]);
      }),
    );
    const missing = queries.flatMap((query, index) =>
      ids[index] === undefined ? [{ query, index }] : [],
    );
    for (let start = 0; start < missing.length; start += OSV_BATCH_LIMIT) {
      const chunk = missing.slice(start, start + OSV_BATCH_LIMIT);
      const body = {
        queries: chunk.map(({ query }) => ({
          package: { name: query.name, ecosystem: 'PyPI' },
          version: query.version,
        })),
      };
      const answer = await this.request('POST', '/v1/querybatch', body);
      const results = readBatchAnswer(answer, chunk.length);
      for (const [position, { query, index }] of chunk.entries()) {
        const found = (results[position]?.vulns ?? []).map((vuln) => vuln.id);
        ids[index] = found;
        await this.cache.set(queryKey(query), JSON.stringify(found), this.ttlSeconds);
      }
    }
    return ids.map((list) => list ?? []);
  }

  /** One advisory's details, from the cache or `GET /v1/vulns/{id}`. */
  private async record(id: string): Promise<OsvRecord | undefined> {
    const key = `osv:vuln:${id}`;
    const cached = await this.cache.get(key);
    const raw: unknown =
      cached === undefined
        ? await this.request('GET', `/v1/vulns/${encodeURIComponent(id)}`)
        : JSON.parse(cached);
    if (cached === undefined) await this.cache.set(key, JSON.stringify(raw), this.ttlSeconds);
    return readOsvRecord(raw);
  }

  /** A JSON request with timeout and retries. */
  private async request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const url = `${this.baseUrl}${path}`;
    let lastError: Error | undefined;
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      if (attempt > 1) await this.sleep(this.backoffMs * 2 ** (attempt - 2));
      try {
        return await this.requestOnce(method, url, body);
      } catch (error: unknown) {
        if (!(error instanceof RetryableError)) throw error;
        lastError = error;
      }
    }
    throw new AdvisoryUnavailableError(
      `${method} ${url} failed after ${this.attempts} attempts: ${lastError?.message ?? 'unknown error'}`,
    );
  }

  private async requestOnce(method: 'GET' | 'POST', url: string, body: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await this.fetch(url, {
        method,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error: unknown) {
      throw new RetryableError(describeFetchError(error, this.timeoutMs));
    }
    if (response.status >= 500 || response.status === 429) {
      throw new RetryableError(`HTTP ${response.status}`);
    }
    if (!response.ok) {
      throw new AdvisoryUnavailableError(`${method} ${url} answered HTTP ${response.status}`);
    }
    try {
      return await response.json();
    } catch (error: unknown) {
      if (isTimeout(error)) throw new RetryableError(describeFetchError(error, this.timeoutMs));
      throw new AdvisoryUnavailableError(`${method} ${url} answered with invalid JSON`);
    }
  }
}

function queryKey(query: PackageQuery): string {
  return `osv:query:PyPI:${query.name}@${query.version}`;
}

function readBatchAnswer(answer: unknown, expected: number): BatchAnswer['results'] {
  const results =
    typeof answer === 'object' && answer !== null
      ? (answer as Partial<BatchAnswer>).results
      : undefined;
  if (!Array.isArray(results) || results.length !== expected) {
    throw new AdvisoryUnavailableError(
      `OSV querybatch answered ${Array.isArray(results) ? results.length : 'no'} results for ${expected} queries`,
    );
  }
  return results;
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  if (isTimeout(error)) return `no answer within ${timeoutMs} ms`;
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
