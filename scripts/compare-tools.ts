/**
 * `npm run compare`: runs PyGuard, ruff's `S` rules (ruff's WebAssembly build) and bandit (when
 * it is on the PATH) over labelled Python and counts, per tool, the labelled problems found and
 * the safe lines flagged. Labels are the `# ruleid:` / `# ok:` annotations of the rule fixtures
 * (`# todoruleid:` counts as a problem, `# todook:` as safe) plus any directories given as
 * arguments. A line counts as found when a tool reports anything starting on it. `--explain`
 * lists PyGuard's findings on safe lines.
 *
 * The fixtures were written for PyGuard's rules, so they favour PyGuard; the numbers show where
 * the other tools miss or over-report on the same lines, not how the tools compare on arbitrary
 * code.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Workspace, PositionEncoding } from '@astral-sh/ruff-wasm-nodejs';
import { allRules } from '../rules/index.js';
import { defaultConfig } from '../src/config/schema.js';
import { createScanner } from '../src/engine/scanner.js';
import { hasPythonChecks } from '../src/rules-api/define-rule.js';
import type { Confidence } from '../src/engine/types.js';
import { readFixture } from './fixture-labels.js';

interface LabelledFile {
  path: string;
  group: string;
  text: string;
  problems: Set<number>;
  safe: Set<number>;
}

type Flagged = Map<string, Set<number>>;

interface Tally {
  found: number;
  missed: number;
  falseAlarms: number;
}

const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');

function pythonFilesUnder(directory: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory() && !entry.name.startsWith('_')) files.push(...pythonFilesUnder(path));
    else if (entry.isFile() && entry.name.endsWith('.py')) files.push(path);
  }
  return files.sort();
}

/**
 * Python fixtures of rules that are on by default (audits that are off are not problems to find;
 * template fixtures are left out, the other tools do not read templates).
 */
function fixtureFiles(): LabelledFile[] {
  const rulesDirectory = join(repositoryRoot, 'rules');
  return allRules
    .filter((rule) => rule.meta.enabledByDefault && hasPythonChecks(rule))
    .map((rule) => {
      const path = join(rulesDirectory, rule.meta.category, `${rule.meta.slug}.py`);
      const text = readFileSync(path, 'utf8');
      const labels = readFixture(text, rule.meta.slug);
      return {
        path,
        group: rule.meta.category,
        text,
        problems: new Set([...labels.expected, ...labels.todoExpected]),
        safe: new Set([...labels.ok, ...labels.todoOk]),
      };
    });
}

function labelledDirectory(directory: string): LabelledFile[] {
  return pythonFilesUnder(directory).map((path) => {
    const text = readFileSync(path, 'utf8');
    const labels = readFixture(text);
    return {
      path,
      group: basename(directory),
      text,
      problems: new Set([...labels.expected, ...labels.todoExpected]),
      safe: new Set([...labels.ok, ...labels.todoOk]),
    };
  });
}

function addLine(flagged: Flagged, path: string, line: number): void {
  const lines = flagged.get(path) ?? new Set<number>();
  lines.add(line);
  flagged.set(path, lines);
}

function runPyGuard(
  files: readonly LabelledFile[],
  minConfidence: Confidence,
  explain: boolean,
): Flagged {
  const scanner = createScanner({ ...defaultConfig(), minConfidence }, allRules);
  const flagged: Flagged = new Map();
  for (const file of files) {
    const path = relative(repositoryRoot, file.path);
    const result = scanner.scanFile({ path, source: file.text });
    for (const finding of result.findings) {
      if (finding.suppression !== undefined) continue;
      const line = finding.span.start.line;
      addLine(flagged, file.path, line);
      if (explain && file.safe.has(line)) {
        console.log(`${path}:${String(line)} ${finding.ruleId} ${finding.message}`);
      }
    }
  }
  return flagged;
}

interface RuffDiagnostic {
  code: string | null;
  start_location: { row: number };
}

function runRuff(files: readonly LabelledFile[]): Flagged {
  const workspace = new Workspace(
    { lint: { select: ['S'] }, 'target-version': 'py312' },
    PositionEncoding.Utf16,
  );
  const flagged: Flagged = new Map();
  for (const file of files) {
    // Suppression comments are PyGuard's own fixtures' business; ruff honours `noqa` by default.
    const diagnostics = workspace.check(file.text) as RuffDiagnostic[];
    for (const diagnostic of diagnostics) {
      if (diagnostic.code?.startsWith('S') === true) {
        addLine(flagged, file.path, diagnostic.start_location.row);
      }
    }
  }
  return flagged;
}

interface BanditReport {
  results: { filename: string; line_number: number }[];
  errors: { filename: string }[];
}

function runBandit(
  files: readonly LabelledFile[],
): { flagged: Flagged; errors: number } | undefined {
  const run = spawnSync('bandit', ['-q', '-f', 'json', ...files.map((file) => file.path)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error !== undefined || run.stdout === '') return undefined;
  const report = JSON.parse(run.stdout) as BanditReport;
  const flagged: Flagged = new Map();
  for (const result of report.results) addLine(flagged, result.filename, result.line_number);
  return { flagged, errors: report.errors.length };
}

function tally(files: readonly LabelledFile[], flagged: Flagged): Tally {
  const result: Tally = { found: 0, missed: 0, falseAlarms: 0 };
  for (const file of files) {
    const lines = flagged.get(file.path) ?? new Set<number>();
    for (const line of file.problems) {
      if (lines.has(line)) result.found++;
      else result.missed++;
    }
    for (const line of file.safe) if (lines.has(line)) result.falseAlarms++;
  }
  return result;
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '–' : `${((100 * part) / whole).toFixed(0)}%`;
}

function main(): void {
  const args = process.argv.slice(2);
  const explain = args.includes('--explain');
  const directories = args.filter((arg) => arg !== '--explain');
  const files = [...fixtureFiles(), ...directories.flatMap(labelledDirectory)];
  const tools: { name: string; flagged: Flagged }[] = [
    { name: 'PyGuard (all findings)', flagged: runPyGuard(files, 'low', explain) },
    {
      name: 'PyGuard (default: medium confidence and up)',
      flagged: runPyGuard(files, 'medium', false),
    },
    { name: `ruff ${Workspace.version()} S rules`, flagged: runRuff(files) },
  ];
  const bandit = runBandit(files);
  if (bandit === undefined) {
    console.log('bandit is not on the PATH: its column is left out.\n');
  } else {
    tools.push({ name: 'bandit (all checks)', flagged: bandit.flagged });
    if (bandit.errors > 0) console.log(`bandit could not parse ${String(bandit.errors)} files.\n`);
  }
  const groups = [...new Set(files.map((file) => file.group))].sort();
  const problems = files.reduce((sum, file) => sum + file.problems.size, 0);
  const safe = files.reduce((sum, file) => sum + file.safe.size, 0);
  console.log(
    `${String(files.length)} labelled files, ${String(problems)} problem lines, ${String(safe)} safe lines.\n`,
  );
  console.log('| Tool | Problems found | Safe lines flagged |');
  console.log('| --- | --- | --- |');
  for (const tool of tools) {
    const total = tally(files, tool.flagged);
    console.log(
      `| ${tool.name} | ${String(total.found)} of ${String(problems)} (${percent(total.found, problems)}) | ${String(total.falseAlarms)} of ${String(safe)} (${percent(total.falseAlarms, safe)}) |`,
    );
  }
  console.log('\nBy category (found / false alarms):\n');
  console.log(`| Category | Problems | Safe | ${tools.map((tool) => tool.name).join(' | ')} |`);
  console.log(`| --- | --- | --- | ${tools.map(() => '---').join(' | ')} |`);
  for (const group of groups) {
    const members = files.filter((file) => file.group === group);
    const cells = tools.map((tool) => {
      const counts = tally(members, tool.flagged);
      return `${String(counts.found)} / ${String(counts.falseAlarms)}`;
    });
    const groupProblems = members.reduce((sum, file) => sum + file.problems.size, 0);
    const groupSafe = members.reduce((sum, file) => sum + file.safe.size, 0);
    console.log(
      `| ${group} | ${String(groupProblems)} | ${String(groupSafe)} | ${cells.join(' | ')} |`,
    );
  }
}

main();
