import { defineRule, smallestFix } from '../../src/rules-api/index.js';
import {
  configSuppression,
  countVulnerabilities,
  describeAdvisories,
  worstSeverity,
} from '../_shared/advisory-text.js';

export default defineRule({
  meta: {
    id: 'PGV001',
    slug: 'vulnerable-dependency',
    title: 'Pinned or locked dependency with a known vulnerability',
    category: 'dependencies',
    severity: 'high',
    confidence: 'high',
    cwe: [1395],
    owasp: ['A06:2021 Vulnerable and Outdated Components'],
    description:
      'Flags exact pins (`==`, `===`) in requirements files, `pyproject.toml` and Pipfiles, and versions locked in `Pipfile.lock`, `poetry.lock`, `uv.lock` and `pylock.toml`, that an OSV advisory affects; the finding names the advisories with their aliases and suggests the smallest version that fixes them all.',
    why: 'A pinned version is exactly what gets installed, so every advisory published for it applies to the deployed application: a sandbox escape in a template engine, code execution in a YAML loader or a credential leak in an HTTP client is exploitable whatever the code that uses it looks like. Pull requests that add or bump such a pin are where the problem is cheapest to catch; dependency alerts come only after the merge.',
    fix: "Move the pin to the suggested version (the smallest release that none of the listed advisories affects) or later, and run the tests. When an advisory does not apply to how the package is used, accept it in `.github/pyguard.yml` with `dependencies.ignore: [{id: GHSA-…, reason: …}]`, or put `# pyguard: ignore[PGV001] reason` on the requirement line. The severity is the highest CVSS v3 base score of the advisories (7 and above high, 4 and above medium), or the advisory database's own rating when there is no vector.",
    example: {
      bad: 'jinja2==2.10\n',
      good: 'jinja2==2.11.3\n',
    },
    references: [
      'https://osv.dev/',
      'https://ossf.github.io/osv-schema/',
      'https://owasp.org/Top10/A06_2021-Vulnerable_and_Outdated_Components/',
      'https://cwe.mitre.org/data/definitions/1395.html',
    ],
    bandit: [],
    ruff: [],
    fixable: true,
    exampleLanguage: 'requirements',
  },
  messages: {
    vulnerable:
      '`{{package}}` {{version}} has {{count}}: {{advisories}}. Upgrade to {{fixed}}, the smallest version that fixes {{them}}.',
    vulnerableNoFix:
      '`{{package}}` {{version}} has {{count}}: {{advisories}}. No released version fixes {{them}} yet; consider another package or a mitigation.',
  },
  manifest(context) {
    for (const requirement of context.manifest.requirements) {
      const { version } = requirement;
      if (version === undefined || requirement.source !== 'registry') continue;
      const advisories = context.advisories(requirement.name, version);
      if (advisories === undefined || advisories.length === 0) continue;
      const active = advisories.filter((advisory) => advisory.ignoreReason === undefined);
      const shown = active.length > 0 ? active : advisories;
      const fixed = smallestFix(
        shown.flatMap((advisory) => advisory.records),
        requirement.name,
        version,
      );
      const data = {
        package: requirement.rawName,
        version,
        count: countVulnerabilities(shown.length),
        advisories: describeAdvisories(shown),
        fixed: fixed ?? '',
        them: shown.length === 1 ? 'it' : 'them all',
      };
      const { versionSpan } = requirement;
      context.report({
        span: requirement.span,
        messageId: fixed === undefined ? 'vulnerableNoFix' : 'vulnerable',
        data,
        severity: worstSeverity(shown),
        fix:
          fixed === undefined || versionSpan === undefined
            ? undefined
            : {
                description: `Upgrade ${requirement.rawName} to ${fixed}`,
                span: versionSpan,
                replacement: fixed,
              },
        suppression: active.length === 0 ? configSuppression(advisories) : undefined,
      });
    }
  },
});
