/**
 * Intra-procedural taint over the semantic model, with one level of summaries for functions of
 * the same file. Rules ask one question, lazily, at their sinks: can this expression carry
 * untrusted data, and along which path? Nothing is computed for files without such questions.
 *
 * The analysis is a may-analysis: a value is tainted when any definition that can reach it is.
 * Definitions are found per scope (assignments, unpacking, augmented assignments, container
 * updates, loops, `with ... as`, walrus), and reaching definitions follow block structure rather
 * than a full control-flow graph (see `definitions.ts`).
 */
import type { Scope, SemanticModel } from '../model.js';
import { dottedCalleeAt, unwrapParens } from '../model.js';
import { startOf } from '../node-offsets.js';
import type { SyntaxNode } from '../parse.js';
import type { FlowStep } from '../types.js';
import {
  DOTTED_PATH,
  DefinitionIndex,
  reachingDefinitions,
  type Definition,
} from './definitions.js';
import { cachedChildren, cachedExitGuards, isGuarded } from './guards.js';
import {
  ESCAPE_METHODS,
  LINE_BREAK,
  isCleanMethod,
  isCombiningMethod,
  modelOfFunction,
} from './models.js';
import {
  attributeTrust,
  callTrust,
  classOf,
  identifierTrust,
  isGetoptOptionName,
  mayHoldSources,
  parameterTrust,
  parametersOf,
} from './sources.js';
import { statementsAround, type StatementLevel } from './statements.js';
import type { Hop, SinkKind, Taint, TaintTrace, Trust } from './types.js';
import { ownEntry } from '../own-entry.js';

/**
 * `top`: the expression a rule asked about; parameters of ordinary functions are followed to the
 * function's call sites in the file. `caller`: an argument at such a call site (not followed
 * further). `summary`: inside a function being summarised, whose parameters are symbolic.
 */
type Mode = 'top' | 'caller' | 'summary';

const NO_SINKS: ReadonlySet<SinkKind> = new Set();
/** Different ways one value may be tainted that are worth keeping apart. */
const MAX_TAINTS = 4;
/** Evaluation steps one question may take; beyond it the answer is "not shown to be tainted". */
const STEP_BUDGET = 4000;
/** Evaluation steps all questions about one file may take together; later ones get no answer. */
const FILE_BUDGET = 60_000;
/**
 * How deep one evaluation may nest (a value built through this many steps is not shown to be
 * tainted): keeps long chains such as thousands of `x = x + ...` within the call stack.
 */
const MAX_DEPTH = 250;
const MAX_LABEL = 60;

function shortLabel(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_LABEL ? `${flat.slice(0, MAX_LABEL - 1)}…` : flat;
}

function trustRank(taint: Taint): number {
  if (taint.origin.kind === 'parameter') return 0;
  return taint.origin.trust === 'web' ? 2 : 1;
}

function better(a: Taint, b: Taint): number {
  return trustRank(b) - trustRank(a) || a.hops.length - b.hops.length;
}

function union(...lists: readonly Taint[][]): Taint[] {
  const all = lists.flat();
  if (all.length <= 1) return all;
  const seen = new Set<string>();
  const unique: Taint[] = [];
  for (const taint of all.sort(better)) {
    const origin =
      taint.origin.kind === 'source'
        ? `s${startOf(taint.origin.node)}`
        : `p${String(taint.origin.index)}`;
    const key = `${origin}|${[...taint.cleared].sort().join(',')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(taint);
    if (unique.length === MAX_TAINTS) break;
  }
  return unique;
}

function withHop(taints: readonly Taint[], hop: Hop): Taint[] {
  return taints.map((taint) => ({ ...taint, hops: [...taint.hops, hop] }));
}

function clearing(taints: readonly Taint[], sinks: readonly SinkKind[]): Taint[] {
  return taints.map((taint) => ({ ...taint, cleared: new Set([...taint.cleared, ...sinks]) }));
}

export class TaintAnalysis {
  private readonly indexes = new Map<Scope, DefinitionIndex>();
  private readonly memo = new Map<string, Taint[]>();
  private readonly active = new Set<string>();
  private readonly summaries = new Map<number, Taint[]>();
  private callIndex: Map<string, SyntaxNode[]> | undefined;
  private summarising: SyntaxNode | undefined;
  private budget = 0;
  private depth = 0;
  private fileBudget = FILE_BUDGET;

  constructor(private readonly model: SemanticModel) {}

  /**
   * The most telling path by which untrusted data reaches `node`, not made safe for `sink` on
   * the way; undefined when no such path is found.
   */
  trace(node: SyntaxNode, sink: SinkKind): TaintTrace | undefined {
    if (!mayHoldSources(this.model) || this.fileBudget <= 0) return undefined;
    this.budget = Math.min(STEP_BUDGET, this.fileBudget);
    const before = this.budget;
    const taints = this.evaluate(node, 'top');
    this.fileBudget -= before - Math.max(this.budget, 0);
    const best = taints
      .filter((taint) => taint.origin.kind === 'source' && !taint.cleared.has(sink))
      .sort(better)[0];
    if (best?.origin.kind !== 'source') return undefined;
    const origin = best.origin;
    const steps: FlowStep[] = [stepOf(origin.node, origin.label)];
    for (const hop of best.hops) {
      const step = stepOf(hop.node, hop.label);
      const last = steps.at(-1);
      if (last?.label === step.label && last.line === step.line) continue;
      steps.push(step);
    }
    return {
      trust: origin.trust,
      source: origin.label,
      sourceLine: origin.node.startPosition.row + 1,
      steps,
    };
  }

  private evaluate(node: SyntaxNode, mode: Mode): Taint[] {
    if (this.budget-- <= 0 || this.depth >= MAX_DEPTH) return [];
    const key = `${mode}:${String(startOf(node))}:${String(node.endIndex)}:${node.type}`;
    const cached = this.memo.get(key);
    if (cached !== undefined) return cached;
    if (this.active.has(key)) return [];
    this.active.add(key);
    this.depth++;
    let result: Taint[];
    try {
      result = this.compute(node, mode);
    } finally {
      this.depth--;
      this.active.delete(key);
    }
    this.memo.set(key, result);
    return result;
  }

  private all(nodes: readonly SyntaxNode[], mode: Mode): Taint[] {
    return union(...nodes.map((child) => this.evaluate(child, mode)));
  }

  private compute(node: SyntaxNode, mode: Mode): Taint[] {
    switch (node.type) {
      case 'identifier':
        return this.name(node, mode);
      case 'attribute':
        return this.attribute(node, mode);
      case 'subscript': {
        const value = node.childForFieldName('value');
        return value === null ? [] : this.widen(this.evaluate(value, mode), node);
      }
      case 'call':
        return this.call(node, mode);
      case 'string':
        return this.all(
          node.namedChildren
            .filter((child) => child.type === 'interpolation')
            .map((child) => child.namedChildren[0])
            .filter((child): child is SyntaxNode => child !== undefined),
          mode,
        );
      case 'binary_operator':
        return this.all(this.combinedOperands(node), mode);
      case 'keyword_argument': {
        const value = node.childForFieldName('value');
        return value === null ? [] : this.evaluate(value, mode);
      }
      case 'conditional_expression': {
        const [whenTrue, , whenFalse] = node.namedChildren;
        return this.all(
          [whenTrue, whenFalse].filter((n): n is SyntaxNode => n !== undefined),
          mode,
        );
      }
      case 'named_expression': {
        const value = node.childForFieldName('value');
        return value === null ? [] : this.evaluate(value, mode);
      }
      case 'list_comprehension':
      case 'set_comprehension':
      case 'generator_expression':
      case 'dictionary_comprehension': {
        const body = node.childForFieldName('body');
        return body === null ? [] : this.evaluate(body, mode);
      }
      case 'parenthesized_expression':
      case 'await':
      case 'concatenated_string':
      case 'boolean_operator':
      case 'list':
      case 'tuple':
      case 'set':
      case 'expression_list':
      case 'argument_list':
      case 'dictionary':
      case 'pair':
      case 'list_splat':
      case 'dictionary_splat':
      case 'parenthesized_list_splat':
        return this.all(
          node.namedChildren.filter((child) => child.type !== 'comment'),
          mode,
        );
      default:
        return [];
    }
  }

  /**
   * The operands a chain of combining operators joins (`a + b + c` → a, b, c), read without
   * recursion so a long concatenation costs no stack. `+` and `%` build strings, `|` merges dicts,
   * `/` joins pathlib paths; other operators make numbers and carry nothing.
   */
  private combinedOperands(node: SyntaxNode): SyntaxNode[] {
    const operands: SyntaxNode[] = [];
    let current: SyntaxNode | null = node;
    while (current?.type === 'binary_operator') {
      const operator = current.childForFieldName('operator');
      const text = operator === null ? '' : this.model.textOf(operator);
      if (text !== '+' && text !== '%' && text !== '|' && text !== '/') break;
      const right = current.childForFieldName('right');
      if (right !== null) operands.push(right);
      current = current.childForFieldName('left');
    }
    if (current !== null && current !== node) operands.push(current);
    return operands.reverse();
  }

  private source(node: SyntaxNode, trust: Trust): Taint[] {
    return [
      {
        origin: { kind: 'source', trust, label: shortLabel(this.model.textOf(node)), node },
        hops: [],
        cleared: NO_SINKS,
      },
    ];
  }

  /** Shows a direct read of a source by its whole expression: `request.args["q"]`, not `request.args`. */
  private widen(taints: readonly Taint[], node: SyntaxNode): Taint[] {
    const text = this.model.textOf(node);
    if (text.length > MAX_LABEL || text.includes('\n')) return [...taints];
    const start = startOf(node);
    return taints.map((taint) =>
      taint.origin.kind === 'source' &&
      taint.hops.length === 0 &&
      startOf(taint.origin.node) >= start &&
      taint.origin.node.endIndex <= node.endIndex
        ? { ...taint, origin: { ...taint.origin, label: shortLabel(text), node } }
        : taint,
    );
  }

  private attribute(node: SyntaxNode, mode: Mode): Taint[] {
    const trust = attributeTrust(this.model, node);
    if (trust !== undefined) return this.source(node, trust);
    const assigned = this.assignedAttribute(node, mode);
    if (assigned !== undefined) return assigned;
    const object = node.childForFieldName('object');
    return object === null ? [] : this.widen(this.evaluate(object, mode), node);
  }

  /**
   * An attribute path assigned in the same scope (`self.query = ...; run(self.query)`) takes the
   * assigned values; undefined when the path is never assigned there.
   */
  private assignedAttribute(node: SyntaxNode, mode: Mode): Taint[] | undefined {
    const { model } = this;
    const path = model.textOf(node).replace(/\s+/g, '');
    if (!DOTTED_PATH.test(path)) return undefined;
    const head = path.slice(0, path.indexOf('.'));
    const useScope = model.scopeAtOffset(startOf(node));
    const found = model.lookup(head, useScope);
    if (found === undefined) return undefined;
    const index = this.indexFor(found.scope);
    if (index.definitionsOf(path).length === 0) return undefined;
    const flowSensitive =
      found.scope === useScope && (useScope.kind === 'function' || useScope.kind === 'module');
    const definitions = reachingDefinitions(
      index,
      path,
      startOf(node),
      flowSensitive,
      flowSensitive ? this.levelsAt(useScope, node) : [],
    );
    if (definitions.length === 0) return undefined;
    return union(
      ...definitions.map((definition) =>
        definition.value === undefined
          ? []
          : withHop(this.evaluate(definition.value, mode), {
              node: definition.target,
              label: path,
            }),
      ),
    );
  }

  /** The statements around a node in its scope, outermost first. */
  private levelsAt(scope: Scope, node: SyntaxNode): StatementLevel[] {
    return statementsAround(scope.node, startOf(node), cachedChildren(this.model));
  }

  private indexFor(scope: Scope): DefinitionIndex {
    let index = this.indexes.get(scope);
    if (index === undefined) {
      index = new DefinitionIndex(this.model, scope);
      this.indexes.set(scope, index);
    }
    return index;
  }

  private name(id: SyntaxNode, mode: Mode): Taint[] {
    const { model } = this;
    const trust = identifierTrust(model, id);
    if (trust !== undefined) return this.source(id, trust);
    const name = model.textOf(id);
    const useScope = model.scopeAtOffset(startOf(id));
    const found = model.lookup(name, useScope);
    if (found === undefined) return [];
    if (
      found.bindings.every((binding) => binding.kind === 'import' || binding.kind === 'definition')
    ) {
      return [];
    }
    const scope = found.scope;
    const flowSensitive =
      scope === useScope && (scope.kind === 'function' || scope.kind === 'module');
    const levels = flowSensitive ? this.levelsAt(scope, id) : [];
    if (flowSensitive && isGuarded(model, levels, name, cachedExitGuards(model))) {
      return [];
    }
    const definitions = reachingDefinitions(
      this.indexFor(scope),
      name,
      startOf(id),
      flowSensitive,
      levels,
    );
    const results: Taint[][] = [];
    for (const definition of definitions) {
      if (definition.kind === 'parameter') {
        results.push(this.parameter(definition, scope, mode));
        continue;
      }
      if (definition.value === undefined) continue;
      if (
        definition.kind === 'element' &&
        isGetoptOptionName(model, definition.target, definition.value)
      ) {
        continue;
      }
      const taints = this.evaluate(definition.value, mode);
      if (taints.length > 0) {
        results.push(withHop(taints, { node: definition.target, label: name }));
      }
    }
    return union(...results);
  }

  private parameter(definition: Definition, scope: Scope, mode: Mode): Taint[] {
    const owner = scope.node;
    if (owner.type !== 'function_definition') return [];
    const trust = parameterTrust(this.model, owner, definition.name);
    if (trust !== undefined) return this.source(definition.target, trust);
    if (mode === 'summary') {
      if (this.summarising === undefined || !sameNode(this.summarising, owner)) return [];
      const index = parametersOf(this.model, owner).findIndex(
        (parameter) => parameter.name === definition.name,
      );
      return [
        {
          origin: { kind: 'parameter', index, name: definition.name },
          hops: [],
          cleared: NO_SINKS,
        },
      ];
    }
    if (mode === 'top') return this.fromCallers(owner, definition);
    return [];
  }

  /** A parameter of an ordinary function carries what its callers in the file pass to it. */
  private fromCallers(owner: SyntaxNode, definition: Definition): Taint[] {
    const functionName = this.model.textOf(owner.childForFieldName('name') ?? owner);
    const parameters = parametersOf(this.model, owner);
    const index = parameters.findIndex((parameter) => parameter.name === definition.name);
    const parameter = parameters[index];
    if (parameter === undefined || parameter.splat) return [];
    const results: Taint[][] = [];
    for (const site of this.callSitesOf(owner, functionName)) {
      const argument = this.argumentFor(site, owner, parameter.name, index);
      if (argument === undefined) continue;
      const taints = this.evaluate(argument, 'caller');
      if (taints.length === 0) continue;
      results.push(
        withHop(taints, {
          node: definition.target,
          label: `${functionName}(${parameter.name})`,
        }),
      );
    }
    return union(...results);
  }

  private callSitesOf(owner: SyntaxNode, functionName: string): SyntaxNode[] {
    const byCallee = this.callsByCallee();
    const ownerClass = classOf(owner);
    if (ownerClass === undefined) return byCallee.get(functionName) ?? [];
    const sites = [
      ...(byCallee.get(`self.${functionName}`) ?? []),
      ...(byCallee.get(`cls.${functionName}`) ?? []),
    ];
    const className = ownerClass.childForFieldName('name');
    if (className === null) return sites;
    return [...sites, ...this.instanceCalls(this.model.textOf(className), functionName)];
  }

  /** `obj.method(...)` where `obj = ClassName(...)` in the caller's scope. */
  private instanceCalls(className: string, method: string): SyntaxNode[] {
    const { model } = this;
    const suffix = `.${method}`;
    const found: SyntaxNode[] = [];
    for (const [callee, calls] of this.callsByCallee()) {
      if (!callee.endsWith(suffix)) continue;
      const holder = callee.slice(0, -suffix.length);
      if (holder.includes('.') || holder === 'self' || holder === 'cls') continue;
      for (const call of calls) {
        const value = model.soleAssignedValueAt(holder, startOf(call));
        if (value?.type !== 'call') continue;
        const constructor = dottedCalleeAt(model.text, startOf(value));
        if (constructor === className || constructor?.endsWith(`.${className}`) === true) {
          found.push(call);
        }
      }
    }
    // `ClassName(...).method(...)`: both calls start at the same offset.
    const chained = new RegExp(
      `^${escapeRegExp(className)}\\s*\\([^()]*\\)\\s*\\.\\s*${escapeRegExp(method)}\\s*\\(`,
    );
    for (const call of model.allCalls()) {
      const start = startOf(call);
      if (!model.sharedCallStarts.has(start)) continue;
      if (!chained.test(model.text.slice(start, start + 200))) continue;
      if (call.childForFieldName('function')?.type === 'attribute') found.push(call);
    }
    return found;
  }

  /** Calls of the file by their dotted callee text (`helper`, `self.find`), read once. */
  private callsByCallee(): Map<string, SyntaxNode[]> {
    if (this.callIndex !== undefined) return this.callIndex;
    const { model } = this;
    const index = new Map<string, SyntaxNode[]>();
    for (const call of model.allCalls()) {
      const start = startOf(call);
      // `a.b().c()` starts where `a.b()` does: the text cannot tell which callee is whose.
      if (model.sharedCallStarts.has(start)) continue;
      const callee = dottedCalleeAt(model.text, start)?.replace(/\s+/g, '');
      if (callee === undefined) continue;
      const list = index.get(callee);
      if (list === undefined) index.set(callee, [call]);
      else list.push(call);
    }
    this.callIndex = index;
    return index;
  }

  /** The argument a call passes for a parameter (by keyword or by position). */
  private argumentFor(
    call: SyntaxNode,
    owner: SyntaxNode,
    parameterName: string,
    index: number,
  ): SyntaxNode | undefined {
    const info = this.model.call(call);
    const keyword = info.keywords.get(parameterName);
    if (keyword !== undefined) return keyword;
    const callee = info.callee;
    const bound = classOf(owner) !== undefined && callee.type === 'attribute' ? 1 : 0;
    return info.positional[index - bound];
  }

  private arguments(call: SyntaxNode): SyntaxNode[] {
    const info = this.model.call(call);
    return [...info.positional, ...info.keywords.values()];
  }

  private call(node: SyntaxNode, mode: Mode): Taint[] {
    const { model } = this;
    const info = model.call(node);
    const qualifiedName = info.qualifiedName;
    const method = info.methodName;
    const callee = info.callee;
    const trust = callTrust(model, qualifiedName, method);
    if (trust !== undefined) return this.source(node, trust);
    if (callee.type === 'attribute') {
      const sourceTrust = attributeTrust(model, callee);
      if (sourceTrust !== undefined) return this.source(node, sourceTrust);
    }
    if (qualifiedName !== undefined) {
      const known = modelOfFunction(qualifiedName);
      switch (known.kind) {
        case 'conversion':
          return [];
        case 'escape':
          return clearing(this.all(this.arguments(node), mode), known.clears);
        case 'propagate':
          return this.widen(this.all(this.arguments(node), mode), node);
        case 'unknown':
          break;
      }
    }
    const local = this.localFunction(callee);
    if (local !== undefined) {
      return mode === 'summary' ? [] : this.applySummary(local, node, mode);
    }
    if (callee.type !== 'attribute' || method === undefined) return [];
    if (isCleanMethod(method)) return [];
    const object = callee.childForFieldName('object');
    if (object === null) return [];
    let taints = this.evaluate(object, mode);
    if (isCombiningMethod(method)) taints = union(taints, this.all(this.arguments(node), mode));
    const escapes = ownEntry(ESCAPE_METHODS, method);
    if (escapes !== undefined) taints = clearing(taints, escapes);
    if (method === 'replace') {
      const first = info.positional[0];
      if (first !== undefined && LINE_BREAK.test(model.textOf(first))) {
        taints = clearing(taints, ['log', 'header']);
      }
    }
    return this.widen(taints, node);
  }

  /** The definition of a function of this file a callee names (`helper`, `self.helper`). */
  private localFunction(callee: SyntaxNode): SyntaxNode | undefined {
    const { model } = this;
    if (callee.type === 'identifier') {
      const found = model.lookup(model.textOf(callee), model.scopeAt(callee));
      const binding = found?.bindings.length === 1 ? found.bindings[0] : undefined;
      const definition = binding?.kind === 'definition' ? binding.node.parent : null;
      return definition?.type === 'function_definition' ? definition : undefined;
    }
    if (callee.type !== 'attribute') return undefined;
    const object = callee.childForFieldName('object');
    const attribute = callee.childForFieldName('attribute');
    if (object === null || attribute === null) return undefined;
    if (!['self', 'cls'].includes(model.textOf(object))) return undefined;
    const owner = enclosingClass(callee);
    if (owner === undefined) return undefined;
    const classScope = model.scopes.find(
      (scope) => scope.kind === 'class' && sameNode(scope.node, owner),
    );
    const bindings = classScope?.bindings.get(model.textOf(attribute));
    const binding = bindings?.length === 1 ? bindings[0] : undefined;
    const definition = binding?.kind === 'definition' ? binding.node.parent : null;
    return definition?.type === 'function_definition' ? definition : undefined;
  }

  /** What a call to a function of this file returns, from its summary and the call's arguments. */
  private applySummary(definition: SyntaxNode, call: SyntaxNode, mode: Mode): Taint[] {
    const summary = this.summarise(definition);
    if (summary.length === 0) return [];
    const name = this.model.textOf(definition.childForFieldName('name') ?? definition);
    const hop: Hop = { node: call, label: `${name}()` };
    const parameters = parametersOf(this.model, definition);
    const results: Taint[][] = [];
    for (const taint of summary) {
      if (taint.origin.kind === 'source') {
        results.push([{ ...taint, hops: [...taint.hops, hop] }]);
        continue;
      }
      const parameter = parameters[taint.origin.index];
      if (parameter === undefined) continue;
      const argument = this.argumentFor(call, definition, parameter.name, taint.origin.index);
      if (argument === undefined) continue;
      const inner = this.evaluate(argument, mode);
      results.push(
        inner.map((flow) => ({
          origin: flow.origin,
          hops: [...flow.hops, ...taint.hops, hop],
          cleared: new Set([...flow.cleared, ...taint.cleared]),
        })),
      );
    }
    return union(...results);
  }

  /** The taints a function returns, with its own parameters as symbolic origins. */
  private summarise(definition: SyntaxNode): Taint[] {
    const key = startOf(definition);
    const cached = this.summaries.get(key);
    if (cached !== undefined) return cached;
    this.summaries.set(key, []); // recursion sees an empty summary
    const body = definition.childForFieldName('body');
    if (body === null) return [];
    const scope = this.model.scopeAtOffset(startOf(body));
    const previous = this.summarising;
    this.summarising = definition;
    const results: Taint[][] = [];
    try {
      for (const statement of definition.descendantsOfType('return_statement')) {
        if (this.model.scopeAtOffset(startOf(statement)) !== scope) continue;
        const value = statement.namedChildren[0];
        if (value !== undefined) results.push(this.evaluate(unwrapParens(value), 'summary'));
      }
    } finally {
      this.summarising = previous;
    }
    const summary = union(...results);
    this.summaries.set(key, summary);
    return summary;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function stepOf(node: SyntaxNode, label: string): FlowStep {
  return { line: node.startPosition.row + 1, column: node.startPosition.column + 1, label };
}

function sameNode(a: SyntaxNode, b: SyntaxNode): boolean {
  return a.startIndex === b.startIndex && a.endIndex === b.endIndex && a.type === b.type;
}

function enclosingClass(node: SyntaxNode): SyntaxNode | undefined {
  for (let current = node.parent; current !== null; current = current.parent) {
    if (current.type === 'class_definition') return current;
  }
  return undefined;
}
