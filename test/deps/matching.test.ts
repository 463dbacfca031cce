import { describe, expect, it } from 'vitest';

import { cvss3BaseScore, roundUp, severityOfScore } from '../../src/deps/cvss.js';
import {
  affectsVersion,
  lowestAllowedVersion,
  smallestFix,
  summariseAdvisories,
} from '../../src/deps/matching.js';
import { readOsvRecord, type OsvRecord } from '../../src/deps/osv-record.js';

function record(value: Record<string, unknown>): OsvRecord {
  const read = readOsvRecord(value);
  if (read === undefined) throw new Error('not a record');
  return read;
}

function pypi(name: string, rest: Record<string, unknown>): Record<string, unknown> {
  return { package: { ecosystem: 'PyPI', name }, ...rest };
}

const DJANGO = record({
  id: 'GHSA-6r97-cj55-9hrq',
  aliases: ['CVE-2019-14234', 'PYSEC-2019-13'],
  affected: [
    pypi('Django', {
      ranges: [
        { type: 'ECOSYSTEM', events: [{ introduced: '1.11a1' }, { fixed: '1.11.23' }] },
        { type: 'ECOSYSTEM', events: [{ introduced: '2.1a1' }, { fixed: '2.1.11' }] },
        { type: 'ECOSYSTEM', events: [{ introduced: '2.2a1' }, { fixed: '2.2.4' }] },
      ],
    }),
  ],
});

describe('affectsVersion', () => {
  it('applies introduced and fixed events of several ranges in PEP 440 order', () => {
    expect(affectsVersion(DJANGO, 'django', '1.10.8')).toBe(false);
    expect(affectsVersion(DJANGO, 'django', '1.11')).toBe(true);
    expect(affectsVersion(DJANGO, 'django', '1.11.22')).toBe(true);
    expect(affectsVersion(DJANGO, 'django', '1.11.23')).toBe(false);
    expect(affectsVersion(DJANGO, 'django', '2.0.13')).toBe(false);
    expect(affectsVersion(DJANGO, 'django', '2.2rc1')).toBe(true);
    expect(affectsVersion(DJANGO, 'django', '2.2.0')).toBe(true);
    expect(affectsVersion(DJANGO, 'django', '2.2.4')).toBe(false);
    expect(affectsVersion(DJANGO, 'django', '2.10')).toBe(false);
  });

  it('compares names as PEP 503 normalises them and ignores other ecosystems', () => {
    const yaml = record({
      id: 'X-1',
      affected: [
        pypi('PyYAML', {
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '5.4' }] }],
        }),
        {
          package: { ecosystem: 'npm', name: 'left-pad' },
          ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }],
        },
      ],
    });
    expect(affectsVersion(yaml, 'pyyaml', '5.3.1')).toBe(true);
    expect(affectsVersion(yaml, 'left-pad', '1.0.0')).toBe(false);
  });

  it('reads last_affected, explicit versions and withdrawn records', () => {
    const lastAffected = record({
      id: 'X-2',
      affected: [
        pypi('pkg', {
          ranges: [
            { type: 'ECOSYSTEM', events: [{ introduced: '1.0' }, { last_affected: '1.4.2' }] },
          ],
        }),
      ],
    });
    expect(affectsVersion(lastAffected, 'pkg', '1.4.2')).toBe(true);
    expect(affectsVersion(lastAffected, 'pkg', '1.4.3')).toBe(false);
    const listed = record({
      id: 'X-3',
      affected: [pypi('pkg', { versions: ['0.9', '1.0.post1'] })],
    });
    expect(affectsVersion(listed, 'pkg', '1.0.post1')).toBe(true);
    expect(affectsVersion(listed, 'pkg', '0.9.0')).toBe(true);
    expect(affectsVersion(listed, 'pkg', '1.0')).toBe(false);
    const withdrawn = record({
      ...DJANGO,
      id: 'X-4',
      withdrawn: '2020-01-01T00:00:00Z',
      affected: [pypi('Django', { versions: ['2.2.0'] })],
    });
    expect(affectsVersion(withdrawn, 'django', '2.2.0')).toBe(false);
  });
});

describe('smallestFix', () => {
  const RESET = record({
    id: 'GHSA-vfq6-hq5r-27r6',
    affected: [
      pypi('Django', {
        ranges: [
          { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.11.27' }] },
          { type: 'ECOSYSTEM', events: [{ introduced: '2.0' }, { fixed: '2.2.9' }] },
          { type: 'ECOSYSTEM', events: [{ introduced: '3.0' }, { fixed: '3.0.1' }] },
        ],
      }),
    ],
  });

  it('picks the smallest named fix that no advisory affects', () => {
    expect(smallestFix([DJANGO, RESET], 'django', '2.2.0')).toBe('2.2.9');
    expect(smallestFix([DJANGO, RESET], 'django', '1.11.5')).toBe('1.11.27');
    expect(smallestFix([DJANGO], 'django', '2.1.3')).toBe('2.1.11');
  });

  it('gives nothing when no named version clears every advisory', () => {
    const unfixed = record({
      id: 'X-5',
      affected: [pypi('pkg', { ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }] })],
    });
    expect(smallestFix([unfixed], 'pkg', '1.0')).toBeUndefined();
  });
});

describe('lowestAllowedVersion', () => {
  it('reads lower bounds of PEP 440 and Poetry specifiers', () => {
    expect(lowestAllowedVersion('>=2.10,<3')).toBe('2.10');
    expect(lowestAllowedVersion('~=5.3')).toBe('5.3');
    expect(lowestAllowedVersion('==2.2.*')).toBe('2.2');
    expect(lowestAllowedVersion('>=1.0,>=1.5')).toBe('1.5');
    expect(lowestAllowedVersion('^4.2')).toBe('4.2');
    expect(lowestAllowedVersion('~4.2')).toBe('4.2');
    expect(lowestAllowedVersion('4.2.1')).toBe('4.2.1');
  });

  it('gives nothing without a usable lower bound', () => {
    expect(lowestAllowedVersion('<3')).toBeUndefined();
    expect(lowestAllowedVersion('>2.30')).toBeUndefined();
    expect(lowestAllowedVersion('>=2.0,!=2.0')).toBeUndefined();
    expect(lowestAllowedVersion('')).toBeUndefined();
    expect(lowestAllowedVersion('*')).toBeUndefined();
  });
});

describe('CVSS v3 base scores', () => {
  it('computes the scores published for well-known advisories', () => {
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')).toBe(9.8);
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:N')).toBe(8.6);
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N')).toBe(6.1);
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L')).toBe(5.3);
    expect(cvss3BaseScore('CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H')).toBe(7.8);
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:H/UI:R/S:C/C:L/I:L/A:N')).toBe(4.8);
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N')).toBe(0);
  });

  it('rejects other versions and malformed vectors', () => {
    expect(
      cvss3BaseScore('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'),
    ).toBeUndefined();
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:L')).toBeUndefined();
    expect(cvss3BaseScore('CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')).toBeUndefined();
  });

  it('rounds up as the specification says and maps scores to severities', () => {
    expect(roundUp(4.000_000_01)).toBe(4);
    expect(roundUp(4.02)).toBe(4.1);
    expect(severityOfScore(7)).toBe('high');
    expect(severityOfScore(6.9)).toBe('medium');
    expect(severityOfScore(4)).toBe('medium');
    expect(severityOfScore(3.9)).toBe('low');
  });
});

describe('summariseAdvisories', () => {
  it('merges the GHSA and PYSEC copies of one vulnerability and prefers the GHSA id', () => {
    const ghsa = record({
      id: 'GHSA-462w-v97r-4m45',
      summary: 'Jinja2 sandbox escape via string formatting',
      aliases: ['CVE-2019-10906', 'PYSEC-2019-217'],
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:N' }],
    });
    const pysec = record({
      id: 'PYSEC-2019-217',
      details: 'In Pallets Jinja before 2.10.1, str.format_map allows a sandbox escape.',
      aliases: ['CVE-2019-10906', 'GHSA-462w-v97r-4m45'],
    });
    const low = record({
      id: 'PYSEC-2099-1',
      details: 'Something minor. More text.',
      database_specific: { severity: 'LOW' },
    });
    const summaries = summariseAdvisories([pysec, low, ghsa]);
    expect(
      summaries.map(({ id, aliases, summary, severity, score }) => ({
        id,
        aliases,
        summary,
        severity,
        score,
      })),
    ).toEqual([
      {
        id: 'GHSA-462w-v97r-4m45',
        aliases: ['CVE-2019-10906', 'PYSEC-2019-217'],
        summary: 'Jinja2 sandbox escape via string formatting',
        severity: 'high',
        score: 8.6,
      },
      {
        id: 'PYSEC-2099-1',
        aliases: [],
        summary: 'Something minor.',
        severity: 'low',
        score: undefined,
      },
    ]);
    expect(summaries[0]?.records.map((item) => item.id)).toEqual([
      'PYSEC-2019-217',
      'GHSA-462w-v97r-4m45',
    ]);
  });
});
