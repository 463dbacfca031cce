/**
 * The `.github/pyguard.yml` schema, written once with zod. Validation, the normalisation of
 * values (trimmed and lower-cased choices, a single string as a list of one, byte sizes) and
 * the JSON Schema editors complete from ({@link configJsonSchema}) all come from it.
 *
 * Every schema here carries what it expects as its error message ("one of high, medium,
 * low"); `validate.ts` turns an issue into "<key>: got <value>, expected <message>".
 */
import * as z from 'zod';

import { CONFIDENCES, SEVERITIES } from '../engine/types.js';
import type { Severity } from '../engine/types.js';
import { describeOptionKind } from '../rules-api/options.js';
import type { RuleOptionSchema, RuleOptionSpec, RuleOptionValue } from '../rules-api/types.js';
import { parseByteSize } from './bytes.js';
import { closestName } from './suggest.js';
import {
  FAIL_ON_VALUES,
  MAX_COMMENTS_LIMIT,
  ON_ERROR_VALUES,
  PROFILE_VALUES,
  type ValidateOptions,
} from './schema.js';

/** A piece of JSON Schema. */
type JsonFragment = Record<string, unknown>;

/** The parameters of a custom issue that change how it is reported. */
export interface IssueParams {
  /** The issue is an unknown key of a section whose keys are these. */
  unknownKey?: readonly string[];
  /** The value to show as "got" instead of the value at the issue's path (a mapping key). */
  got?: string;
}

/** The issues a check or transform adds to (zod's parse context). */
interface IssueSink {
  issues: z.core.$ZodRawIssue[];
}

/**
 * JSON Schema written by hand for schemas zod cannot describe (preprocessed or transformed),
 * or computed only when a JSON Schema is asked for.
 */
const jsonShapes = new WeakMap<z.ZodType, JsonFragment | (() => JsonFragment)>();

/** JSON Schema keys added to what zod generates. */
const jsonExtras = new WeakMap<z.ZodType, JsonFragment>();

/** Sections whose unknown keys are reported: `additionalProperties: false` in JSON Schema. */
const closedSections = new WeakSet<z.ZodType>();

function describedAs<T extends z.ZodType>(schema: T, json: JsonFragment | (() => JsonFragment)): T {
  jsonShapes.set(schema, json);
  return schema;
}

function addIssue(
  sink: IssueSink,
  message: string,
  input: unknown,
  path: PropertyKey[] = [],
  params?: IssueParams,
): void {
  sink.issues.push({
    code: 'custom',
    message,
    input,
    path,
    ...(params === undefined ? {} : { params: { ...params } }),
  });
}

/** A mapping as YAML parsers build it (plain objects, possibly with a null prototype). */
export function isMapping(value: unknown): value is Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === null || prototype === Object.prototype;
}

/**
 * Parses `value` with `schema`; its issues are added to `sink` under `path`. Undefined when
 * the value is invalid.
 */
function parseInto<T>(
  schema: z.ZodType<T>,
  value: unknown,
  sink: IssueSink,
  path: PropertyKey[],
): T | undefined {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const params: unknown = issue.code === 'custom' ? issue.params : undefined;
    sink.issues.push({
      code: 'custom',
      message: issue.message,
      input: undefined,
      path: [...path, ...issue.path],
      ...(params === undefined ? {} : { params: params as IssueParams }),
    });
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------
// Building blocks

/**
 * A mapping with known keys; an unknown key is an issue naming the known ones. An empty
 * section (`paths:` with nothing under it) is allowed by the caller with `.nullish()`.
 */
function section<Shape extends z.core.$ZodLooseShape>(shape: Shape, expected?: string) {
  const names = Object.keys(shape);
  const schema = z
    .looseObject(shape, { error: expected ?? `a mapping with keys ${names.join(', ')}` })
    .check((ctx) => {
      for (const [key, value] of Object.entries(ctx.value)) {
        if (!Object.hasOwn(shape, key)) {
          addIssue(ctx, 'an unknown key', value, [key], { unknownKey: names });
        }
      }
    });
  closedSections.add(schema);
  return schema;
}

/** A choice among `values`, in any case and with surrounding spaces. */
function choice<T extends string>(values: readonly T[], options: { suggest?: boolean } = {}) {
  const expected = (input: unknown): string => {
    const suggestion =
      options.suggest === true && typeof input === 'string' ? closestName(input, values) : null;
    const hint = suggestion === null ? '' : `; did you mean "${suggestion}"?`;
    return `one of ${values.join(', ')}${hint}`;
  };
  const error = (issue: { input?: unknown }): string => expected(issue.input);
  return describedAs(z.string({ error }).trim().toLowerCase().pipe(z.enum(values, { error })), {
    type: 'string',
    enum: [...values],
  });
}

function nonEmptyString(what: string) {
  const error = `a non-empty ${what}`;
  return z.string({ error }).trim().min(1, { error });
}

/** A list of `item`; a single value is a list of one. */
function listOf(
  item: z.ZodType<string>,
  itemJson: JsonFragment,
  expected: string,
  options: { atLeastOne?: string } = {},
) {
  const array = z.array(item, { error: expected });
  const checked =
    options.atLeastOne === undefined ? array : array.min(1, { error: options.atLeastOne });
  const minItems = options.atLeastOne === undefined ? {} : { minItems: 1 };
  return describedAs(
    z.preprocess((value) => (typeof value === 'string' ? [value] : value), checked),
    { anyOf: [itemJson, { type: 'array', items: itemJson, ...minItems }] },
  );
}

/**
 * A mapping from any key to `value` (kept as plain data, `__proto__` included); `key:` with
 * nothing under it (null) is no mapping, and no problem. `checkKey`
 * returns what a key should have been when it is invalid; `valueFor` may give one key's value
 * a schema of its own. Entries whose value parses to undefined (`key:` alone) are left out.
 */
function mappingOf<T>(
  value: z.ZodType<T | null | undefined>,
  expected: string,
  json: JsonFragment | (() => JsonFragment),
  options: {
    checkKey?: (key: string) => string | undefined;
    valueFor?: (key: string) => z.ZodType<T | null | undefined> | undefined;
  } = {},
) {
  return describedAs(
    z.unknown().transform((input, ctx): Record<string, T> | undefined => {
      if (input === null) return undefined;
      if (!isMapping(input)) {
        addIssue(ctx, expected, input);
        return z.NEVER;
      }
      const entries: [string, T][] = [];
      for (const [key, item] of Object.entries(input)) {
        const keyProblem = options.checkKey?.(key);
        if (keyProblem !== undefined) {
          addIssue(ctx, keyProblem, key, [key], { got: key });
          continue;
        }
        const parsed = parseInto(options.valueFor?.(key) ?? value, item, ctx, [key]);
        if (parsed !== undefined && parsed !== null) entries.push([key, parsed]);
      }
      return Object.fromEntries(entries);
    }),
    () => ({
      anyOf: [
        { type: 'object', ...(typeof json === 'function' ? json() : json) },
        { type: 'null' },
      ],
    }),
  );
}

// ---------------------------------------------------------------------------------------
// Values

const PATTERN_JSON: JsonFragment = { type: 'string', minLength: 1 };

function patternList(options: { atLeastOne?: boolean } = {}) {
  return listOf(
    nonEmptyString('glob pattern'),
    PATTERN_JSON,
    'a list of glob patterns',
    options.atLeastOne === true ? { atLeastOne: 'at least one glob pattern' } : {},
  );
}

/** What an unknown rule should have been, with the closest known name; undefined when known. */
function unknownRuleMessage(rule: string, options: ValidateOptions): string | undefined {
  if (options.isKnownRule === undefined || options.isKnownRule(rule)) return undefined;
  const suggestion = closestName(rule, options.ruleNames ?? []);
  const hint = suggestion === null ? '' : `; did you mean "${suggestion}"?`;
  return `a known rule ID or slug${hint}`;
}

/** Where the JSON Schema defines the rule IDs and slugs (once; every rule key refers to it). */
const RULE_REF = '#/$defs/rule';

function ruleJson(options: ValidateOptions): JsonFragment {
  const names = options.ruleNames ?? [];
  return names.length === 0 ? { type: 'string', minLength: 1 } : { $ref: RULE_REF };
}

function ruleList(options: ValidateOptions) {
  const rule = nonEmptyString('rule ID or slug').check((ctx) => {
    const problem = unknownRuleMessage(ctx.value, options);
    if (problem !== undefined) addIssue(ctx, problem, ctx.value);
  });
  return listOf(rule, ruleJson(options), 'a list of rule ID or slugs');
}

function severityOverrides(options: ValidateOptions) {
  const severity = choice(SEVERITIES);
  const expected = `a mapping from rule ID or slug to one of ${SEVERITIES.join(', ')}`;
  const names = options.ruleNames ?? [];
  const json: JsonFragment =
    names.length === 0
      ? { additionalProperties: { type: 'string', enum: [...SEVERITIES] } }
      : {
          propertyNames: ruleJson(options),
          additionalProperties: { type: 'string', enum: [...SEVERITIES] },
        };
  return mappingOf<Severity>(severity, expected, json, {
    checkKey: (rule) => unknownRuleMessage(rule, options),
  });
}

function integerOption(spec: RuleOptionSpec & { kind: 'integer' }) {
  const error = describeOptionKind(spec);
  let schema = z.number({ error }).int({ error });
  if (spec.min !== undefined) schema = schema.min(spec.min, { error });
  if (spec.max !== undefined) schema = schema.max(spec.max, { error });
  return schema;
}

function optionValue(spec: RuleOptionSpec): z.ZodType<RuleOptionValue> {
  switch (spec.kind) {
    case 'string-list':
      return listOf(nonEmptyString('string'), { type: 'string' }, 'a list of strings');
    case 'boolean':
      return z.boolean({ error: 'true or false' });
    case 'integer':
      return integerOption(spec);
  }
}

/** The options of one rule, as it declares them. */
function declaredOptions(declared: RuleOptionSchema) {
  const names = Object.keys(declared);
  if (names.length === 0) {
    return describedAs(
      z.unknown().transform((value, ctx): Record<string, RuleOptionValue> | null => {
        if (value === null) return null;
        addIssue(ctx, 'nothing: this rule has no options', value);
        return z.NEVER;
      }),
      { type: 'null', description: 'This rule has no options.' },
    );
  }
  const shape: Record<string, z.ZodOptional<z.ZodType<RuleOptionValue>>> = {};
  for (const [name, spec] of Object.entries(declared)) {
    shape[name] = optionValue(spec).optional().meta({ description: spec.description });
  }
  return section(shape)
    .transform((values): Record<string, RuleOptionValue> => {
      const kept = Object.entries(values).filter(
        (entry): entry is [string, RuleOptionValue] => entry[1] !== undefined,
      );
      return Object.fromEntries(kept);
    })
    .nullable();
}

const UNDECLARED_EXPECTED = 'a list of strings, an integer, or true or false';

/** An option value when the rule's declarations are not known: any valid kind is kept. */
const undeclaredValue = describedAs(
  z.unknown().transform((value, ctx): RuleOptionValue => {
    if (typeof value === 'boolean') return value;
    if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
    if (typeof value === 'string' || Array.isArray(value)) {
      const list = parseInto(
        optionValue({ kind: 'string-list', default: [], description: '' }),
        value,
        ctx,
        [],
      );
      return list ?? z.NEVER;
    }
    addIssue(ctx, UNDECLARED_EXPECTED, value);
    return z.NEVER;
  }),
  {},
);

const undeclaredOptions = mappingOf<RuleOptionValue>(
  undeclaredValue,
  'a mapping from option name to value',
  {},
);

function ruleOptions(options: ValidateOptions) {
  const expected =
    'a mapping from rule ID or slug to its options, such as "weak-key-size: {min_rsa_bits: 3072}"';
  const lookUp = options.ruleOptions;
  const declaredFor = (rule: string) => {
    const declared = lookUp?.(rule);
    return declared === undefined ? undefined : declaredOptions(declared);
  };
  // With the rules known, the JSON Schema lists every rule's options.
  const json = (): JsonFragment => {
    const byRule: Record<string, unknown> = {};
    for (const rule of options.ruleNames ?? []) {
      const declared = lookUp?.(rule);
      if (declared !== undefined) byRule[rule] = fragmentOf(declaredOptions(declared));
    }
    return Object.keys(byRule).length === 0
      ? { additionalProperties: fragmentOf(undeclaredOptions) }
      : { properties: byRule, additionalProperties: false };
  };
  return mappingOf<Record<string, RuleOptionValue>>(undeclaredOptions, expected, json, {
    checkKey: (rule) => unknownRuleMessage(rule, options),
    valueFor: declaredFor,
  });
}

function perPathRules(options: ValidateOptions) {
  const entry = section({
    enable: ruleList(options).optional().meta({ description: 'Rules turned on for these files.' }),
    disable: ruleList(options)
      .optional()
      .meta({ description: 'Rules turned off for these files.' }),
    severity: severityOverrides(options)
      .optional()
      .meta({ description: 'Severity overrides for these files.' }),
  });
  return mappingOf(
    entry.nullable(),
    'a mapping from a glob pattern to rule settings, such as "tests/**: {disable: [PGS001]}"',
    () => ({ propertyNames: PATTERN_JSON, additionalProperties: fragmentOf(entry) }),
    { checkKey: (pattern) => (pattern.trim() === '' ? 'a non-empty glob pattern' : undefined) },
  );
}

/** Sizes such as `500KB`, `2MB`, `1 MiB` or a number of bytes. */
const BYTE_SIZE_PATTERN = '^\\s*\\d[\\d_]*(?:\\.\\d+)?\\s*[A-Za-z]*\\s*$';

function byteSize() {
  const expected = 'a positive number of bytes or a size such as "500KB", "2MB", "1 MiB"';
  return describedAs(
    z.unknown().transform((value, ctx): number => {
      if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
      const bytes = typeof value === 'string' ? parseByteSize(value) : null;
      if (bytes !== null) return bytes;
      addIssue(ctx, expected, value);
      return z.NEVER;
    }),
    {
      anyOf: [
        { type: 'integer', minimum: 1 },
        { type: 'string', pattern: BYTE_SIZE_PATTERN },
      ],
    },
  );
}

/** `dependencies.ignore[].id`: GHSA, PYSEC, CVE or another database's id. */
export const ADVISORY_ID =
  /^(?:GHSA(?:-[23456789cfghjmpqrvwx]{4}){3}|PYSEC-\d{4}-\d+|CVE-\d{4}-\d{4,}|[A-Z][A-Z0-9]*-[\w.-]+)$/i;

function dependencyIgnores() {
  const idError = 'an advisory id such as GHSA-xxxx-xxxx-xxxx, PYSEC-2021-142 or CVE-2020-14343';
  const reasonError = 'the reason the advisory is accepted';
  const entry = section(
    {
      id: describedAs(z.string({ error: idError }).trim().regex(ADVISORY_ID, { error: idError }), {
        type: 'string',
        description: 'The advisory: GHSA-…, PYSEC-… or CVE-….',
      }),
      reason: z
        .string({ error: reasonError })
        .trim()
        .min(1, { error: reasonError })
        .meta({ description: 'Why the advisory is accepted.' }),
    },
    'a mapping such as {id: GHSA-…, reason: …}',
  );
  jsonExtras.set(entry, { required: ['id', 'reason'] });
  return z.array(entry, { error: 'a list of {id: GHSA-…, reason: …} entries' });
}

// ---------------------------------------------------------------------------------------
// The file

/**
 * The schema of `.github/pyguard.yml` (its YAML keys, snake_case). `options` says which rules
 * exist and which options they declare; without it any rule name and option value of a valid
 * kind is accepted.
 */
export function configFileSchema(options: ValidateOptions) {
  return section(
    {
      fail_on: choice(FAIL_ON_VALUES)
        .optional()
        .meta({ description: 'The lowest severity that fails the check, or never.' }),
      min_confidence: choice(CONFIDENCES)
        .optional()
        .meta({ description: 'Findings less certain than this are not reported.' }),
      profile: choice(PROFILE_VALUES, { suggest: true }).optional().meta({
        description:
          'default: findings a reviewer should act on; audit: also what bandit and ruff report.',
      }),
      paths: section({
        include: patternList({ atLeastOne: true })
          .optional()
          .meta({ description: 'Files scanned: globs over repository-relative paths.' }),
        exclude: patternList()
          .optional()
          .meta({ description: 'Files not scanned (wins over include).' }),
      })
        .nullish()
        .meta({ description: 'Which files are scanned.' }),
      rules: section({
        enable: ruleList(options)
          .optional()
          .meta({ description: 'Rules that are off by default to turn on.' }),
        disable: ruleList(options).optional().meta({ description: 'Rules to turn off.' }),
        severity: severityOverrides(options)
          .optional()
          .meta({ description: "Raise or lower a rule's severity." }),
        options: ruleOptions(options)
          .optional()
          .meta({ description: 'Rule options: rules.options.<rule>.<option>.' }),
        per_path: perPathRules(options)
          .optional()
          .meta({ description: 'Rule settings for the files matching a glob pattern.' }),
      })
        .nullish()
        .meta({ description: 'Which rules run and how they report.' }),
      comments: section({
        max: z
          .number({ error: `an integer from 0 to ${MAX_COMMENTS_LIMIT}` })
          .int({ error: `an integer from 0 to ${MAX_COMMENTS_LIMIT}` })
          .min(0, { error: `an integer from 0 to ${MAX_COMMENTS_LIMIT}` })
          .max(MAX_COMMENTS_LIMIT, { error: `an integer from 0 to ${MAX_COMMENTS_LIMIT}` })
          .optional()
          .meta({ description: 'Inline comments per review; the rest are listed in its body.' }),
        drafts: z
          .boolean({ error: 'true or false' })
          .optional()
          .meta({ description: 'Also review draft pull requests.' }),
      })
        .nullish()
        .meta({ description: 'Pull request review comments.' }),
      on_error: choice(ON_ERROR_VALUES)
        .optional()
        .meta({ description: 'The check conclusion when a scan cannot finish.' }),
      max_file_bytes: byteSize().optional().meta({ description: 'Larger files are skipped.' }),
      dependencies: section({
        paths: patternList()
          .optional()
          .meta({ description: 'Manifests and lock files audited; [] turns the audit off.' }),
        ignore: dependencyIgnores()
          .nullish()
          .meta({ description: 'Advisories accepted, with the reason.' }),
      })
        .nullish()
        .meta({ description: 'The dependency audit.' }),
    },
    'a mapping of settings such as "fail_on: high"',
  );
}

/** What the schema gives for a valid file: its keys, normalised, absent when not set. */
export type ConfigFileValues = z.output<ReturnType<typeof configFileSchema>>;

/**
 * The JSON Schema of `.github/pyguard.yml` (draft 2020-12), for editor completion and
 * validation. With `options` from a rule registry it lists the rules and their options.
 */
export function configJsonSchema(given: ValidateOptions = {}): Record<string, unknown> {
  // Rules in a stable order, whatever order the registry has them in.
  const options: ValidateOptions = {
    ...given,
    ruleNames: [...(given.ruleNames ?? [])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
  };
  const generated = z.toJSONSchema(configFileSchema(options), {
    io: 'input',
    unrepresentable: 'any',
    override: applyHandWrittenJson,
  });
  const properties = (generated as { properties?: Record<string, unknown> }).properties ?? {};
  const rules = options.ruleNames ?? [];
  return {
    $schema: generated['$schema'],
    title: 'PyGuard configuration (.github/pyguard.yml)',
    ...withoutSchemaKey(generated),
    ...(rules.length === 0
      ? {}
      : { $defs: { rule: { type: 'string', enum: rules, description: 'A rule ID or slug.' } } }),
    properties: {
      _extends: {
        type: 'string',
        description:
          'Another configuration this one builds on: a path relative to this file, or (in the GitHub App) repo, owner/repo or owner/repo:path.yml.',
      },
      ...properties,
    },
  };
}

function withoutSchemaKey(json: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(json).filter(([key]) => key !== '$schema'));
}

function fragmentOf(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    override: applyHandWrittenJson,
  });
  return withoutSchemaKey(json);
}

function applyHandWrittenJson(context: {
  zodSchema: z.core.$ZodTypes;
  jsonSchema: z.core.JSONSchema.BaseSchema;
}): void {
  const schema = context.zodSchema as unknown as z.ZodType;
  const json = context.jsonSchema as Record<string, unknown>;
  const shape = jsonShapes.get(schema);
  if (shape !== undefined) {
    // The generated keys are replaced; the description from `.meta()` stays.
    for (const key of Object.keys(json))
      if (key !== 'description') Reflect.deleteProperty(json, key);
    Object.assign(json, typeof shape === 'function' ? shape() : shape);
  }
  Object.assign(json, jsonExtras.get(schema));
  if (closedSections.has(schema)) json['additionalProperties'] = false;
}
