import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { writeFromTwoInstallations } from './throttle-scenario.js';
import type { TimedWrite } from './throttle-scenario.js';

beforeEach(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

/** The writes of one repository (one installation), in order. */
function of(writes: readonly TimedWrite[], repo: string): number[] {
  return writes.filter((write) => write.repo === repo).map((write) => write.at);
}

describe('write throttling', () => {
  it('spaces the writes of one installation and lets another installation write meanwhile', async () => {
    const writes = await writeFromTwoInstallations();

    expect(nock.pendingMocks()).toEqual([]);
    expect(writes).toHaveLength(4);
    // One limiter per installation: the two installations' first writes go out together (a
    // limiter shared by the App would hold the second one back for at least a second).
    const [firstOfOne] = of(writes, 'one');
    const [firstOfTwo] = of(writes, 'two');
    expect(Math.abs((firstOfOne ?? 0) - (firstOfTwo ?? 0))).toBeLessThan(1000);
    for (const repo of ['one', 'two']) {
      const [first, second] = of(writes, repo);
      // plugin-throttling waits a second between the writes of one limiter.
      expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(900);
    }
  });
});
