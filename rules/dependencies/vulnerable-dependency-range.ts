import { defineRule, lowestAllowedVersion, smallestFix } from '../../src/rules-api/index.js';
import {
  configSuppression,
  countVulnerabilities,
  describeAdvisories,
  worstSeverity,
} from '../_shared/advisory-text.js';

export default defineRule({
  meta: {
    id: 'PGV002',
    slug: 'vulnerable-dependency-range',
    title: 'Version range that allows a vulnerable release',
    category: 'dependencies',
    severity: 'medium',
    confidence: 'medium',
    cwe: [1395],
    owasp: ['A06:2021 Vulnerable and Outdated Components'],
    description:
      'Flags version ranges (`>=2.10`, `~=2.10`, `==2.*`, Poetry `^2.10`) whose lowest allowed version an OSV advisory affects, saying which versions are affected and which lower bound excludes them; lock files and exact pins are left to PGV001.',
    why: "A range whose floor is a vulnerable release lets a resolver install it: an old lock file, a constraints file, a cached wheel or another package's upper bound can all settle on the floor. The finding is less certain than one on a pin, because a fresh resolution usually picks a newer release.",
    fix: 'Raise the lower bound to the suggested version, the smallest release that none of the listed advisories affects, for example `jinja2>=2.11.3`, or accept the advisory in `.github/pyguard.yml` (`dependencies.ignore`).',
    example: {
      bad: 'jinja2>=2.10,<3\n',
      good: 'jinja2>=2.11.3,<3\n',
    },
    references: [
      'https://osv.dev/',
      'https://packaging.python.org/en/latest/specifications/version-specifiers/',
      'https://owasp.org/Top10/A06_2021-Vulnerable_and_Outdated_Components/',
    ],
    bandit: [],
    ruff: [],
    exampleLanguage: 'requirements',
  },
  messages: {
    vulnerableFloor:
      '`{{requirement}}` allows {{package}} {{lowest}}, which has {{count}}: {{advisories}}. Versions from {{lowest}} below {{fixed}} are affected; raise the lower bound to {{fixed}}.',
    vulnerableFloorNoFix:
      '`{{requirement}}` allows {{package}} {{lowest}}, which has {{count}}: {{advisories}}. No released version fixes {{them}} yet.',
  },
  manifest(context) {
    const { text } = context;
    const lines = text.split('\n');
    for (const requirement of context.manifest.requirements) {
      if (
        requirement.version !== undefined ||
        requirement.locked ||
        requirement.source !== 'registry'
      )
        continue;
      const lowest = lowestAllowedVersion(requirement.specifier);
      if (lowest === undefined) continue;
      const advisories = context.advisories(requirement.name, lowest);
      if (advisories === undefined || advisories.length === 0) continue;
      const active = advisories.filter((advisory) => advisory.ignoreReason === undefined);
      const shown = active.length > 0 ? active : advisories;
      const fixed = smallestFix(
        shown.flatMap((advisory) => advisory.records),
        requirement.name,
        lowest,
      );
      const { span } = requirement;
      const written = (lines[span.line - 1] ?? '').slice(span.column - 1, span.endColumn - 1);
      context.report({
        span,
        messageId: fixed === undefined ? 'vulnerableFloorNoFix' : 'vulnerableFloor',
        data: {
          requirement:
            written.trim() === ''
              ? `${requirement.rawName}${requirement.specifier}`
              : written.trim(),
          package: requirement.rawName,
          lowest,
          count: countVulnerabilities(shown.length),
          advisories: describeAdvisories(shown),
          fixed: fixed ?? '',
          them: shown.length === 1 ? 'it' : 'them all',
        },
        severity: worstSeverity(shown) === 'low' ? 'low' : 'medium',
        suppression: active.length === 0 ? configSuppression(advisories) : undefined,
      });
    }
  },
});
