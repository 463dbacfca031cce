/**
 * Checks that make a value safe on the path that follows them: membership in a fixed set
 * (`if x in ALLOWED:`), equality with a constant, character-class predicates
 * (`x.isdigit()`), full-match validation, and the URL-safety helpers of the frameworks. Both the
 * positive form (`if check: use(x)`) and the early exit (`if not check: return`) count.
 */
import type { SemanticModel } from '../model.js';
import { unwrapParens } from '../model.js';
import type { SyntaxNode } from '../parse.js';
import { CHARACTER_CLASS_PREDICATES } from './models.js';
import { statementsAround, type ChildrenOf, type StatementLevel } from './statements.js';
import { startOf } from '../node-offsets.js';

/** Functions whose truth means the value passed validation. */
const VALIDATORS = new Set([
  'url_has_allowed_host_and_scheme',
  'is_safe_url',
  'fullmatch',
  'validate',
  'is_valid',
  'isinstance',
]);

const EXIT_CALLS = /^(?:(?:flask\.)?abort|sys\.exit|exit|os\._exit|quit)$/;

/** Whether an expression reads the name (directly, or as the object of calls and attributes). */
function involves(model: SemanticModel, node: SyntaxNode, name: string): boolean {
  const target = unwrapParens(node);
  switch (target.type) {
    case 'identifier':
      return model.textOf(target) === name;
    case 'attribute':
    case 'subscript': {
      const inner = target.childForFieldName(target.type === 'attribute' ? 'object' : 'value');
      return inner !== null && involves(model, inner, name);
    }
    case 'call': {
      const callee = target.childForFieldName('function');
      const args = target.childForFieldName('arguments');
      if (callee?.type === 'attribute') {
        const object = callee.childForFieldName('object');
        if (object !== null && involves(model, object, name)) return true;
      }
      return args?.namedChildren.some((arg) => involves(model, arg, name)) === true;
    }
    default:
      return false;
  }
}

/**
 * Whether one side of a comparison stands for the value itself (`x`, `x.lower()`, `x.strip()`) or
 * for the host of a URL made from it (`urlparse(x).netloc`, `urlsplit(x).hostname`): checking
 * only a URL's scheme or path proves nothing about where it points.
 */
function comparesValue(model: SemanticModel, node: SyntaxNode, name: string): boolean {
  const target = unwrapParens(node);
  if (target.type === 'identifier') return model.textOf(target) === name;
  if (!involves(model, target, name)) return false;
  if (/\b(?:netloc|hostname|host)\b/.test(model.textOf(target))) return true;
  if (target.type !== 'call') return false;
  const callee = target.childForFieldName('function');
  const object = callee?.type === 'attribute' ? callee.childForFieldName('object') : null;
  return object !== null && comparesValue(model, object, name);
}

/** The operator tokens of a comparison (`in`, `not in`, `==`, ...). */
function comparisonOperators(model: SemanticModel, node: SyntaxNode): string[] {
  const operators: string[] = [];
  for (const child of node.children) {
    if (!child.isNamed) operators.push(model.textOf(child).replace(/\s+/g, ' '));
  }
  return operators;
}

/**
 * Whether a condition, when true (`positive`) or when false, proves the named value is one the
 * program accepts.
 */
function proves(
  model: SemanticModel,
  condition: SyntaxNode,
  name: string,
  positive: boolean,
): boolean {
  const node = unwrapParens(condition);
  switch (node.type) {
    case 'not_operator': {
      const inner = node.childForFieldName('argument');
      return inner !== null && proves(model, inner, name, !positive);
    }
    case 'boolean_operator': {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      const operator = node.childForFieldName('operator');
      if (left === null || right === null || operator === null) return false;
      const isAnd = model.textOf(operator) === 'and';
      // A true `and` proves each side; a false `or` disproves each side.
      if (isAnd === positive) {
        return proves(model, left, name, positive) || proves(model, right, name, positive);
      }
      return proves(model, left, name, positive) && proves(model, right, name, positive);
    }
    case 'comparison_operator': {
      const operands = node.namedChildren;
      const operators = comparisonOperators(model, node);
      if (operands.length !== 2 || operators.length !== 1) return false;
      const [left, right] = operands;
      if (left === undefined || right === undefined) return false;
      const operator = operators[0];
      const accepting = positive ? ['in', '=='] : ['not in', '!='];
      if (operator === undefined || !accepting.includes(operator)) return false;
      const leftHas = comparesValue(model, left, name);
      const rightHas = involves(model, right, name);
      if (operator.endsWith('in')) return leftHas && !rightHas;
      return leftHas
        ? !rightHas
        : comparesValue(model, right, name) && !involves(model, left, name);
    }
    case 'call': {
      if (!positive) return false;
      const info = model.call(node);
      const method = info.methodName;
      const callee = info.callee;
      if (
        method !== undefined &&
        CHARACTER_CLASS_PREDICATES.has(method) &&
        callee.type === 'attribute'
      ) {
        const object = callee.childForFieldName('object');
        return object !== null && involves(model, object, name);
      }
      if (method !== undefined && VALIDATORS.has(method)) {
        return info.positional.some((arg) => involves(model, arg, name));
      }
      return false;
    }
    default:
      return false;
  }
}

/** Whether a block always leaves (return, raise, continue, break or an abort call) at its end. */
function exits(model: SemanticModel, block: SyntaxNode): boolean {
  const last = block.namedChildren.filter((child) => child.type !== 'comment').at(-1);
  if (last === undefined) return false;
  switch (last.type) {
    case 'return_statement':
    case 'raise_statement':
    case 'continue_statement':
    case 'break_statement':
      return true;
    case 'expression_statement': {
      const call = last.namedChildren[0];
      if (call?.type !== 'call') return false;
      const name =
        model.call(call).qualifiedName ?? model.textOf(call.childForFieldName('function') ?? call);
      return EXIT_CALLS.test(name) || /(?:^|\.)abort$/.test(name);
    }
    default:
      return false;
  }
}

/** Whether an `if` statement is a guard `if not check(name): leave`. */
function isEarlyExitGuard(model: SemanticModel, statement: SyntaxNode, name: string): boolean {
  if (statement.type !== 'if_statement') return false;
  if (statement.childrenForFieldName('alternative').length > 0) return false;
  const condition = statement.childForFieldName('condition');
  const consequence = statement.childForFieldName('consequence');
  if (condition === null || consequence === null) return false;
  return exits(model, consequence) && proves(model, condition, name, false);
}

/**
 * Whether the use of a name sits where a check has already accepted its value: inside
 * `if x in ALLOWED:` (or its `elif`), or after `if x not in ALLOWED: return` in an enclosing block.
 * `levels` are the statements around the use, outermost first (see `statements.ts`).
 */
export function isGuarded(
  model: SemanticModel,
  levels: readonly StatementLevel[],
  name: string,
  exitGuardsOf: (block: SyntaxNode) => readonly SyntaxNode[] = (block) =>
    earlyExitCandidates(model, block),
): boolean {
  for (const level of levels) {
    const condition = level.consequenceOf?.childForFieldName('condition');
    if (condition !== undefined && condition !== null && proves(model, condition, name, true)) {
      return true;
    }
    const before = startOf(level.statement);
    for (const statement of exitGuardsOf(level.block)) {
      if (startOf(statement) >= before) break;
      if (isEarlyExitGuard(model, statement, name)) return true;
    }
  }
  return false;
}

/**
 * The `if` statements of a block that could be early-exit guards (no `else`, a body that leaves),
 * in document order: what {@link isGuarded} looks through before a use. Callers may cache it.
 */
export function earlyExitCandidates(
  model: SemanticModel,
  block: SyntaxNode,
  childrenOf: ChildrenOf = (node) => node.namedChildren,
): SyntaxNode[] {
  return childrenOf(block).filter((statement) => {
    if (statement.type !== 'if_statement') return false;
    if (statement.childrenForFieldName('alternative').length > 0) return false;
    const consequence = statement.childForFieldName('consequence');
    return consequence !== null && exits(model, consequence);
  });
}

/** What the guard search reads of each block, kept per file (model). */
interface BlockReads {
  children: Map<string, readonly SyntaxNode[]>;
  exitGuards: Map<string, readonly SyntaxNode[]>;
}

const blockReadsOf = new WeakMap<SemanticModel, BlockReads>();

function blockReads(model: SemanticModel): BlockReads {
  let reads = blockReadsOf.get(model);
  if (reads === undefined) {
    reads = { children: new Map(), exitGuards: new Map() };
    blockReadsOf.set(model, reads);
  }
  return reads;
}

/** A key for a node that stays the same across the binding's node objects. */
const blockKey = (node: SyntaxNode): string => `${String(startOf(node))}:${node.type}`;

/**
 * The named children of a block, read once per file: every sink in a long block would otherwise
 * read the whole block again, which makes a file of many sinks quadratic.
 */
export function cachedChildren(model: SemanticModel): ChildrenOf {
  const { children } = blockReads(model);
  return (block) => {
    const key = blockKey(block);
    let found = children.get(key);
    if (found === undefined) {
      found = block.namedChildren;
      children.set(key, found);
    }
    return found;
  };
}

/** {@link earlyExitCandidates}, read once per block and file. */
export function cachedExitGuards(
  model: SemanticModel,
): (block: SyntaxNode) => readonly SyntaxNode[] {
  const { exitGuards } = blockReads(model);
  const childrenOf = cachedChildren(model);
  return (block) => {
    const key = blockKey(block);
    let found = exitGuards.get(key);
    if (found === undefined) {
      found = earlyExitCandidates(model, block, childrenOf);
      exitGuards.set(key, found);
    }
    return found;
  };
}

/** {@link isGuarded} for a use inside a function (or module) node. */
export function isGuardedAt(
  model: SemanticModel,
  scopeNode: SyntaxNode,
  use: SyntaxNode,
  name: string,
): boolean {
  const levels = statementsAround(scopeNode, startOf(use), cachedChildren(model));
  return isGuarded(model, levels, name, cachedExitGuards(model));
}
