/**
 * Splits a string expression into its literal text and the expressions that fill its holes, so a
 * rule can ask *what* was spliced in and *where*: `f"… {x}"`, `a + b`, `"…%s" % x`,
 * `"…{}".format(x)` and `sep.join([...])`. Names assigned exactly once are followed, and a hole
 * whose value is itself a string expression is spliced in place, so
 * `q = "FROM " + t; f"SELECT * {q}"` reads as `SELECT * FROM {t}`.
 *
 * The engine's `SemanticModel.stringShape` answers the coarser question (literal, built, or
 * neither, and how the outer level was built) and is what the build kind here comes from; this
 * module adds the pieces, the substitution of `%` and `format()` arguments, and names built up
 * with `+=`, which `stringShape` does not follow.
 */
import { stringParts } from '../strings.js';
import { unwrapParens, type SemanticModel, type StringShape } from '../model.js';
import type { SyntaxNode } from '../parse.js';

export type StringPiece = { kind: 'text'; text: string } | { kind: 'hole'; node: SyntaxNode };

/** How the outermost level of a string was put together, as `SemanticModel.stringShape` names it. */
export type BuildKind = Extract<StringShape, { kind: 'built' }>['how'];

export interface StringBuild {
  /** Undefined when the whole string is literal. */
  how: BuildKind | undefined;
  pieces: StringPiece[];
}

const MAX_DEPTH = 6;

/** `%s`, `%(name)s`, `%-10.3f`, `%%`. */
const PERCENT_SPEC =
  /%(?:\(([^)]*)\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?([diouxXeEfFgGcrsa%])/g;

/** `{{`, `}}` and replacement fields of `str.format`. */
const FORMAT_FIELD = /\{\{|\}\}|\{([^{}]*)\}/g;

/**
 * The pieces of a string expression, or undefined when the expression is not recognisably a
 * string (a call result, a parameter, a name assigned more than once).
 */
export function analyseString(model: SemanticModel, node: SyntaxNode): StringBuild | undefined {
  const pieces = piecesOf(model, node, 0);
  if (pieces === undefined) return accumulated(model, unwrapParens(node));
  const how = pieces.some((piece) => piece.kind === 'hole') ? outerKind(model, node) : undefined;
  return { how, pieces: merge(pieces) };
}

/**
 * A name built up by `q = "..."` followed by `q += ...` (or `q = q + ...`) statements in the same
 * scope before the use, read as the concatenation of those values in source order. Branches are not told apart:
 * every `+=` before the use counts.
 */
function accumulated(model: SemanticModel, node: SyntaxNode): StringBuild | undefined {
  if (node.type !== 'identifier') return undefined;
  const found = model.lookup(model.textOf(node), model.scopeAt(node));
  if (found === undefined || found.bindings.length < 2) return undefined;
  const values: SyntaxNode[] = [];
  const earlier = found.bindings
    .filter((binding) => binding.node.startIndex < node.startIndex)
    .sort((a, b) => a.node.startIndex - b.node.startIndex);
  for (const [index, binding] of earlier.entries()) {
    const statement = binding.node.parent;
    if (statement === null) return undefined;
    const isFirst = index === 0;
    if (isFirst && binding.kind === 'assign' && statement.type === 'assignment') {
      const value = binding.value;
      if (value === undefined) return undefined;
      values.push(value);
      continue;
    }
    const appended =
      !isFirst && binding.kind === 'assign' && binding.value !== undefined
        ? appendedTo(model, binding.value, binding.name)
        : undefined;
    if (appended !== undefined) {
      values.push(...appended);
      continue;
    }
    const operator = statement.childForFieldName('operator');
    const right = statement.childForFieldName('right');
    if (
      isFirst ||
      statement.type !== 'augmented_assignment' ||
      operator === null ||
      model.textOf(operator) !== '+=' ||
      right === null
    ) {
      return undefined;
    }
    values.push(right);
  }
  if (values.length === 0) return undefined;
  const pieces = values.flatMap((value) => fill(model, value, 0));
  const holes = pieces.some((piece) => piece.kind === 'hole');
  const single = values.length === 1 ? values[0] : undefined;
  const how =
    single === undefined ? 'concatenation' : (outerKind(model, single) ?? 'concatenation');
  return { how: holes ? how : undefined, pieces: merge(pieces) };
}

/** The hole expressions of a build. */
export function holesOf(build: StringBuild): SyntaxNode[] {
  return build.pieces.flatMap((piece) => (piece.kind === 'hole' ? [piece.node] : []));
}

/** The text of a build with each hole shown as `{}`. */
export function templateOf(build: StringBuild): string {
  return build.pieces.map((piece) => (piece.kind === 'text' ? piece.text : '{}')).join('');
}

/** Readable name of a build kind for messages ("an f-string", "`str.format()`"). */
export function describeBuild(how: BuildKind): string {
  switch (how) {
    case 'f-string':
      return 'an f-string';
    case 'concatenation':
      return 'string concatenation';
    case '%-format':
      return '`%` formatting';
    case 'format()':
      return '`str.format()`';
    case 'join':
      return '`str.join()`';
  }
}

/**
 * How the outermost level of a string expression was put together: the engine's own answer
 * ({@link SemanticModel.stringShape}), so rules and the model never disagree on it.
 */
function outerKind(model: SemanticModel, node: SyntaxNode): BuildKind | undefined {
  const shape = model.stringShape(node);
  return shape.kind === 'built' ? shape.how : undefined;
}

function text(value: string): StringPiece {
  return { kind: 'text', text: value };
}

/** A hole, or the pieces of its value when that value is itself a string expression. */
function fill(model: SemanticModel, node: SyntaxNode, depth: number): StringPiece[] {
  return piecesOf(model, node, depth + 1) ?? [{ kind: 'hole', node: unwrapParens(node) }];
}

function piecesOf(
  model: SemanticModel,
  node: SyntaxNode,
  depth: number,
): StringPiece[] | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const target = unwrapParens(node);
  switch (target.type) {
    case 'string':
      return stringLiteralPieces(model, target, depth);
    case 'concatenated_string':
      return target.namedChildren.flatMap((child) => fill(model, child, depth));
    case 'identifier': {
      const value = model.soleAssignedValue(target);
      return value === undefined ? undefined : piecesOf(model, value, depth + 1);
    }
    case 'binary_operator':
      return binaryPieces(model, target, depth);
    case 'call':
      return callPieces(model, target, depth);
    default:
      return undefined;
  }
}

function stringLiteralPieces(model: SemanticModel, node: SyntaxNode, depth: number): StringPiece[] {
  const parts = stringParts(node, model.text);
  const interpolations = node.children.filter((child) => child.type === 'interpolation');
  const pieces: StringPiece[] = [];
  let index = 0;
  for (const piece of parts.pieces) {
    if (piece !== null) {
      pieces.push(text(piece));
      continue;
    }
    const interpolation = interpolations[index++];
    const expression =
      interpolation?.childForFieldName('expression') ?? interpolation?.namedChildren[0];
    pieces.push(...(expression === undefined ? [] : fill(model, expression, depth)));
  }
  return pieces;
}

function binaryPieces(
  model: SemanticModel,
  node: SyntaxNode,
  depth: number,
): StringPiece[] | undefined {
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  const operator = node.childForFieldName('operator');
  if (left === null || right === null || operator === null) return undefined;
  const op = model.textOf(operator);
  if (op === '+') {
    const leftPieces = piecesOf(model, left, depth + 1);
    const rightPieces = piecesOf(model, right, depth + 1);
    if (leftPieces === undefined && rightPieces === undefined) return undefined;
    return [
      ...(leftPieces ?? [{ kind: 'hole', node: unwrapParens(left) }]),
      ...(rightPieces ?? [{ kind: 'hole', node: unwrapParens(right) }]),
    ];
  }
  if (op === '%') {
    const format = piecesOf(model, left, depth + 1);
    return format === undefined ? undefined : percentPieces(model, format, right, depth);
  }
  return undefined;
}

/** Substitutes `%` conversions with the matching operand. */
function percentPieces(
  model: SemanticModel,
  format: StringPiece[],
  operand: SyntaxNode,
  depth: number,
): StringPiece[] {
  const values = unwrapParens(operand);
  const positional =
    values.type === 'tuple' && !values.namedChildren.some((child) => child.type === 'list_splat')
      ? values.namedChildren
      : undefined;
  const named = new Map<string, SyntaxNode>();
  if (values.type === 'dictionary') {
    for (const pair of values.namedChildren) {
      const key = pair.childForFieldName('key');
      const value = pair.childForFieldName('value');
      const name = key === null ? undefined : model.staticString(key);
      if (name !== undefined && value !== null) named.set(name, value);
    }
  }
  let next = 0;
  const argument = (name: string | undefined): SyntaxNode => {
    if (name !== undefined) return named.get(name) ?? values;
    if (positional === undefined) return values;
    return positional[next++] ?? values;
  };
  return format.flatMap((piece): StringPiece[] => {
    if (piece.kind === 'hole') return [piece];
    const out: StringPiece[] = [];
    let cursor = 0;
    for (const match of piece.text.matchAll(PERCENT_SPEC)) {
      out.push(text(piece.text.slice(cursor, match.index)));
      cursor = match.index + match[0].length;
      if (match[2] === '%') out.push(text('%'));
      else out.push(...fill(model, argument(match[1]), depth));
    }
    out.push(text(piece.text.slice(cursor)));
    return out;
  });
}

function callPieces(
  model: SemanticModel,
  node: SyntaxNode,
  depth: number,
): StringPiece[] | undefined {
  const callee = node.childForFieldName('function');
  if (callee?.type !== 'attribute') return undefined;
  const object = callee.childForFieldName('object');
  const attribute = callee.childForFieldName('attribute');
  if (object === null || attribute === null) return undefined;
  const method = model.textOf(attribute);
  if (method !== 'format' && method !== 'join') return undefined;
  const receiver = piecesOf(model, object, depth + 1);
  if (receiver === undefined) return undefined;
  const call = model.call(node);
  const args = node.childForFieldName('arguments') ?? node;
  if (method === 'format')
    return formatPieces(model, receiver, call.positional, call.keywords, args, depth);
  const iterable = call.positional[0];
  if (iterable === undefined) return undefined;
  const items = unwrapParens(iterable);
  if (
    (items.type === 'list' || items.type === 'tuple') &&
    !items.namedChildren.some((child) => child.type === 'list_splat')
  ) {
    return items.namedChildren.flatMap((child, index) => [
      ...(index === 0 ? [] : receiver),
      ...fill(model, child, depth),
    ]);
  }
  const hole: StringPiece = { kind: 'hole', node: items };
  return [hole, ...receiver, hole];
}

/** Substitutes `str.format` replacement fields with the matching argument. */
function formatPieces(
  model: SemanticModel,
  format: StringPiece[],
  positional: readonly SyntaxNode[],
  keywords: ReadonlyMap<string, SyntaxNode>,
  fallback: SyntaxNode,
  depth: number,
): StringPiece[] {
  let auto = 0;
  return format.flatMap((piece): StringPiece[] => {
    if (piece.kind === 'hole') return [piece];
    const out: StringPiece[] = [];
    let cursor = 0;
    for (const match of piece.text.matchAll(FORMAT_FIELD)) {
      out.push(text(piece.text.slice(cursor, match.index)));
      cursor = match.index + match[0].length;
      const field = match[1];
      if (field === undefined) {
        out.push(text(match[0].charAt(0)));
        continue;
      }
      const name = /^[^.[!:]*/.exec(field)?.[0] ?? '';
      const argument =
        name === ''
          ? positional[auto++]
          : /^\d+$/.test(name)
            ? positional[Number(name)]
            : keywords.get(name);
      out.push(...fill(model, argument ?? fallback, depth));
    }
    out.push(text(piece.text.slice(cursor)));
    return out;
  });
}

/** For `name + a + b`: `[a, b]`; undefined when the expression does not extend `name`. */
function appendedTo(
  model: SemanticModel,
  value: SyntaxNode,
  name: string,
): SyntaxNode[] | undefined {
  const parts: SyntaxNode[] = [];
  let current = unwrapParens(value);
  while (current.type === 'binary_operator') {
    const operator = current.childForFieldName('operator');
    const left = current.childForFieldName('left');
    const right = current.childForFieldName('right');
    if (operator === null || left === null || right === null || model.textOf(operator) !== '+')
      return undefined;
    parts.unshift(right);
    current = unwrapParens(left);
  }
  return current.type === 'identifier' && model.textOf(current) === name && parts.length > 0
    ? parts
    : undefined;
}

/** Joins neighbouring text pieces. */
function merge(pieces: StringPiece[]): StringPiece[] {
  const out: StringPiece[] = [];
  for (const piece of pieces) {
    const last = out.at(-1);
    if (piece.kind === 'text' && last?.kind === 'text') last.text += piece.text;
    else if (piece.kind === 'hole' || piece.text !== '')
      out.push(piece.kind === 'text' ? { ...piece } : piece);
  }
  return out;
}

/**
 * The conversion letter of each `%` specifier of a literal template that consumes one positional
 * argument, in order (`"%s and %r"` → `['s', 'r']`); undefined when specifiers are named
 * (`%(x)s`) or take their width from an argument (`%*d`).
 */
export function percentConversions(template: string): string[] | undefined {
  const conversions: string[] = [];
  for (const match of template.matchAll(PERCENT_SPEC)) {
    const conversion = match[2] ?? '';
    if (conversion === '%') continue;
    if (match[1] !== undefined || match[0].includes('*')) return undefined;
    conversions.push(conversion);
  }
  return conversions;
}
