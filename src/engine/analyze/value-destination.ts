/**
 * Where the value of an expression goes: follows it outwards through the expressions that carry
 * it along (method chains, arguments, f-strings, `str.join`, comprehensions, arithmetic) to the
 * statement or argument that receives it.
 */
import type { SemanticModel } from '../model.js';
import type { SyntaxNode } from '../parse.js';

export interface ValueDestination {
  /**
   * `assignment`: stored in names (`x = …`, `self.x = …`, `d['x'] = …`, `x += …`, `x := …`);
   * `keyword`: passed as `name=…`; `pair`: a dict value under a string key; `append`: added to a
   * collection with `.append()`/`.extend()`/`.insert()`/`.add()`; `return`: returned or yielded;
   * `none`: an expression statement or anything else. A lambda body counts as the lambda itself.
   */
  kind: 'assignment' | 'keyword' | 'pair' | 'append' | 'return' | 'none';
  /** The names it is stored under (identifier, attribute name, literal subscript key or dict key). */
  names: string[];
  /**
   * Callees (qualified name, else the method or function name) the value was passed into, as a
   * positional argument on the way or as the keyword argument it ends in; innermost first.
   */
  through: string[];
  /** Name of the innermost enclosing function, if any. */
  functionName: string | undefined;
}

/** Node types that hand their value on unchanged or transformed but still derived from it. */
const CARRIERS = new Set([
  'parenthesized_expression',
  'binary_operator',
  'unary_operator',
  'boolean_operator',
  'conditional_expression',
  'interpolation',
  'format_expression',
  'string',
  'concatenated_string',
  'list',
  'tuple',
  'set',
  'expression_list',
  'list_comprehension',
  'set_comprehension',
  'generator_expression',
  'dictionary_comprehension',
  'subscript',
  'slice',
  'await',
  'attribute',
  'argument_list',
  'list_splat',
  'lambda',
]);

/** Keywords that give a model or dataclass field its value. */
const FIELD_DEFAULTS = new Set(['default', 'default_factory']);

const COLLECTION_ADDERS = new Set(['append', 'extend', 'insert', 'add', 'appendleft']);

export function valueDestination(model: SemanticModel, start: SyntaxNode): ValueDestination {
  const through: string[] = [];
  const result = (kind: ValueDestination['kind'], names: string[] = []): ValueDestination => ({
    kind,
    names,
    through,
    functionName: enclosingFunctionName(model, start),
  });
  let node = start;
  for (let parent = node.parent; parent !== null; node = parent, parent = parent.parent) {
    if (CARRIERS.has(parent.type)) continue;
    switch (parent.type) {
      case 'call': {
        const callee = parent.childForFieldName('function');
        if (callee !== null && within(node, callee)) continue; // x(...).method(...)
        const info = model.call(parent);
        if (
          callee?.type === 'attribute' &&
          info.methodName !== undefined &&
          COLLECTION_ADDERS.has(info.methodName)
        ) {
          const object = callee.childForFieldName('object');
          return result('append', object === null ? [] : storedNames(model, object));
        }
        through.push(info.qualifiedName ?? info.methodName ?? '');
        continue;
      }
      case 'assignment':
      case 'augmented_assignment': {
        const left = parent.childForFieldName('left');
        if (left === null || within(node, left)) return result('none');
        return result('assignment', storedNames(model, left));
      }
      case 'named_expression': {
        const name = parent.childForFieldName('name');
        return result('assignment', name === null ? [] : [model.textOf(name)]);
      }
      case 'keyword_argument': {
        const name = parent.childForFieldName('name');
        const keyword = name === null ? '' : model.textOf(name);
        const owner = parent.parent?.parent;
        if (owner?.type === 'call') {
          const info = model.call(owner);
          through.push(info.qualifiedName ?? info.methodName ?? '');
          // A field's default is the field's value: `token = CharField(default=lambda: ...)`.
          if (FIELD_DEFAULTS.has(keyword)) {
            parent = owner;
            continue;
          }
        }
        return result('keyword', [keyword]);
      }
      case 'pair': {
        const key = parent.childForFieldName('key');
        if (key === null || within(node, key)) return result('none');
        const value = model.staticString(key);
        return result('pair', value === undefined ? [] : [value]);
      }
      case 'return_statement':
      case 'yield':
        return result('return');
      default:
        return result('none');
    }
  }
  return result('none');
}

/** Names an assignment target stores under: `x`, `self.x` → `x`, `d['x']` → `x` and `d`. */
export function storedNames(model: SemanticModel, target: SyntaxNode): string[] {
  switch (target.type) {
    case 'identifier':
      return [model.textOf(target)];
    case 'attribute': {
      const attribute = target.childForFieldName('attribute');
      return attribute === null ? [] : [model.textOf(attribute)];
    }
    case 'subscript': {
      const names: string[] = [];
      for (const index of target.childrenForFieldName('subscript')) {
        const key = model.staticString(index);
        if (key !== undefined) names.push(key);
      }
      const value = target.childForFieldName('value');
      if (value !== null) names.push(...storedNames(model, value));
      return names;
    }
    default:
      return target.namedChildren.flatMap((child) => storedNames(model, child));
  }
}

/** The name of the innermost function definition around a node. */
export function enclosingFunctionName(model: SemanticModel, node: SyntaxNode): string | undefined {
  for (let parent = node.parent; parent !== null; parent = parent.parent) {
    if (parent.type === 'function_definition') {
      const name = parent.childForFieldName('name');
      return name === null ? undefined : model.textOf(name);
    }
  }
  return undefined;
}

function within(node: SyntaxNode, container: SyntaxNode): boolean {
  return node.startIndex >= container.startIndex && node.endIndex <= container.endIndex;
}
