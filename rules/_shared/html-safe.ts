/**
 * Whether a value is safe to mark as HTML (`mark_safe`, `Markup`): a literal, a constant, the
 * result of an escaping or sanitising function (`escape`, `format_html`, `bleach.clean`,
 * `render_to_string`), an operation on a `Markup` object (which escapes its operands), or a
 * string built only from such parts. Otherwise, how the value was made.
 */
import { unwrapParens, type SemanticModel } from '../../src/engine/model.js';
import type { SyntaxNode } from '../../src/engine/parse.js';
import { isInertValue } from './inert-value.js';
import { analyseString, type BuildKind } from './string-pieces.js';

export type HtmlShape =
  | { kind: 'safe' }
  /** `hole`: the first spliced-in value that is not escaped. */
  | { kind: 'built'; how: BuildKind; hole: SyntaxNode }
  | { kind: 'dynamic' };

/** Functions whose result is escaped or sanitised HTML. */
const ESCAPERS: ReadonlySet<string> = new Set([
  'django.utils.html.escape',
  'django.utils.html.conditional_escape',
  'django.utils.html.format_html',
  'django.utils.html.format_html_join',
  'django.utils.html.json_script',
  'django.utils.html.linebreaks',
  'django.utils.html.urlize',
  'django.template.loader.render_to_string',
  'django.template.defaultfilters.escape',
  'django.template.defaultfilters.force_escape',
  'html.escape',
  'markupsafe.escape',
  'markupsafe.Markup.escape',
  'jinja2.escape',
  'flask.escape',
  'flask.render_template',
  'bleach.clean',
  'bleach.linkify',
  'nh3.clean',
  'cgi.escape',
  'xml.sax.saxutils.escape',
  'xml.sax.saxutils.quoteattr',
]);

/** `Markup` classes: their `format`, `%`, `+` and `join` escape the other operands. */
export const MARKUP_CLASSES: ReadonlySet<string> = new Set([
  'markupsafe.Markup',
  'flask.Markup',
  'jinja2.Markup',
  'jinja2.utils.Markup',
]);

const MAX_DEPTH = 6;

export function htmlShape(model: SemanticModel, node: SyntaxNode, depth = 0): HtmlShape {
  if (isHtmlSafe(model, node, depth)) return { kind: 'safe' };
  const build = analyseString(model, node);
  if (build === undefined) return { kind: 'dynamic' };
  if (build.how === undefined) return { kind: 'safe' };
  for (const piece of build.pieces) {
    if (piece.kind === 'hole' && !isHtmlSafe(model, piece.node, depth + 1))
      return { kind: 'built', how: build.how, hole: piece.node };
  }
  return { kind: 'safe' };
}

/** Whether one value is escaped, sanitised, constant or `Markup`-made. */
export function isHtmlSafe(model: SemanticModel, node: SyntaxNode, depth = 0): boolean {
  if (depth > MAX_DEPTH) return false;
  if (isInertValue(model, node)) return true;
  const value = unwrapParens(model.resolveValue(node));
  if (value.type === 'binary_operator') {
    // Markup("<b>%s</b>") % x, Markup("<br>") + x
    const left = value.childForFieldName('left');
    return left !== null && isMarkupObject(model, left, depth + 1);
  }
  if (value.type !== 'call') return false;
  const call = model.call(value);
  const name = call.qualifiedName;
  if (name !== undefined && ESCAPERS.has(name)) return true;
  const callee = call.callee;
  if (callee.type !== 'attribute') return false;
  const object = callee.childForFieldName('object');
  if (object === null) return false;
  // Markup("<b>{}</b>").format(x), Markup(", ").join(items), cleaner.clean(x)
  if (['format', 'join'].includes(call.methodName ?? ''))
    return isMarkupObject(model, object, depth + 1);
  const cleaner = call.methodName === 'clean' ? model.constructedBy(object) : undefined;
  return cleaner === 'bleach.sanitizer.Cleaner' || cleaner === 'bleach.Cleaner';
}

/** A `Markup(...)` object made from safe text. */
function isMarkupObject(model: SemanticModel, node: SyntaxNode, depth: number): boolean {
  const value = unwrapParens(model.resolveValue(node));
  if (value.type !== 'call') return false;
  const call = model.call(value);
  if (call.qualifiedName === undefined || !MARKUP_CLASSES.has(call.qualifiedName)) return false;
  const text = call.positional[0];
  return text === undefined || htmlShape(model, text, depth + 1).kind === 'safe';
}
