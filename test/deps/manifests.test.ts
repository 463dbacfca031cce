import { describe, expect, it } from 'vitest';

import { manifestKindOf, parseManifest } from '../../src/deps/manifests/index.js';
import { parsePep508, pinnedVersion, vcsReference } from '../../src/deps/manifests/pep508.js';
import { normaliseName } from '../../src/deps/names.js';
import type { ParsedManifest, Requirement } from '../../src/deps/types.js';

/** The fields of a requirement a test cares about. */
function brief(requirement: Requirement): Record<string, unknown> {
  return {
    name: requirement.name,
    line: requirement.span.line,
    specifier: requirement.specifier,
    version: requirement.version,
    source: requirement.source,
  };
}

/** The text a span covers. */
function textAt(
  text: string,
  span: { line: number; column: number; endColumn: number } | undefined,
): string | undefined {
  if (span === undefined) return undefined;
  const line = text.split('\n')[span.line - 1] ?? '';
  return line.slice(span.column - 1, span.endColumn - 1);
}

function byName(manifest: ParsedManifest, name: string): Requirement {
  const found = manifest.requirements.find((requirement) => requirement.name === name);
  if (found === undefined) throw new Error(`no requirement ${name}`);
  return found;
}

describe('normaliseName', () => {
  it('follows PEP 503', () => {
    expect(normaliseName('Jinja2')).toBe('jinja2');
    expect(normaliseName('zope.interface')).toBe('zope-interface');
    expect(normaliseName('Foo__Bar-._baz')).toBe('foo-bar-baz');
  });
});

describe('manifestKindOf', () => {
  it('knows each manifest by its name', () => {
    expect(manifestKindOf('requirements/dev.txt')).toBe('requirements');
    expect(manifestKindOf('requirements.in')).toBe('requirements');
    expect(manifestKindOf('svc/pyproject.toml')).toBe('pyproject');
    expect(manifestKindOf('Pipfile')).toBe('pipfile');
    expect(manifestKindOf('Pipfile.lock')).toBe('pipfile-lock');
    expect(manifestKindOf('poetry.lock')).toBe('poetry-lock');
    expect(manifestKindOf('uv.lock')).toBe('uv-lock');
    expect(manifestKindOf('pylock.toml')).toBe('pylock');
    expect(manifestKindOf('pylock.docs.toml')).toBe('pylock');
    expect(manifestKindOf('app.py')).toBeUndefined();
    expect(manifestKindOf('dev.in')).toBe('requirements');
    expect(manifestKindOf('MANIFEST.in')).toBeUndefined();
    expect(manifestKindOf('Makefile.in')).toBeUndefined();
    expect(manifestKindOf('include/config.h.in')).toBeUndefined();
  });
});

describe('PEP 508', () => {
  it('reads names, extras, specifiers, markers and URLs', () => {
    expect(
      parsePep508('requests[socks, security] (>= 2.25, < 3) ; python_version < "3.12"'),
    ).toMatchObject({
      rawName: 'requests',
      extras: ['socks', 'security'],
      specifier: '>=2.25,<3',
      markers: 'python_version < "3.12"',
    });
    expect(
      parsePep508('pkg @ https://example.org/pkg-1.0.tar.gz ; os_name == "posix"'),
    ).toMatchObject({
      rawName: 'pkg',
      url: 'https://example.org/pkg-1.0.tar.gz',
      markers: 'os_name == "posix"',
    });
    expect(parsePep508('jinja2 >= banana')).toEqual({
      error: '">= banana" is not a valid version specifier',
    });
  });

  it('pins only exact versions', () => {
    expect(pinnedVersion('==2.10')).toBe('2.10');
    expect(pinnedVersion('===2.10')).toBe('2.10');
    expect(pinnedVersion('==2.*')).toBeUndefined();
    expect(pinnedVersion('>=2.10')).toBeUndefined();
    expect(pinnedVersion('==2.10,<3')).toBeUndefined();
  });

  it('tells commits from branches and tags in VCS URLs', () => {
    expect(vcsReference('git+https://github.com/org/pkg@main#egg=pkg')).toEqual({
      vcs: 'git',
      url: 'git+https://github.com/org/pkg@main#egg=pkg',
      revision: 'main',
      pinnedCommit: false,
    });
    expect(
      vcsReference('git+ssh://git@github.com/org/pkg.git@0123456789abcdef0123456789abcdef01234567')
        ?.pinnedCommit,
    ).toBe(true);
    expect(vcsReference('git+ssh://git@github.com/org/pkg.git')?.revision).toBeUndefined();
    expect(vcsReference('svn+https://svn.example.org/repo/trunk@2019')?.pinnedCommit).toBe(true);
    expect(vcsReference('https://example.org/pkg.whl')).toBeUndefined();
  });
});

describe('requirements files', () => {
  const text = [
    '# Production requirements',
    '-r base.txt',
    '--constraint=constraints.txt',
    '--index-url https://pypi.example.org/simple',
    '--extra-index-url http://mirror.example.org/simple',
    '--trusted-host mirror.example.org',
    '-f https://downloads.example.org/wheels/',
    '--prefer-binary',
    '',
    'Django==4.2.1 \\',
    '    --hash=sha256:aaaa \\',
    '    --hash=sha256:bbbb',
    'requests[socks]>=2.25,<3 ; python_version >= "3.8"  # HTTP',
    'PyYAML===5.3.1',
    'zope.interface~=5.4',
    '-e git+https://github.com/acme/toolkit@main#egg=acme-toolkit',
    'acme-sdk @ git+https://github.com/acme/sdk.git@0123456789abcdef0123456789abcdef01234567',
    'https://downloads.example.org/wheels/Pillow-10.0.0-cp311-cp311-linux_x86_64.whl',
    './vendor/internal_lib',
    'jinja2 >= banana',
    'numpy  ',
  ].join('\n');
  const manifest = parseManifest('requirements.txt', text);

  it('reads includes and index options', () => {
    expect(manifest.includes).toEqual([
      { kind: 'requirements', target: 'base.txt', line: 2 },
      { kind: 'constraints', target: 'constraints.txt', line: 3 },
    ]);
    expect(
      manifest.indexes.map((index) => [
        index.kind,
        index.value,
        index.span.line,
        textAt(text, index.span),
      ]),
    ).toEqual([
      ['index-url', 'https://pypi.example.org/simple', 4, 'https://pypi.example.org/simple'],
      [
        'extra-index-url',
        'http://mirror.example.org/simple',
        5,
        'http://mirror.example.org/simple',
      ],
      ['trusted-host', 'mirror.example.org', 6, 'mirror.example.org'],
      [
        'find-links',
        'https://downloads.example.org/wheels/',
        7,
        'https://downloads.example.org/wheels/',
      ],
    ]);
  });

  it('reads each requirement with its first line, version, extras, markers and hashes', () => {
    expect(manifest.requirements.map(brief)).toEqual([
      { name: 'django', line: 10, specifier: '==4.2.1', version: '4.2.1', source: 'registry' },
      {
        name: 'requests',
        line: 13,
        specifier: '>=2.25,<3',
        version: undefined,
        source: 'registry',
      },
      { name: 'pyyaml', line: 14, specifier: '===5.3.1', version: '5.3.1', source: 'registry' },
      {
        name: 'zope-interface',
        line: 15,
        specifier: '~=5.4',
        version: undefined,
        source: 'registry',
      },
      { name: 'acme-toolkit', line: 16, specifier: '', version: undefined, source: 'vcs' },
      { name: 'acme-sdk', line: 17, specifier: '', version: undefined, source: 'vcs' },
      { name: 'pillow', line: 18, specifier: '', version: undefined, source: 'url' },
      { name: 'internal-lib', line: 19, specifier: '', version: undefined, source: 'path' },
      { name: 'numpy', line: 21, specifier: '', version: undefined, source: 'registry' },
    ]);
    const django = byName(manifest, 'django');
    expect(django.hashes).toEqual(['sha256:aaaa', 'sha256:bbbb']);
    expect(textAt(text, django.span)).toBe('Django==4.2.1');
    expect(textAt(text, django.versionSpan)).toBe('4.2.1');
    const requests = byName(manifest, 'requests');
    expect(requests.extras).toEqual(['socks']);
    expect(requests.markers).toBe('python_version >= "3.8"');
    expect(textAt(text, requests.span)).toBe('requests[socks]>=2.25,<3');
    expect(byName(manifest, 'acme-toolkit')).toMatchObject({
      editable: true,
      vcs: { revision: 'main', pinnedCommit: false },
    });
    expect(byName(manifest, 'acme-sdk').vcs?.pinnedCommit).toBe(true);
    expect(textAt(text, byName(manifest, 'numpy').span)).toBe('numpy');
  });

  it('names URL requirements after their repository, and reads `-e .` without a problem', () => {
    const other = parseManifest(
      'requirements.txt',
      '-e .\ngit+https://github.com/acme/tool.git@main\n-e ./libs/acme_core\n',
    );
    expect(other.problems).toEqual([]);
    expect(
      other.requirements.map((requirement) => [
        requirement.name,
        requirement.rawName,
        requirement.source,
      ]),
    ).toEqual([
      ['', '.', 'path'],
      ['tool', 'tool', 'vcs'],
      ['acme-core', 'acme_core', 'path'],
    ]);
  });

  it('turns an unreadable line into a problem naming it, and reads on', () => {
    expect(manifest.problems).toEqual([
      {
        line: 20,
        message: '">= banana" is not a valid version specifier (line 20: jinja2 >= banana)',
      },
    ]);
  });
});

describe('pyproject.toml', () => {
  const text = `[build-system]
requires = ["hatchling"]

[project]
name = "service"
dependencies = [
    "Jinja2==2.10",
    "requests[socks]>=2.31 ; python_version >= '3.8'",
    "acme-sdk @ git+https://github.com/acme/sdk@v1.2",
]

[project.optional-dependencies]
dev = ["pytest>=7", "Jinja2==2.10"]
docs = [
  "sphinx==7.2.6",
]

[dependency-groups]
test = ["coverage[toml]==7.4.0", {include-group = "lint"}]
lint = ["ruff>=0.4"]

[tool.poetry.dependencies]
python = "^3.11"
Django = "^4.2"
PyYAML = "5.3.1"
toolkit = { git = "https://github.com/acme/toolkit.git", branch = "main" }
rich = { version = "==13.7.0", extras = ["jupyter"] }

[tool.poetry.group.dev.dependencies]
black = "~24.3"

[[tool.poetry.source]]
name = "internal"
url = "https://pypi.internal.example/simple"
priority = "supplemental"
`;
  const manifest = parseManifest('pyproject.toml', text);

  it('reads PEP 621, PEP 735 and Poetry requirements on their own lines', () => {
    expect(manifest.problems).toEqual([]);
    expect(
      manifest.requirements.map((requirement) => [
        requirement.group,
        requirement.name,
        requirement.span.line,
        textAt(text, requirement.versionSpan),
      ]),
    ).toEqual([
      ['dependencies', 'jinja2', 7, '2.10'],
      ['dependencies', 'requests', 8, undefined],
      ['dependencies', 'acme-sdk', 9, undefined],
      ['optional-dependencies.dev', 'pytest', 13, undefined],
      ['optional-dependencies.dev', 'jinja2', 13, '2.10'],
      ['optional-dependencies.docs', 'sphinx', 15, '7.2.6'],
      ['dependency-groups.test', 'coverage', 19, '7.4.0'],
      ['dependency-groups.lint', 'ruff', 20, undefined],
      ['dependencies', 'django', 24, undefined],
      ['dependencies', 'pyyaml', 25, '5.3.1'],
      ['dependencies', 'toolkit', 26, undefined],
      ['dependencies', 'rich', 27, '13.7.0'],
      ['group.dev', 'black', 30, undefined],
    ]);
    expect(textAt(text, byName(manifest, 'requests').span)).toBe('requests[socks]>=2.31');
    expect(byName(manifest, 'django').specifier).toBe('^4.2');
    expect(byName(manifest, 'toolkit').vcs).toMatchObject({
      revision: 'main',
      pinnedCommit: false,
    });
    expect(byName(manifest, 'rich').extras).toEqual(['jupyter']);
  });

  it('reads Poetry sources as indexes', () => {
    expect(manifest.indexes.map((index) => [index.kind, index.value, index.span.line])).toEqual([
      ['extra-index-url', 'https://pypi.internal.example/simple', 34],
    ]);
  });

  it('reports invalid TOML with its line', () => {
    const broken = parseManifest(
      'pyproject.toml',
      '[project]\ndependencies = [\n  "jinja2==2.10"\n  "flask"\n]\n',
    );
    expect(broken.requirements).toEqual([]);
    expect(broken.problems).toHaveLength(1);
    expect(broken.problems[0]?.line).toBe(4);
    expect(broken.problems[0]?.message).toMatch(/^invalid TOML at line 4, column \d+: /);
  });
});

describe('Pipfile and Pipfile.lock', () => {
  it('reads packages, dev-packages and sources', () => {
    const text = `[[source]]
url = "https://pypi.org/simple"
verify_ssl = true
name = "pypi"

[[source]]
url = "http://pypi.internal.example/simple"
verify_ssl = false
name = "internal"

[packages]
jinja2 = "==2.10"
requests = {version = ">=2.25", extras = ["socks"]}
flask = "*"
toolkit = {git = "https://github.com/acme/toolkit.git", ref = "main", editable = true}

[dev-packages]
pytest = "==8.1.1"
`;
    const manifest = parseManifest('Pipfile', text);
    expect(manifest.problems).toEqual([]);
    expect(manifest.requirements.map(brief)).toEqual([
      { name: 'jinja2', line: 12, specifier: '==2.10', version: '2.10', source: 'registry' },
      { name: 'requests', line: 13, specifier: '>=2.25', version: undefined, source: 'registry' },
      { name: 'flask', line: 14, specifier: '', version: undefined, source: 'registry' },
      { name: 'toolkit', line: 15, specifier: '', version: undefined, source: 'vcs' },
      { name: 'pytest', line: 18, specifier: '==8.1.1', version: '8.1.1', source: 'registry' },
    ]);
    expect(textAt(text, byName(manifest, 'jinja2').versionSpan)).toBe('2.10');
    expect(manifest.indexes.map((index) => [index.kind, index.value, index.span.line])).toEqual([
      ['index-url', 'https://pypi.org/simple', 2],
      ['extra-index-url', 'http://pypi.internal.example/simple', 7],
      ['trusted-host', 'pypi.internal.example', 8],
    ]);
  });

  it('reads locked versions on their version lines', () => {
    const text = `{
    "_meta": {
        "hash": {"sha256": "0000"},
        "pipfile-spec": 6,
        "sources": [{"name": "pypi", "url": "https://pypi.org/simple", "verify_ssl": true}]
    },
    "default": {
        "jinja2": {
            "hashes": [
                "sha256:1111"
            ],
            "index": "pypi",
            "version": "==2.10"
        },
        "markupsafe": {
            "hashes": [],
            "markers": "python_version >= '3.7'",
            "version": "==2.1.5"
        }
    },
    "develop": {
        "pytest": {
            "hashes": [],
            "version": "==8.1.1"
        }
    }
}
`;
    const manifest = parseManifest('Pipfile.lock', text);
    expect(manifest.problems).toEqual([]);
    expect(
      manifest.requirements.map((requirement) => [
        requirement.group,
        requirement.name,
        requirement.version,
        requirement.span.line,
        requirement.locked,
        textAt(text, requirement.versionSpan),
      ]),
    ).toEqual([
      ['default', 'jinja2', '2.10', 13, true, '2.10'],
      ['default', 'markupsafe', '2.1.5', 18, true, '2.1.5'],
      ['develop', 'pytest', '8.1.1', 24, true, '8.1.1'],
    ]);
    expect(byName(manifest, 'jinja2').hashes).toEqual(['sha256:1111']);
  });

  it('reports invalid JSON with its line', () => {
    const manifest = parseManifest(
      'Pipfile.lock',
      '{\n  "default": {\n    "jinja2": {"version": "==2.10",}\n  }\n}\n',
    );
    expect(manifest.problems).toHaveLength(1);
    expect(manifest.problems[0]?.line).toBe(3);
    expect(manifest.problems[0]?.message).toMatch(/^invalid JSON at line 3: /);
  });
});

describe('lock files', () => {
  it('reads poetry.lock packages, with git sources and their resolved commits', () => {
    const text = `# This file is automatically @generated by Poetry 1.8.2 and should not be changed by hand.

[[package]]
name = "jinja2"
version = "2.10"
description = "A very fast and expressive template engine."
optional = false
python-versions = "*"
files = [
    {file = "Jinja2-2.10-py2.py3-none-any.whl", hash = "sha256:74c935a1b8bb9a3947c50a54766a969d4846290e1e788ea44c1392163723c3bd"},
]

[package.dependencies]
MarkupSafe = ">=0.23"

[package.extras]
i18n = ["Babel (>=0.8)"]

[[package]]
name = "toolkit"
version = "0.3.0"
description = ""
optional = false
python-versions = "*"
files = []

[package.source]
type = "git"
url = "https://github.com/acme/toolkit.git"
reference = "main"
resolved_reference = "6f1e0d8c2b7a4e9f3d5c1b0a8e7f6d5c4b3a2918"

[metadata]
lock-version = "2.0"
python-versions = "^3.11"
content-hash = "abc"
`;
    const manifest = parseManifest('poetry.lock', text);
    expect(manifest.problems).toEqual([]);
    expect(manifest.requirements.map(brief)).toEqual([
      { name: 'jinja2', line: 5, specifier: '==2.10', version: '2.10', source: 'registry' },
      { name: 'toolkit', line: 21, specifier: '==0.3.0', version: '0.3.0', source: 'vcs' },
    ]);
    expect(textAt(text, byName(manifest, 'jinja2').versionSpan)).toBe('2.10');
    expect(byName(manifest, 'toolkit').vcs?.pinnedCommit).toBe(true);
  });

  it('reads uv.lock packages and their registry', () => {
    const text = `version = 1
requires-python = ">=3.11"

[[package]]
name = "pyyaml"
version = "5.3.1"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://files.pythonhosted.org/packages/PyYAML-5.3.1.tar.gz", hash = "sha256:b8eac752c5e14d3eca0e6dd9199cd627518cb5ec06add0de9d32baeee6fe645d", size = 269377 }

[[package]]
name = "service"
version = "0.1.0"
source = { editable = "." }
dependencies = [
    { name = "pyyaml" },
]

[[package]]
name = "toolkit"
version = "0.3.0"
source = { git = "https://github.com/acme/toolkit?rev=main#6f1e0d8c2b7a4e9f3d5c1b0a8e7f6d5c4b3a2918" }
`;
    const manifest = parseManifest('uv.lock', text);
    expect(manifest.problems).toEqual([]);
    expect(manifest.requirements.map(brief)).toEqual([
      { name: 'pyyaml', line: 6, specifier: '==5.3.1', version: '5.3.1', source: 'registry' },
      { name: 'service', line: 12, specifier: '==0.1.0', version: '0.1.0', source: 'path' },
      { name: 'toolkit', line: 20, specifier: '==0.3.0', version: '0.3.0', source: 'vcs' },
    ]);
    expect(byName(manifest, 'toolkit').vcs).toMatchObject({
      revision: '6f1e0d8c2b7a4e9f3d5c1b0a8e7f6d5c4b3a2918',
      pinnedCommit: true,
    });
    expect(manifest.indexes.map((index) => [index.kind, index.value, index.span.line])).toEqual([
      ['index-url', 'https://pypi.org/simple', 7],
    ]);
  });

  it('reads pylock.toml packages (PEP 751)', () => {
    const text = `lock-version = "1.0"
created-by = "pip"

[[packages]]
name = "requests"
version = "2.25.1"
index = "https://pypi.org/simple"

[[packages.wheels]]
url = "https://files.pythonhosted.org/packages/requests-2.25.1-py2.py3-none-any.whl"
hashes = {sha256 = "c210084e36a42ae6b9219e00e48287def368a26d03a048ddad7bfee44f75871e"}

[[packages]]
name = "toolkit"
version = "0.3.0"
vcs = {type = "git", url = "https://github.com/acme/toolkit.git", commit-id = "6f1e0d8c2b7a4e9f3d5c1b0a8e7f6d5c4b3a2918"}
`;
    const manifest = parseManifest('pylock.toml', text);
    expect(manifest.problems).toEqual([]);
    expect(manifest.requirements.map(brief)).toEqual([
      { name: 'requests', line: 6, specifier: '==2.25.1', version: '2.25.1', source: 'registry' },
      { name: 'toolkit', line: 15, specifier: '==0.3.0', version: '0.3.0', source: 'vcs' },
    ]);
  });

  it('reports invalid TOML with its line', () => {
    const manifest = parseManifest(
      'poetry.lock',
      '[[package]]\nname = "jinja2"\nversion = 2.10.1\n',
    );
    expect(manifest.problems[0]?.line).toBe(3);
  });
});
