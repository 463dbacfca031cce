/**
 * The file-system half of docs generation, shared by `scripts/generate-docs.ts` and the rule
 * metadata test: find the rule files, load them, compute every generated file, and compare it
 * with (or write it to) the working tree.
 *
 * Compiled (`dist/scripts/docs-files.js`) it loads the compiled rules from `dist/rules/`; run from
 * source (vitest) it loads `rules/*.ts`. Either way the repository root is found from this file.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { configJsonSchema } from '../src/config/file-schema.js';
import { metaProblems, RuleRegistry } from '../src/rules-api/registry.js';
import type { AnyRule } from '../src/rules-api/types.js';
import {
  README_RULES_END,
  README_RULES_START,
  importNameFor,
  renderReadmeRulesSection,
  renderRetiredRuleDoc,
  renderRuleDoc,
  renderRuleIndex,
  renderRulesReadme,
  retiredDocPath,
  retiredRules,
  ruleDocPath,
  spliceBetweenMarkers,
} from './docs.js';

const here = fileURLToPath(import.meta.url);
const moduleExtension = here.endsWith('.ts') ? '.ts' : '.js';
/** Where the rule modules live: `dist/` when compiled, the repository root from source. */
const moduleRoot = dirname(dirname(here));

/** The repository root: `../..` from `dist/scripts/`, `..` from `scripts/`. */
export const REPO_ROOT = moduleExtension === '.js' ? dirname(moduleRoot) : moduleRoot;

export const RULE_INDEX_PATH = 'rules/index.ts';
export const DOCS_DIR = 'docs/rules';
export const RULES_README_PATH = `${DOCS_DIR}/README.md`;
/** The JSON Schema of `.github/pyguard.yml`, with every rule and its options (editors read it). */
export const CONFIG_SCHEMA_PATH = 'docs/pyguard.schema.json';
export const README_PATH = 'README.md';

/** A rule source file, `rules/<category>/<slug>.ts`. */
export interface RuleFile {
  category: string;
  slug: string;
  /** Relative to `rules/`, with `/`: `deserialization/yaml-unsafe-load.ts`. */
  relativePath: string;
}

export interface LoadedRule {
  file: RuleFile;
  rule: AnyRule;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Every `rules/<category>/<slug>.ts`, sorted by path. Directories starting with `_` (shared helpers)
 * or `.` and files outside a category directory (such as `rules/index.ts`) are not rules.
 */
export function listRuleFiles(repoRoot: string = REPO_ROOT): RuleFile[] {
  const rulesDir = join(repoRoot, 'rules');
  const files: RuleFile[] = [];
  for (const dir of readdirSync(rulesDir, { withFileTypes: true })) {
    if (!dir.isDirectory() || dir.name.startsWith('_') || dir.name.startsWith('.')) continue;
    for (const entry of readdirSync(join(rulesDir, dir.name), { withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.d.ts')) continue;
      const slug = entry.name.slice(0, -'.ts'.length);
      files.push({ category: dir.name, slug, relativePath: `${dir.name}/${entry.name}` });
    }
  }
  return files.sort((a, b) => compareStrings(a.relativePath, b.relativePath));
}

function isRule(value: unknown): value is AnyRule {
  if (typeof value !== 'object' || value === null) return false;
  if (!('meta' in value) || !('messages' in value) || !('create' in value)) return false;
  const { meta, messages, create } = value;
  return (
    typeof meta === 'object' &&
    meta !== null &&
    typeof messages === 'object' &&
    messages !== null &&
    typeof create === 'function'
  );
}

/** The module URL of a rule file: compiled JavaScript in `dist/rules/`, or the TypeScript source. */
export function ruleModuleUrl(file: RuleFile): string {
  const path = join(moduleRoot, 'rules', file.category, `${file.slug}${moduleExtension}`);
  return pathToFileURL(path).href;
}

/** Imports each rule file and returns its default export (throws when it is not a rule). */
export async function loadRuleFiles(files: readonly RuleFile[]): Promise<LoadedRule[]> {
  return Promise.all(
    files.map(async (file): Promise<LoadedRule> => {
      const url = ruleModuleUrl(file);
      let module: unknown;
      try {
        module = await import(url);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const hint =
          moduleExtension === '.js' ? ' (is dist/ up to date? `npm run docs` builds first)' : '';
        throw new Error(`rules/${file.relativePath}: cannot import ${url}${hint}: ${reason}`);
      }
      const rule =
        typeof module === 'object' && module !== null && 'default' in module
          ? module.default
          : undefined;
      if (!isRule(rule)) {
        throw new Error(
          `rules/${file.relativePath}: the default export is not a rule (export default defineRule({...}))`,
        );
      }
      return { file, rule };
    }),
  );
}

/** Lists and loads every rule file. */
export async function loadRules(repoRoot: string = REPO_ROOT): Promise<LoadedRule[]> {
  return loadRuleFiles(listRuleFiles(repoRoot));
}

/**
 * Problems that stop docs generation: a rule whose file is not `rules/<category>/<slug>.ts`,
 * invalid metadata, or an id or slug used twice.
 */
export function ruleFileProblems(loaded: readonly LoadedRule[]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const { file, rule } of loaded) {
    const where = `rules/${file.relativePath}`;
    const { category, slug, id } = rule.meta;
    if (category !== file.category || slug !== file.slug) {
      problems.push(
        `${where}: category/slug is "${category}/${slug}", expected "${file.category}/${file.slug}"`,
      );
    }
    for (const problem of metaProblems(rule)) problems.push(`${where}: ${problem}`);
    for (const key of [`id ${id}`, `slug ${slug}`]) {
      const other = seen.get(key);
      if (other !== undefined) problems.push(`${where}: ${key} is also used by ${other}`);
      else seen.set(key, where);
    }
  }
  return problems;
}

export type ReadmeState =
  | { kind: 'ok' }
  /** README.md does not exist yet: it is left alone. */
  | { kind: 'missing' }
  /** README.md exists but has no (valid) markers. */
  | { kind: 'no-markers'; error: string };

export interface ExpectedDocs {
  /** Generated files by path relative to the repository root (README.md only when it has markers). */
  files: Map<string, string>;
  readme: ReadmeState;
}

/** A committed file's text with CRLF line ends normalised, or undefined when it does not exist. */
export function readRepoFile(repoRoot: string, path: string): string | undefined {
  const absolute = join(repoRoot, path);
  return existsSync(absolute) ? readFileSync(absolute, 'utf8').replace(/\r\n/g, '\n') : undefined;
}

/** `docs/pyguard.schema.json`: what `pyguard config schema` prints. */
export function renderConfigSchema(rules: readonly AnyRule[]): string {
  const schema = configJsonSchema(new RuleRegistry(rules).validateOptions());
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/** Every file the generator owns, with the content it should have. */
export function computeDocs(
  loaded: readonly LoadedRule[],
  repoRoot: string = REPO_ROOT,
): ExpectedDocs {
  const rules = loaded.map(({ rule }) => rule);
  const files = new Map<string, string>();
  files.set(
    RULE_INDEX_PATH,
    renderRuleIndex(
      loaded.map(({ file, rule }) => ({
        importName: importNameFor(file.slug),
        relativePath: file.relativePath,
        id: rule.meta.id,
      })),
    ),
  );
  for (const rule of rules) files.set(ruleDocPath(rule), renderRuleDoc(rule));
  for (const retired of retiredRules(rules))
    files.set(retiredDocPath(retired), renderRetiredRuleDoc(retired));
  files.set(RULES_README_PATH, renderRulesReadme(rules));
  files.set(CONFIG_SCHEMA_PATH, renderConfigSchema(rules));

  const readme = readRepoFile(repoRoot, README_PATH);
  if (readme === undefined) return { files, readme: { kind: 'missing' } };
  try {
    files.set(
      README_PATH,
      spliceBetweenMarkers(
        readme,
        README_RULES_START,
        README_RULES_END,
        renderReadmeRulesSection(rules),
      ),
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { files, readme: { kind: 'no-markers', error: `${README_PATH}: ${reason}` } };
  }
  return { files, readme: { kind: 'ok' } };
}

/** `docs/rules/*.md` files no rule generates. */
export function extraDocFiles(docs: ExpectedDocs, repoRoot: string = REPO_ROOT): string[] {
  const dir = join(repoRoot, DOCS_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.md'))
    .map((name) => `${DOCS_DIR}/${name}`)
    .filter((path) => !docs.files.has(path))
    .sort(compareStrings);
}

export interface Drift {
  path: string;
  kind: 'stale' | 'missing' | 'extra';
}

/** How the working tree differs from the generated files. */
export function findDrift(docs: ExpectedDocs, repoRoot: string = REPO_ROOT): Drift[] {
  const drift: Drift[] = [];
  for (const [path, content] of docs.files) {
    const current = readRepoFile(repoRoot, path);
    if (current === undefined) drift.push({ path, kind: 'missing' });
    else if (current !== content) drift.push({ path, kind: 'stale' });
  }
  for (const path of extraDocFiles(docs, repoRoot)) drift.push({ path, kind: 'extra' });
  return drift.sort((a, b) => compareStrings(a.path, b.path));
}

/** Writes changed files and removes extra docs; returns what changed. */
export function writeDocs(
  docs: ExpectedDocs,
  repoRoot: string = REPO_ROOT,
): { written: string[]; removed: string[]; unchanged: number } {
  const written: string[] = [];
  let unchanged = 0;
  for (const [path, content] of docs.files) {
    if (readRepoFile(repoRoot, path) === content) {
      unchanged++;
      continue;
    }
    const absolute = join(repoRoot, path);
    mkdirSync(dirname(absolute), { recursive: true });
    writeFileSync(absolute, content);
    written.push(path);
  }
  const removed = extraDocFiles(docs, repoRoot);
  for (const path of removed) rmSync(join(repoRoot, path));
  return { written, removed, unchanged };
}
