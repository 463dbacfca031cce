/**
 * Whether a value is safe to mark as HTML (`mark_safe`, `Markup`): a literal, a constant, the
 * result of an escaping or sanitising function (`escape`, `format_html`, `bleach.clean`,
 * `render_to_string`), an operation on a `Markup` object (which escapes its operands), or a
 * string built only from such parts. Otherwise, how the value was made.
 *
 * Which classes count as `Markup` and which calls as sanitisers can be changed per rule
 * ({@link HtmlSafety}, e.g. from rule options); escaping functions are always trusted.
 */
import { analyseString, type BuildKind } from './string-build.js';
import { isInertValue } from './inert-value.js';
import { unwrapParens, type SemanticModel } from '../model.js';
import type { SyntaxNode } from '../parse.js';

export type HtmlShape =
  | { kind: 'safe' }
  /** `hole`: the first spliced-in value that is not escaped. */
  | { kind: 'built'; how: BuildKind; hole: SyntaxNode }
  | { kind: 'dynamic' };

/** Functions whose result is escaped HTML (always trusted). */
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

/**
 * Sanitisers of user-written HTML whose result may be marked safe. A method of an object is
 * named by the class that made it: `bleach.sanitizer.Cleaner.clean` is `cleaner.clean(x)` where
 * `cleaner = bleach.sanitizer.Cleaner(...)`.
 */
export const HTML_SANITISERS: readonly string[] = [
  'bleach.clean',
  'bleach.linkify',
  'bleach.Cleaner.clean',
  'bleach.sanitizer.Cleaner.clean',
  'nh3.clean',
];

/** What counts as a `Markup` class and as a sanitiser when deciding whether HTML is safe. */
export interface HtmlSafety {
  markupClasses: ReadonlySet<string>;
  /** Qualified names of sanitising functions, or `<class>.<method>` for methods. */
  sanitisers: ReadonlySet<string>;
}

/** A policy with `markupClasses` and `sanitisers` (its methods are looked up by name). */
export function htmlSafety(
  markupClasses: Iterable<string>,
  sanitisers: Iterable<string>,
): HtmlSafety {
  return { markupClasses: new Set(markupClasses), sanitisers: new Set(sanitisers) };
}

export const DEFAULT_HTML_SAFETY: HtmlSafety = htmlSafety(MARKUP_CLASSES, HTML_SANITISERS);

const MAX_DEPTH = 6;

export function htmlShape(
  model: SemanticModel,
  node: SyntaxNode,
  safety: HtmlSafety = DEFAULT_HTML_SAFETY,
  depth = 0,
): HtmlShape {
  if (isHtmlSafe(model, node, safety, depth)) return { kind: 'safe' };
  const build = analyseString(model, node);
  if (build === undefined) return { kind: 'dynamic' };
  if (build.how === undefined) return { kind: 'safe' };
  for (const piece of build.pieces) {
    if (piece.kind === 'hole' && !isHtmlSafe(model, piece.node, safety, depth + 1))
      return { kind: 'built', how: build.how, hole: piece.node };
  }
  return { kind: 'safe' };
}

/** Whether one value is escaped, sanitised, constant or `Markup`-made. */
export function isHtmlSafe(
  model: SemanticModel,
  node: SyntaxNode,
  safety: HtmlSafety = DEFAULT_HTML_SAFETY,
  depth = 0,
): boolean {
  if (depth > MAX_DEPTH) return false;
  if (isInertValue(model, node)) return true;
  const value = unwrapParens(model.resolveValue(node));
  if (value.type === 'binary_operator') {
    // Markup("<b>%s</b>") % x, Markup("<br>") + x
    const left = value.childForFieldName('left');
    return left !== null && isMarkupObject(model, left, safety, depth + 1);
  }
  if (value.type !== 'call') return false;
  const call = model.call(value);
  const name = call.qualifiedName;
  if (name !== undefined && (ESCAPERS.has(name) || safety.sanitisers.has(name))) return true;
  const callee = call.callee;
  const method = call.methodName;
  if (callee.type !== 'attribute' || method === undefined) return false;
  const object = callee.childForFieldName('object');
  if (object === null) return false;
  // Markup("<b>{}</b>").format(x), Markup(", ").join(items)
  if (method === 'format' || method === 'join')
    return isMarkupObject(model, object, safety, depth + 1);
  // cleaner.clean(x) with cleaner = bleach.sanitizer.Cleaner()
  if (!hasMethod(safety, method)) return false;
  const maker = model.constructedBy(object);
  return maker !== undefined && safety.sanitisers.has(`${maker}.${method}`);
}

/** Whether some sanitiser is a method of this name (a cheap test before `constructedBy`). */
function hasMethod(safety: HtmlSafety, method: string): boolean {
  const suffix = `.${method}`;
  for (const name of safety.sanitisers) if (name.endsWith(suffix)) return true;
  return false;
}

/** A `Markup(...)` object made from safe text. */
function isMarkupObject(
  model: SemanticModel,
  node: SyntaxNode,
  safety: HtmlSafety,
  depth: number,
): boolean {
  const value = unwrapParens(model.resolveValue(node));
  if (value.type !== 'call') return false;
  const call = model.call(value);
  const name = call.qualifiedName;
  if (name === undefined || !safety.markupClasses.has(name)) return false;
  const text = call.positional[0];
  return text === undefined || htmlShape(model, text, safety, depth + 1).kind === 'safe';
}
