/**
 * What a call that declares text safe HTML (`Markup(x)`, `mark_safe(x)`) is given, for rules
 * with a dataflow finding and an audit variant: untrusted data that reaches it (`tainted`), HTML
 * built from values that are not escaped (`built`, with the first such value), any other
 * non-literal (`dynamic`), or undefined when the value is escaped, constant, or checked
 * (`if x in ALLOWED:`, a parameter annotated `int`). `safety` says which classes are `Markup`
 * and which calls sanitise HTML.
 */
import { holdsOnlyCheckedValues } from './guards.js';
import { taintedSink, type TaintedSink } from './tainted-sink.js';
import type { BuildKind } from './string-build.js';
import type { RuleContext } from '../../rules-api/types.js';
import type { SyntaxNode } from '../parse.js';
import { DEFAULT_HTML_SAFETY, htmlShape, type HtmlSafety } from './html-safe.js';

export type UnescapedHtml =
  | { kind: 'tainted'; tainted: TaintedSink }
  | { kind: 'built'; how: BuildKind; hole: SyntaxNode }
  | { kind: 'dynamic' };

export function unescapedHtml(
  context: RuleContext<string>,
  value: SyntaxNode,
  sinkNode: SyntaxNode,
  sinkLabel: string,
  safety: HtmlSafety = DEFAULT_HTML_SAFETY,
): UnescapedHtml | undefined {
  const shape = htmlShape(context.model, value, safety);
  if (shape.kind === 'safe') return undefined;
  const tainted = taintedSink(context, value, 'xss', sinkNode, sinkLabel);
  if (tainted !== undefined) return { kind: 'tainted', tainted };
  return holdsOnlyCheckedValues(context.model, value) ? undefined : shape;
}
