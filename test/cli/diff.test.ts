import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { git, pyguard, removeDir, tempDir, writeFiles } from './helpers.js';

const ONLY_YAML = ['--rule', 'yaml-unsafe-load'];

let dir: string;

beforeEach(async () => {
  dir = await tempDir();
});

afterEach(async () => {
  await removeDir(dir);
});

interface JsonReport {
  findings: { path: string; span: { start: { line: number } }; snippet: string }[];
  notices: { path: string; kind: string }[];
}

async function diffFindings(
  args: readonly string[],
): Promise<{ code: number; found: string[]; stderr: string }> {
  const { code, stdout, stderr } = await pyguard(dir, [
    'diff',
    ...args,
    '--format',
    'json',
    ...ONLY_YAML,
  ]);
  if (code === 2) return { code, found: [], stderr };
  const report = JSON.parse(stdout) as JsonReport;
  return {
    code,
    found: report.findings.map(
      (finding) => `${finding.path}:${finding.span.start.line} ${finding.snippet.trim()}`,
    ),
    stderr,
  };
}

/** A repository whose first commit already has an unsafe load. */
async function initRepository(): Promise<void> {
  git(dir, 'init', '-q');
  await writeFiles(dir, {
    'app.py': 'import yaml\n\nold = yaml.load(a)\n',
    'gone.py': 'import yaml\nyaml.load(z)\n',
    'untouched.py': 'import yaml\nyaml.load(u)\n',
  });
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'first');
}

describe('pyguard diff', () => {
  it('reports only the findings on lines the head commit added', async () => {
    await initRepository();
    await writeFiles(dir, {
      'app.py': 'import yaml\n\nold = yaml.load(a)\nnew = yaml.load(b)\nsafe = yaml.safe_load(c)\n',
      'added.py': 'import yaml\nyaml.load(d)\n',
    });
    await rm(join(dir, 'gone.py'));
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'second');
    // Later edits on disk must not matter: the head side comes from git.
    await writeFile(join(dir, 'app.py'), 'print("rewritten")\n');

    const { code, found, stderr } = await diffFindings(['HEAD~1', 'HEAD']);
    expect(stderr).toBe('');
    expect(found).toEqual(['added.py:2 yaml.load(d)', 'app.py:4 new = yaml.load(b)']);
    expect(code).toBe(1);
  });

  it('compares the working tree with HEAD by default, untracked files included', async () => {
    await initRepository();
    await writeFiles(dir, {
      'app.py': 'import yaml\n\nold = yaml.load(a)\n\nedited = yaml.load(e)\n',
      'fresh.py': 'import yaml\nyaml.load(f)\n',
      'notes.txt': 'yaml.load(g)\n',
    });
    const { code, found } = await diffFindings([]);
    expect(found).toEqual(['app.py:5 edited = yaml.load(e)', 'fresh.py:2 yaml.load(f)']);
    expect(code).toBe(1);

    const text = await pyguard(dir, ['diff', ...ONLY_YAML]);
    expect(text.stdout).toMatch(/2 findings \(2 high\) in 2 files\n$/);
  });

  it('scans changed templates too, and only their added lines', async () => {
    await initRepository();
    await writeFiles(dir, { 'templates/page.html': '<p>{{ old|safe }}</p>\n' });
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'template');
    await writeFiles(dir, {
      'templates/page.html': '<p>{{ old|safe }}</p>\n<p>{{ new|safe }}</p>\n',
      'static/app.js': 'x = "{{ y|safe }}";\n',
    });
    const { stdout, code } = await pyguard(dir, [
      'diff',
      '--format',
      'json',
      '--rule',
      'template-file-unescaped',
    ]);
    const report = JSON.parse(stdout) as {
      findings: { path: string; span: { start: { line: number } } }[];
    };
    expect(report.findings.map((f) => `${f.path}:${f.span.start.line}`)).toEqual([
      'templates/page.html:2',
    ]);
    expect(code).toBe(0);
  });

  it('compares the working tree with a given revision', async () => {
    await initRepository();
    await writeFiles(dir, {
      'app.py': 'import yaml\n\nold = yaml.load(a)\nsecond = yaml.load(s)\n',
    });
    git(dir, 'commit', '-q', '-a', '-m', 'second');
    await writeFiles(dir, {
      'app.py': 'import yaml\n\nold = yaml.load(a)\nsecond = yaml.load(s)\nthird = yaml.load(t)\n',
    });
    expect((await diffFindings(['HEAD~1'])).found).toEqual([
      'app.py:4 second = yaml.load(s)',
      'app.py:5 third = yaml.load(t)',
    ]);
    expect((await diffFindings([])).found).toEqual(['app.py:5 third = yaml.load(t)']);
  });

  it('exits 0 when the change adds nothing risky', async () => {
    await initRepository();
    await writeFiles(dir, {
      'app.py': 'import yaml\n\nold = yaml.load(a)\nfine = yaml.safe_load(b)\n',
    });
    const { code, stdout } = await pyguard(dir, ['diff', ...ONLY_YAML]);
    expect({ code, stdout }).toEqual({ code: 0, stdout: 'No findings in 1 file\n' });
  });

  it('fails with one line outside a git repository', async () => {
    const { code, stdout, stderr } = await pyguard(dir, ['diff']);
    expect({ code, stdout, stderr }).toEqual({
      code: 2,
      stdout: '',
      stderr: `pyguard: not a git repository: ${dir}\n`,
    });
  });

  it('fails with one line for an unknown revision', async () => {
    await initRepository();
    const { code, stderr } = await pyguard(dir, ['diff', 'no-such-branch', 'HEAD']);
    expect(code).toBe(2);
    expect(stderr).toBe(
      "pyguard: unknown revision 'no-such-branch': not a commit in this repository\n",
    );
  });

  it("reports only the branch's own lines when the base moved on after the branch point", async () => {
    await initRepository();
    git(dir, 'branch', '-M', 'main');
    git(dir, 'checkout', '-q', '-b', 'feature');
    await writeFiles(dir, { 'feature.py': 'import yaml\nmine = yaml.load(f)\n' });
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'feature');
    git(dir, 'checkout', '-q', 'main');
    // main fixes the old load and adds another one after the branch point.
    await writeFiles(dir, {
      'app.py': 'import yaml\n\nold = yaml.safe_load(a)\n',
      'later.py': 'import yaml\nyaml.load(later)\n',
    });
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'main moves on');
    git(dir, 'checkout', '-q', 'feature');

    const own = ['feature.py:2 mine = yaml.load(f)'];
    expect(await diffFindings(['main', 'HEAD'])).toMatchObject({ code: 1, found: own });
    expect((await diffFindings(['main...HEAD'])).found).toEqual(own);
    expect((await diffFindings(['main...'])).found).toEqual(own);
    expect((await diffFindings(['main', 'feature'])).found).toEqual(own);
    // The working tree against main: also from the branch point.
    expect((await diffFindings(['main'])).found).toEqual(own);
    // Two dots compare the commits themselves: main's fix reads as the branch undoing it.
    expect((await diffFindings(['main..HEAD'])).found).toEqual([
      'app.py:3 old = yaml.load(a)',
      'feature.py:2 mine = yaml.load(f)',
    ]);
  });

  it('explains revisions without common history', async () => {
    await initRepository();
    git(dir, 'branch', '-M', 'main');
    git(dir, 'checkout', '-q', '--orphan', 'other');
    await writeFiles(dir, { 'app.py': 'x = 1\n' });
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'unrelated');
    const { code, stderr } = await pyguard(dir, ['diff', 'main', 'HEAD']);
    expect(code).toBe(2);
    expect(stderr).toBe(
      "pyguard: 'main' and 'HEAD' have no common history; compare them directly with main..HEAD\n",
    );
  });

  it('rejects malformed ranges and extra arguments as usage errors', async () => {
    const range = await pyguard(dir, ['diff', 'a...b...c']);
    expect(range.code).toBe(2);
    expect(range.stderr).toBe(
      "pyguard: invalid revision range 'a...b...c' (see 'pyguard --help')\n",
    );
    expect((await pyguard(dir, ['diff', 'a..b', 'c'])).stderr).toBe(
      "pyguard: invalid revision 'a..b' (see 'pyguard --help')\n",
    );
    expect((await pyguard(dir, ['diff', 'a', 'b', 'c'])).stderr.split('\n')[0]).toBe(
      "pyguard: diff takes at most two revisions, got 3 (see 'pyguard --help')",
    );
  });
});
