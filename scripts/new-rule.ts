/**
 * Scaffolds a rule: `npm run new-rule -- <category>/<slug>` writes `rules/<category>/<slug>.ts`
 * (placeholder metadata under the next free ID of the category) and its fixture, then runs
 * `npm run docs` to register it and write its page, and prints the next steps.
 *
 *   --dry-run   print the ID and the files, write nothing
 *   --no-docs   write the files but do not run `npm run docs`
 */
import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from './docs-files.js';
import { nextSteps, parseTarget, planRule, readUsedNames, writePlan } from './scaffold.js';

const USAGE = 'usage: npm run new-rule -- <category>/<slug> [--dry-run] [--no-docs]';

function main(args: readonly string[]): number {
  const flags = new Set(args.filter((arg) => arg.startsWith('--')));
  const positional = args.filter((arg) => !arg.startsWith('--'));
  const unknown = [...flags].filter((flag) => flag !== '--dry-run' && flag !== '--no-docs');
  if (unknown.length > 0 || positional.length !== 1) {
    console.error(
      unknown.length > 0 ? `new-rule: unknown option ${unknown.join(' ')}; ${USAGE}` : USAGE,
    );
    return 2;
  }
  const target = parseTarget(positional[0] ?? '');
  if ('error' in target) {
    console.error(`new-rule: ${target.error}`);
    return 1;
  }
  const plan = planRule(target, readUsedNames(REPO_ROOT));
  if ('error' in plan) {
    console.error(`new-rule: ${plan.error}`);
    return 1;
  }
  if (flags.has('--dry-run')) {
    console.log(`${plan.id} ${target.slug} would be created:`);
    for (const file of plan.files) console.log(`  ${file.path}`);
    return 0;
  }
  writePlan(REPO_ROOT, plan);
  console.log(`${plan.id} ${target.slug}:`);
  for (const file of plan.files) console.log(`  wrote ${file.path}`);
  let docsRan = false;
  if (!flags.has('--no-docs')) {
    const docs = spawnSync('npm', ['run', 'docs'], { cwd: REPO_ROOT, stdio: 'inherit' });
    docsRan = docs.status === 0;
    if (!docsRan) console.error('new-rule: `npm run docs` failed; run it once fixed.');
  }
  console.log(`\nNext:\n${nextSteps(plan, docsRan).join('\n')}`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
