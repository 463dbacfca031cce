/**
 * Where a name gets its value inside one scope, and which of those definitions can reach a use:
 * a definition that surely ran last on the way to the use (same block or an enclosing one) hides
 * the earlier ones; definitions in branches between it and the use may also reach it, and so may
 * definitions later in an enclosing loop.
 */
import { dottedCalleeAt, type Scope, type SemanticModel } from '../model.js';
import { startOf } from '../node-offsets.js';
import type { SyntaxNode } from '../parse.js';
import type { StatementLevel } from './statements.js';

export type DefinitionKind =
  /** `x = value`, `x := value`: replaces what x held. */
  | 'assign'
  /** `x += value`, `x.append(value)`, `x[k] = value`: adds to what x held. */
  | 'update'
  /** `for x in value`: x is an element of value. */
  | 'element'
  /** `with value as x`. */
  | 'context'
  /** A parameter of the scope's function. */
  | 'parameter';

export interface Definition {
  kind: DefinitionKind;
  name: string;
  /** The node that names the target (for the trace). */
  target: SyntaxNode;
  /** Where the value comes from (absent for parameters). */
  value: SyntaxNode | undefined;
  /** Offset from which the definition is in effect. */
  from: number;
  /** Offsets of the region in which the definition surely replaced earlier ones. */
  regionStart: number;
  regionEnd: number;
}

/** `a.b` or `a.b.c`: attribute paths tracked like variables. */
export const DOTTED_PATH = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$/;

/** Methods that put their argument into the receiving container. */
const CONTAINER_UPDATES = new Set([
  'append',
  'extend',
  'insert',
  'add',
  'update',
  'setdefault',
  'appendleft',
  'extendleft',
]);

/** Element expressions of a tuple or list display, or undefined for other expressions. */
function elementsOf(node: SyntaxNode): SyntaxNode[] | undefined {
  if (
    !['tuple', 'list', 'expression_list', 'pattern_list', 'tuple_pattern', 'list_pattern'].includes(
      node.type,
    )
  ) {
    return undefined;
  }
  return node.namedChildren.filter((child) => child.type !== 'comment');
}

/** The statement a node is part of, and the block holding that statement. */
function statementBlock(node: SyntaxNode): SyntaxNode {
  let current = node;
  for (let parent = node.parent; parent !== null; parent = parent.parent) {
    if (parent.type === 'block' || parent.type === 'module') return parent;
    current = parent;
  }
  return current;
}

/** The base name a subscript or attribute target writes into: `x` of `x[k].y`. */
function baseName(node: SyntaxNode): SyntaxNode | undefined {
  let current = node;
  while (current.type === 'subscript' || current.type === 'attribute') {
    const inner = current.childForFieldName(current.type === 'subscript' ? 'value' : 'object');
    if (inner === null) return undefined;
    current = inner;
  }
  return current.type === 'identifier' ? current : undefined;
}

export class DefinitionIndex {
  private readonly byName = new Map<string, Definition[]>();

  constructor(
    private readonly model: SemanticModel,
    readonly scope: Scope,
  ) {
    this.collect();
  }

  definitionsOf(name: string): readonly Definition[] {
    return this.byName.get(name) ?? [];
  }

  private add(definition: Definition): void {
    const list = this.byName.get(definition.name);
    if (list === undefined) this.byName.set(definition.name, [definition]);
    else list.push(definition);
  }

  private define(
    kind: DefinitionKind,
    target: SyntaxNode,
    value: SyntaxNode | undefined,
    from: number,
    region: { start: number; end: number },
  ): void {
    this.add({
      kind,
      name: this.model.textOf(target),
      target,
      value,
      from,
      regionStart: region.start,
      regionEnd: region.end,
    });
  }

  private collect(): void {
    const { scope } = this;
    const node = scope.node;
    if (scope.kind === 'function' || scope.kind === 'lambda') {
      const parameters = node.childForFieldName('parameters');
      const body = node.childForFieldName('body') ?? node;
      const region = { start: startOf(node), end: node.endIndex };
      for (const parameter of parameters?.namedChildren ?? []) {
        const id =
          parameter.type === 'identifier'
            ? parameter
            : (parameter.childForFieldName('name') ??
              parameter.namedChildren.find((child) => child.type === 'identifier') ??
              parameter.namedChildren[0]?.namedChildren.find(
                (child) => child.type === 'identifier',
              ));
        if (id?.type !== 'identifier') continue;
        this.define('parameter', id, undefined, startOf(body), region);
      }
    }
    for (const candidate of scope.definingNodes) this.collectFrom(candidate);
    this.collectContainerUpdates();
    for (const list of this.byName.values()) list.sort((a, b) => a.from - b.from);
  }

  private regionOf(node: SyntaxNode): { start: number; end: number } {
    const block = statementBlock(node);
    return { start: startOf(block), end: block.endIndex };
  }

  private collectFrom(node: SyntaxNode): void {
    switch (node.type) {
      case 'assignment': {
        const left = node.childForFieldName('left');
        let right = node.childForFieldName('right');
        while (right?.type === 'assignment') right = right.childForFieldName('right');
        if (left === null || right === null) return;
        this.assignTarget(left, right, node.endIndex, this.regionOf(node), 'assign');
        return;
      }
      case 'augmented_assignment': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (left === null || right === null) return;
        const target = left.type === 'identifier' ? left : baseName(left);
        if (target !== undefined) {
          this.define('update', target, right, node.endIndex, this.regionOf(node));
        }
        return;
      }
      case 'for_statement':
      case 'for_in_clause': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (left === null || right === null) return;
        const body = node.childForFieldName('body');
        const region =
          body === null
            ? { start: startOf(node), end: node.endIndex }
            : { start: startOf(body), end: body.endIndex };
        const from = body === null ? right.endIndex : startOf(body);
        for (const id of identifiersOf(left)) this.define('element', id, right, from, region);
        return;
      }
      case 'as_pattern': {
        if (node.parent?.type !== 'with_item') return;
        const value = node.namedChildren[0];
        const alias = node.childForFieldName('alias');
        if (value === undefined || alias === null) return;
        for (const id of identifiersOf(alias)) {
          this.define('context', id, value, node.endIndex, this.regionOf(node));
        }
        return;
      }
      case 'named_expression': {
        const name = node.childForFieldName('name');
        const value = node.childForFieldName('value');
        if (name !== null && value !== null) {
          this.define('assign', name, value, node.endIndex, this.regionOf(node));
        }
        return;
      }
    }
  }

  /** Calls in the scope whose callee text ends in a container update (`x.append(`). */
  private collectContainerUpdates(): void {
    const { model, scope } = this;
    const calls = model.allCalls();
    let low = 0;
    let high = calls.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      const call = calls[mid];
      if (call !== undefined && startOf(call) <= scope.start) low = mid + 1;
      else high = mid;
    }
    for (let i = low; i < calls.length; i++) {
      const call = calls[i];
      if (call === undefined) break;
      const start = startOf(call);
      if (start >= scope.end) break;
      const callee = dottedCalleeAt(model.text, start);
      if (callee === undefined) continue;
      const method = callee.slice(callee.lastIndexOf('.') + 1);
      if (!CONTAINER_UPDATES.has(method) || model.scopeAtOffset(start) !== scope) continue;
      this.collectContainerUpdate(call);
    }
  }

  /** `items.append(value)` and friends make `items` carry `value`. */
  private collectContainerUpdate(node: SyntaxNode): void {
    const callee = node.childForFieldName('function');
    if (callee?.type !== 'attribute') return;
    const method = callee.childForFieldName('attribute');
    if (method === null || !CONTAINER_UPDATES.has(this.model.textOf(method))) return;
    const object = callee.childForFieldName('object');
    const target = object === null ? undefined : baseName(object);
    const args = node.childForFieldName('arguments');
    if (target === undefined || args === null) return;
    this.define('update', target, args, node.endIndex, this.regionOf(node));
  }

  private assignTarget(
    left: SyntaxNode,
    right: SyntaxNode,
    from: number,
    region: { start: number; end: number },
    kind: DefinitionKind,
  ): void {
    switch (left.type) {
      case 'identifier':
        this.define(kind, left, right, from, region);
        return;
      case 'attribute': {
        // `self.name = value` defines the attribute path itself, not all of `self`.
        const path = this.model.textOf(left).replace(/\s+/g, '');
        if (DOTTED_PATH.test(path)) {
          this.add({
            kind,
            name: path,
            target: left,
            value: right,
            from,
            regionStart: region.start,
            regionEnd: region.end,
          });
        }
        return;
      }
      case 'subscript': {
        const base = baseName(left);
        if (base !== undefined) this.define('update', base, right, from, region);
        return;
      }
      case 'list_splat_pattern': {
        for (const id of identifiersOf(left)) this.define(kind, id, right, from, region);
        return;
      }
      default: {
        const targets = elementsOf(left);
        if (targets === undefined) {
          for (const id of identifiersOf(left)) this.define(kind, id, right, from, region);
          return;
        }
        const values = elementsOf(right);
        const paired = values !== undefined && values.length === targets.length;
        targets.forEach((target, index) => {
          const value = paired ? (values[index] ?? right) : right;
          this.assignTarget(target, value, from, region, kind);
        });
      }
    }
  }
}

/** Identifiers bound by a target expression (tuple patterns included). */
function identifiersOf(target: SyntaxNode): SyntaxNode[] {
  if (target.type === 'identifier') return [target];
  if (target.type === 'subscript' || target.type === 'attribute') return [];
  return target.namedChildren.flatMap(identifiersOf);
}

/** Loops (`for`, `while`) among the statements around a use. */
function enclosingLoops(levels: readonly StatementLevel[]): SyntaxNode[] {
  return levels
    .map((level) => level.statement)
    .filter(
      (statement) => statement.type === 'for_statement' || statement.type === 'while_statement',
    );
}

/**
 * The definitions of a name that can reach a use of it at an offset. `flowSensitive` is false when
 * the use is in another scope than the definitions (a closure, or a function reading a module
 * global), or in a scope whose order of evaluation differs from the text (comprehensions): then
 * all reach. `levels` are the statements around the use, from `statementsAround`.
 */
export function reachingDefinitions(
  index: DefinitionIndex,
  name: string,
  offset: number,
  flowSensitive: boolean,
  levels: readonly StatementLevel[],
): Definition[] {
  const all = index.definitionsOf(name);
  if (!flowSensitive || all.length <= 1) {
    if (!flowSensitive) return [...all];
    const only = all[0];
    if (only === undefined) return [];
    const at = startOf(only.target);
    const inLoop = enclosingLoops(levels).some((loop) => startOf(loop) <= at && at < loop.endIndex);
    return only.from <= offset || inLoop ? [only] : [];
  }
  let killer = -1;
  for (let i = all.length - 1; i >= 0; i--) {
    const definition = all[i];
    if (definition === undefined || definition.from > offset) continue;
    if (definition.kind === 'update') continue;
    if (definition.regionStart <= offset && offset < definition.regionEnd) {
      killer = i;
      break;
    }
  }
  const reaching: Definition[] = [];
  all.forEach((definition, i) => {
    if (i >= killer && definition.from <= offset) reaching.push(definition);
  });
  for (const loop of enclosingLoops(levels)) {
    const loopStart = startOf(loop);
    for (const definition of all) {
      const at = startOf(definition.target);
      if (definition.from > offset && at >= loopStart && at < loop.endIndex) {
        if (!reaching.includes(definition)) reaching.push(definition);
      }
    }
  }
  return reaching;
}
