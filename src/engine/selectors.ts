/**
 * Rules routed by what they select (`RuleSelect`): text prefilters decided once per file for all
 * rules, and each call handed only to the `call` visitors that selected its qualified or method
 * name.
 */
import type { AnyRule } from '../rules-api/types.js';
import type { CallInfo } from './model.js';
import type { SyntaxNode } from './parse.js';

/** Words of every rule's text prefilter, searched for in one pass over a file. */
export interface TextPrefilter {
  /** Finds every word at every position (longest first, so a longer word wins where both match). */
  readonly pattern: RegExp;
  /** For each word, the listed words it contains (itself included): found with it. */
  readonly implied: ReadonlyMap<string, readonly string[]>;
}

const prefilters = new WeakMap<readonly AnyRule[], TextPrefilter | null>();

function escapeForPattern(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The prefilter of a rule set; null when no rule has text words. Built once per rule set. */
export function textPrefilter(rules: readonly AnyRule[]): TextPrefilter | null {
  const cached = prefilters.get(rules);
  if (cached !== undefined) return cached;
  const words = new Set<string>();
  for (const rule of rules) for (const word of rule.select?.text ?? []) words.add(word);
  const sorted = [...words].filter((word) => word !== '').sort((a, b) => b.length - a.length);
  const prefilter =
    sorted.length === 0
      ? null
      : {
          pattern: new RegExp(sorted.map(escapeForPattern).join('|'), 'g'),
          implied: new Map(
            sorted.map((word) => [word, sorted.filter((other) => word.includes(other))]),
          ),
        };
  prefilters.set(rules, prefilter);
  return prefilter;
}

/** The prefilter words that occur in any of `haystacks`. */
export function wordsPresent(prefilter: TextPrefilter, haystacks: readonly string[]): Set<string> {
  const found = new Set<string>();
  const { pattern, implied } = prefilter;
  for (const haystack of haystacks) {
    pattern.lastIndex = 0;
    for (let match = pattern.exec(haystack); match !== null; match = pattern.exec(haystack)) {
      for (const word of implied.get(match[0]) ?? []) found.add(word);
      // Look again one character on: a word may start inside the one just found.
      pattern.lastIndex = match.index + 1;
    }
  }
  return found;
}

/** Whether a rule runs on a file, given the prefilter words the file contains. */
export function passesTextPrefilter(rule: AnyRule, present: ReadonlySet<string>): boolean {
  const words = rule.select?.text;
  if (words === undefined || words.length === 0) return true;
  return words.some((word) => present.has(word));
}

/**
 * Which rules select which calls, built once per rule set from the rules' `select` (a rule is
 * named by its place in the scan's rule order): the tables do not depend on the file.
 */
class RoutingPlan {
  private readonly byName = new Map<string, number[]>();
  private readonly byPrefix = new Map<string, number[]>();
  private readonly byMethod = new Map<string, number[]>();
  /** For each rule order, whether the rule's `call` visitor is routed by name. */
  readonly selective: readonly boolean[];

  constructor(rules: readonly AnyRule[]) {
    this.selective = rules.map((rule, order) => {
      const calls = rule.select?.calls ?? [];
      const methods = rule.select?.methods ?? [];
      for (const name of calls) {
        if (name.endsWith('.*')) addTo(this.byPrefix, name.slice(0, -2), order);
        else addTo(this.byName, name, order);
      }
      for (const name of methods) addTo(this.byMethod, name, order);
      return calls.length > 0 || methods.length > 0;
    });
  }

  /**
   * The orders of the rules that selected a call with these names, ascending and without repeats.
   * @param name the call's qualified name.
   * @param method its method name, else the last part of its qualified name.
   */
  selectedFor(name: string | undefined, method: string | undefined): readonly number[] {
    const selected = new Set<number>();
    const take = (orders: readonly number[] | undefined): void => {
      if (orders !== undefined) for (const order of orders) selected.add(order);
    };
    if (name !== undefined) {
      take(this.byName.get(name));
      if (this.byPrefix.size > 0) {
        for (let dot = name.indexOf('.'); dot !== -1; dot = name.indexOf('.', dot + 1)) {
          take(this.byPrefix.get(name.slice(0, dot)));
        }
      }
    }
    if (method !== undefined) take(this.byMethod.get(method));
    return [...selected].sort((a, b) => a - b);
  }
}

const plans = new WeakMap<readonly AnyRule[], RoutingPlan>();

function routingPlan(rules: readonly AnyRule[]): RoutingPlan {
  let plan = plans.get(rules);
  if (plan === undefined) {
    plan = new RoutingPlan(rules);
    plans.set(rules, plan);
  }
  return plan;
}

/**
 * The `call` visitors of one file's rules: those without call selectors see every call, the others
 * only the calls whose qualified name (or a `prefix.*` of it) or method name they selected. Each
 * visitor runs at most once per call, in rule order.
 */
export class CallRouter {
  private readonly plan: RoutingPlan;
  /** The `call` visitor of each rule order, where the rule returned one for this file. */
  private readonly handlers: (((node: SyntaxNode) => void) | undefined)[] = [];
  /** Orders of the rules with a `call` visitor and no call selectors, ascending. */
  private readonly everyCall: number[] = [];
  private selective = false;
  /**
   * The selected orders of each qualified name and method name seen in this file (kept per file:
   * names are slices of the file's text and would keep it alive).
   */
  private readonly remembered = new Map<
    string | undefined,
    Map<string | undefined, readonly number[]>
  >();

  /**
   * @param rules the scan's rules, in order (the routing tables are built once per array).
   * @param breakDown the breakdown of a call (`SemanticModel.call`), asked once per call.
   */
  constructor(
    rules: readonly AnyRule[],
    private readonly breakDown: (node: SyntaxNode) => CallInfo,
  ) {
    this.plan = routingPlan(rules);
  }

  /** Whether any visitor was added (the engine then visits calls). */
  get isEmpty(): boolean {
    return this.everyCall.length === 0 && !this.selective;
  }

  /**
   * Adds the `call` visitor of the rule at `order` in the scan's rule order (the rules given to
   * the constructor); visitors are added in ascending order.
   */
  add(order: number, handle: (node: SyntaxNode) => void): void {
    this.handlers[order] = handle;
    if (this.plan.selective[order] === true) this.selective = true;
    else this.everyCall.push(order);
  }

  /** Runs the visitors a call is routed to (in rule order, each at most once). */
  visit(node: SyntaxNode): void {
    const { handlers, everyCall } = this;
    if (!this.selective) {
      for (const order of everyCall) handlers[order]?.(node);
      return;
    }
    const selected = this.selectedFor(this.breakDown(node));
    // Both lists are ascending and disjoint: merge them.
    let next = 0;
    for (const order of selected) {
      while (next < everyCall.length && (everyCall[next] ?? 0) < order) {
        handlers[everyCall[next] ?? 0]?.(node);
        next++;
      }
      handlers[order]?.(node);
    }
    for (; next < everyCall.length; next++) handlers[everyCall[next] ?? 0]?.(node);
  }

  private selectedFor(call: CallInfo): readonly number[] {
    const name = call.qualifiedName;
    // A callee that is neither a name nor an attribute (`getattr(db, "execute")(sql)`) is
    // matched by the last part of its qualified name.
    const method = call.methodName ?? name?.slice(name.lastIndexOf('.') + 1);
    let byMethod = this.remembered.get(name);
    let selected = byMethod?.get(method);
    if (selected === undefined) {
      selected = this.plan.selectedFor(name, method);
      if (byMethod === undefined) {
        byMethod = new Map();
        this.remembered.set(name, byMethod);
      }
      byMethod.set(method, selected);
    }
    return selected;
  }
}

function addTo(map: Map<string, number[]>, key: string, order: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [order]);
  else if (!list.includes(order)) list.push(order);
}
