/**
 * Every rule that judges dependency manifests, alone on its requirements fixture
 * (`rules/<category>/<slug>.txt`), with the offline OSV records of `fixtures/osv` as advisories.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

import { allRules } from '../../rules/index.js';
import { readFixture } from '../../scripts/fixture-labels.js';
import { defaultConfig } from '../../src/config/schema.js';
import { auditManifests } from '../../src/deps/audit.js';
import { OfflineOsvSource } from '../../src/deps/offline-source.js';

const rulesDir = fileURLToPath(new URL('../../rules/', import.meta.url));
export const OSV_FIXTURES = fileURLToPath(new URL('./fixtures/osv', import.meta.url));

const manifestRules = allRules.filter((rule) => rule.manifest !== undefined);
const source = await OfflineOsvSource.fromDirectory(OSV_FIXTURES);

describe('manifest rules', () => {
  it('exist, in the dependencies category', () => {
    expect(manifestRules.map((rule) => rule.meta.id)).toEqual([
      'PGV001',
      'PGV002',
      'PGV003',
      'PGV004',
      'PGV005',
    ]);
    for (const rule of manifestRules) expect(rule.meta.category).toBe('dependencies');
  });

  it('read every offline record', () => {
    expect(source.unreadable).toEqual([]);
  });
});

describe.each(manifestRules.map((rule) => [`${rule.meta.id} ${rule.meta.slug}`, rule] as const))(
  '%s',
  (_, rule) => {
    const relative = `${rule.meta.category}/${rule.meta.slug}`;
    const fixturePath = `${rulesDir}${relative}.txt`;

    it('has a requirements fixture beside it and no .py or .html fixture', () => {
      expect(existsSync(fixturePath)).toBe(true);
      expect(existsSync(`${rulesDir}${relative}.py`)).toBe(false);
      expect(existsSync(`${rulesDir}${relative}.html`)).toBe(false);
    });

    it('reports exactly the fixture lines marked ruleid', async () => {
      const text = readFileSync(fixturePath, 'utf8');
      const fixture = readFixture(text, rule.meta.slug);
      expect(fixture.foreign).toEqual([]);
      expect(fixture.expected.size).toBeGreaterThan(0);
      expect(fixture.ok.size).toBeGreaterThan(0);
      const config = defaultConfig();
      config.minConfidence = 'low';
      const audit = await auditManifests(
        [{ path: `requirements/${rule.meta.slug}.txt`, text }],
        source,
        {
          config,
          rules: allRules,
          only: [rule.meta.id],
        },
      );
      expect(audit.notices).toEqual([]);
      expect(audit.skippedReason).toBeUndefined();
      expect(audit.results.flatMap((result) => result.notices)).toEqual([]);
      const reported = new Set(audit.findings.map((finding) => finding.span.start.line));
      const missing = [...fixture.expected].filter((line) => !reported.has(line));
      const unexpected = [...reported].filter((line) => !fixture.expected.has(line));
      expect({ missing, unexpected }).toEqual({ missing: [], unexpected: [] });
    });
  },
);
