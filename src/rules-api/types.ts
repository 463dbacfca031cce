import type { Confidence, FlowStep, Profile, Severity, Span } from '../engine/types.js';
import type { SinkKind, TaintTrace } from '../engine/taint/types.js';
import type { SyntaxNode } from '../engine/parse.js';
import type { CallInfo, SemanticModel } from '../engine/model.js';
import type { AdvisorySummary } from '../deps/matching.js';
import type { LineSpan, ParsedManifest } from '../deps/types.js';

export const CATEGORIES = {
  I: 'injection',
  D: 'deserialization',
  C: 'crypto',
  S: 'secrets',
  T: 'network',
  W: 'web',
  F: 'filesystem',
  X: 'xml',
  L: 'logging',
  M: 'misc',
  V: 'dependencies',
} as const;

export type CategoryLetter = keyof typeof CATEGORIES;
export type { SinkKind, TaintTrace } from '../engine/taint/types.js';

export type Category = (typeof CATEGORIES)[CategoryLetter];

export const CATEGORY_TITLES: Readonly<Record<Category, string>> = {
  injection: 'Injection and XSS',
  deserialization: 'Deserialisation',
  crypto: 'Cryptography and randomness',
  secrets: 'Secrets and credentials',
  network: 'TLS, transport and network',
  web: 'Web framework configuration',
  filesystem: 'File system',
  xml: 'XML',
  logging: 'Logging and information leaks',
  misc: 'Miscellaneous',
  dependencies: 'Dependencies and package sources',
};

/** A retired rule, named by what users may still write: its ID and its slug. */
export interface ReplacedRule {
  id: string;
  slug: string;
}

/** Everything about a rule that tools can read without running it. */
export interface RuleMeta {
  /** `PG` + category letter + three digits, e.g. `PGI001`. */
  id: string;
  /** kebab-case name, equal to the rule's file name. */
  slug: string;
  title: string;
  category: Category;
  /** Default severity; a report may raise or lower it for one finding. */
  severity: Severity;
  /** Default confidence; a report may raise or lower it for one finding. */
  confidence: Confidence;
  cwe: readonly number[];
  owasp: readonly string[];
  /** One sentence: what the rule flags. */
  description: string;
  /** Why it matters (Markdown). */
  why: string;
  /** How to fix it (Markdown). */
  fix: string;
  example: { bad: string; good: string };
  references: readonly string[];
  /** Equivalent bandit check IDs (B608) and ruff codes (S608), used for `nosec`/`noqa`. */
  bandit: readonly string[];
  ruff: readonly string[];
  /** Rules that are audits rather than findings can be off until enabled in config. */
  enabledByDefault: boolean;
  /**
   * The profile that runs the rule (default `default`, which means both): `audit` for checks
   * that only the audit profile runs (what bandit and ruff report and a precise review does
   * not: any `random` call, bare imports of risky modules, ...). A rule that is off by default
   * also runs under `audit`.
   */
  profile?: Profile;
  /**
   * What the audit profile reports beyond the default profile for this rule (one Markdown
   * sentence for its page), when some of its findings are audit-only (`report({ profile })`).
   */
  auditAdds?: string;
  /** The rule can offer an exact replacement. */
  fixable: boolean;
  /**
   * IDs of rules this rule is more specific than. When this rule and one of those report the same
   * span of a file, or that rule reports a part of this rule's span, the scan shows one finding:
   * this rule's, listing the other's ID in `alsoReportedBy`. A rule never runs another rule to
   * avoid such double reports.
   */
  supersedes?: readonly string[];
  /**
   * Retired rules this rule took over (a rule split into several keeps working through all of
   * them). The retired ID and slug still name this rule, and every other rule that replaces the
   * same one, in suppression comments, `rules.enable`/`disable`/`severity`/`options` and the
   * CLI's `--rule`: `# pyguard: ignore[PGM006]` suppresses each successor of PGM006. Retired
   * numbers are never given to a new rule.
   */
  replaces?: readonly ReplacedRule[];
  /**
   * The language of `example` (default `python`): `template` for rules whose example is a
   * Django/Jinja2 template, `requirements` for rules that judge dependency manifests.
   */
  exampleLanguage?: 'python' | 'template' | 'requirements';
}

/** Node types a rule can visit. The engine materialises only the types enabled rules ask for. */
export type VisitedType =
  | 'call'
  | 'assignment'
  | 'augmented_assignment'
  | 'function_definition'
  | 'class_definition'
  | 'comparison_operator'
  | 'dictionary'
  | 'keyword_argument'
  | 'pair'
  | 'string'
  | 'attribute'
  | 'assert_statement'
  | 'with_statement'
  | 'try_statement'
  | 'except_clause'
  | 'decorator'
  | 'return_statement'
  | 'import_statement'
  | 'import_from_statement';

export type Visitors = { readonly [K in VisitedType]?: (node: SyntaxNode) => void } & {
  /** Called once after every node was visited (for checks over the whole file). */
  readonly end?: () => void;
};

export interface ReportFix {
  description: string;
  /** The node to replace (or a span). */
  target: SyntaxNode | Span;
  replacement: string;
  /**
   * Further edits the fix needs, applied with it or not at all: more replacements in the flagged
   * code, or an import (see `moduleReference`) with a `description` of what it adds.
   */
  additionalEdits?: readonly ReportEdit[] | undefined;
}

/** One more edit of a {@link ReportFix}. */
export interface ReportEdit {
  /** The node to replace (or a span; an empty span inserts). */
  target: SyntaxNode | Span;
  replacement: string;
  /** For an edit away from the flagged code: what it does, as a clause ("add `import secrets`"). */
  description?: string | undefined;
}

export interface ReportDescriptor<MessageId extends string> {
  node: SyntaxNode;
  messageId: MessageId;
  data?: Readonly<Record<string, string | number>> | undefined;
  severity?: Severity | undefined;
  confidence?: Confidence | undefined;
  fix?: ReportFix | undefined;
  /** How untrusted data reached the reported node: source first, sink last. */
  flow?: readonly FlowStep[] | undefined;
  /** `audit`: report this only under the audit profile (a finding a precise review leaves out). */
  profile?: 'audit' | undefined;
}

/** The value type of each kind of rule option. */
export interface RuleOptionKinds {
  /** A list of strings (a single string in the configuration is a list of one). */
  'string-list': readonly string[];
  integer: number;
  boolean: boolean;
}

export type RuleOptionKind = keyof RuleOptionKinds;

/** The value of one rule option, of any kind. */
export type RuleOptionValue = RuleOptionKinds[RuleOptionKind];

interface RuleOptionBase<Kind extends RuleOptionKind> {
  kind: Kind;
  /** The value when the configuration does not set one. */
  default: RuleOptionKinds[Kind];
  /** One line for the rule's documentation page. */
  description: string;
}

/**
 * One option a rule declares: its kind, default and description. Option names are snake_case,
 * as in `.github/pyguard.yml` (`rules.options.<rule>.<name>`).
 */
export type RuleOptionSpec =
  | RuleOptionBase<'string-list'>
  | (RuleOptionBase<'integer'> & {
      /** Smallest accepted value (inclusive). */
      min?: number;
      /** Largest accepted value (inclusive). */
      max?: number;
    })
  | RuleOptionBase<'boolean'>;

/** The options a rule declares, by name. */
export type RuleOptionSchema = Readonly<Record<string, RuleOptionSpec>>;

/** Option values of any rule, by name, as the engine passes them. */
export type RuleOptionValues = Readonly<Record<string, RuleOptionValue>>;

/** The option values a rule sees, typed from its declaration. */
export type OptionValuesOf<Schema extends RuleOptionSchema> = {
  readonly [Name in keyof Schema]: RuleOptionKinds[Schema[Name]['kind']];
};

/** What a rule sees of the file it checks. */
export interface RuleContext<
  MessageId extends string,
  Options extends RuleOptionValues = RuleOptionValues,
> {
  readonly path: string;
  readonly text: string;
  readonly model: SemanticModel;
  /** Path looks like a test (`test_*.py`, `*_test.py`, `tests/`, `conftest.py`). */
  readonly isTestFile: boolean;
  /**
   * The scan's profile. Reports marked `profile: 'audit'` are dropped under `default`; a rule
   * may look here to skip work whose reports would all be dropped.
   */
  readonly profile: Profile;
  /** The rule's options: its declared defaults, overridden by `rules.options` in the config. */
  readonly options: Options;
  report(descriptor: ReportDescriptor<MessageId>): void;
  textOf(node: SyntaxNode): string;
  call(node: SyntaxNode): CallInfo;
  /**
   * How untrusted input (request data, route parameters, command line, environment) can reach
   * an expression without being made safe for `sink`; undefined when no path is found. Computed
   * on first use and shared by every rule of the file.
   */
  taint(node: SyntaxNode, sink: SinkKind): TaintTrace | undefined;
}

/** A finding in a template, in 1-based lines and columns (UTF-16 code units, end exclusive). */
export interface TemplateReportDescriptor<MessageId extends string> {
  line: number;
  column: number;
  /** Defaults to `line`. */
  endLine?: number | undefined;
  /** Defaults to the end of `endLine`. */
  endColumn?: number | undefined;
  messageId: MessageId;
  data?: Readonly<Record<string, string | number>> | undefined;
  severity?: Severity | undefined;
  confidence?: Confidence | undefined;
}

/** What a rule sees of a template file (Django or Jinja2: `.html`, `.jinja`, `.j2`, ...). */
export interface TemplateContext<
  MessageId extends string,
  Options extends RuleOptionValues = RuleOptionValues,
> {
  readonly path: string;
  /** The decoded text, line endings normalised to `\n`. */
  readonly text: string;
  /** Path looks like a test (`tests/`, `testing/`). */
  readonly isTestFile: boolean;
  /** The rule's options: its declared defaults, overridden by `rules.options` in the config. */
  readonly options: Options;
  report(descriptor: TemplateReportDescriptor<MessageId>): void;
}

/** A finding in a dependency manifest, on one line. */
export interface ManifestReportDescriptor<MessageId extends string> {
  /** Where: a requirement's `span` or `versionSpan`, an index directive's `span`. */
  span: LineSpan;
  messageId: MessageId;
  data?: Readonly<Record<string, string | number>> | undefined;
  severity?: Severity | undefined;
  confidence?: Confidence | undefined;
  /** An exact replacement on the finding's line (such as the fixed version for the pinned one). */
  fix?: { description: string; span: LineSpan; replacement: string } | undefined;
  /** Set when configuration suppresses the finding (`dependencies.ignore`): it is reported as suppressed. */
  suppression?: { comment: string; reason?: string | undefined } | undefined;
}

/** An advisory as a manifest rule sees it: `ignoreReason` is set when `dependencies.ignore` lists it. */
export interface ManifestAdvisory extends AdvisorySummary {
  ignoreReason?: string;
}

/** What a rule sees of a dependency manifest or lock file. */
export interface ManifestContext<
  MessageId extends string,
  Options extends RuleOptionValues = RuleOptionValues,
> {
  readonly path: string;
  readonly text: string;
  /** The parsed manifest: requirements, index directives, includes. */
  readonly manifest: ParsedManifest;
  /** The rule's options: its declared defaults, overridden by `rules.options` in the config. */
  readonly options: Options;
  /**
   * The advisories affecting one version of a package (PEP 503 name), one per vulnerability;
   * undefined when advisories were not available in this scan (the audit was skipped).
   */
  advisories(name: string, version: string): readonly ManifestAdvisory[] | undefined;
  report(descriptor: ManifestReportDescriptor<MessageId>): void;
}

/**
 * What a rule is about, so the engine can leave it out where it has nothing to check. Every field
 * is optional; a rule without `select` sees every file and every node its visitors name.
 *
 * Which node kinds a rule visits is already said by the keys of the visitors it returns; `select`
 * narrows the `call` visitor to some calls and the whole rule to some files.
 */
export interface RuleSelect {
  /**
   * Qualified names of callees (`subprocess.run`, `eval`); a name ending in `.*` selects every name
   * under it (`lxml.*` selects `lxml.etree.parse`). With `calls` or `methods`, the rule's `call`
   * visitor runs only for calls whose `CallInfo.qualifiedName` is listed here or whose
   * `CallInfo.methodName` is listed in `methods`.
   */
  readonly calls?: readonly string[];
  /**
   * Method names, whatever the receiver (`execute` selects `cursor.execute(...)`, `execute(...)`,
   * and `getattr(cursor, "execute")(...)` through the last part of its qualified name).
   */
  readonly methods?: readonly string[];
  /**
   * A prefilter on the file's text: the rule (its `create`, every visitor and `end`) is skipped on
   * a file whose text and path contain none of these words (plain substrings, case-sensitive).
   * List only words every file the rule can report on must contain, such as the module that
   * provides the selected calls.
   */
  readonly text?: readonly string[];
}

export interface Rule<
  MessageId extends string = string,
  Options extends RuleOptionValues = RuleOptionValues,
> {
  readonly meta: RuleMeta;
  readonly messages: Readonly<Record<MessageId, string>>;
  /** The options the rule declares (`{}` when it has none), settable under `rules.options`. */
  readonly options: RuleOptionSchema;
  /** What the rule is about: the calls its `call` visitor judges, words its files contain. */
  readonly select?: RuleSelect;
  /** Checks of Python files. A template-only rule's `create` returns `{}`. */
  create(context: RuleContext<MessageId, Options>): Visitors;
  /** Checks of template files, when the rule has any. */
  template?(context: TemplateContext<MessageId, Options>): void;
  /** Checks of dependency manifests and lock files, when the rule has any. */
  manifest?(context: ManifestContext<MessageId, Options>): void;
}

/** A rule of any message ids, as the registry holds it. */
export type AnyRule = Rule;
