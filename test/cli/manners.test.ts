/**
 * The CLI's manners: a progress counter on a terminal for long scans, `-` for standard input,
 * "did you mean" for typos (flags, commands, rules, suppression comments), and `--quiet`.
 */
import { Readable } from 'node:stream';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { parseCliArgs } from '../../src/cli/args.js';
import { CliError } from '../../src/cli/errors.js';
import { Progress } from '../../src/cli/progress.js';
import { run, type CliIo } from '../../src/cli/run.js';
import { closestMatch, editDistance } from '../../src/cli/suggest.js';
import { pyguard, removeDir, tempDir, testEnv, UNSAFE_YAML, writeFiles } from './helpers.js';

const ERASE = '\r\u001b[K';

let dir: string;

beforeEach(async () => {
  dir = await tempDir();
});

afterEach(async () => {
  await removeDir(dir);
});

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with a terminal on stderr, a clock that moves `stepMs` per reading, and stdin. */
async function runWith(
  args: readonly string[],
  options: { stepMs?: number; stderrIsTTY?: boolean; stdin?: string[] } = {},
): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  let clock = 0;
  const io: CliIo = {
    cwd: dir,
    stdout: { write: (chunk: string) => (stdout += chunk), isTTY: false },
    stderr: { write: (chunk: string) => (stderr += chunk), isTTY: options.stderrIsTTY ?? true },
    env: testEnv(),
    now: () => (clock += options.stepMs ?? 0),
    stdin: (): Readable => Readable.from((options.stdin ?? []).map((chunk) => Buffer.from(chunk))),
  };
  const code = await run(args, io);
  return { code, stdout, stderr };
}

async function sixFiles(): Promise<void> {
  const files: Record<string, string> = {};
  for (let i = 1; i <= 6; i++) files[`m${i}.py`] = UNSAFE_YAML;
  await writeFiles(dir, files);
}

describe('progress', () => {
  it('counts scanned files on a terminal once the scan has run for a second, then erases', async () => {
    await sixFiles();
    const { stderr, stdout } = await runWith(['scan', '.', '--format', 'json'], { stepMs: 400 });
    // The clock reads 400 ms at the start and 400 ms more per file: from the third on, 1 s passed.
    expect(stderr).toBe(
      [3, 4, 5, 6].map((done) => `${ERASE}pyguard: scanned ${done} of 6 files`).join('') + ERASE,
    );
    expect(JSON.parse(stdout)).toMatchObject({ summary: { files: 6 } });
  });

  it('stays silent for a quick scan, off a terminal and with --quiet', async () => {
    await sixFiles();
    expect((await runWith(['scan', '.', '--format', 'json'], { stepMs: 100 })).stderr).toBe('');
    const piped = await runWith(['scan', '.', '--format', 'json'], {
      stepMs: 400,
      stderrIsTTY: false,
    });
    expect(piped.stderr).toBe('');
    const quiet = await runWith(['scan', '.', '--format', 'json', '--quiet'], { stepMs: 400 });
    expect(quiet.stderr).toBe('');
  });

  it('erases the counter before a warning and redraws it at most every interval', () => {
    let out = '';
    let now = 0;
    const progress = new Progress({ enabled: true, write: (c) => (out += c), now: () => now });
    progress.start(10);
    now = 1000;
    progress.update(1);
    now = 1050;
    progress.update(2);
    progress.clear();
    progress.clear();
    now = 1060;
    progress.update(3);
    expect(out).toBe(
      `${ERASE}pyguard: scanned 1 of 10 files${ERASE}${ERASE}pyguard: scanned 3 of 10 files`,
    );
  });
});

describe('standard input', () => {
  it('scans - under the name given with --stdin-filename', async () => {
    const { code, stdout } = await runWith(
      ['scan', '-', '--stdin-filename', './pkg/app.py', '--format', 'json'],
      { stdin: ['import yaml\n', 'yaml.load(data)\n'] },
    );
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { findings: { path: string; ruleId: string }[] };
    expect(report.findings.map((f) => `${f.path} ${f.ruleId}`)).toEqual(['pkg/app.py PGD003']);
  });

  it('reports standard input as - by default, beside files named with it', async () => {
    await writeFiles(dir, { 'a.py': UNSAFE_YAML });
    const { stdout } = await runWith(['scan', 'a.py', '-', '--format', 'json'], {
      stdin: [UNSAFE_YAML],
    });
    const report = JSON.parse(stdout) as { findings: { path: string }[] };
    expect(report.findings.map((f) => f.path)).toEqual(['a.py', '-']);
  });

  it('reads a template when the name says so', async () => {
    const { stdout } = await runWith(
      ['scan', '-', '--stdin-filename', 'page.html', '--format', 'json'],
      { stdin: ['<p>{{ body|safe }}</p>\n'] },
    );
    const report = JSON.parse(stdout) as { findings: { path: string }[] };
    expect(report.findings.map((f) => f.path)).toEqual(['page.html']);
  });

  it('refuses --stdin-filename without -, and - twice', () => {
    expect(usageMessage(['scan', 'a.py', '--stdin-filename', 'x.py'])).toBe(
      "option '--stdin-filename' needs '-' among the paths",
    );
    expect(usageMessage(['scan', '-', '-'])).toBe("'-' (standard input) can be given only once");
    expect(usageMessage(['diff', '--stdin-filename', 'x.py'])).toBe(
      "option '--stdin-filename' applies to 'pyguard scan -' only",
    );
  });
});

function usageMessage(argv: string[]): string {
  try {
    parseCliArgs(argv);
  } catch (error: unknown) {
    if (error instanceof CliError && error.usage) return error.lines.join('\n');
    throw error;
  }
  throw new Error(`no usage error for ${argv.join(' ')}`);
}

describe('did you mean', () => {
  it('suggests the closest flag, command and rule', async () => {
    expect(usageMessage(['scan', '--formt', 'json'])).toBe(
      "unknown option '--formt'; did you mean '--format'?",
    );
    expect(usageMessage(['scan', '--fail-no', 'low'])).toBe(
      "unknown option '--fail-no'; did you mean '--fail-on'?",
    );
    expect(usageMessage(['scna'])).toBe(
      "unknown command 'scna': expected scan, diff, baseline, rules or config; did you mean 'scan'?",
    );
    expect(usageMessage(['scan', '--zzzzzz'])).toBe("unknown option '--zzzzzz'");
    const rule = await pyguard(dir, ['scan', '--rule', 'yaml-unsafe-lod']);
    expect(rule).toEqual({
      code: 2,
      stdout: '',
      stderr:
        "pyguard: unknown rule 'yaml-unsafe-lod'; did you mean 'yaml-unsafe-load'? (see 'pyguard --help')\n",
    });
    expect((await pyguard(dir, ['scan', '--rule', 'pgd03'])).stderr).toContain(
      "did you mean 'PGD003'?",
    );
    expect((await pyguard(dir, ['scan', '--rule', 'nothing-like-it'])).stderr).toBe(
      "pyguard: unknown rule 'nothing-like-it' (see 'pyguard rules')\n",
    );
  });

  it('warns about a suppression comment that names no rule on a reported line', async () => {
    await writeFiles(dir, {
      'app.py': [
        'import yaml',
        'a = yaml.load(x)  # pyguard: ignore[PGD03] trusted',
        'b = yaml.load(y)  # pyguard: ignore[yaml-unsafe-lod, PGD003]',
        'c = yaml.load(z)  # pyguard: ignore[nothing-like-it, B506]',
        '# pyguard: ignore[PGD0003] on a line without a finding',
        '',
      ].join('\n'),
    });
    const { code, stdout, stderr } = await pyguard(dir, ['scan', '.', '--format', 'json']);
    expect(stderr).toBe(
      [
        "pyguard: warning: app.py:2: 'PGD03' is not a rule in '# pyguard: ignore[PGD03] trusted', so PGD003 is still reported; did you mean 'PGD003'?",
        "pyguard: warning: app.py:4: 'nothing-like-it', 'B506' are not rules in '# pyguard: ignore[nothing-like-it, B506]', so PGD003 is still reported",
        '',
      ].join('\n'),
    );
    // Line 3 names PGD003 too, so it is suppressed; line 5 has no finding.
    const report = JSON.parse(stdout) as { findings: { span: { start: { line: number } } }[] };
    expect(report.findings.map((finding) => finding.span.start.line)).toEqual([2, 4]);
    expect(code).toBe(1);
    expect((await pyguard(dir, ['scan', '.', '--quiet'])).stderr).toBe('');
  });

  it('measures typos as edits, a swap of neighbours being one', () => {
    expect(editDistance('scna', 'scan')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(closestMatch('ruls', ['scan', 'diff', 'rules'])).toBe('rules');
    expect(closestMatch('x', ['scan', 'diff', 'rules'])).toBeUndefined();
  });
});

describe('--quiet', () => {
  it('drops warnings but keeps the report and errors', async () => {
    await writeFiles(dir, { 'broken.py': 'def (:\n', 'a.py': UNSAFE_YAML });
    const loud = await pyguard(dir, ['scan', '.']);
    expect(loud.stderr).toMatch(/^pyguard: warning: broken\.py/);
    const quiet = await pyguard(dir, ['scan', '.', '--quiet']);
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout).toBe(loud.stdout);
    expect(quiet.code).toBe(1);
    expect((await pyguard(dir, ['scan', 'missing.py', '-q'])).stderr).toBe(
      'pyguard: no such file or directory: missing.py\n',
    );
  });
});
