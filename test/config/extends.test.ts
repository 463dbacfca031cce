import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { Octokit } from '@octokit/rest';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { loadConfigFile, mergeLayers, parseExtendsTarget } from '../../src/config/index.js';
import { loadRepoConfig, repoConfigReader } from '../../src/github/config.js';
import { pyguard } from '../cli/helpers.js';

describe('parseExtendsTarget', () => {
  it('reads paths and repositories as Probot does', () => {
    expect(parseExtendsTarget('../shared/pyguard.yml')).toEqual({
      kind: 'path',
      path: '../shared/pyguard.yml',
    });
    expect(parseExtendsTarget('base.yaml')).toEqual({ kind: 'path', path: 'base.yaml' });
    expect(parseExtendsTarget('./base')).toEqual({ kind: 'path', path: './base' });
    expect(parseExtendsTarget('policies')).toEqual({
      kind: 'repository',
      owner: undefined,
      repo: 'policies',
      path: undefined,
    });
    expect(parseExtendsTarget('my-org/policies:python/pyguard.yml')).toEqual({
      kind: 'repository',
      owner: 'my-org',
      repo: 'policies',
      path: 'python/pyguard.yml',
    });
    expect(() => parseExtendsTarget('a b c')).toThrow(
      '_extends: got "a b c", expected a path such as ../shared/pyguard.yml, or repo, owner/repo or owner/repo:path.yml',
    );
  });
});

describe('mergeLayers', () => {
  it('merges mappings key by key; lists and scalars of the overlay replace the base', () => {
    const base = { fail_on: 'low', rules: { disable: ['A'], severity: { A: 'low' } }, paths: {} };
    const overlay = { rules: { disable: ['B'], severity: { B: 'high' } }, paths: null };
    expect(mergeLayers(base, overlay)).toEqual({
      fail_on: 'low',
      rules: { disable: ['B'], severity: { A: 'low', B: 'high' } },
      paths: {},
    });
  });
});

describe('_extends on disk (the CLI)', () => {
  let root = '';

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'pyguard-extends-'));
    await mkdir(join(root, '.git'));
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function write(files: Record<string, string>): Promise<void> {
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), text);
    }
  }

  it('reads a chain of paths relative to each file; the extending file wins', async () => {
    await write({
      '.github/pyguard.yml': '_extends: ../shared/team.yml\nfail_on: medium\n',
      'shared/team.yml': '_extends: base.yml\nrules:\n  disable: [PGC001]\n',
      'shared/base.yml': 'fail_on: low\non_error: neutral\nrules:\n  severity: { PGD003: low }\n',
    });
    const loaded = await loadConfigFile(join(root, '.github/pyguard.yml'));
    expect(loaded.problems).toEqual([]);
    expect(loaded.config).toMatchObject({
      failOn: 'medium',
      onError: 'neutral',
      rules: { disable: ['PGC001'], severity: { PGD003: 'low' } },
    });
  });

  it('reports problems of the merged file with their keys', async () => {
    await write({
      '.github/pyguard.yml': '_extends: base.yml\n',
      '.github/base.yml': 'fail_on: hgh\n',
    });
    const loaded = await loadConfigFile(join(root, '.github/pyguard.yml'));
    expect(loaded.problems).toEqual([
      { key: 'fail_on', message: 'fail_on: got "hgh", expected one of high, medium, low, never' },
    ]);
  });

  it('refuses a file in another repository with one line', async () => {
    await write({ '.github/pyguard.yml': '_extends: my-org/policies:pyguard.yml\n' });
    const loaded = await loadConfigFile(join(root, '.github/pyguard.yml'));
    expect(loaded.problems).toEqual([
      {
        key: '_extends',
        message:
          '_extends: "my-org/policies:pyguard.yml" is a file in another repository, which only the GitHub App reads; here use a path relative to pyguard.yml, such as ../shared/pyguard.yml',
      },
    ]);
    await write({ 'app.py': 'print(1)\n' });
    const outcome = await pyguard(root, ['scan', 'app.py']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toBe(
      `pyguard: config .github/pyguard.yml: ${loaded.problems[0]?.message ?? ''}\n`,
    );
  });

  it('reports a missing file, a loop, a bad value and invalid YAML in an extended file', async () => {
    const problemOf = async (text: string, base?: string): Promise<string | undefined> => {
      await write({
        '.github/pyguard.yml': text,
        ...(base === undefined ? {} : { 'b.yml': base }),
      });
      const loaded = await loadConfigFile(join(root, '.github/pyguard.yml'));
      expect(loaded.problems).toHaveLength(1);
      return loaded.problems[0]?.message;
    };
    expect(await problemOf('_extends: none.yml\n')).toBe(
      `_extends: ${join(root, '.github/none.yml')} does not exist`,
    );
    expect(await problemOf('_extends: ../b.yml\n', '_extends: .github/pyguard.yml\n')).toBe(
      `_extends: ${join(root, '.github/pyguard.yml')} extends itself through ${join(root, '.github/pyguard.yml')} → ${join(root, 'b.yml')}`,
    );
    expect(await problemOf('_extends: [a.yml]\n')).toBe(
      '_extends: got ["a.yml"], expected the path or repository of the configuration to extend',
    );
    expect(await problemOf('_extends: ../b.yml\n', 'fail_on: [low\n')).toMatch(
      new RegExp(`^_extends ${join(root, 'b.yml')}: invalid YAML at line 2, column 1: `),
    );
  });
});

describe('_extends through the API (the GitHub App)', () => {
  const API = 'https://api.github.com';
  const octokit = new Octokit({ auth: 'token', request: { retries: 0 } });

  beforeEach(() => {
    nock.disableNetConnect();
  });

  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  const raw = { 'content-type': 'text/plain; charset=utf-8' };

  it('reads another repository and a path in the same repository, in that order', async () => {
    const scope = nock(API)
      .get('/repos/acme/app/contents/.github%2Fpyguard.yml')
      .reply(200, '_extends: policies\nfail_on: medium\n', raw)
      .get('/repos/acme/policies/contents/.github%2Fpyguard.yml')
      .reply(200, '_extends: ./python.yml\nrules:\n  disable: [PGC001]\n', raw)
      .get('/repos/acme/policies/contents/.github%2Fpython.yml')
      .reply(200, 'fail_on: low\non_error: neutral\n', raw);
    const result = await loadRepoConfig(
      repoConfigReader(octokit, { owner: 'acme', repo: 'app' }),
      {},
    );
    expect(scope.isDone()).toBe(true);
    expect(result.problems).toEqual([]);
    expect(result.config).toMatchObject({
      failOn: 'medium',
      onError: 'neutral',
      rules: { disable: ['PGC001'] },
    });
  });

  it("falls back to the organisation's .github repository", async () => {
    const scope = nock(API)
      .get('/repos/acme/app/contents/.github%2Fpyguard.yml')
      .reply(404, { message: 'Not Found' })
      .get('/repos/acme/.github/contents/.github%2Fpyguard.yml')
      .reply(200, 'fail_on: never\n', raw);
    const result = await loadRepoConfig(
      repoConfigReader(octokit, { owner: 'acme', repo: 'app' }),
      {},
    );
    expect(scope.isDone()).toBe(true);
    expect(result.config.failOn).toBe('never');
  });

  it('uses the defaults and says why when the chain cannot be read', async () => {
    const scope = nock(API)
      .get('/repos/acme/app/contents/.github%2Fpyguard.yml')
      .reply(200, '_extends: ../../outside.yml\nfail_on: never\n', raw);
    const result = await loadRepoConfig(
      repoConfigReader(octokit, { owner: 'acme', repo: 'app' }),
      {},
    );
    expect(scope.isDone()).toBe(true);
    expect(result.config.failOn).toBe('high');
    expect(result.problems).toEqual([
      {
        key: '_extends',
        message:
          '_extends: "../../outside.yml" leaves the repository of acme/app:.github/pyguard.yml; the defaults are used',
      },
    ]);
  });
});
