/**
 * The OSV HTTP client against recorded-shape answers served by nock: the exact requests, the
 * cache, retries with backoff, timeouts and the batch limit.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import { AdvisoryUnavailableError } from '../../src/deps/advisory-source.js';
import { MemoryTtlCache } from '../../src/deps/cache.js';
import { OSV_BATCH_LIMIT, OsvClient } from '../../src/deps/osv-client.js';

const OSV = 'https://api.osv.dev';

function recorded(id: string): Record<string, unknown> {
  const url = new URL(`./fixtures/osv/PyPI/${id}.json`, import.meta.url);
  return JSON.parse(readFileSync(fileURLToPath(url), 'utf8')) as Record<string, unknown>;
}

/** A client that never waits: the backoff delays it asked for are recorded. */
function client(options: ConstructorParameters<typeof OsvClient>[0] = {}): {
  osv: OsvClient;
  delays: number[];
} {
  const delays: number[] = [];
  const osv = new OsvClient({
    sleep: (milliseconds) => {
      delays.push(milliseconds);
      return Promise.resolve();
    },
    ...options,
  });
  return { osv, delays };
}

/** The body OSV's querybatch expects for these package versions. */
function batchBody(...queries: [string, string][]): nock.DataMatcherMap {
  return {
    queries: queries.map(([name, version]) => ({ package: { name, ecosystem: 'PyPI' }, version })),
  };
}

beforeAll(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

describe('OsvClient', () => {
  it('sends one querybatch with every version, then fetches each matched advisory once', async () => {
    nock(OSV)
      .post(
        '/v1/querybatch',
        batchBody(['jinja2', '2.10'], ['requests', '2.31.0'], ['pyyaml', '5.3.1']),
      )
      .reply(200, {
        results: [
          {
            vulns: [
              { id: 'GHSA-462w-v97r-4m45', modified: '2024-09-13T19:05:12Z' },
              { id: 'PYSEC-2019-217', modified: '2021-11-24T00:00:00Z' },
            ],
          },
          {},
          { vulns: [{ id: 'GHSA-8q59-q68h-6hv4', modified: '2024-09-24T20:54:12Z' }] },
        ],
      })
      .get('/v1/vulns/GHSA-462w-v97r-4m45')
      .reply(200, recorded('GHSA-462w-v97r-4m45'))
      .get('/v1/vulns/PYSEC-2019-217')
      .reply(200, recorded('PYSEC-2019-217'))
      .get('/v1/vulns/GHSA-8q59-q68h-6hv4')
      .reply(200, recorded('GHSA-8q59-q68h-6hv4'));
    const { osv } = client();
    const answers = await osv.advisoriesFor([
      { name: 'jinja2', version: '2.10' },
      { name: 'requests', version: '2.31.0' },
      { name: 'pyyaml', version: '5.3.1' },
    ]);
    expect(answers.map((records) => records.map((record) => record.id))).toEqual([
      ['GHSA-462w-v97r-4m45', 'PYSEC-2019-217'],
      [],
      ['GHSA-8q59-q68h-6hv4'],
    ]);
    expect(answers[0]?.[0]?.aliases).toEqual(['CVE-2019-10906', 'PYSEC-2019-217']);
  });

  it('answers repeated questions from its cache until the TTL runs out', async () => {
    let now = 1_000_000;
    const cache = new MemoryTtlCache(100, () => now);
    const { osv } = client({ cache, ttlSeconds: 60 });
    const serve = (): void => {
      nock(OSV)
        .post('/v1/querybatch', batchBody(['pyyaml', '5.3.1']))
        .reply(200, { results: [{ vulns: [{ id: 'GHSA-8q59-q68h-6hv4' }] }] })
        .get('/v1/vulns/GHSA-8q59-q68h-6hv4')
        .reply(200, recorded('GHSA-8q59-q68h-6hv4'));
    };
    serve();
    const first = await osv.advisoriesFor([{ name: 'pyyaml', version: '5.3.1' }]);
    // No mock is left: a request now would fail the test (network is disabled).
    const second = await osv.advisoriesFor([{ name: 'pyyaml', version: '5.3.1' }]);
    expect(second).toEqual(first);
    now += 61_000;
    serve();
    expect(await osv.advisoriesFor([{ name: 'pyyaml', version: '5.3.1' }])).toEqual(first);
  });

  it('retries 5xx answers and connection resets with growing delays', async () => {
    nock(OSV)
      .post('/v1/querybatch', batchBody(['requests', '2.25.1']))
      .reply(503, 'unavailable')
      .post('/v1/querybatch', batchBody(['requests', '2.25.1']))
      .replyWithError({ code: 'ECONNRESET', message: 'socket hang up' })
      .post('/v1/querybatch', batchBody(['requests', '2.25.1']))
      .reply(200, { results: [{ vulns: [{ id: 'GHSA-j8r2-6x86-q33q' }] }] })
      .get('/v1/vulns/GHSA-j8r2-6x86-q33q')
      .reply(200, recorded('GHSA-j8r2-6x86-q33q'));
    const { osv, delays } = client({ attempts: 3, backoffMs: 100 });
    const answers = await osv.advisoriesFor([{ name: 'requests', version: '2.25.1' }]);
    expect(answers[0]?.map((record) => record.id)).toEqual(['GHSA-j8r2-6x86-q33q']);
    expect(delays).toEqual([100, 200]);
  });

  it('gives up after its attempts with the reason', async () => {
    nock(OSV).post('/v1/querybatch').times(2).reply(502, 'bad gateway');
    const { osv } = client({ attempts: 2 });
    await expect(osv.advisoriesFor([{ name: 'jinja2', version: '2.10' }])).rejects.toThrow(
      new AdvisoryUnavailableError(
        'POST https://api.osv.dev/v1/querybatch failed after 2 attempts: HTTP 502',
      ),
    );
  });

  it('does not retry a request OSV refuses', async () => {
    nock(OSV).post('/v1/querybatch').reply(400, { code: 3, message: 'Invalid query.' });
    const { osv, delays } = client();
    await expect(osv.advisoriesFor([{ name: 'jinja2', version: 'x' }])).rejects.toThrow(
      'POST https://api.osv.dev/v1/querybatch answered HTTP 400',
    );
    expect(delays).toEqual([]);
  });

  it('times out a request that does not answer', async () => {
    nock(OSV)
      .post('/v1/querybatch')
      .delay(2000)
      .reply(200, { results: [{}] });
    const { osv } = client({ attempts: 1, timeoutMs: 50 });
    await expect(osv.advisoriesFor([{ name: 'jinja2', version: '2.10' }])).rejects.toThrow(
      'failed after 1 attempts: no answer within 50 ms',
    );
  });

  it('splits the queries at the batch limit', async () => {
    const queries = Array.from({ length: OSV_BATCH_LIMIT + 1 }, (_, index) => ({
      name: `pkg-${index}`,
      version: '1.0',
    }));
    const sizes: number[] = [];
    nock(OSV)
      .post('/v1/querybatch')
      .times(2)
      .reply(200, (_uri, body) => {
        const count = (body as { queries: unknown[] }).queries.length;
        sizes.push(count);
        return { results: Array.from({ length: count }, () => ({})) };
      });
    const { osv } = client();
    const answers = await osv.advisoriesFor(queries);
    expect(sizes).toEqual([OSV_BATCH_LIMIT, 1]);
    expect(answers).toHaveLength(OSV_BATCH_LIMIT + 1);
  });

  it('refuses an answer with the wrong number of results', async () => {
    nock(OSV).post('/v1/querybatch').reply(200, { results: [] });
    const { osv } = client();
    await expect(osv.advisoriesFor([{ name: 'jinja2', version: '2.10' }])).rejects.toThrow(
      'OSV querybatch answered 0 results for 1 queries',
    );
  });
});
