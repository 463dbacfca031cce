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

/** A `call` visitor and the place of its rule in the scan's rule order. */
interface CallHandler {
  readonly order: number;
  readonly handle: (node: SyntaxNode) => void;
}

/**
 * The `call` visitors of one file's rules: those without call selectors see every call, the others
 * only the calls whose qualified name (or a `prefix.*` of it) or method name they selected. Each
 * visitor runs at most once per call, in rule order.
 */
export class CallRouter {
  private readonly everyCall: CallHandler[] = [];
  private readonly byName = new Map<string, CallHandler[]>();
  private readonly byPrefix = new Map<string, CallHandler[]>();
  private readonly byMethod = new Map<string, CallHandler[]>();
  private selective = false;

  /** @param breakDown the breakdown of a call (`SemanticModel.call`), asked once per call. */
  constructor(private readonly breakDown: (node: SyntaxNode) => CallInfo) {}

  /** Whether any visitor was added (the engine then visits calls). */
  get isEmpty(): boolean {
    return this.everyCall.length === 0 && !this.selective;
  }

  /** Adds the `call` visitor of the rule at `order` in the scan's rule order. */
  add(rule: AnyRule, order: number, handle: (node: SyntaxNode) => void): void {
    const handler: CallHandler = { order, handle };
    const calls = rule.select?.calls ?? [];
    const methods = rule.select?.methods ?? [];
    if (calls.length === 0 && methods.length === 0) {
      this.everyCall.push(handler);
      return;
    }
    this.selective = true;
    for (const name of calls) {
      if (name.endsWith('.*')) addTo(this.byPrefix, name.slice(0, -2), handler);
      else addTo(this.byName, name, handler);
    }
    for (const name of methods) addTo(this.byMethod, name, handler);
  }

  /** Runs the visitors a call is routed to (in rule order, each at most once). */
  visit(node: SyntaxNode): void {
    if (!this.selective) {
      for (const handler of this.everyCall) handler.handle(node);
      return;
    }
    const selected = this.selectedFor(this.breakDown(node));
    if (selected === undefined) {
      for (const handler of this.everyCall) handler.handle(node);
      return;
    }
    const all = [...this.everyCall, ...selected].sort((a, b) => a.order - b.order);
    let last: CallHandler | undefined;
    for (const handler of all) {
      if (handler !== last) handler.handle(node);
      last = handler;
    }
  }

  private selectedFor(call: CallInfo): CallHandler[] | undefined {
    let selected: CallHandler[] | undefined;
    const take = (handlers: readonly CallHandler[] | undefined): void => {
      if (handlers !== undefined) (selected ??= []).push(...handlers);
    };
    const name = call.qualifiedName;
    if (name !== undefined) {
      take(this.byName.get(name));
      if (this.byPrefix.size > 0) {
        for (let dot = name.indexOf('.'); dot !== -1; dot = name.indexOf('.', dot + 1)) {
          take(this.byPrefix.get(name.slice(0, dot)));
        }
      }
    }
    // A callee that is neither a name nor an attribute (`getattr(db, "execute")(sql)`) is
    // matched by the last part of its qualified name.
    const method = call.methodName ?? name?.slice(name.lastIndexOf('.') + 1);
    if (method !== undefined) take(this.byMethod.get(method));
    return selected;
  }
}

function addTo(map: Map<string, CallHandler[]>, key: string, handler: CallHandler): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [handler]);
  else if (!list.includes(handler)) list.push(handler);
}
