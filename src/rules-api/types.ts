import type { Confidence, Severity, Span } from '../engine/types.js';
import type { SyntaxNode } from '../engine/parse.js';
import type { CallInfo, SemanticModel } from '../engine/model.js';

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
} as const;

export type CategoryLetter = keyof typeof CATEGORIES;
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
};

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
  /** The rule can offer an exact replacement. */
  fixable: boolean;
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
}

export interface ReportDescriptor<MessageId extends string> {
  node: SyntaxNode;
  messageId: MessageId;
  data?: Readonly<Record<string, string | number>> | undefined;
  severity?: Severity | undefined;
  confidence?: Confidence | undefined;
  fix?: ReportFix | undefined;
}

/** What a rule sees of the file it checks. */
export interface RuleContext<MessageId extends string> {
  readonly path: string;
  readonly text: string;
  readonly model: SemanticModel;
  /** Path looks like a test (`test_*.py`, `*_test.py`, `tests/`, `conftest.py`). */
  readonly isTestFile: boolean;
  report(descriptor: ReportDescriptor<MessageId>): void;
  textOf(node: SyntaxNode): string;
  call(node: SyntaxNode): CallInfo;
}

export interface Rule<MessageId extends string = string> {
  readonly meta: RuleMeta;
  readonly messages: Readonly<Record<MessageId, string>>;
  create(context: RuleContext<MessageId>): Visitors;
}

/** A rule of any message ids, as the registry holds it. */
export type AnyRule = Rule;
