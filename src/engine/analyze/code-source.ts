/**
 * What kind of Python source text reaches `eval`, `exec` or `compile`: a literal, a string built
 * from parts, the contents of a file named by a literal path (`exec(open("version.py").read())`,
 * the setup.py idiom), or a value of unknown origin. Code objects made by `compile(src, …)` are
 * judged by their source.
 */
import { unwrapParens, type SemanticModel } from '../model.js';
import type { Confidence, Severity } from '../types.js';
import type { SyntaxNode } from '../parse.js';
import type { RuleContext } from '../../rules-api/types.js';
import { shortText } from './short-text.js';
import { analyseString, describeBuild, type BuildKind } from './string-build.js';
import { testAdjusted } from './test-files.js';

export type CodeShape = (
  { kind: 'literal' } | { kind: 'built'; how: BuildKind } | { kind: 'file' } | { kind: 'dynamic' }
) & {
  /** The source expression judged: the argument, or the source of the `compile()` it holds. */
  source: SyntaxNode;
};

const COMPILE = new Set(['compile', 'builtins.compile']);
const OPENERS = new Set(['open', 'builtins.open', 'io.open', 'codecs.open']);
const PATH_TYPES = new Set([
  'pathlib.Path',
  'pathlib.PurePath',
  'pathlib.PosixPath',
  'pathlib.WindowsPath',
]);

/** The `compile(...)` call an expression holds (directly or through one assignment), if any. */
export function compileCall(model: SemanticModel, node: SyntaxNode): SyntaxNode | undefined {
  const value = unwrapParens(model.resolveValue(node));
  if (value.type !== 'call') return undefined;
  const callee = value.childForFieldName('function');
  const name = callee === null ? undefined : model.qualifiedName(callee);
  return name !== undefined && COMPILE.has(name) ? value : undefined;
}

export function codeShape(model: SemanticModel, node: SyntaxNode, depth = 0): CodeShape {
  if (model.literalValue(node) !== undefined) return { kind: 'literal', source: node };
  const compiled = depth < 3 ? compileCall(model, node) : undefined;
  if (compiled !== undefined) {
    const source = model.argument(model.call(compiled), 'source', 0);
    return source === undefined
      ? { kind: 'dynamic', source: node }
      : codeShape(model, source, depth + 1);
  }
  const build = analyseString(model, node);
  if (build !== undefined) {
    return build.how === undefined
      ? { kind: 'literal', source: node }
      : { kind: 'built', how: build.how, source: node };
  }
  return { kind: readsLiteralFile(model, node) ? 'file' : 'dynamic', source: node };
}

/**
 * `open("x").read()`, `io.open("x", encoding=...).read()`, `Path("x").read_text()`, and
 * `with open("x") as f: f.read()`.
 */
function readsLiteralFile(model: SemanticModel, node: SyntaxNode): boolean {
  const value = unwrapParens(model.resolveValue(node));
  if (value.type !== 'call') return false;
  const callee = value.childForFieldName('function');
  if (callee?.type !== 'attribute') return false;
  const method = callee.childForFieldName('attribute');
  const object = callee.childForFieldName('object');
  if (method === null || object === null) return false;
  if (!['read', 'read_text', 'read_bytes'].includes(model.textOf(method))) return false;
  const opener = model.withContext(object) ?? unwrapParens(model.resolveValue(object));
  if (opener.type !== 'call') return false;
  const openerCallee = opener.childForFieldName('function');
  const name = openerCallee === null ? undefined : model.qualifiedName(openerCallee);
  if (name === undefined || !(OPENERS.has(name) || PATH_TYPES.has(name))) return false;
  const path = model.call(opener).positional[0];
  return path !== undefined && model.staticString(path) !== undefined;
}

/** The grade of code that runs without a traced path from outside input (an audit finding). */
export interface CodeAuditGrade {
  kind: 'built' | 'file' | 'dynamic';
  severity: Severity;
  confidence: Confidence;
}

/**
 * How code of unknown origin is graded: built from pieces is high, read from a file low, any
 * other value medium; the confidence is medium, since no source was found.
 */
export function codeAuditGrade(shape: CodeShape): CodeAuditGrade {
  if (shape.kind === 'built') return { kind: 'built', severity: 'high', confidence: 'medium' };
  if (shape.kind === 'file') return { kind: 'file', severity: 'low', confidence: 'medium' };
  return { kind: 'dynamic', severity: 'medium', confidence: 'medium' };
}

/**
 * Reports code that reaches an execution sink with no traced path from outside input (an audit
 * finding), graded by how it is made ({@link codeAuditGrade}) and one step less sure in test
 * files. The message gets `how` (how the code was built) and `code` (the code expression, cut
 * short) besides the rule's own `data`.
 */
export function reportUntracedCode<MessageId extends string>(
  context: RuleContext<MessageId>,
  node: SyntaxNode,
  shape: CodeShape,
  messageIds: Readonly<Record<CodeAuditGrade['kind'], MessageId>>,
  data: Readonly<Record<string, string>> = {},
): void {
  const grade = codeAuditGrade(shape);
  context.report({
    node,
    messageId: messageIds[grade.kind],
    data: {
      ...data,
      how: shape.kind === 'built' ? describeBuild(shape.how) : '',
      code: shortText(context.textOf(shape.source)),
    },
    severity: grade.severity,
    confidence: testAdjusted(grade.confidence, context.isTestFile),
  });
}
