/**
 * Validation of a parsed `.github/pyguard.yml` against the schema of `file-schema.ts`.
 * Validation never fails: every invalid value becomes a {@link ConfigProblem} and falls back
 * to its default, while valid keys are kept. The file is parsed with js-yaml (the CLI and the
 * GitHub App both come here).
 */
import { loadAll, YAMLException } from 'js-yaml';
import type * as z from 'zod';

import {
  configFileSchema,
  isMapping,
  type ConfigFileValues,
  type IssueParams,
} from './file-schema.js';
import { defaultConfig } from './schema.js';
import type { ConfigProblem, ConfigResult, PyGuardConfig, ValidateOptions } from './schema.js';
import { closestName } from './suggest.js';

export { parseByteSize } from './bytes.js';
export { closestName, editDistance } from './suggest.js';

/** Key used for problems with the file as a whole. */
export const FILE_KEY = '(file)';

/** Config files larger than this are not parsed (the App reads them from untrusted repos). */
export const MAX_CONFIG_TEXT_LENGTH = 256 * 1024;

const PREVIEW_LENGTH = 60;

/** Validation without knowledge of the rules. */
const ANY_RULES: ValidateOptions = Object.freeze({});

/** Schemas already built, by the options they were built for (building one takes milliseconds). */
const schemas = new WeakMap<ValidateOptions, ReturnType<typeof configFileSchema>>();

function schemaFor(options: ValidateOptions): ReturnType<typeof configFileSchema> {
  let schema = schemas.get(options);
  if (schema === undefined) {
    schema = configFileSchema(options);
    schemas.set(options, schema);
  }
  return schema;
}

/**
 * Validate a parsed YAML value against the PyGuard configuration schema. `null`, `undefined`
 * and empty values give the defaults. Unknown keys, wrongly typed or out-of-range values and
 * (when `isKnownRule` is given) unknown rules are reported; each falls back to its default.
 */
export function validateConfig(raw: unknown, options: ValidateOptions = ANY_RULES): ConfigResult {
  if (raw === null || raw === undefined || raw === '') {
    return { config: defaultConfig(), problems: [] };
  }
  const { data, problems } = parseLeniently(schemaFor(options), raw);
  return { config: data === undefined ? defaultConfig() : toConfig(data), problems };
}

/**
 * Parse the text of a configuration file (YAML, core schema) and validate it. A YAML syntax
 * error is a single problem with key `(file)` whose message gives the line; the result is
 * then the defaults. An empty file or one with only comments gives the defaults.
 */
export function parseConfigText(text: string, options: ValidateOptions = ANY_RULES): ConfigResult {
  const parsed = parseConfigYaml(text);
  if (!parsed.ok) return fileProblem(parsed.message);
  const result = validateConfig(parsed.value, options);
  if (parsed.extraDocuments !== undefined) {
    result.problems.unshift({ key: FILE_KEY, message: parsed.extraDocuments });
  }
  return result;
}

/** The first YAML document of a configuration file, or why it cannot be read. */
export type ParsedYaml =
  | {
      ok: true;
      value: unknown;
      /** Set when the file has several documents. */ extraDocuments?: string;
    }
  | { ok: false; message: string };

/**
 * Parse the text of a configuration file (YAML 1.2 core schema, no JavaScript types, at most
 * {@link MAX_CONFIG_TEXT_LENGTH} characters) without validating it.
 */
export function parseConfigYaml(text: string): ParsedYaml {
  if (text.length > MAX_CONFIG_TEXT_LENGTH) {
    return {
      ok: false,
      message: `the file has ${text.length} characters, expected at most ${MAX_CONFIG_TEXT_LENGTH}`,
    };
  }
  let documents: unknown[];
  try {
    documents = loadAll(text, { maxAliases: 100 });
  } catch (error: unknown) {
    return { ok: false, message: describeYamlError(error) };
  }
  if (documents.length <= 1) return { ok: true, value: documents[0] };
  return {
    ok: true,
    value: documents[0],
    extraDocuments: `the file has ${documents.length} YAML documents, expected one; only the first is used`,
  };
}

function fileProblem(message: string): ConfigResult {
  return { config: defaultConfig(), problems: [{ key: FILE_KEY, message }] };
}

function describeYamlError(error: unknown): string {
  if (error instanceof YAMLException) {
    const where =
      error.mark === undefined
        ? ''
        : ` at line ${error.mark.line + 1}, column ${error.mark.column + 1}`;
    return `invalid YAML${where}: ${error.reason}`;
  }
  return `invalid YAML: ${error instanceof Error ? error.message : String(error)}`;
}

// ---------------------------------------------------------------------------------------
// Lenient parsing: report every invalid value, drop it and parse what is left

type Segment = string | number;
type Path = readonly Segment[];

/** How many times the input is parsed again with the values found invalid left out. */
const MAX_PASSES = 8;

/** An array or mapping entry whose removal removes its parent too (a list that became empty). */
const REMOVED = Symbol('removed');

interface Outcome<T> {
  /** The parsed value, or undefined when the input as a whole is invalid. */
  data: T | undefined;
  problems: ConfigProblem[];
}

/**
 * Parse `raw` with `schema`; every issue becomes a problem (one per key, in the order the keys
 * appear in the input), the value it is about is left out (a list emptied that way is left
 * out as a whole) and the rest is parsed again, until it is valid.
 */
function parseLeniently<T>(schema: z.ZodType<T>, raw: unknown): Outcome<T> {
  const pruned = new Set<string>();
  const found = new Map<string, { problem: ConfigProblem; position: number[] }>();
  const outcome = (data: T | undefined): Outcome<T> => ({
    data,
    problems: [...found.values()]
      .sort((a, b) => comparePositions(a.position, b.position))
      .map((entry) => entry.problem),
  });
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const view = prunedView(raw, pruned);
    const result = schema.safeParse(view.value);
    if (result.success) return outcome(result.data);
    let progressed = false;
    for (const issue of result.error.issues) {
      const path = view.toOriginal(issue.path);
      const problem = toProblem(issue, path, raw);
      if (!found.has(problem.key))
        found.set(problem.key, { problem, position: positionOf(raw, path) });
      const target = pruneTarget(raw, path, pruned);
      if (target === null) return outcome(undefined);
      const key = pathId(target);
      if (!pruned.has(key)) {
        pruned.add(key);
        progressed = true;
      }
    }
    if (!progressed) return outcome(undefined);
  }
  return outcome(undefined);
}

function pathId(path: Path): string {
  return JSON.stringify(path);
}

function childOf(node: unknown, segment: Segment): { exists: boolean; value: unknown } {
  if (Array.isArray(node) && typeof segment === 'number') {
    return { exists: segment < node.length, value: node[segment] };
  }
  if (isMapping(node) && typeof segment === 'string' && Object.hasOwn(node, segment)) {
    return { exists: true, value: node[segment] };
  }
  return { exists: false, value: undefined };
}

function valueAt(raw: unknown, path: Path): unknown {
  let node = raw;
  for (const segment of path) node = childOf(node, segment).value;
  return node;
}

/** What to leave out for an issue at `path`: the value, or its parent when it is missing. */
function pruneTarget(raw: unknown, path: Path, pruned: ReadonlySet<string>): Path | null {
  let target = path;
  while (target.length > 0) {
    const parent = valueAt(raw, target.slice(0, -1));
    const last = target[target.length - 1] as Segment;
    if (childOf(parent, last).exists && !pruned.has(pathId(target))) return target;
    target = target.slice(0, -1);
  }
  return null;
}

interface PrunedView {
  value: unknown;
  /** The path in the original input of a path in `value`. */
  toOriginal(path: readonly PropertyKey[]): Segment[];
}

function prunedView(raw: unknown, pruned: ReadonlySet<string>): PrunedView {
  const indexMaps = new Map<string, number[]>();
  const rebuild = (node: unknown, path: Segment[]): unknown => {
    if (Array.isArray(node)) {
      const items: unknown[] = [];
      const kept: number[] = [];
      node.forEach((item: unknown, index) => {
        const itemPath = [...path, index];
        if (pruned.has(pathId(itemPath))) return;
        const value = rebuild(item, itemPath);
        if (value === REMOVED) return;
        items.push(value);
        kept.push(index);
      });
      if (node.length > 0 && items.length === 0) return REMOVED;
      indexMaps.set(pathId(path), kept);
      return items;
    }
    if (isMapping(node)) {
      const entries: [string, unknown][] = [];
      for (const [name, item] of Object.entries(node)) {
        const itemPath = [...path, name];
        if (pruned.has(pathId(itemPath))) continue;
        const value = rebuild(item, itemPath);
        if (value !== REMOVED) entries.push([name, value]);
      }
      return Object.fromEntries(entries);
    }
    return node;
  };
  const value = rebuild(raw, []);
  return {
    value: value === REMOVED ? [] : value,
    toOriginal: (path) => {
      const original: Segment[] = [];
      let node = raw;
      for (const segment of path) {
        if (Array.isArray(node) && typeof segment === 'number') {
          const index = indexMaps.get(pathId(original))?.[segment] ?? segment;
          original.push(index);
          node = node[index];
        } else if (isMapping(node) && typeof segment === 'string') {
          original.push(segment);
          node = childOf(node, segment).value;
        } else {
          break; // a single string read as a list of one
        }
      }
      return original;
    },
  };
}

/** Where a path is in the input: the index of each key or item along it. */
function positionOf(raw: unknown, path: Path): number[] {
  const position: number[] = [];
  let node = raw;
  for (const segment of path) {
    position.push(
      typeof segment === 'number'
        ? segment
        : isMapping(node)
          ? Object.keys(node).indexOf(segment)
          : 0,
    );
    node = childOf(node, segment).value;
  }
  return position;
}

function comparePositions(a: readonly number[], b: readonly number[]): number {
  for (let index = 0; index < Math.min(a.length, b.length); index++) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return a.length - b.length;
}

// ---------------------------------------------------------------------------------------
// Problems

/** The dotted key of a path: `rules.severity.PGI001`, `paths.include[2]`. */
function keyOf(path: Path): string {
  if (path.length === 0) return FILE_KEY;
  return path
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`,
    )
    .join('');
}

function toProblem(issue: z.core.$ZodIssue, path: Path, raw: unknown): ConfigProblem {
  const key = keyOf(path);
  const params = (issue.code === 'custom' ? issue.params : undefined) as IssueParams | undefined;
  const last = path[path.length - 1];
  if (params?.unknownKey !== undefined && typeof last === 'string') {
    return { key, message: unknownKeyMessage(key, last, params.unknownKey) };
  }
  const got = params?.got ?? valueAt(raw, path);
  const label = path.length === 0 ? 'top level' : key;
  return { key, message: `${label}: got ${previewValue(got)}, expected ${issue.message}` };
}

function unknownKeyMessage(key: string, name: string, knownNames: readonly string[]): string {
  const expected = `expected one of ${knownNames.join(', ')}`;
  const suggestion = closestName(name, knownNames);
  const hint = suggestion === null ? '' : `; did you mean "${suggestion}"?`;
  return `unknown key "${key}", ${expected}${hint}`;
}

/** A short JSON-like rendering of a YAML value for messages, at most about 60 characters. */
export function previewValue(value: unknown): string {
  const text = renderValue(value, 2);
  return text.length > PREVIEW_LENGTH ? `${text.slice(0, PREVIEW_LENGTH - 3)}...` : text;
}

function renderValue(value: unknown, depth: number): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) {
    if (depth === 0) return '[...]';
    const items: unknown[] = value.slice(0, 10);
    const more = value.length > items.length ? ', ...' : '';
    return `[${items.map((item) => renderValue(item, depth - 1)).join(', ')}${more}]`;
  }
  if (isMapping(value)) {
    if (depth === 0) return '{...}';
    const entries = Object.entries(value).slice(0, 10);
    return `{${entries.map(([name, item]) => `${name}: ${renderValue(item, depth - 1)}`).join(', ')}}`;
  }
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

// ---------------------------------------------------------------------------------------
// From the file's keys to the configuration

/** The configuration of a valid file: its values over the defaults. */
function toConfig(values: ConfigFileValues): PyGuardConfig {
  const config = defaultConfig();
  if (values.fail_on !== undefined) config.failOn = values.fail_on;
  if (values.min_confidence !== undefined) config.minConfidence = values.min_confidence;
  if (values.profile !== undefined) config.profile = values.profile;
  if (values.on_error !== undefined) config.onError = values.on_error;
  if (values.max_file_bytes !== undefined) config.maxFileBytes = values.max_file_bytes;
  const { paths, rules, comments, dependencies } = values;
  if (paths !== null && paths !== undefined) {
    if (paths.include !== undefined) config.paths.include = paths.include;
    if (paths.exclude !== undefined) config.paths.exclude = paths.exclude;
  }
  if (rules !== null && rules !== undefined) {
    if (rules.enable !== undefined) config.rules.enable = rules.enable;
    if (rules.disable !== undefined) config.rules.disable = rules.disable;
    config.rules.severity = rules.severity ?? config.rules.severity;
    config.rules.options = rules.options ?? config.rules.options;
    if (rules.per_path !== undefined) {
      config.rules.perPath = Object.entries(rules.per_path).map(([pattern, entry]) => ({
        pattern: pattern.trim(),
        enable: entry.enable ?? [],
        disable: entry.disable ?? [],
        severity: entry.severity ?? {},
      }));
    }
  }
  if (comments !== null && comments !== undefined) {
    if (comments.max !== undefined) config.comments.max = comments.max;
    if (comments.drafts !== undefined) config.comments.drafts = comments.drafts;
  }
  if (dependencies !== null && dependencies !== undefined) {
    if (dependencies.paths !== undefined) config.dependencies.paths = dependencies.paths;
    config.dependencies.ignore = (dependencies.ignore ?? []).map(({ id, reason }) => ({
      id,
      reason,
    }));
  }
  return config;
}
