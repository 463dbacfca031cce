/**
 * The pages of the rules that judge dependency manifests are executed like every other rule
 * page: the bad example is flagged, the good one is not, and the suppression comment the page
 * shows on the flagged requirement suppresses it.
 */
import { describe, expect, it } from 'vitest';

import { allRules } from '../../rules/index.js';
import { renderRuleDoc } from '../../scripts/docs.js';
import { defaultConfig } from '../../src/config/schema.js';
import { auditManifests } from '../../src/deps/audit.js';
import { OfflineOsvSource } from '../../src/deps/offline-source.js';
import type { AnyRule } from '../../src/rules-api/types.js';
import { OSV_FIXTURES } from './rule-fixtures.test.js';

const source = await OfflineOsvSource.fromDirectory(OSV_FIXTURES);
const manifestRules = allRules.filter((rule) => rule.manifest !== undefined);

async function audit(rule: AnyRule, text: string) {
  const config = defaultConfig();
  config.minConfidence = 'low';
  return auditManifests([{ path: 'requirements.txt', text }], source, {
    config,
    rules: allRules,
    only: [rule.meta.id],
  });
}

describe.each(manifestRules.map((rule) => [`${rule.meta.id} ${rule.meta.slug}`, rule] as const))(
  '%s page',
  (_, rule) => {
    const { example, id } = rule.meta;

    it('has a bad example the rule flags and a good one it does not', async () => {
      expect((await audit(rule, example.bad)).findings.length).toBeGreaterThan(0);
      expect((await audit(rule, example.good)).findings).toEqual([]);
    });

    it('shows a suppression comment on the flagged requirement, and it suppresses it', async () => {
      const findings = (await audit(rule, example.bad)).findings;
      const line = findings[0]?.span.start.line ?? 0;
      const lines = example.bad.split('\n');
      const flagged = lines[line - 1] ?? '';
      const comment = `# pyguard: ignore[${id}] reason`;
      expect(renderRuleDoc(rule)).toContain(`${flagged.trim()}  ${comment}`);
      lines[line - 1] = `${flagged}  ${comment}`;
      const suppressed = (await audit(rule, lines.join('\n'))).findings.filter(
        (finding) => finding.span.start.line === line,
      );
      expect(suppressed.length).toBeGreaterThan(0);
      expect(suppressed.filter((finding) => finding.suppression === undefined)).toEqual([]);
    });
  },
);
