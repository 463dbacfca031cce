/**
 * Rule metadata is the single source of truth: every rule is registered, lives where its id and
 * slug say, has sound metadata, and the generated registry and docs match what is committed.
 * Runs on the TypeScript sources; no build needed.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { hasPythonChecks } from '../../src/rules-api/define-rule.js';
import { CATEGORIES, type CategoryLetter } from '../../src/rules-api/types.js';
import {
  README_PATH,
  REPO_ROOT,
  RULES_README_PATH,
  RULE_INDEX_PATH,
  computeDocs,
  extraDocFiles,
  listRuleFiles,
  loadRuleFiles,
  readRepoFile,
  ruleFileProblems,
} from '../../scripts/docs-files.js';
import {
  DOCS_COMMAND,
  README_RULES_END,
  README_RULES_START,
  extractBetweenMarkers,
  renderReadmeRulesSection,
  renderRetiredRuleDoc,
  retiredDocPath,
  retiredRules,
  renderRuleDoc,
  renderRulesReadme,
  ruleDocPath,
} from '../../scripts/docs.js';
import { placeholderProblems } from '../../scripts/scaffold.js';

const STALE = `generated from rule metadata and out of date: run \`${DOCS_COMMAND}\``;

const ruleFiles = listRuleFiles(REPO_ROOT);
const loaded = await loadRuleFiles(ruleFiles);
const docs = computeDocs(loaded, REPO_ROOT);

/** Problems with a message template: placeholders are `{{name}}`, other braces only in code spans. */
function templateProblems(template: string): string[] {
  const problems: string[] = [];
  const withoutPlaceholders = template.replace(/\{\{[A-Za-z_]\w*\}\}/g, '');
  if (/\{\{|\}\}/.test(withoutPlaceholders)) {
    problems.push('malformed placeholder (write {{name}}, no spaces)');
  }
  if (/[{}]/.test(withoutPlaceholders.replace(/`[^`]*`/g, ''))) {
    problems.push('brace outside a `code span` (placeholders are {{name}})');
  }
  return problems;
}

describe.each(allRules.map((rule) => [`${rule.meta.id} ${rule.meta.slug}`, rule] as const))(
  '%s',
  (_, rule) => {
    const { meta } = rule;
    const source = join(REPO_ROOT, 'rules', meta.category, `${meta.slug}.ts`);

    it('has an id of PG + its category letter + three digits', () => {
      const match = /^PG([A-Z])(\d{3})$/.exec(meta.id);
      expect(match, `id "${meta.id}"`).not.toBeNull();
      const letter = match?.[1] ?? '';
      expect(letter in CATEGORIES, `"${letter}" is not a category letter`).toBe(true);
      expect(CATEGORIES[letter as CategoryLetter]).toBe(meta.category);
    });

    it('is the default export of rules/<category>/<slug>.ts', async () => {
      expect(existsSync(source), `rules/${meta.category}/${meta.slug}.ts`).toBe(true);
      const module = (await import(pathToFileURL(source).href)) as { default?: unknown };
      expect(module.default === rule, 'the file default-exports a different object').toBe(true);
    });

    it('has its fixtures: <slug>.py for Python checks, <slug>.html for template checks', () => {
      expect(
        existsSync(source.replace(/\.ts$/, '.py')),
        `rules/${meta.category}/${meta.slug}.py`,
      ).toBe(hasPythonChecks(rule));
      expect(
        existsSync(source.replace(/\.ts$/, '.html')),
        `rules/${meta.category}/${meta.slug}.html`,
      ).toBe(rule.template !== undefined);
    });

    it('supersedes only other built-in rules, none of which supersedes it back', () => {
      for (const id of meta.supersedes ?? []) {
        const other = allRules.find((candidate) => candidate.meta.id === id);
        expect(other, `supersedes ${id}, which is not a rule`).toBeDefined();
        expect(id, 'supersedes itself').not.toBe(meta.id);
        expect(other?.meta.supersedes ?? [], `${id} also supersedes ${meta.id}`).not.toContain(
          meta.id,
        );
      }
    });

    it('has complete metadata', () => {
      for (const field of ['title', 'description', 'why', 'fix'] as const) {
        expect(meta[field].trim(), field).not.toBe('');
      }
      expect(meta.example.bad.trim(), 'example.bad').not.toBe('');
      expect(meta.example.good.trim(), 'example.good').not.toBe('');
      expect(meta.cwe.length, 'at least one CWE').toBeGreaterThan(0);
      for (const cwe of meta.cwe) expect(Number.isInteger(cwe) && cwe > 0, `CWE ${cwe}`).toBe(true);
      for (const owasp of meta.owasp) expect(owasp.trim(), 'OWASP entry').not.toBe('');
      for (const url of meta.references) {
        expect(URL.canParse(url) && new URL(url).protocol === 'https:', `reference ${url}`).toBe(
          true,
        );
      }
      for (const code of meta.bandit) expect(code, 'bandit id').toMatch(/^B\d{3}$/);
      for (const code of meta.ruff) expect(code, 'ruff code').toMatch(/^S\d{3}$/);
    });

    it('has no placeholder left from `npm run new-rule`', () => {
      expect(placeholderProblems(rule)).toEqual([]);
    });

    it('has message templates whose only placeholders are {{name}}', () => {
      expect(Object.keys(rule.messages).length, 'messages').toBeGreaterThan(0);
      for (const [id, template] of Object.entries(rule.messages)) {
        expect(template.trim(), `message ${id}`).not.toBe('');
        expect(templateProblems(template), `message ${id}: ${template}`).toEqual([]);
      }
    });

    it('has an up-to-date docs page', () => {
      expect(readRepoFile(REPO_ROOT, ruleDocPath(rule)), `${ruleDocPath(rule)} is ${STALE}`).toBe(
        renderRuleDoc(rule),
      );
    });
  },
);

describe('the rule set', () => {
  it('has unique ids and slugs', () => {
    const duplicates = (keys: string[]): string[] =>
      keys.filter((key, index) => keys.indexOf(key) !== index);
    expect(duplicates(allRules.map((rule) => rule.meta.id)), 'duplicate ids').toEqual([]);
    expect(duplicates(allRules.map((rule) => rule.meta.slug)), 'duplicate slugs').toEqual([]);
  });

  it('has a rule in every rules/<category>/<slug>.ts, where its id and slug say', () => {
    expect(ruleFileProblems(loaded)).toEqual([]);
  });

  it('registers every rule file in rules/index.ts', () => {
    expect(readRepoFile(REPO_ROOT, RULE_INDEX_PATH), `${RULE_INDEX_PATH} is ${STALE}`).toBe(
      docs.files.get(RULE_INDEX_PATH),
    );
    expect(allRules.length).toBe(ruleFiles.length);
  });

  it('keeps a page at the address of every retired rule, naming its successors', () => {
    const current = new Set(allRules.flatMap((rule) => [rule.meta.id, rule.meta.slug]));
    for (const retired of retiredRules(allRules)) {
      expect(current.has(retired.id), `${retired.id} is retired and current`).toBe(false);
      expect(current.has(retired.slug), `${retired.slug} is retired and current`).toBe(false);
      const page = readRepoFile(REPO_ROOT, retiredDocPath(retired));
      expect(page, `${retiredDocPath(retired)} is ${STALE}`).toBe(renderRetiredRuleDoc(retired));
      for (const { meta } of retired.successors) expect(page).toContain(`(${meta.id}.md)`);
    }
  });

  it('has no docs/rules/*.md without a rule', () => {
    expect(extraDocFiles(docs, REPO_ROOT), `extra docs: run \`${DOCS_COMMAND}\``).toEqual([]);
  });

  it('has an up-to-date docs/rules/README.md', () => {
    expect(readRepoFile(REPO_ROOT, RULES_README_PATH), `${RULES_README_PATH} is ${STALE}`).toBe(
      renderRulesReadme(allRules),
    );
  });

  const readme = readRepoFile(REPO_ROOT, README_PATH);
  it.skipIf(readme === undefined)('has an up-to-date rules section in README.md', () => {
    const section = extractBetweenMarkers(readme ?? '', README_RULES_START, README_RULES_END);
    expect(section, `the README.md rules section is ${STALE}`).toBe(
      renderReadmeRulesSection(allRules),
    );
  });
});
