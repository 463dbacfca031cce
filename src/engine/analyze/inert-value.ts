/**
 * Values that cannot carry attacker-chosen text into a query or a command line: literals,
 * numbers produced by `int()`/`float()`/`len()`, repeated literals (`" " * n`), picks from a
 * constant table (`TABLES[kind]` or `TABLES.get(kind)` where `TABLES = {"a": "users", ...}`),
 * conditionals between such values, names every binding of which is such a value (`if a: c = "x"
 * else: c = ""`), loop variables over a constant tuple (`for op in ("ASC", "DESC")`) and `getopt`
 * option names (`opt` of `for opt, value in opts`).
 */
import { isGetoptOptionName } from '../taint/sources.js';
import { unwrapParens, type SemanticModel } from '../model.js';
import type { SyntaxNode } from '../parse.js';

const NUMERIC_BUILTINS = new Set(['int', 'float', 'len', 'bool', 'abs', 'round', 'ord']);
const MAX_DEPTH = 6;

export function isInertValue(model: SemanticModel, node: SyntaxNode, depth = 0): boolean {
  if (depth > MAX_DEPTH) return false;
  if (model.literalValue(node) !== undefined) return true;
  const value = model.resolveValue(node);
  switch (value.type) {
    case 'call': {
      const callee = value.childForFieldName('function');
      if (callee === null) return false;
      // `TABLES.get(kind)` on a constant table.
      const table = callee.type === 'attribute' ? callee.childForFieldName('object') : null;
      const method = callee.type === 'attribute' ? callee.childForFieldName('attribute') : null;
      if (table !== null && method !== null && model.textOf(method) === 'get') {
        return isConstantTable(model, table);
      }
      const name = model.qualifiedName(callee);
      return name !== undefined && NUMERIC_BUILTINS.has(name.replace(/^builtins\./, ''));
    }
    case 'conditional_expression': {
      // `a if cond else b`: the first and last named children are the two outcomes.
      const outcomes = [value.namedChildren[0], value.namedChildren[2]];
      return outcomes.every(
        (outcome) => outcome !== undefined && isInertValue(model, outcome, depth + 1),
      );
    }
    case 'binary_operator': {
      // `" " * indent`: copies of a literal.
      const operator = value.childForFieldName('operator');
      if (operator === null || model.textOf(operator) !== '*') return false;
      return [value.childForFieldName('left'), value.childForFieldName('right')].some(
        (side) => side !== null && model.staticString(side) !== undefined,
      );
    }
    case 'identifier':
      return everyBindingInert(model, value, depth);
    case 'subscript': {
      const table = value.childForFieldName('value');
      return table !== null && isConstantTable(model, table);
    }
    default:
      return false;
  }
}

/** A name bound more than once, each time to an inert value or as a loop over a constant table. */
function everyBindingInert(model: SemanticModel, node: SyntaxNode, depth: number): boolean {
  const found = model.lookup(model.textOf(node), model.scopeAt(node));
  if (found === undefined || found.bindings.length === 0) return false;
  return found.bindings.every((binding) => {
    if (binding.kind === 'assign') {
      return binding.value !== undefined && isInertValue(model, binding.value, depth + 1);
    }
    let loop = binding.node.parent;
    // `for opt, value in opts`: the name sits in a tuple pattern.
    if (loop?.type === 'pattern_list' || loop?.type === 'tuple_pattern') loop = loop.parent;
    if (
      binding.kind !== 'other' ||
      (loop?.type !== 'for_statement' && loop?.type !== 'for_in_clause')
    ) {
      return false;
    }
    const target = loop.childForFieldName('left');
    const iterable = loop.childForFieldName('right');
    if (iterable !== null && isGetoptOptionName(model, binding.node, iterable)) return true;
    return (
      target?.type === 'identifier' &&
      target.startIndex === binding.node.startIndex &&
      iterable !== null &&
      isConstantTable(model, iterable)
    );
  });
}

/** A dict, list or tuple literal whose values are all literals (followed through one assignment). */
function isConstantTable(model: SemanticModel, node: SyntaxNode): boolean {
  const table = unwrapParens(model.resolveValue(node));
  if (table.type === 'dictionary') {
    return (
      table.namedChildCount > 0 &&
      table.namedChildren.every((pair) => {
        if (pair.type === 'comment') return true;
        const value = pair.type === 'pair' ? pair.childForFieldName('value') : null;
        return value !== null && model.literalValue(value) !== undefined;
      })
    );
  }
  if (table.type === 'list' || table.type === 'tuple') {
    return (
      table.namedChildCount > 0 &&
      table.namedChildren.every(
        (item) => item.type === 'comment' || model.literalValue(item) !== undefined,
      )
    );
  }
  return false;
}
