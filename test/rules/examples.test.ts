/**
 * Every rule page's examples are executed: the bad example is flagged by its rule, the good one
 * is not, and the suppression comments the page shows sit on a flagged line and suppress it.
 */
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { renderRuleDoc, suppressedExampleLine } from '../../scripts/docs.js';
import { flaggedExampleLine, scanExample, withSuppression } from '../../scripts/examples.js';
import type { Finding } from '../../src/engine/types.js';
import type { AnyRule } from '../../src/rules-api/types.js';

function onLine(findings: readonly Finding[], line: number): Finding[] {
  return findings.filter(
    (finding) => finding.span.start.line <= line && line <= finding.span.end.line,
  );
}

/** The comments a page shows for suppressing its rule, as written on (or above) the flagged line. */
function pageComments(rule: AnyRule): string[] {
  const { id, slug, bandit, ruff } = rule.meta;
  if (rule.meta.exampleLanguage === 'template') {
    return [`{# pyguard: ignore[${id}] reason #}`, `<!-- pyguard: ignore[${slug}] reason -->`];
  }
  return [
    `# pyguard: ignore[${id}] reason`,
    ...bandit.map((code) => `# nosec ${code}`),
    ...ruff.map((code) => `# noqa: ${code}`),
  ];
}

// Pages of rules that judge dependency manifests are executed in test/deps/rule-pages.test.ts.
const codeRules = allRules.filter((rule) => rule.manifest === undefined);

describe.each(codeRules.map((rule) => [`${rule.meta.id} ${rule.meta.slug}`, rule] as const))(
  '%s page',
  (_, rule) => {
    const { example } = rule.meta;

    it('has a bad example the rule flags', () => {
      const result = scanExample(rule, example.bad);
      expect(result.notices).toEqual([]);
      expect(result.findings.length, 'findings on the bad example').toBeGreaterThan(0);
    });

    it('has a good example the rule does not flag', () => {
      const result = scanExample(rule, example.good);
      expect(result.notices).toEqual([]);
      expect(
        result.findings.map((finding) => `${finding.span.start.line}: ${finding.message}`),
      ).toEqual([]);
    });

    it('shows suppression comments on a flagged line, and they suppress it', () => {
      const line = flaggedExampleLine(rule);
      expect(line, 'the bad example must be flagged').toBeDefined();
      if (line === undefined) return;
      const page = renderRuleDoc(rule);
      const shown = suppressedExampleLine(rule);
      for (const comment of pageComments(rule)) {
        const expectedOnPage =
          rule.meta.exampleLanguage === 'template'
            ? `${comment}\n${shown}`
            : `${shown}  ${comment}`;
        expect(page, 'the page shows the comment on the flagged line').toContain(expectedOnPage);
        const findings = scanExample(
          rule,
          withSuppression(rule, example.bad, line, comment),
        ).findings;
        const commentLine = rule.meta.exampleLanguage === 'template' ? line + 1 : line;
        const flagged = onLine(findings, commentLine);
        expect(flagged.length, `findings on line ${commentLine} with ${comment}`).toBeGreaterThan(
          0,
        );
        expect(
          flagged.filter((finding) => finding.suppression === undefined).map((f) => f.message),
          `${comment} suppresses every finding on its line`,
        ).toEqual([]);
      }
    });
  },
);
