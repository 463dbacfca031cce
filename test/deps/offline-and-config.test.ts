import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import { validateConfig } from '../../src/config/validate.js';
import { AdvisoryUnavailableError } from '../../src/deps/advisory-source.js';
import { DEFAULT_MANIFEST_PATTERNS } from '../../src/deps/manifests/index.js';
import { OfflineOsvSource } from '../../src/deps/offline-source.js';

let dir: string | undefined;

afterEach(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('OfflineOsvSource', () => {
  it('reads records beside it and under PyPI/, and names the files it cannot read', async () => {
    dir = await mkdtemp(join(tmpdir(), 'pyguard-osv-'));
    await mkdir(join(dir, 'PyPI'));
    const affected = (name: string, fixed: string): unknown => [
      {
        package: { ecosystem: 'PyPI', name },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }],
      },
    ];
    await writeFile(
      join(dir, 'PYSEC-1.json'),
      JSON.stringify({ id: 'PYSEC-1', affected: affected('Foo_Bar', '2.0') }),
    );
    await writeFile(
      join(dir, 'PyPI', 'GHSA-1.json'),
      JSON.stringify({ id: 'GHSA-1', affected: affected('foo.bar', '1.5') }),
    );
    await writeFile(join(dir, 'PyPI', 'broken.json'), '{"id": ');
    await writeFile(join(dir, 'PyPI', 'no-id.json'), '{"summary": "x"}');
    await writeFile(join(dir, 'README.md'), 'not a record');
    const source = await OfflineOsvSource.fromDirectory(dir);
    const answers = await source.advisoriesFor([
      { name: 'foo-bar', version: '1.0' },
      { name: 'foo-bar', version: '1.5' },
      { name: 'foo-bar', version: '2.0' },
    ]);
    expect(answers.map((records) => records.map((record) => record.id))).toEqual([
      ['PYSEC-1', 'GHSA-1'],
      ['PYSEC-1'],
      [],
    ]);
    expect(source.unreadable).toHaveLength(2);
    expect(source.unreadable[1]).toBe(
      `${join(dir, 'PyPI', 'no-id.json')}: not an OSV record (no "id")`,
    );
    expect(source.description).toBe(`offline OSV records in ${dir}`);
  });

  it('fails with the reason when the directory cannot be read', async () => {
    await expect(OfflineOsvSource.fromDirectory('/nonexistent/osv')).rejects.toBeInstanceOf(
      AdvisoryUnavailableError,
    );
  });
});

describe('dependencies configuration', () => {
  it('defaults to every manifest kind and no accepted advisories', () => {
    expect(validateConfig({}).config.dependencies).toEqual({
      paths: [...DEFAULT_MANIFEST_PATTERNS],
      ignore: [],
    });
  });

  it('reads paths and accepted advisories with their reasons', () => {
    const { config, problems } = validateConfig({
      dependencies: {
        paths: ['requirements/*.txt'],
        ignore: [
          { id: 'GHSA-462w-v97r-4m45', reason: 'templates are trusted' },
          { id: 'PYSEC-2021-142', reason: 'only safe_load' },
          { id: 'CVE-2023-32681', reason: 'no proxies' },
        ],
      },
    });
    expect(problems).toEqual([]);
    expect(config.dependencies).toEqual({
      paths: ['requirements/*.txt'],
      ignore: [
        { id: 'GHSA-462w-v97r-4m45', reason: 'templates are trusted' },
        { id: 'PYSEC-2021-142', reason: 'only safe_load' },
        { id: 'CVE-2023-32681', reason: 'no proxies' },
      ],
    });
  });

  it('reports entries without an advisory id or a reason, and unknown keys', () => {
    const { config, problems } = validateConfig({
      dependencies: {
        ignore: [
          'GHSA-462w-v97r-4m45',
          { id: 'not an id', reason: 'x' },
          { id: 'CVE-2020-14343' },
          { id: 'CVE-2020-14343', reason: 'ok', note: 'x' },
        ],
        path: ['x'],
      },
    });
    expect(problems).toEqual([
      {
        key: 'dependencies.ignore[0]',
        message:
          'dependencies.ignore[0]: got "GHSA-462w-v97r-4m45", expected a mapping such as {id: GHSA-…, reason: …}',
      },
      {
        key: 'dependencies.ignore[1].id',
        message:
          'dependencies.ignore[1].id: got "not an id", expected an advisory id such as GHSA-xxxx-xxxx-xxxx, PYSEC-2021-142 or CVE-2020-14343',
      },
      {
        key: 'dependencies.ignore[2].reason',
        message:
          'dependencies.ignore[2].reason: got undefined, expected the reason the advisory is accepted',
      },
      {
        key: 'dependencies.ignore[3].note',
        message: 'unknown key "dependencies.ignore[3].note", expected one of id, reason',
      },
      {
        key: 'dependencies.path',
        message:
          'unknown key "dependencies.path", expected one of paths, ignore; did you mean "paths"?',
      },
    ]);
    expect(config.dependencies.ignore).toEqual([{ id: 'CVE-2020-14343', reason: 'ok' }]);
  });
});
