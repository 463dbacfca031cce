/**
 * Vocabulary of the dataflow pass: where untrusted values come from, what kind of sink a rule
 * guards, and the trace a rule receives when a value reaches it.
 */
import type { SyntaxNode } from '../parse.js';
import type { FlowStep } from '../types.js';

/** The families of dangerous operations a sanitiser can make a value safe for. */
export type SinkKind =
  | 'sql'
  | 'command'
  | 'code'
  | 'template'
  | 'xss'
  | 'redirect'
  | 'ssrf'
  | 'path'
  | 'deserialization'
  | 'xml'
  | 'nosql'
  | 'ldap'
  | 'xpath'
  | 'log'
  | 'header'
  | 'regex'
  | 'format'
  | 'csv';

/**
 * How far a source is trusted: `web` is anyone who can send a request; `local` is whoever runs
 * the program (command line, environment, standard input), a lower-severity origin.
 */
export type Trust = 'web' | 'local';

/** A value that came from outside the program. */
export interface SourceOrigin {
  kind: 'source';
  trust: Trust;
  /** What the source is, as the reader should see it: `request.args["q"]`, `sys.argv`. */
  label: string;
  node: SyntaxNode;
}

/** A parameter of the function being summarised (used inside function summaries only). */
export interface ParameterOrigin {
  kind: 'parameter';
  index: number;
  name: string;
}

/** One step a value took on its way: a variable it was stored in, a call it passed through. */
export interface Hop {
  node: SyntaxNode;
  label: string;
}

/** One way a value may carry untrusted data. */
export interface Taint {
  origin: SourceOrigin | ParameterOrigin;
  /** Steps after the origin, in program order. */
  hops: readonly Hop[];
  /** Sink kinds a sanitiser on the way made the value safe for. */
  cleared: ReadonlySet<SinkKind>;
}

/** What a rule learns when an expression carries untrusted data to its sink. */
export interface TaintTrace {
  trust: Trust;
  /** The source as written (shortened): `request.args.get("q")`. */
  source: string;
  /** 1-based line of the source. */
  sourceLine: number;
  /** Source first, then every variable and call the value passed through. */
  steps: FlowStep[];
}
