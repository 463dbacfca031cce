import { defineRule } from '../../src/rules-api/index.js';

export default defineRule({
  meta: {
    id: 'PGV005',
    slug: 'unpinned-vcs-requirement',
    title: 'VCS requirement without a pinned commit',
    category: 'dependencies',
    severity: 'medium',
    confidence: 'high',
    cwe: [829, 494],
    owasp: ['A08:2021 Software and Data Integrity Failures'],
    description:
      'Flags requirements installed from git, Mercurial or Bazaar (`git+https://…`, `pkg @ git+…`, Poetry and Pipfile `git = …`) that name a branch, a tag or nothing instead of a full commit hash.',
    why: 'A branch moves and a tag can be moved: whoever can push to the repository (or take it over) decides what the next install runs, and two installs of the same requirements can differ. Only a full commit hash names one immutable tree.',
    fix: 'Pin the full commit hash, for example `git+https://github.com/org/pkg@0123456789abcdef0123456789abcdef01234567#egg=pkg`, or depend on a released version from the package index.',
    example: {
      bad: 'git+https://github.com/acme/toolkit@main#egg=toolkit\n',
      good: 'git+https://github.com/acme/toolkit@6f1e0d8c2b7a4e9f3d5c1b0a8e7f6d5c4b3a2918#egg=toolkit\n',
    },
    references: [
      'https://pip.pypa.io/en/stable/topics/vcs-support/',
      'https://cwe.mitre.org/data/definitions/829.html',
    ],
    bandit: [],
    ruff: [],
    exampleLanguage: 'requirements',
  },
  messages: {
    movingReference:
      '`{{package}}` is installed from {{vcs}} at `{{revision}}`, a branch or tag that can move; pin a full commit hash.',
    noReference:
      '`{{package}}` is installed from {{vcs}} without a revision, so it gets whatever the default branch holds at install time; pin a full commit hash.',
  },
  manifest(context) {
    for (const requirement of context.manifest.requirements) {
      const { vcs } = requirement;
      if (vcs === undefined || vcs.pinnedCommit) continue;
      context.report({
        span: requirement.span,
        messageId: vcs.revision === undefined ? 'noReference' : 'movingReference',
        data: { package: requirement.rawName, vcs: vcs.vcs, revision: vcs.revision ?? '' },
      });
    }
  },
});
