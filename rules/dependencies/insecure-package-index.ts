import { defineRule } from '../../src/rules-api/index.js';

/** `http://` but not `https://`, as pip reads index and link URLs. */
function isPlainHttp(url: string): boolean {
  return /^http:\/\//i.test(url.trim());
}

export default defineRule({
  meta: {
    id: 'PGV003',
    slug: 'insecure-package-index',
    title: 'Packages downloaded without TLS',
    category: 'dependencies',
    severity: 'high',
    confidence: 'high',
    cwe: [319, 295, 494],
    owasp: ['A08:2021 Software and Data Integrity Failures'],
    description:
      'Flags package indexes and links over plain `http://` (`--index-url`, `--extra-index-url`, `--find-links`, Pipfile and Poetry sources, lock-file registries), requirements downloaded from `http://` URLs, `--trusted-host` and Pipfile sources with `verify_ssl = false`.',
    why: "pip runs code from what it downloads (build backends, `setup.py`). Over plain HTTP, or with certificate checks turned off for a host (`--trusted-host`, `verify_ssl = false`), anyone on the network path (a café Wi-Fi, a compromised proxy, a CI runner's neighbour) can swap a package for one that runs their code at install time and in production.",
    fix: 'Use `https://` for every index and link. For an internal index with a private certificate authority, keep verification on and point pip at the CA (`--cert` or `PIP_CERT`, `REQUESTS_CA_BUNDLE`) instead of trusting the host. `--hash` pins (`--require-hashes`) add integrity on top of transport security.',
    example: {
      bad: '--index-url http://pypi.internal.example/simple\nrequests==2.32.3\n',
      good: '--index-url https://pypi.internal.example/simple\nrequests==2.32.3\n',
    },
    references: [
      'https://pip.pypa.io/en/stable/topics/https-certificates/',
      'https://pip.pypa.io/en/stable/cli/pip_install/#cmdoption-trusted-host',
      'https://cwe.mitre.org/data/definitions/494.html',
    ],
    bandit: [],
    ruff: [],
    exampleLanguage: 'requirements',
  },
  messages: {
    plainHttpIndex:
      'Package index `{{url}}` is plain HTTP: anyone on the network path can replace the packages installed from it. Use `https://`.',
    plainHttpRequirement:
      '`{{package}}` is downloaded from `{{url}}` over plain HTTP, so it can be replaced in transit. Use an `https://` URL.',
    trustedHost:
      '`{{host}}` is a trusted host: pip skips certificate checks for it, so its packages can be replaced in transit. Keep verification on and give pip the CA certificate (`--cert`) instead.',
  },
  manifest(context) {
    for (const index of context.manifest.indexes) {
      if (index.kind === 'trusted-host') {
        context.report({ span: index.span, messageId: 'trustedHost', data: { host: index.value } });
      } else if (isPlainHttp(index.value)) {
        context.report({
          span: index.span,
          messageId: 'plainHttpIndex',
          data: { url: index.value },
        });
      }
    }
    for (const requirement of context.manifest.requirements) {
      const url = requirement.vcs?.url.replace(/^[a-z]+\+/i, '') ?? requirement.url;
      if (url === undefined || !isPlainHttp(url)) continue;
      context.report({
        span: requirement.span,
        messageId: 'plainHttpRequirement',
        data: { package: requirement.rawName, url },
      });
    }
  },
});
