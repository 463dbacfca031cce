/**
 * The `.github/pyguard.yml` settings, shared by the CLI and the GitHub App.
 * The YAML keys are snake_case; the parsed configuration is camelCase.
 */
import type { Confidence, Severity } from '../engine/types.js';
import type { RuleOptionSchema, RuleOptionValue } from '../rules-api/types.js';
import { DEFAULT_MANIFEST_PATTERNS } from '../deps/manifests/index.js';

/** The lowest severity that fails the check, or `never` to only report. */
export type FailOn = Severity | 'never';

/** What the check concludes when PyGuard itself fails (crash, timeout, bad config). */
export type OnError = 'failure' | 'neutral';

import { PROFILES, type Profile } from '../engine/types.js';

/**
 * Which findings the rules report: `default` is precise (findings a reviewer should act on);
 * `audit` also reports what bandit and ruff's `S` rules report.
 */
export type { Profile };

/**
 * One `rules.per_path` entry: rule settings for the files whose repo-relative path matches
 * `pattern` (a glob like those of `paths.include`), applied on top of the top-level ones.
 */
export interface PerPathRules {
  pattern: string;
  /** Rule IDs or slugs turned on for these files. */
  enable: string[];
  /** Rule IDs or slugs turned off for these files (wins over `enable` of the same entry). */
  disable: string[];
  /** Severity overrides for these files. */
  severity: Record<string, Severity>;
}

export interface PyGuardConfig {
  /** YAML `fail_on`. */
  failOn: FailOn;
  /** YAML `min_confidence`: findings less certain than this are not reported. */
  minConfidence: Confidence;
  /** YAML `profile`: which findings the rules report. */
  profile: Profile;
  /** Glob patterns over repo-relative posix paths; exclude wins over include. */
  paths: { include: string[]; exclude: string[] };
  /**
   * Rule IDs or slugs to enable or disable, per-rule severity overrides, and per-rule option
   * values (`rules.options.<rule ID or slug>.<option>`; options left out keep their defaults).
   * `perPath` (YAML `per_path`) holds settings for some files, in file order: each matching
   * entry applies on top of the top-level settings and of the entries before it (absent: none).
   */
  rules: {
    enable: string[];
    disable: string[];
    severity: Record<string, Severity>;
    options: Record<string, Record<string, RuleOptionValue>>;
    perPath?: PerPathRules[];
  };
  /** Pull-request review comments: at most `max` inline comments; `drafts` also reviews drafts. */
  comments: { max: number; drafts: boolean };
  /** YAML `on_error`. */
  onError: OnError;
  /** YAML `max_file_bytes`: larger files are skipped. */
  maxFileBytes: number;
  /**
   * YAML `dependencies`: `paths` are the manifests and lock files the dependency audit reads
   * (glob patterns; an empty list turns the audit off); `ignore` lists advisories (by GHSA, PYSEC
   * or CVE id) accepted with a reason, whose findings are reported as suppressed.
   */
  dependencies: { paths: string[]; ignore: DependencyIgnore[] };
}

/** One `dependencies.ignore` entry. */
export interface DependencyIgnore {
  /** An advisory id or alias: `GHSA-…`, `PYSEC-…`, `CVE-…`. */
  id: string;
  reason: string;
}

/** A problem with one key of the configuration. */
export interface ConfigProblem {
  /** Dotted YAML path such as `rules.severity.PGI001`, or `(file)` for the file as a whole. */
  key: string;
  /** One line naming the key, the value it got and what was expected. */
  message: string;
}

/** The outcome of validating a configuration: always a usable config, plus any problems. */
export interface ConfigResult {
  config: PyGuardConfig;
  problems: ConfigProblem[];
}

export interface ValidateOptions {
  /** When given, rule IDs or slugs for which this returns false are reported as problems. */
  isKnownRule?: (idOrSlug: string) => boolean;
  /** Every known rule ID and slug: an unknown rule's problem then suggests the closest one. */
  ruleNames?: readonly string[];
  /**
   * The options a rule declares (`{}` when it has none, undefined when the rule is unknown).
   * When given, `rules.options` values are checked against the declarations: unknown option
   * names and values of the wrong kind are problems. Without it, any list of strings, integer
   * or boolean is kept (the scanner ignores what a rule does not declare).
   */
  ruleOptions?: (idOrSlug: string) => RuleOptionSchema | undefined;
}

export const FAIL_ON_VALUES: readonly FailOn[] = ['high', 'medium', 'low', 'never'];
export const ON_ERROR_VALUES: readonly OnError[] = ['failure', 'neutral'];
export const PROFILE_VALUES: readonly Profile[] = PROFILES;
export const MAX_COMMENTS_LIMIT = 100;

/** A fresh, independent copy of the default configuration. */
export function defaultConfig(): PyGuardConfig {
  return {
    failOn: 'high',
    minConfidence: 'medium',
    profile: 'default',
    paths: { include: ['**/*.py', '**/*.{html,htm,jinja,jinja2,j2,djhtml}'], exclude: [] },
    rules: { enable: [], disable: [], severity: {}, options: {} },
    comments: { max: 25, drafts: false },
    onError: 'failure',
    maxFileBytes: 1_048_576,
    dependencies: { paths: [...DEFAULT_MANIFEST_PATTERNS], ignore: [] },
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** The defaults, deeply frozen; use {@link defaultConfig} for a copy you may change. */
export const DEFAULT_CONFIG: PyGuardConfig = deepFreeze(defaultConfig());
