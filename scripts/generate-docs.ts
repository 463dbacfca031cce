/**
 * Regenerates everything derived from rule metadata: `rules/index.ts`, `docs/rules/<ID>.md`,
 * `docs/rules/README.md`, `docs/pyguard.schema.json` and the rules section of README.md.
 *
 *   npm run docs          write the files (and remove docs of rules that no longer exist)
 *   npm run docs:check    change nothing; exit 1 listing every stale, missing or extra file
 *
 * Both build first and run this file compiled, from `dist/scripts/`.
 */
import {
  README_PATH,
  REPO_ROOT,
  computeDocs,
  findDrift,
  loadRules,
  ruleFileProblems,
  writeDocs,
} from './docs-files.js';
import { DOCS_COMMAND, README_RULES_END, README_RULES_START } from './docs.js';

const USAGE = 'usage: node dist/scripts/generate-docs.js [--check]';

async function main(args: readonly string[]): Promise<number> {
  const unknown = args.filter((arg) => arg !== '--check');
  if (unknown.length > 0) {
    console.error(`unknown argument ${unknown.join(' ')}\n${USAGE}`);
    return 2;
  }
  const check = args.includes('--check');

  const loaded = await loadRules(REPO_ROOT);
  const problems = ruleFileProblems(loaded);
  if (problems.length > 0) {
    console.error(
      `Cannot generate docs; fix these rules first:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
    return 1;
  }
  const docs = computeDocs(loaded, REPO_ROOT);

  const markers = `${README_RULES_START} and ${README_RULES_END}`;
  if (docs.readme.kind === 'missing') {
    console.log(`note: ${README_PATH} does not exist yet, so its rules section was not generated.`);
  }

  if (check) {
    const drift = findDrift(docs, REPO_ROOT);
    const lines = drift.map(({ path, kind }) => {
      const note =
        kind === 'extra'
          ? ' (no rule has this id)'
          : path === README_PATH
            ? ` (the section between ${markers})`
            : '';
      return `  ${`${kind}:`.padEnd(9)}${path}${note}`;
    });
    if (docs.readme.kind === 'no-markers') {
      lines.push(
        `  ${docs.readme.error}; put ${markers}, each on its own line, where the rules table goes`,
      );
    }
    if (lines.length > 0) {
      console.error(
        `Generated files are out of date with the rule metadata:\n${lines.join('\n')}\n` +
          `Run \`${DOCS_COMMAND}\` and commit the result.`,
      );
      return 1;
    }
    console.log(`Docs are up to date (${loaded.length} rules).`);
    return 0;
  }

  if (docs.readme.kind === 'no-markers') {
    console.warn(
      `warning: ${docs.readme.error}; left it unchanged. Add ${markers} to generate its rules section.`,
    );
  }
  const { written, removed, unchanged } = writeDocs(docs, REPO_ROOT);
  for (const path of written) console.log(`wrote   ${path}`);
  for (const path of removed) console.log(`removed ${path}`);
  console.log(
    `${loaded.length} rules: ${written.length} files written, ${removed.length} removed, ${unchanged} unchanged.`,
  );
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
