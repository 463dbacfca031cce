import { defineRule } from '../../src/rules-api/index.js';

export default defineRule({
  meta: {
    id: 'PGV004',
    slug: 'extra-index-url',
    title: 'Extra package index open to dependency confusion',
    category: 'dependencies',
    severity: 'medium',
    confidence: 'medium',
    cwe: [427, 829],
    owasp: ['A08:2021 Software and Data Integrity Failures'],
    description:
      'Flags `--extra-index-url` in requirements files, and second Pipfile sources and Poetry `supplemental`/`secondary` sources, which pip and Pipenv search together with the main index.',
    why: 'pip does not prefer one index over another: with `--extra-index-url` it collects candidates from every index and installs the highest version. Anyone can publish a package on PyPI under the name of an internal package with a higher version number, and the next install picks theirs (dependency confusion, as used against dozens of companies in 2021).',
    fix: 'Serve everything from one index: a private index that proxies PyPI (devpi, Artifactory, Nexus, AWS CodeArtifact) given with `--index-url` alone. Otherwise pin internal packages with `--hash`, reserve their names on PyPI, or use a tool that can bind a package to one index (uv\'s `[[tool.uv.index]]` with `explicit = true`, Poetry `priority = "explicit"`).',
    example: {
      bad: '--extra-index-url https://pypi.internal.example/simple\nacme-billing==1.4.0\n',
      good: '--index-url https://pypi.internal.example/simple\nacme-billing==1.4.0\n',
    },
    references: [
      'https://pip.pypa.io/en/stable/cli/pip_install/#cmdoption-extra-index-url',
      'https://medium.com/@alex.birsan/dependency-confusion-4a5d60fec610',
      'https://docs.astral.sh/uv/concepts/indexes/#searching-across-multiple-indexes',
    ],
    bandit: [],
    ruff: [],
    exampleLanguage: 'requirements',
  },
  messages: {
    extraIndex:
      'Extra index `{{url}}` is searched together with the main index, and the highest version wins: a public package with the name of an internal one can replace it (dependency confusion). Use one index that proxies PyPI.',
  },
  manifest(context) {
    for (const index of context.manifest.indexes) {
      if (index.kind !== 'extra-index-url') continue;
      context.report({ span: index.span, messageId: 'extraIndex', data: { url: index.value } });
    }
  },
});
