/**
 * Scaffolding for a new rule (`npm run new-rule -- <category>/<slug>`): the rule file with
 * placeholder metadata, a fixture with one `# ruleid:` and one `# ok:` line, and the next free ID
 * of the category. The placeholders run (the fixture test passes) but fail the metadata test
 * until they are replaced (`placeholderProblems`).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CATEGORIES, type AnyRule, type Category } from '../src/rules-api/types.js';

/** The word every placeholder of a scaffolded rule contains. */
export const PLACEHOLDER = 'TODO';

/** What the command was asked to create. */
export interface RuleTarget {
  category: Category;
  slug: string;
}

/** The IDs and slugs in use: current rules, retired rules, and pages of rules that are gone. */
export interface UsedNames {
  ids: ReadonlySet<string>;
  slugs: ReadonlySet<string>;
}

/** One file of a scaffold, relative to the repository root. */
export interface ScaffoldFile {
  path: string;
  content: string;
}

export interface RulePlan {
  id: string;
  target: RuleTarget;
  files: ScaffoldFile[];
}

const SLUG_FORMAT = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const CATEGORY_NAMES: readonly Category[] = Object.values(CATEGORIES);

/** `web/session-fixation` → its category and slug, or a one-line reason it is not valid. */
export function parseTarget(argument: string): RuleTarget | { error: string } {
  const parts = argument.split('/');
  if (parts.length !== 2) return { error: `expected <category>/<slug>, got "${argument}"` };
  const [category = '', slug = ''] = parts;
  if (!CATEGORY_NAMES.includes(category as Category)) {
    return {
      error: `unknown category "${category}"; use one of ${CATEGORY_NAMES.join(', ')}`,
    };
  }
  if (!SLUG_FORMAT.test(slug)) return { error: `slug "${slug}" is not kebab-case` };
  return { category: category as Category, slug };
}

/** The category letter of IDs: `misc` → `M`. */
function letterOf(category: Category): string {
  const entry = Object.entries(CATEGORIES).find(([, name]) => name === category);
  if (entry === undefined) throw new Error(`no letter for category ${category}`);
  return entry[0];
}

/**
 * The next free ID of a category: one above the highest ever used there. Numbers are never
 * reused, so gaps (numbers the catalogue reserves, retired rules) stay free.
 */
export function nextRuleId(category: Category, used: UsedNames): string {
  const prefix = `PG${letterOf(category)}`;
  let highest = 0;
  for (const id of used.ids) {
    if (id.startsWith(prefix)) highest = Math.max(highest, Number(id.slice(prefix.length)));
  }
  if (highest >= 999) throw new Error(`no free ID left in category ${category}`);
  return `${prefix}${String(highest + 1).padStart(3, '0')}`;
}

/**
 * The IDs and slugs in use in a checkout, read from the rule sources (`id: 'PGM006'`,
 * `slug: '...'`, including those of `replaces`) and the pages under `docs/rules/`, so a
 * half-written rule that does not load yet still counts.
 */
export function readUsedNames(repoRoot: string): UsedNames {
  const ids = new Set<string>();
  const slugs = new Set<string>();
  const rulesDir = join(repoRoot, 'rules');
  for (const dir of readdirSync(rulesDir, { withFileTypes: true })) {
    if (!dir.isDirectory() || dir.name.startsWith('_') || dir.name.startsWith('.')) continue;
    for (const entry of readdirSync(join(rulesDir, dir.name))) {
      if (!entry.endsWith('.ts')) continue;
      slugs.add(entry.slice(0, -'.ts'.length));
      const source = readFileSync(join(rulesDir, dir.name, entry), 'utf8');
      for (const match of source.matchAll(/\bid: '(PG[A-Z]\d{3})'/g)) ids.add(match[1] ?? '');
      for (const match of source.matchAll(/\bslug: '([a-z0-9-]+)'/g)) slugs.add(match[1] ?? '');
    }
  }
  const docsDir = join(repoRoot, 'docs', 'rules');
  if (existsSync(docsDir)) {
    for (const name of readdirSync(docsDir)) {
      const match = /^(PG[A-Z]\d{3})\.md$/.exec(name);
      if (match !== null) ids.add(match[1] ?? '');
    }
  }
  return { ids, slugs };
}

function ruleSource(id: string, { category, slug }: RuleTarget): string {
  return `import { callVisitors, defineRule } from '../../src/rules-api/index.js';

/** ${PLACEHOLDER}: the qualified names of the calls this rule reports. */
const FLAGGED_CALLS = new Set(['${PLACEHOLDER}.replace_me']);

export default defineRule({
  meta: {
    id: '${id}',
    slug: '${slug}',
    title: '${PLACEHOLDER}: a title that names the problem',
    category: '${category}',
    severity: 'medium',
    confidence: 'medium',
    cwe: [710], // ${PLACEHOLDER}: the CWE IDs of the weakness
    description: '${PLACEHOLDER}: one sentence saying what the rule flags.',
    why: '${PLACEHOLDER}: why it matters (Markdown).',
    fix: '${PLACEHOLDER}: how to fix it (Markdown).',
    example: {
      bad: 'import ${PLACEHOLDER}\\n\\n${PLACEHOLDER}.replace_me()\\n',
      good: 'import ${PLACEHOLDER}\\n\\n${PLACEHOLDER}.keep_me()\\n',
    },
    references: [],
    bandit: [],
    ruff: [],
  },
  messages: {
    flagged: '${PLACEHOLDER}: what is wrong with \`{{call}}\`, and what to write instead.',
  },
  select: { calls: [...FLAGGED_CALLS] },
  create(context) {
    return callVisitors(context, (node, call) => {
      const name = call.qualifiedName;
      if (name === undefined || !FLAGGED_CALLS.has(name)) return;
      context.report({ node, messageId: 'flagged', data: { call: name } });
    });
  },
});
`;
}

function fixtureSource(slug: string): string {
  return `import ${PLACEHOLDER}

# ruleid: ${slug}
${PLACEHOLDER}.replace_me()

# ok: ${slug}
${PLACEHOLDER}.keep_me()
`;
}

/**
 * What `new-rule` would create for a target, or a one-line reason it refuses: the slug (current
 * or retired) is taken.
 */
export function planRule(target: RuleTarget, used: UsedNames): RulePlan | { error: string } {
  if (used.slugs.has(target.slug)) {
    return { error: `a rule named "${target.slug}" exists already (or did: slugs are not reused)` };
  }
  const id = nextRuleId(target.category, used);
  const base = `rules/${target.category}/${target.slug}`;
  return {
    id,
    target,
    files: [
      { path: `${base}.ts`, content: ruleSource(id, target) },
      { path: `${base}.py`, content: fixtureSource(target.slug) },
    ],
  };
}

/** Writes a plan's files under the repository root (never over an existing file). */
export function writePlan(repoRoot: string, plan: RulePlan): void {
  for (const file of plan.files) {
    const absolute = join(repoRoot, file.path);
    if (existsSync(absolute)) throw new Error(`${file.path} exists already`);
  }
  for (const file of plan.files) {
    const absolute = join(repoRoot, file.path);
    mkdirSync(dirname(absolute), { recursive: true });
    writeFileSync(absolute, file.content);
  }
}

/** What to do after scaffolding, one step a line (`docsRan`: `npm run docs` ran already). */
export function nextSteps(plan: RulePlan, docsRan: boolean): string[] {
  const { category, slug } = plan.target;
  return [
    `1. Replace every ${PLACEHOLDER} in rules/${category}/${slug}.ts: metadata, message, the calls it reports`,
    `   (test/rules/rules-meta.test.ts fails while one is left). docs/writing-rules.md explains the API.`,
    `2. Mark rules/${category}/${slug}.py: "# ruleid: ${slug}" above each line to report, "# ok: ${slug}"`,
    `   above look-alikes that must stay quiet.`,
    docsRan
      ? `3. npm run docs   (again after changing metadata: it rewrites docs/rules/${plan.id}.md)`
      : `3. npm run docs   (registers the rule in rules/index.ts and writes docs/rules/${plan.id}.md)`,
    `4. npx vitest run test/rules -t ${plan.id} -u   (records rules/${category}/${slug}.snap; read it)`,
  ];
}

/**
 * Placeholders left from the scaffold in a rule's metadata and messages: each field that still
 * says `TODO`.
 */
export function placeholderProblems(rule: AnyRule): string[] {
  const { meta } = rule;
  const fields: [string, string][] = [
    ['title', meta.title],
    ['description', meta.description],
    ['why', meta.why],
    ['fix', meta.fix],
    ['example.bad', meta.example.bad],
    ['example.good', meta.example.good],
    ...Object.entries(rule.messages).map(([id, text]): [string, string] => [`message ${id}`, text]),
  ];
  return fields
    .filter(([, text]) => text.includes(PLACEHOLDER))
    .map(([field]) => `${field} still has a ${PLACEHOLDER} placeholder`);
}
