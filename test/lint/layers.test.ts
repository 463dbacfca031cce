/**
 * The import layers `eslint.config.js` enforces, checked against the repository's own config: the
 * `no-restricted-imports` options ESLint computes for a file in each layer are applied to a probe
 * file holding one import, and a forbidden import must be reported while an allowed one passes.
 */
import { fileURLToPath } from 'node:url';
import { ESLint, Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The import-restriction messages ESLint reports for `source` placed at `path` in the repository. */
async function importProblems(path: string, source: string): Promise<string[]> {
  const config: unknown = await new ESLint({ cwd: repoRoot }).calculateConfigForFile(path);
  const rules = (config as { rules?: Record<string, Linter.RuleEntry> }).rules ?? {};
  const restriction = rules['no-restricted-imports'];
  if (restriction === undefined) return [];
  const linter = new Linter({ configType: 'flat' });
  const messages = linter.verify(
    source,
    [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser },
        rules: { 'no-restricted-imports': restriction },
      },
    ],
    { filename: `${repoRoot}${path}` },
  );
  return messages.map((message) => message.message);
}

describe('import layers', () => {
  it.each([
    ['src/engine/probe.ts', "import { createApp } from '../github/app.js';"],
    ['src/engine/taint/probe.ts', "import { main } from '../../cli/main.js';"],
    ['src/report/probe.ts', "import { run } from '../action/run.js';"],
    ['src/config/probe.ts', "import { Probot } from 'probot';"],
    ['src/report/probe.ts', "import { allRules } from '../../rules/index.js';"],
    ['src/rules-api/probe.ts', "import { Octokit } from '@octokit/rest';"],
    ['rules/injection/probe.ts', "import { unwrapParens } from '../../src/engine/model.js';"],
    ['rules/_shared/probe.ts', "import { defineRule } from '../../src/rules-api/define-rule.js';"],
    ['rules/injection/probe.ts', "import { createApp } from '../../src/github/app.js';"],
    ['rules/injection/probe.ts', "import nock from 'nock';"],
  ])('%s: rejects %s', async (path, source) => {
    expect(await importProblems(path, source)).toHaveLength(1);
  });

  it.each([
    ['src/engine/probe.ts', "import { parseSource } from './parse.js';"],
    ['src/report/probe.ts', "import type { Finding } from '../engine/types.js';"],
    ['rules/injection/probe.ts', "import { defineRule } from '../../src/rules-api/index.js';"],
    ['rules/injection/probe.ts', "import { nameWords } from '../_shared/secret-names.js';"],
    ['src/github/probe.ts', "import { Probot } from 'probot';"],
  ])('%s: allows %s', async (path, source) => {
    expect(await importProblems(path, source)).toEqual([]);
  });
});
