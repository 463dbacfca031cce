/**
 * The semantic model of one file, built once from one tree traversal: scopes, bindings (imports
 * resolved to qualified names, assignments, parameters) and the helpers rules use to ask about
 * meaning instead of spelling.
 */
import type { SyntaxNode, Tree } from './parse.js';
import { startOf } from './node-offsets.js';
import { stringParts } from './strings.js';
import { DefinitionIndex, reachingDefinitions } from './taint/definitions.js';
import { statementsAround } from './taint/statements.js';

export type ScopeKind = 'module' | 'function' | 'lambda' | 'class' | 'comprehension';

export type BindingKind = 'import' | 'assign' | 'param' | 'definition' | 'with' | 'other';

export interface Binding {
  kind: BindingKind;
  name: string;
  /** The node that binds the name (an identifier, an import clause, a definition). */
  node: SyntaxNode;
  /** For imports: the qualified name bound, e.g. `xml.etree.ElementTree`. */
  qualifiedName?: string;
  /**
   * For plain assignments: the assigned expression. For parameters: the default, if any. For
   * `with x as name`: the context expression `x`.
   */
  value?: SyntaxNode;
}

export class Scope {
  readonly bindings = new Map<string, Binding[]>();
  readonly globals = new Set<string>();
  readonly starImports: string[] = [];
  /**
   * Nodes that give names values in this scope, in document order: assignments, augmented
   * assignments, `for` targets, `with ... as`, walrus. The dataflow pass reads them from here
   * instead of walking the tree again.
   */
  readonly definingNodes: SyntaxNode[] = [];
  /** Start and end offsets of the scope's node, read once. */
  readonly start: number;
  readonly end: number;

  constructor(
    readonly kind: ScopeKind,
    readonly node: SyntaxNode,
    readonly parent: Scope | null,
  ) {
    this.start = kind === 'module' ? -1 : startOf(node);
    this.end = kind === 'module' ? Number.POSITIVE_INFINITY : node.endIndex;
  }

  bind(binding: Binding): void {
    const list = this.bindings.get(binding.name);
    if (list === undefined) this.bindings.set(binding.name, [binding]);
    else list.push(binding);
  }

  /**
   * Whether a node starting at this offset lies inside the scope. The scope's own node (which
   * starts at the scope's start) belongs to the enclosing scope.
   */
  containsOffset(offset: number): boolean {
    return offset > this.start && offset < this.end;
  }
}

/** Node types whose nodes open a new scope. */
const SCOPE_KINDS: Readonly<Record<string, ScopeKind>> = {
  function_definition: 'function',
  lambda: 'lambda',
  class_definition: 'class',
  list_comprehension: 'comprehension',
  set_comprehension: 'comprehension',
  dictionary_comprehension: 'comprehension',
  generator_expression: 'comprehension',
};

/** Node types the model itself needs from the traversal. */
export const MODEL_NODE_TYPES: readonly string[] = [
  ...Object.keys(SCOPE_KINDS),
  'import_statement',
  'import_from_statement',
  'assignment',
  'augmented_assignment',
  'for_statement',
  'for_in_clause',
  'as_pattern',
  'named_expression',
  'global_statement',
  'nonlocal_statement',
  'delete_statement',
];

const BUILTINS = new Set(
  (
    'abs aiter all anext any ascii bin bool breakpoint bytearray bytes callable chr classmethod ' +
    'compile complex delattr dict dir divmod enumerate eval exec exit filter float format frozenset ' +
    'getattr globals hasattr hash help hex id input int isinstance issubclass iter len list locals map ' +
    'max memoryview min next object oct open ord pow print property quit range repr reversed round set ' +
    'setattr slice sorted staticmethod str sum super tuple type vars zip __import__ ' +
    'BaseException BaseExceptionGroup Exception ExceptionGroup ArithmeticError AssertionError ' +
    'AttributeError BufferError EOFError ImportError ModuleNotFoundError LookupError IndexError ' +
    'KeyError MemoryError NameError OSError IOError EnvironmentError RuntimeError ' +
    'NotImplementedError RecursionError StopIteration StopAsyncIteration SyntaxError SystemError ' +
    'SystemExit TypeError ValueError UnicodeError UnicodeDecodeError UnicodeEncodeError ' +
    'ZeroDivisionError ConnectionError TimeoutError PermissionError FileNotFoundError ' +
    'KeyboardInterrupt GeneratorExit Warning DeprecationWarning UserWarning NotImplemented Ellipsis'
  ).split(' '),
);

/** A call's arguments, split the way rules ask about them. */
export interface CallInfo {
  node: SyntaxNode;
  /** The callee expression (`function` field). */
  callee: SyntaxNode;
  /** Qualified name of the callee when it resolves (`subprocess.run`, `eval`), else undefined. */
  qualifiedName: string | undefined;
  /** For `x.y(...)`: `y`. For `f(...)`: `f`. */
  methodName: string | undefined;
  positional: SyntaxNode[];
  keywords: ReadonlyMap<string, SyntaxNode>;
  /** A `*args` argument is present. */
  hasStarArgs: boolean;
  /** A `**kwargs` argument is present. */
  hasKwargs: boolean;
}

/** How a string value was put together. */
export type StringShape =
  | { kind: 'literal'; value: string }
  | {
      kind: 'built';
      how: 'f-string' | 'concatenation' | '%-format' | 'format()' | 'join';
      /** The literal text around the dynamic holes, holes shown as `{}`. */
      template: string;
    }
  | { kind: 'dynamic' };

const MAX_RESOLUTION_DEPTH = 6;

/** `a`, `a.b.c`, with optional blanks around the dots (ASCII identifiers). */
const DOTTED_NAME = /^[A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)*$/;

/** Characters a dotted callee is made of, up to its opening parenthesis. */
function isCalleeChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || // a-z
    (code >= 65 && code <= 90) || // A-Z
    (code >= 48 && code <= 57) || // 0-9
    code === 95 || // _
    code === 46 || // .
    code === 32 ||
    code === 9 ||
    code === 10
  );
}

/** The dotted callee text of a call starting at `start`, when the callee is a plain dotted name. */
export function dottedCalleeAt(text: string, start: number): string | undefined {
  let end = start;
  const limit = Math.min(text.length, start + 512);
  while (end < limit && isCalleeChar(text.charCodeAt(end))) end++;
  if (text.charCodeAt(end) !== 40) return undefined; // (
  const callee = text.slice(start, end).trimEnd();
  return DOTTED_NAME.test(callee) ? callee : undefined;
}

/** Module name of a file path (`pkg/sub/mod.py` → `pkg.sub.mod`), for relative imports. */
export function moduleNameFromPath(path: string): string {
  const clean = path
    .replace(/\\/g, '/')
    .replace(/^\.?\//, '')
    .replace(/\.pyi?$/, '');
  const parts = clean.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.at(-1) === '__init__') parts.pop();
  return parts.join('.');
}

/** Resolves `from ..x import y` style module names against the importing module. */
export function resolveRelativeModule(
  moduleName: string,
  isPackage: boolean,
  dots: number,
  rest: string,
): string {
  const parts = moduleName === '' ? [] : moduleName.split('.');
  const base = isPackage ? parts : parts.slice(0, -1);
  const kept = base.slice(0, Math.max(0, base.length - (dots - 1)));
  if (rest !== '') kept.push(rest);
  return kept.length > 0 ? kept.join('.') : '.'.repeat(dots) + rest;
}

/** Identifiers bound by an assignment target or a `for`/`with` target. */
export function targetNames(target: SyntaxNode): SyntaxNode[] {
  switch (target.type) {
    case 'identifier':
      return [target];
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern':
    case 'tuple':
    case 'list':
    case 'parenthesized_expression':
    case 'list_splat_pattern':
    case 'as_pattern_target':
      return target.namedChildren.flatMap(targetNames);
    default:
      return [];
  }
}

export class SemanticModel {
  readonly module: Scope;
  /** Every scope, ordered by start position (parents before children). */
  readonly scopes: Scope[] = [];
  private readonly moduleName: string;
  private readonly isPackage: boolean;
  private readonly callCache = new WeakMap<SyntaxNode, CallInfo>();
  /**
   * Start offsets shared by two calls (`a.b().c()` starts where `a.b()` does): there the callee
   * cannot be read from the text. Only trusted once the traversal has seen every call.
   */
  readonly sharedCallStarts = new Set<number>();
  allCallsSeen = false;
  /** Every call of the file in document order, when the traversal saw them all. */
  readonly calls: SyntaxNode[] = [];
  private fetchedCalls: SyntaxNode[] | undefined;
  /** Set once the traversal has registered every binding; whole-file questions need it. */
  complete = false;
  private importedModules: Set<string> | undefined;
  private readonly definitionIndexes = new Map<Scope, DefinitionIndex>();

  constructor(
    readonly tree: Tree,
    readonly text: string,
    readonly path: string,
  ) {
    this.module = new Scope('module', tree.rootNode, null);
    this.scopes.push(this.module);
    this.moduleName = moduleNameFromPath(path);
    this.isPackage = /(^|[\\/])__init__\.pyi?$/.test(path);
  }

  /** Source text of a node. */
  textOf(node: SyntaxNode): string {
    return this.text.slice(startOf(node), node.endIndex);
  }

  // ── building (called by the traversal, in document order) ─────────────────────────────────

  /**
   * Registers what a node binds and returns the scope its children live in (a new one when the
   * node opens a scope). `current` is the scope the node itself is in.
   */
  enter(node: SyntaxNode, current: Scope): Scope {
    switch (node.type) {
      case 'import_statement':
        this.bindImport(node, current);
        return current;
      case 'import_from_statement':
        this.bindImportFrom(node, current);
        return current;
      case 'assignment':
        current.definingNodes.push(node);
        this.bindAssignment(node, current);
        return current;
      case 'augmented_assignment':
      case 'for_statement':
      case 'for_in_clause':
        current.definingNodes.push(node);
        this.bindTargets(node.childForFieldName('left'), current);
        return current;
      case 'as_pattern':
        current.definingNodes.push(node);
        this.bindAsPattern(node, current);
        return current;
      case 'named_expression': {
        current.definingNodes.push(node);
        const name = node.childForFieldName('name');
        const value = node.childForFieldName('value');
        if (name !== null) this.bindName(current, name, 'assign', value ?? undefined);
        return current;
      }
      case 'global_statement':
        for (const id of node.namedChildren)
          if (id.type === 'identifier') current.globals.add(this.textOf(id));
        return current;
      case 'nonlocal_statement':
        for (const id of node.namedChildren) {
          if (id.type === 'identifier')
            (current.parent ?? current).bind({ kind: 'other', name: this.textOf(id), node: id });
        }
        return current;
      case 'delete_statement':
        for (const target of node.namedChildren) this.bindTargets(target, current);
        return current;
      default:
        return this.enterScope(node, current);
    }
  }

  private enterScope(node: SyntaxNode, current: Scope): Scope {
    const kind = SCOPE_KINDS[node.type];
    // `descendantsOfType(['lambda'])` also yields the `lambda` keyword token: only the named
    // node is an expression with a scope.
    if (kind === undefined || (kind === 'lambda' && !node.isNamed)) return current;
    if (kind === 'function' || kind === 'class') {
      const name = node.childForFieldName('name');
      if (name !== null) this.bindName(current, name, 'definition');
    }
    const scope = new Scope(kind, node, current);
    this.scopes.push(scope);
    if (kind === 'function' || kind === 'lambda') this.bindParameters(node, scope);
    return scope;
  }

  private bindName(scope: Scope, id: SyntaxNode, kind: BindingKind, value?: SyntaxNode): void {
    const name = this.textOf(id);
    const target = scope.globals.has(name) ? this.module : scope;
    const binding: Binding = { kind, name, node: id };
    if (value !== undefined) binding.value = value;
    target.bind(binding);
  }

  private bindTargets(target: SyntaxNode | null, scope: Scope): void {
    if (target === null) return;
    for (const id of targetNames(target)) this.bindName(scope, id, 'other');
  }

  /** `with x as name` binds name to what `x` produced; `except E as e` and patterns bind plainly. */
  private bindAsPattern(node: SyntaxNode, scope: Scope): void {
    const alias = node.childForFieldName('alias');
    const context = node.namedChildren[0];
    const target = alias?.namedChildren[0];
    if (
      node.parent?.type === 'with_item' &&
      target?.type === 'identifier' &&
      context !== undefined
    ) {
      this.bindName(scope, target, 'with', context);
      return;
    }
    this.bindTargets(alias, scope);
  }

  private bindAssignment(node: SyntaxNode, scope: Scope): void {
    const left = node.childForFieldName('left');
    let right = node.childForFieldName('right');
    if (left === null || right === null) return; // a bare annotation binds nothing
    while (right.type === 'assignment') {
      const next: SyntaxNode | null = right.childForFieldName('right');
      if (next === null) break;
      right = next;
    }
    if (left.type === 'identifier') this.bindName(scope, left, 'assign', right);
    else this.bindTargets(left, scope);
  }

  private bindParameters(node: SyntaxNode, scope: Scope): void {
    const parameters = node.childForFieldName('parameters');
    if (parameters === null) return;
    for (const parameter of parameters.namedChildren) {
      const id = parameterName(parameter);
      if (id === null) continue;
      const value = parameter.childForFieldName('value');
      this.bindName(scope, id, 'param', value ?? undefined);
    }
  }

  private bindImport(node: SyntaxNode, scope: Scope): void {
    for (const clause of node.childrenForFieldName('name')) {
      if (clause.type === 'aliased_import') {
        const name = clause.childForFieldName('name');
        const alias = clause.childForFieldName('alias');
        if (name === null || alias === null) continue;
        scope.bind({
          kind: 'import',
          name: this.textOf(alias),
          node: clause,
          qualifiedName: this.dotted(name),
        });
      } else if (clause.type === 'dotted_name') {
        const first = clause.namedChildren[0];
        if (first === undefined) continue;
        const top = this.textOf(first);
        scope.bind({ kind: 'import', name: top, node: clause, qualifiedName: top });
      }
    }
  }

  private bindImportFrom(node: SyntaxNode, scope: Scope): void {
    const moduleNode = node.childForFieldName('module_name');
    if (moduleNode === null) return;
    const moduleName = this.importedModule(moduleNode);
    for (const child of node.namedChildren) {
      if (child.type === 'wildcard_import') scope.starImports.push(moduleName);
    }
    for (const clause of node.childrenForFieldName('name')) {
      let nameNode: SyntaxNode | null = clause;
      let aliasNode: SyntaxNode | null = null;
      if (clause.type === 'aliased_import') {
        nameNode = clause.childForFieldName('name');
        aliasNode = clause.childForFieldName('alias');
      }
      if (nameNode === null) continue;
      const imported = this.dotted(nameNode);
      const local = aliasNode === null ? imported : this.textOf(aliasNode);
      const qualifiedName = moduleName.endsWith('.')
        ? moduleName + imported
        : `${moduleName}.${imported}`;
      scope.bind({ kind: 'import', name: local, node: clause, qualifiedName });
    }
  }

  private importedModule(moduleNode: SyntaxNode): string {
    if (moduleNode.type !== 'relative_import') return this.dotted(moduleNode);
    let dots = 0;
    let rest = '';
    for (const child of moduleNode.namedChildren) {
      if (child.type === 'import_prefix') dots = this.textOf(child).trim().length;
      else if (child.type === 'dotted_name') rest = this.dotted(child);
    }
    return resolveRelativeModule(this.moduleName, this.isPackage, dots, rest);
  }

  private dotted(node: SyntaxNode): string {
    return this.textOf(node).replace(/\s+/g, '');
  }

  // ── queries ──────────────────────────────────────────────────────────────────────────────

  /** The innermost scope that contains the node. */
  scopeAt(node: SyntaxNode): Scope {
    return this.scopeAtOffset(startOf(node));
  }

  /** The innermost scope around a source offset. */
  scopeAtOffset(offset: number): Scope {
    let low = 0;
    let high = this.scopes.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      const scope = this.scopes[mid];
      if (scope !== undefined && scope.start < offset) low = mid;
      else high = mid - 1;
    }
    let scope: Scope | null = this.scopes[low] ?? this.module;
    while (scope !== null && !scope.containsOffset(offset)) scope = scope.parent;
    return scope ?? this.module;
  }

  /** The bindings a name refers to from a scope (Python's LEGB, skipping class scopes). */
  lookup(name: string, from: Scope): { scope: Scope; bindings: Binding[] } | undefined {
    let scope: Scope | null = from;
    let first = true;
    while (scope !== null) {
      if (first || scope.kind !== 'class') {
        const bindings = scope.bindings.get(name);
        if (bindings !== undefined) return { scope, bindings };
      }
      first = false;
      scope = scope.parent;
    }
    return undefined;
  }

  /** The single plain-assignment value of a name, when it is bound exactly once in its scope. */
  soleAssignedValue(id: SyntaxNode): SyntaxNode | undefined {
    if (id.type !== 'identifier') return undefined;
    return this.soleAssignedValueAt(this.textOf(id), startOf(id));
  }

  /**
   * {@link soleAssignedValue} for a name used at a source offset. A name assigned more than once
   * in the function (or module) that uses it resolves to the assignment that reaches the use, when
   * exactly one does (`q = "SELECT 1"` … `q = "… %s" % name` … `run(q)` gives the second).
   */
  soleAssignedValueAt(name: string, offset: number): SyntaxNode | undefined {
    const useScope = this.scopeAtOffset(offset);
    const found = this.lookup(name, useScope);
    if (found === undefined) return undefined;
    if (found.bindings.length !== 1) {
      return found.scope === useScope ? this.reachingAssignment(name, offset, found) : undefined;
    }
    const binding = found.bindings[0];
    if (binding?.kind !== 'assign' || binding.value === undefined) return undefined;
    // A use inside the value being assigned (x = x + 1) does not see that value.
    if (startOf(binding.value) <= offset && offset < binding.value.endIndex) return undefined;
    return binding.value;
  }

  /**
   * The value of the one plain assignment of a name bound several times in a function or module
   * scope that reaches a use there; undefined when another definition (a branch, a loop, `+=`,
   * `x.append(…)`, an import) may reach it too, or when some binding is not a plain assignment.
   */
  private reachingAssignment(
    name: string,
    offset: number,
    found: { scope: Scope; bindings: Binding[] },
  ): SyntaxNode | undefined {
    const { scope, bindings } = found;
    if (scope.kind !== 'function' && scope.kind !== 'module') return undefined;
    // Bindings made elsewhere (`global name` in a function) are not in the scope's own order.
    if (bindings.some((binding) => binding.kind !== 'assign' || !this.bindsIn(binding, scope))) {
      return undefined;
    }
    const levels = statementsAround(scope.node, offset);
    const reaching = reachingDefinitions(this.definitionIndex(scope), name, offset, true, levels);
    const only = reaching.length === 1 ? reaching[0] : undefined;
    if (only?.kind !== 'assign' || only.value === undefined) return undefined;
    const value = only.value;
    const binding = bindings.find((candidate) => sameNode(candidate.node, only.target));
    return binding?.value !== undefined && sameNode(binding.value, value) ? value : undefined;
  }

  /** Whether a binding's node lies directly in a scope (not in a nested one declaring it global). */
  private bindsIn(binding: Binding, scope: Scope): boolean {
    return this.scopeAtOffset(startOf(binding.node)) === scope;
  }

  /** Where each name of a scope gets its value, computed once per scope. */
  definitionIndex(scope: Scope): DefinitionIndex {
    let index = this.definitionIndexes.get(scope);
    if (index === undefined) {
      index = new DefinitionIndex(this, scope);
      this.definitionIndexes.set(scope, index);
    }
    return index;
  }

  /** Follows a name through single assignments (`q = ...; f(q)`) to the expression it holds. */
  resolveValue(node: SyntaxNode, depth = 0): SyntaxNode {
    let current = unwrapParens(node);
    for (let i = depth; i < MAX_RESOLUTION_DEPTH && current.type === 'identifier'; i++) {
      const value = this.soleAssignedValue(current);
      if (value === undefined) break;
      current = unwrapParens(value);
    }
    return current;
  }

  /**
   * The fully qualified name an expression refers to: `import yaml as y; y.load` → `yaml.load`,
   * builtins as their bare name (`eval`), undefined when unknown.
   */
  qualifiedName(node: SyntaxNode, depth = 0): string | undefined {
    if (depth > MAX_RESOLUTION_DEPTH) return undefined;
    const target = unwrapParens(node);
    const type = target.type;
    if (type === 'call') return this.dynamicLookupName(target, depth);
    if (type !== 'attribute' && type !== 'identifier') return undefined;
    const text = this.textOf(target);
    if (DOTTED_NAME.test(text)) return this.qualifiedDottedName(text, startOf(target), depth);
    if (type === 'identifier') return undefined;
    const object = target.childForFieldName('object');
    const attribute = target.childForFieldName('attribute');
    if (object === null || attribute === null) return undefined;
    const base = this.qualifiedName(object, depth + 1);
    return base === undefined ? undefined : `${base}.${this.textOf(attribute)}`;
  }

  /**
   * The qualified name a call looks up by a literal name: `getattr(os, "system")` → `os.system`,
   * `__import__("os")` → `os`, `importlib.import_module("os.path")` → `os.path`.
   */
  private dynamicLookupName(node: SyntaxNode, depth: number): string | undefined {
    if (depth >= MAX_RESOLUTION_DEPTH) return undefined;
    const callee = node.childForFieldName('function');
    if (callee?.type !== 'identifier' && callee?.type !== 'attribute') return undefined;
    const name = this.qualifiedName(callee, depth + 1);
    if (name !== 'getattr' && name !== '__import__' && name !== 'importlib.import_module') {
      return undefined;
    }
    const call = this.call(node);
    const first = call.positional[0];
    if (first === undefined || call.hasStarArgs || call.hasKwargs) return undefined;
    if (name === 'getattr') {
      const attribute = call.positional[1];
      const text = attribute === undefined ? undefined : this.staticString(attribute);
      if (text === undefined || !/^[A-Za-z_]\w*$/.test(text)) return undefined;
      const base = this.qualifiedName(first, depth + 1);
      return base === undefined ? undefined : `${base}.${text}`;
    }
    const module = this.staticString(first);
    if (module === undefined || !/^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/.test(module)) {
      return undefined;
    }
    if (name === 'importlib.import_module')
      return call.positional.length === 1 ? module : undefined;
    // `__import__("os.path")` returns `os` unless a `fromlist` asks for the submodule.
    const fromList = call.keywords.has('fromlist') || call.positional.length >= 4;
    return fromList ? module : module.slice(0, (module + '.').indexOf('.'));
  }

  /**
   * Qualified name of dotted source text (`y.load`, `os . path`) used at an offset: the first name
   * is resolved through the scopes, the rest is appended.
   */
  qualifiedDottedName(text: string, offset: number, depth = 0): string | undefined {
    const dot = text.indexOf('.');
    const head = (dot < 0 ? text : text.slice(0, dot)).trim();
    const base = this.qualifiedHead(head, offset, depth);
    if (base === undefined || dot < 0) return base;
    return `${base}.${text.slice(dot + 1).replace(/\s+/g, '')}`;
  }

  private qualifiedHead(name: string, offset: number, depth: number): string | undefined {
    const found = this.lookup(name, this.scopeAtOffset(offset));
    if (found === undefined) {
      if (this.module.starImports.length === 1 && !BUILTINS.has(name)) {
        return `${this.module.starImports[0] ?? ''}.${name}`;
      }
      return BUILTINS.has(name) ? name : undefined;
    }
    const bindings = found.bindings;
    if (bindings.every((binding) => binding.kind === 'import')) return bindings[0]?.qualifiedName;
    const value = this.soleAssignedValueAt(name, offset);
    if (
      value !== undefined &&
      (value.type === 'identifier' || value.type === 'attribute' || value.type === 'call')
    ) {
      return this.qualifiedName(value, depth + 1);
    }
    return undefined;
  }

  /**
   * Whether the file imports a module or anything from it, in any scope (`import flask`,
   * `from flask import Flask`, `import requests.adapters as ra`). Only valid once the traversal
   * is complete (from a visitor or `end()`, not from a rule's `create`).
   */
  importsModule(module: string): boolean {
    if (!this.complete) {
      throw new Error('importsModule() needs the whole file: call it from a visitor or end()');
    }
    this.importedModules ??= this.collectImportedModules();
    return this.importedModules.has(module);
  }

  /**
   * Every module an import binding of the file names, with each of its dotted prefixes
   * (`os.path.join` gives `os`, `os.path` and `os.path.join`): a module is imported when it is
   * one of these, asked by the rules in one set lookup.
   */
  private collectImportedModules(): Set<string> {
    const modules = new Set<string>();
    for (const scope of this.scopes) {
      for (const bindings of scope.bindings.values()) {
        for (const binding of bindings) {
          const name = binding.kind === 'import' ? binding.qualifiedName : undefined;
          if (name === undefined) continue;
          for (let dot = name.indexOf('.'); dot !== -1; dot = name.indexOf('.', dot + 1)) {
            modules.add(name.slice(0, dot));
          }
          modules.add(name);
        }
      }
    }
    return modules;
  }

  /** For a name bound only by `with EXPR as name`, the EXPR (parentheses removed). */
  withContext(id: SyntaxNode): SyntaxNode | undefined {
    if (id.type !== 'identifier') return undefined;
    const found = this.lookup(this.textOf(id), this.scopeAt(id));
    const binding = found?.bindings.length === 1 ? found.bindings[0] : undefined;
    return binding?.kind === 'with' && binding.value !== undefined
      ? unwrapParens(binding.value)
      : undefined;
  }

  /**
   * When an expression holds the result of a call (`s = requests.Session()`, `with
   * requests.Session() as s`, or the call itself), the qualified name of the callee.
   */
  constructedBy(node: SyntaxNode): string | undefined {
    let value = this.resolveValue(node);
    // `with requests.Session() as s`: s is what the call produced (its __enter__ result).
    if (value.type === 'identifier') value = this.withContext(value) ?? value;
    // `conn = await asyncpg.connect(...)`: what the coroutine returns.
    if (value.type === 'await') value = unwrapParens(value.namedChildren[0] ?? value);
    if (value.type !== 'call') return undefined;
    return this.call(value).qualifiedName;
  }

  /** Every call node of the file, in document order. */
  allCalls(): readonly SyntaxNode[] {
    if (this.allCallsSeen) return this.calls;
    this.fetchedCalls ??= this.tree.rootNode.descendantsOfType('call');
    return this.fetchedCalls;
  }

  /** Argument breakdown of a `call` node, computed once per node and lazily per part. */
  call(node: SyntaxNode): CallInfo {
    const cached = this.callCache.get(node);
    if (cached !== undefined) return cached;
    const info = new LazyCall(this, node);
    this.callCache.set(node, info);
    return info;
  }

  /** An argument given by keyword or, failing that, at a position; undefined when absent. */
  argument(call: CallInfo, name: string, position?: number): SyntaxNode | undefined {
    const byName = call.keywords.get(name);
    if (byName !== undefined) return byName;
    return position === undefined ? undefined : call.positional[position];
  }

  /** The value of a literal (followed through single assignments), or undefined. */
  literalValue(node: SyntaxNode): string | number | boolean | null | undefined {
    const value = this.resolveValue(node);
    switch (value.type) {
      case 'true':
        return true;
      case 'false':
        return false;
      case 'none':
        return null;
      case 'integer': {
        const parsed = Number(this.textOf(value).replace(/_/g, '').replace(/[lL]$/, ''));
        return Number.isNaN(parsed) ? undefined : parsed;
      }
      case 'float':
        return Number(this.textOf(value).replace(/_/g, ''));
      case 'unary_operator': {
        const inner = value.childForFieldName('argument');
        const operand = inner === null ? undefined : this.literalValue(inner);
        const operator = value.child(0);
        if (typeof operand === 'number' && operator !== null && this.textOf(operator) === '-')
          return -operand;
        return undefined;
      }
      default: {
        const shape = this.stringShape(value);
        return shape.kind === 'literal' ? shape.value : undefined;
      }
    }
  }

  /** Python truthiness of a literal value, or undefined when the value is not a known literal. */
  truthiness(node: SyntaxNode): boolean | undefined {
    const value = this.literalValue(node);
    if (value === undefined) {
      const resolved = this.resolveValue(node);
      if (['list', 'tuple', 'dictionary', 'set'].includes(resolved.type))
        return resolved.namedChildCount > 0;
      // A function or a generator object is always true.
      if (resolved.type === 'lambda' || resolved.type === 'generator_expression') return true;
      return undefined;
    }
    return value !== null && value !== false && value !== 0 && value !== '';
  }

  /** The static string value of an expression when it is fully literal, else undefined. */
  staticString(node: SyntaxNode): string | undefined {
    const shape = this.stringShape(node);
    return shape.kind === 'literal' ? shape.value : undefined;
  }

  /**
   * Whether a string expression is a literal, was built from dynamic parts (f-string with
   * interpolation, `+`, `%`, `.format()`, `str.join`), or is something else entirely.
   */
  stringShape(node: SyntaxNode, depth = 0): StringShape {
    if (depth > MAX_RESOLUTION_DEPTH) return { kind: 'dynamic' };
    const target = unwrapParens(node);
    switch (target.type) {
      case 'string': {
        const parts = stringParts(target, this.text);
        if (!parts.pieces.includes(null)) return { kind: 'literal', value: parts.pieces.join('') };
        return {
          kind: 'built',
          how: 'f-string',
          template: parts.pieces.map((piece) => piece ?? '{}').join(''),
        };
      }
      case 'concatenated_string': {
        const shapes = target.namedChildren.map((child) => this.stringShape(child, depth + 1));
        const template = shapes.map(templateOf).join('');
        return shapes.every((shape) => shape.kind === 'literal')
          ? { kind: 'literal', value: template }
          : { kind: 'built', how: 'f-string', template };
      }
      case 'identifier': {
        const value = this.soleAssignedValue(target);
        return value === undefined ? { kind: 'dynamic' } : this.stringShape(value, depth + 1);
      }
      case 'binary_operator':
        return this.binaryStringShape(target, depth);
      case 'call':
        return this.callStringShape(target, depth);
      default:
        return { kind: 'dynamic' };
    }
  }

  private binaryStringShape(node: SyntaxNode, depth: number): StringShape {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    const operator = node.childForFieldName('operator');
    if (left === null || right === null || operator === null) return { kind: 'dynamic' };
    const op = this.textOf(operator);
    const leftShape = this.stringShape(left, depth + 1);
    if (op === '+') {
      const rightShape = this.stringShape(right, depth + 1);
      if (leftShape.kind === 'literal' && rightShape.kind === 'literal') {
        return { kind: 'literal', value: leftShape.value + rightShape.value };
      }
      if (leftShape.kind === 'dynamic' && rightShape.kind === 'dynamic') return { kind: 'dynamic' };
      return {
        kind: 'built',
        how: 'concatenation',
        template: templateOf(leftShape) + templateOf(rightShape),
      };
    }
    if (op === '%' && leftShape.kind !== 'dynamic') {
      return { kind: 'built', how: '%-format', template: templateOf(leftShape) };
    }
    return { kind: 'dynamic' };
  }

  private callStringShape(node: SyntaxNode, depth: number): StringShape {
    const callee = node.childForFieldName('function');
    if (callee?.type !== 'attribute') return { kind: 'dynamic' };
    const object = callee.childForFieldName('object');
    const attribute = callee.childForFieldName('attribute');
    if (object === null || attribute === null) return { kind: 'dynamic' };
    const method = this.textOf(attribute);
    const objectShape = this.stringShape(object, depth + 1);
    if (objectShape.kind === 'dynamic') return { kind: 'dynamic' };
    if (method === 'format')
      return { kind: 'built', how: 'format()', template: templateOf(objectShape) };
    if (method === 'join') {
      const args = node.childForFieldName('arguments');
      const iterable = args?.namedChildren[0];
      if (iterable !== undefined && ['list', 'tuple'].includes(iterable.type)) {
        const shapes = iterable.namedChildren.map((child) => this.stringShape(child, depth + 1));
        if (shapes.every((shape) => shape.kind === 'literal')) {
          const separator = objectShape.kind === 'literal' ? objectShape.value : '';
          return { kind: 'literal', value: shapes.map(templateOf).join(separator) };
        }
        return {
          kind: 'built',
          how: 'join',
          template: shapes.map(templateOf).join(templateOf(objectShape)),
        };
      }
      return { kind: 'built', how: 'join', template: `{}${templateOf(objectShape)}{}` };
    }
    return { kind: 'dynamic' };
  }
}

interface Arguments {
  positional: SyntaxNode[];
  keywords: KeywordArguments;
  hasStarArgs: boolean;
  hasKwargs: boolean;
}

const KEYWORD_NAME = /[A-Za-z_]\w*/y;

/** Keyword arguments by name; each value node is looked up only when asked for. */
class KeywordArguments implements ReadonlyMap<string, SyntaxNode> {
  private readonly arguments = new Map<string, SyntaxNode>();
  private readonly values_ = new Map<string, SyntaxNode>();

  add(name: string, keywordArgument: SyntaxNode): void {
    this.arguments.set(name, keywordArgument);
  }

  get size(): number {
    return this.arguments.size;
  }

  has(name: string): boolean {
    return this.arguments.has(name);
  }

  get(name: string): SyntaxNode | undefined {
    const cached = this.values_.get(name);
    if (cached !== undefined) return cached;
    const argument = this.arguments.get(name);
    const value = argument?.childForFieldName('value') ?? undefined;
    if (value !== undefined) this.values_.set(name, value);
    return value;
  }

  keys(): MapIterator<string> {
    return this.arguments.keys();
  }

  private resolved(): Map<string, SyntaxNode> {
    const all = new Map<string, SyntaxNode>();
    for (const name of this.arguments.keys()) {
      const value = this.get(name);
      if (value !== undefined) all.set(name, value);
    }
    return all;
  }

  entries(): MapIterator<[string, SyntaxNode]> {
    return this.resolved().entries();
  }

  values(): MapIterator<SyntaxNode> {
    return this.resolved().values();
  }

  [Symbol.iterator](): MapIterator<[string, SyntaxNode]> {
    return this.entries();
  }

  forEach(
    callback: (value: SyntaxNode, key: string, map: ReadonlyMap<string, SyntaxNode>) => void,
  ): void {
    for (const [name, value] of this.resolved()) callback(value, name, this);
  }
}

function keywordName(model: SemanticModel, argument: SyntaxNode): string | undefined {
  KEYWORD_NAME.lastIndex = startOf(argument);
  const match = KEYWORD_NAME.exec(model.text);
  const next = model.text.charCodeAt(KEYWORD_NAME.lastIndex);
  // Plain ASCII names are read from the text; anything unusual asks the tree.
  if (match !== null && (next === 61 || next === 32 || next === 9)) return match[0];
  const name = argument.childForFieldName('name');
  return name === null ? undefined : model.textOf(name);
}

function splitArguments(model: SemanticModel, args: SyntaxNode | null): Arguments {
  const result: Arguments = {
    positional: [],
    keywords: new KeywordArguments(),
    hasStarArgs: false,
    hasKwargs: false,
  };
  if (args === null) return result;
  if (args.type !== 'argument_list') {
    result.positional.push(args); // generator argument: f(x for x in y)
    return result;
  }
  for (const arg of args.namedChildren) {
    switch (arg.type) {
      case 'keyword_argument': {
        const name = keywordName(model, arg);
        if (name !== undefined) result.keywords.add(name, arg);
        break;
      }
      case 'list_splat':
        result.hasStarArgs = true;
        break;
      case 'dictionary_splat':
        result.hasKwargs = true;
        break;
      case 'comment':
        break;
      default:
        result.positional.push(arg);
    }
  }
  return result;
}

/** CallInfo whose parts are worked out on first use: most calls interest no rule. */
class LazyCall implements CallInfo {
  private resolvedCallee: SyntaxNode | undefined;
  private resolvedName: string | undefined | null = null;
  private resolvedMethod: string | undefined | null = null;
  private dotted: string | undefined | null = null;
  private split: Arguments | undefined;

  constructor(
    private readonly model: SemanticModel,
    readonly node: SyntaxNode,
  ) {}

  get callee(): SyntaxNode {
    this.resolvedCallee ??= this.node.childForFieldName('function') ?? this.node;
    return this.resolvedCallee;
  }

  /** The callee as dotted text, when it is a plain dotted name (read without the tree). */
  private get dottedCallee(): string | undefined {
    if (this.dotted === null) {
      const start = startOf(this.node);
      const readable = this.model.allCallsSeen && !this.model.sharedCallStarts.has(start);
      this.dotted = readable ? dottedCalleeAt(this.model.text, start) : undefined;
    }
    return this.dotted;
  }

  get qualifiedName(): string | undefined {
    if (this.resolvedName === null) {
      const dotted = this.dottedCallee;
      this.resolvedName =
        dotted === undefined
          ? this.model.qualifiedName(this.callee)
          : this.model.qualifiedDottedName(dotted, startOf(this.node));
    }
    return this.resolvedName;
  }

  get methodName(): string | undefined {
    if (this.resolvedMethod === null) {
      const dotted = this.dottedCallee;
      if (dotted !== undefined) {
        this.resolvedMethod = dotted.slice(dotted.lastIndexOf('.') + 1).trim();
      } else {
        const callee = this.callee;
        const name = callee.type === 'attribute' ? callee.childForFieldName('attribute') : callee;
        this.resolvedMethod =
          name !== null && name.type === 'identifier' ? this.model.textOf(name) : undefined;
      }
    }
    return this.resolvedMethod;
  }

  private get arguments(): Arguments {
    this.split ??= splitArguments(this.model, this.node.childForFieldName('arguments'));
    return this.split;
  }

  get positional(): SyntaxNode[] {
    return this.arguments.positional;
  }

  get keywords(): ReadonlyMap<string, SyntaxNode> {
    return this.arguments.keywords;
  }

  get hasStarArgs(): boolean {
    return this.arguments.hasStarArgs;
  }

  get hasKwargs(): boolean {
    return this.arguments.hasKwargs;
  }
}

function templateOf(shape: StringShape): string {
  switch (shape.kind) {
    case 'literal':
      return shape.value;
    case 'built':
      return shape.template;
    case 'dynamic':
      return '{}';
  }
}

/** Whether two node handles denote the same node. */
export function sameNode(a: SyntaxNode, b: SyntaxNode): boolean {
  return a.startIndex === b.startIndex && a.endIndex === b.endIndex && a.type === b.type;
}

/** `(x)` → `x`. */
export function unwrapParens(node: SyntaxNode): SyntaxNode {
  let current = node;
  while (current.type === 'parenthesized_expression' && current.namedChildCount === 1) {
    const inner = current.namedChildren[0];
    if (inner === undefined) break;
    current = inner;
  }
  return current;
}

function parameterName(parameter: SyntaxNode): SyntaxNode | null {
  switch (parameter.type) {
    case 'identifier':
      return parameter;
    case 'default_parameter':
    case 'typed_default_parameter':
      return parameter.childForFieldName('name');
    case 'typed_parameter':
    case 'list_splat_pattern':
    case 'dictionary_splat_pattern':
      return parameter.namedChildren.find((child) => child.type === 'identifier') ?? null;
    default:
      return null;
  }
}
