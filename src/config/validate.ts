/**
 * Validation of a parsed `.github/pyguard.yml`. Validation never fails: every invalid value
 * becomes a {@link ConfigProblem} and falls back to its default, while valid keys are kept.
 */
import { loadAll, YAMLException } from 'js-yaml';

import { CONFIDENCES, SEVERITIES } from '../engine/types.js';
import type { Severity } from '../engine/types.js';
import { describeOptionKind } from '../rules-api/options.js';
import type { RuleOptionSchema, RuleOptionSpec, RuleOptionValue } from '../rules-api/types.js';
import { FAIL_ON_VALUES, MAX_COMMENTS_LIMIT, ON_ERROR_VALUES, defaultConfig } from './schema.js';
import type {
  ConfigProblem,
  ConfigResult,
  DependencyIgnore,
  PyGuardConfig,
  ValidateOptions,
} from './schema.js';

/** A YAML mapping as js-yaml builds it (its objects may have a null prototype). */
type Mapping = Readonly<Record<string, unknown>>;

/** Handles the value of one known key; `key` is its dotted path. */
type KeyHandler = (value: unknown, key: string) => void;

interface Context {
  problems: ConfigProblem[];
  isKnownRule: ((idOrSlug: string) => boolean) | undefined;
  ruleNames: readonly string[];
  ruleOptions: ((idOrSlug: string) => RuleOptionSchema | undefined) | undefined;
}

/** Key used for problems with the file as a whole. */
export const FILE_KEY = '(file)';

/** Config files larger than this are not parsed (the App reads them from untrusted repos). */
export const MAX_CONFIG_TEXT_LENGTH = 256 * 1024;

const PREVIEW_LENGTH = 60;
const MAX_SUGGESTION_DISTANCE = 2;

/**
 * Validate a parsed YAML value against the PyGuard configuration schema. `null`, `undefined`
 * and empty values give the defaults. Unknown keys, wrongly typed or out-of-range values and
 * (when `isKnownRule` is given) unknown rules are reported; each falls back to its default.
 */
export function validateConfig(raw: unknown, options: ValidateOptions = {}): ConfigResult {
  const config = defaultConfig();
  const context: Context = {
    problems: [],
    isKnownRule: options.isKnownRule,
    ruleNames: options.ruleNames ?? [],
    ruleOptions: options.ruleOptions,
  };
  if (raw === null || raw === undefined || raw === '') {
    return { config, problems: context.problems };
  }
  if (!isMapping(raw)) {
    report(context, FILE_KEY, raw, 'a mapping of settings such as "fail_on: high"', 'top level');
    return { config, problems: context.problems };
  }
  visitMapping(raw, '', context, topLevelHandlers(config, context));
  return { config, problems: context.problems };
}

/**
 * Parse the text of a configuration file (YAML, core schema) and validate it. A YAML syntax
 * error is a single problem with key `(file)` whose message gives the line; the result is
 * then the defaults. An empty file or one with only comments gives the defaults.
 */
export function parseConfigText(text: string, options: ValidateOptions = {}): ConfigResult {
  if (text.length > MAX_CONFIG_TEXT_LENGTH) {
    return fileProblem(
      `the file has ${text.length} characters, expected at most ${MAX_CONFIG_TEXT_LENGTH}`,
    );
  }
  let documents: unknown[];
  try {
    documents = loadAll(text, { maxAliases: 100 });
  } catch (error: unknown) {
    return fileProblem(describeYamlError(error));
  }
  const result = validateConfig(documents[0], options);
  if (documents.length > 1) {
    result.problems.unshift({
      key: FILE_KEY,
      message: `the file has ${documents.length} YAML documents, expected one; only the first is used`,
    });
  }
  return result;
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
// Schema

function topLevelHandlers(config: PyGuardConfig, context: Context): Record<string, KeyHandler> {
  return {
    fail_on: (value, key) => {
      config.failOn = readEnum(value, key, FAIL_ON_VALUES, context) ?? config.failOn;
    },
    min_confidence: (value, key) => {
      config.minConfidence = readEnum(value, key, CONFIDENCES, context) ?? config.minConfidence;
    },
    paths: (value, key) => {
      readSection(value, key, context, pathsHandlers(config.paths, context));
    },
    rules: (value, key) => {
      readSection(value, key, context, rulesHandlers(config.rules, context));
    },
    comments: (value, key) => {
      readSection(value, key, context, commentsHandlers(config.comments, context));
    },
    on_error: (value, key) => {
      config.onError = readEnum(value, key, ON_ERROR_VALUES, context) ?? config.onError;
    },
    max_file_bytes: (value, key) => {
      config.maxFileBytes = readByteSize(value, key, context) ?? config.maxFileBytes;
    },
    dependencies: (value, key) => {
      readSection(value, key, context, dependenciesHandlers(config.dependencies, context));
    },
  };
}

function dependenciesHandlers(
  dependencies: PyGuardConfig['dependencies'],
  context: Context,
): Record<string, KeyHandler> {
  return {
    paths: (value, key) => {
      dependencies.paths =
        readPatternList(value, key, context, { allowEmpty: true }) ?? dependencies.paths;
    },
    ignore: (value, key) => {
      dependencies.ignore = readDependencyIgnores(value, key, context) ?? dependencies.ignore;
    },
  };
}

const ADVISORY_ID =
  /^(?:GHSA(?:-[23456789cfghjmpqrvwx]{4}){3}|PYSEC-\d{4}-\d+|CVE-\d{4}-\d{4,}|[A-Z][A-Z0-9]*-[\w.-]+)$/i;

/**
 * `dependencies.ignore`: a list of `{id: GHSA-…, reason: …}`. Entries without a valid id or a
 * reason are reported and left out (their advisories stay reported).
 */
function readDependencyIgnores(
  value: unknown,
  key: string,
  context: Context,
): DependencyIgnore[] | undefined {
  if (value === null) return undefined;
  const expected = 'a list of {id: GHSA-…, reason: …} entries';
  if (!Array.isArray(value)) {
    report(context, key, value, expected);
    return undefined;
  }
  const ignores: DependencyIgnore[] = [];
  value.forEach((item: unknown, index) => {
    const itemKey = `${key}[${index}]`;
    if (!isMapping(item)) {
      report(context, itemKey, item, 'a mapping such as {id: GHSA-…, reason: …}');
      return;
    }
    visitMapping(item, itemKey, context, { id: () => undefined, reason: () => undefined });
    const id = typeof item['id'] === 'string' ? item['id'].trim() : '';
    const reason = typeof item['reason'] === 'string' ? item['reason'].trim() : '';
    if (!ADVISORY_ID.test(id)) {
      report(
        context,
        `${itemKey}.id`,
        item['id'],
        'an advisory id such as GHSA-xxxx-xxxx-xxxx, PYSEC-2021-142 or CVE-2020-14343',
      );
      return;
    }
    if (reason === '') {
      report(context, `${itemKey}.reason`, item['reason'], 'the reason the advisory is accepted');
      return;
    }
    ignores.push({ id, reason });
  });
  return ignores;
}

function pathsHandlers(
  paths: PyGuardConfig['paths'],
  context: Context,
): Record<string, KeyHandler> {
  return {
    include: (value, key) => {
      paths.include = readPatternList(value, key, context, { allowEmpty: false }) ?? paths.include;
    },
    exclude: (value, key) => {
      paths.exclude = readPatternList(value, key, context, { allowEmpty: true }) ?? paths.exclude;
    },
  };
}

function rulesHandlers(
  rules: PyGuardConfig['rules'],
  context: Context,
): Record<string, KeyHandler> {
  return {
    enable: (value, key) => {
      rules.enable = readRuleList(value, key, context) ?? rules.enable;
    },
    disable: (value, key) => {
      rules.disable = readRuleList(value, key, context) ?? rules.disable;
    },
    severity: (value, key) => {
      rules.severity = readSeverityOverrides(value, key, context) ?? rules.severity;
    },
    options: (value, key) => {
      rules.options = readRuleOptions(value, key, context) ?? rules.options;
    },
  };
}

function commentsHandlers(
  comments: PyGuardConfig['comments'],
  context: Context,
): Record<string, KeyHandler> {
  return {
    max: (value, key) => {
      comments.max = readCommentLimit(value, key, context) ?? comments.max;
    },
    drafts: (value, key) => {
      comments.drafts = readBoolean(value, key, context) ?? comments.drafts;
    },
  };
}

// ---------------------------------------------------------------------------------------
// Mappings and unknown keys

function isMapping(value: unknown): value is Mapping {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === null || prototype === Object.prototype;
}

function joinKey(parent: string, name: string): string {
  return parent === '' ? name : `${parent}.${name}`;
}

/** Run the handler of every known key and report every unknown one. */
function visitMapping(
  mapping: Mapping,
  parentKey: string,
  context: Context,
  handlers: Readonly<Record<string, KeyHandler>>,
): void {
  const knownNames = Object.keys(handlers);
  for (const [name, value] of Object.entries(mapping)) {
    const key = joinKey(parentKey, name);
    const handler = Object.hasOwn(handlers, name) ? handlers[name] : undefined;
    if (handler === undefined) {
      context.problems.push({ key, message: unknownKeyMessage(key, name, knownNames) });
    } else {
      handler(value, key);
    }
  }
}

/** A nested section; an empty section (`paths:` with nothing under it) keeps the defaults. */
function readSection(
  value: unknown,
  key: string,
  context: Context,
  handlers: Readonly<Record<string, KeyHandler>>,
): void {
  if (value === null) return;
  if (!isMapping(value)) {
    report(context, key, value, `a mapping with keys ${Object.keys(handlers).join(', ')}`);
    return;
  }
  visitMapping(value, key, context, handlers);
}

function unknownKeyMessage(key: string, name: string, knownNames: readonly string[]): string {
  const expected = `expected one of ${knownNames.join(', ')}`;
  const suggestion = closestName(name, knownNames);
  const hint = suggestion === null ? '' : `; did you mean "${suggestion}"?`;
  return `unknown key "${key}", ${expected}${hint}`;
}

/** The known name nearest to `name` (ignoring case) within a small edit distance, if any. */
export function closestName(name: string, knownNames: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of knownNames) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const closeEnough = bestDistance <= MAX_SUGGESTION_DISTANCE && bestDistance < name.length;
  return closeEnough ? best : null;
}

/** Levenshtein distance (insertions, deletions, substitutions). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      const deletion = (previous[j] ?? 0) + 1;
      const insertion = (current[j - 1] ?? 0) + 1;
      current.push(Math.min(substitution, deletion, insertion));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

// ---------------------------------------------------------------------------------------
// Values

function report(
  context: Context,
  key: string,
  value: unknown,
  expected: string,
  label: string = key,
): void {
  context.problems.push({
    key,
    message: `${label}: got ${previewValue(value)}, expected ${expected}`,
  });
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

function readEnum<T extends string>(
  value: unknown,
  key: string,
  allowed: readonly T[],
  context: Context,
): T | undefined {
  if (typeof value === 'string') {
    const normalised = value.trim().toLowerCase();
    const match = allowed.find((candidate) => candidate === normalised);
    if (match !== undefined) return match;
  }
  report(context, key, value, `one of ${allowed.join(', ')}`);
  return undefined;
}

function readBoolean(value: unknown, key: string, context: Context): boolean | undefined {
  if (typeof value === 'boolean') return value;
  report(context, key, value, 'true or false');
  return undefined;
}

function readCommentLimit(value: unknown, key: string, context: Context): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) {
    if (value >= 0 && value <= MAX_COMMENTS_LIMIT) return value;
  }
  report(context, key, value, `an integer from 0 to ${MAX_COMMENTS_LIMIT}`);
  return undefined;
}

/**
 * A list of non-empty strings; a single string is a list of one. Invalid items are reported
 * and dropped. Returns undefined (use the default) when nothing valid remains.
 */
function readStringList(
  value: unknown,
  key: string,
  context: Context,
  expectedItem: string,
  isValidItem: (item: string, itemKey: string) => boolean,
): string[] | undefined {
  const items: unknown[] | null =
    typeof value === 'string' ? [value] : Array.isArray(value) ? value : null;
  if (items === null) {
    report(context, key, value, `a list of ${expectedItem}s`);
    return undefined;
  }
  const valid: string[] = [];
  items.forEach((item, index) => {
    const itemKey = typeof value === 'string' ? key : `${key}[${index}]`;
    const text = typeof item === 'string' ? item.trim() : '';
    if (text === '') {
      report(context, itemKey, item, `a non-empty ${expectedItem}`);
    } else if (isValidItem(text, itemKey)) {
      valid.push(text);
    }
  });
  return valid.length === 0 && items.length > 0 ? undefined : valid;
}

function readPatternList(
  value: unknown,
  key: string,
  context: Context,
  options: { allowEmpty: boolean },
): string[] | undefined {
  const patterns = readStringList(value, key, context, 'glob pattern', () => true);
  if (patterns?.length === 0 && !options.allowEmpty) {
    report(context, key, value, 'at least one glob pattern');
    return undefined;
  }
  return patterns;
}

function readRuleList(value: unknown, key: string, context: Context): string[] | undefined {
  return readStringList(value, key, context, 'rule ID or slug', (rule, itemKey) =>
    checkKnownRule(rule, itemKey, context),
  );
}

function checkKnownRule(rule: string, key: string, context: Context): boolean {
  if (context.isKnownRule === undefined || context.isKnownRule(rule)) return true;
  const suggestion = closestName(rule, context.ruleNames);
  const hint = suggestion === null ? '' : `; did you mean "${suggestion}"?`;
  report(context, key, rule, `a known rule ID or slug${hint}`);
  return false;
}

function readSeverityOverrides(
  value: unknown,
  key: string,
  context: Context,
): Record<string, Severity> | undefined {
  if (value === null) return undefined;
  if (!isMapping(value)) {
    report(
      context,
      key,
      value,
      `a mapping from rule ID or slug to one of ${SEVERITIES.join(', ')}`,
    );
    return undefined;
  }
  const overrides: [string, Severity][] = [];
  for (const [rule, level] of Object.entries(value)) {
    const ruleKey = joinKey(key, rule);
    if (!checkKnownRule(rule, ruleKey, context)) continue;
    const severity = readEnum(level, ruleKey, SEVERITIES, context);
    if (severity !== undefined) overrides.push([rule, severity]);
  }
  return Object.fromEntries(overrides);
}

/**
 * `rules.options`: a mapping from rule ID or slug to a mapping of option values. Unknown rules,
 * unknown options and invalid values are reported and left out; the rest is kept.
 */
function readRuleOptions(
  value: unknown,
  key: string,
  context: Context,
): Record<string, Record<string, RuleOptionValue>> | undefined {
  if (value === null) return undefined;
  if (!isMapping(value)) {
    report(
      context,
      key,
      value,
      'a mapping from rule ID or slug to its options, such as "weak-key-size: {min_rsa_bits: 3072}"',
    );
    return undefined;
  }
  const options: [string, Record<string, RuleOptionValue>][] = [];
  for (const [rule, ruleValue] of Object.entries(value)) {
    const ruleKey = joinKey(key, rule);
    if (!checkKnownRule(rule, ruleKey, context)) continue;
    const values = readOneRuleOptions(ruleValue, ruleKey, context.ruleOptions?.(rule), context);
    if (values !== undefined) options.push([rule, values]);
  }
  return Object.fromEntries(options);
}

/** The options of one rule, checked against its declarations when they are known. */
function readOneRuleOptions(
  value: unknown,
  key: string,
  schema: RuleOptionSchema | undefined,
  context: Context,
): Record<string, RuleOptionValue> | undefined {
  if (value === null) return undefined;
  const names = schema === undefined ? undefined : Object.keys(schema);
  if (names?.length === 0) {
    report(context, key, value, 'nothing: this rule has no options');
    return undefined;
  }
  if (!isMapping(value)) {
    const expected =
      names === undefined
        ? 'a mapping from option name to value'
        : `a mapping with keys ${names.join(', ')}`;
    report(context, key, value, expected);
    return undefined;
  }
  const values: [string, RuleOptionValue][] = [];
  for (const [name, optionValue] of Object.entries(value)) {
    const optionKey = joinKey(key, name);
    let read: RuleOptionValue | undefined;
    if (schema === undefined || names === undefined) {
      read = readUndeclaredOption(optionValue, optionKey, context);
    } else {
      const spec = Object.hasOwn(schema, name) ? schema[name] : undefined;
      if (spec === undefined) {
        context.problems.push({
          key: optionKey,
          message: unknownKeyMessage(optionKey, name, names),
        });
        continue;
      }
      read = readOptionValue(spec, optionValue, optionKey, context);
    }
    if (read !== undefined) values.push([name, read]);
  }
  return Object.fromEntries(values);
}

function readOptionValue(
  spec: RuleOptionSpec,
  value: unknown,
  key: string,
  context: Context,
): RuleOptionValue | undefined {
  switch (spec.kind) {
    case 'string-list':
      return readStringList(value, key, context, 'string', () => true);
    case 'boolean':
      return readBoolean(value, key, context);
    case 'integer': {
      const inRange =
        typeof value === 'number' &&
        Number.isSafeInteger(value) &&
        (spec.min === undefined || value >= spec.min) &&
        (spec.max === undefined || value <= spec.max);
      if (inRange) return value;
      report(context, key, value, describeOptionKind(spec));
      return undefined;
    }
  }
}

/** An option value when the rule's declarations are not known: kept if it has a valid kind. */
function readUndeclaredOption(
  value: unknown,
  key: string,
  context: Context,
): RuleOptionValue | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' || Array.isArray(value))
    return readStringList(value, key, context, 'string', () => true);
  report(context, key, value, 'a list of strings, an integer, or true or false');
  return undefined;
}

const BYTE_UNITS: ReadonlyMap<string, number> = new Map([
  ['', 1],
  ['b', 1],
  ['byte', 1],
  ['bytes', 1],
  ['k', 1024],
  ['kb', 1024],
  ['kib', 1024],
  ['m', 1024 ** 2],
  ['mb', 1024 ** 2],
  ['mib', 1024 ** 2],
  ['g', 1024 ** 3],
  ['gb', 1024 ** 3],
  ['gib', 1024 ** 3],
]);

const BYTE_SIZE = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/;

/**
 * Parse a size such as `500KB`, `2MB`, `1 MiB` or `1048576` into bytes. Units are binary:
 * KB and KiB both mean 1024 bytes. Returns null for anything else or a size below one byte.
 */
export function parseByteSize(text: string): number | null {
  const match = BYTE_SIZE.exec(
    text
      .trim()
      .toLowerCase()
      .replace(/(?<=\d)_(?=\d)/g, ''),
  );
  if (match === null) return null;
  const multiplier = BYTE_UNITS.get(match[2] ?? '');
  if (multiplier === undefined) return null;
  const bytes = Math.floor(Number(match[1]) * multiplier);
  return Number.isSafeInteger(bytes) && bytes >= 1 ? bytes : null;
}

function readByteSize(value: unknown, key: string, context: Context): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
  if (typeof value === 'string') {
    const bytes = parseByteSize(value);
    if (bytes !== null) return bytes;
  }
  report(
    context,
    key,
    value,
    'a positive number of bytes or a size such as "500KB", "2MB", "1 MiB"',
  );
  return undefined;
}
