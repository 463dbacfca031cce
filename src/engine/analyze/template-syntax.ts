/**
 * Reading Django and Jinja2 templates without a parser: comments and literal blocks blanked
 * out (offsets kept), the `{{ ... }}` / `{% ... %}` tags in order, the filter chain of an
 * expression (`value|escape|safe`), HTML start tags with their attributes, and turning offsets
 * into the lines and columns a template report wants.
 */

import { delimitedRegions, type DelimitedRegion } from '../delimited.js';
import { lineStartsOf } from '../templates.js';

/** A `{{ expression }}` (variable) or `{% name args %}` (block) tag. */
export interface TemplateTag {
  kind: 'variable' | 'block';
  /** Offsets of the whole tag, `{{` to `}}` inclusive (end exclusive). */
  start: number;
  end: number;
  /** The text inside the delimiters, without whitespace-control marks and outer spaces. */
  body: string;
  /** Block tags: the first word (`autoescape`, `endautoescape`, `csrf_token`); else ''. */
  name: string;
  /** Block tags: the text after the name. */
  args: string;
}

/** One filter of a chain: `escape`, `default:"x"`, `truncate(20)`. */
export interface TemplateFilter {
  name: string;
  /** The argument text after the name (`:"x"`, `(20)`), or ''. */
  args: string;
}

/** An HTML attribute of a start tag. */
export interface HtmlAttribute {
  name: string;
  /** The value without quotes, or undefined for a bare attribute (`disabled`). */
  value: string | undefined;
  quoted: boolean;
  /** Offset of the value (after an opening quote), or of the name for a bare attribute. */
  valueStart: number;
}

/** An HTML start tag such as `<form method="post" action="{{ url }}">`. */
export interface HtmlStartTag {
  /** Lower-cased element name. */
  name: string;
  start: number;
  /** Offset just after the closing `>` (or the end of the text). */
  end: number;
  attributes: HtmlAttribute[];
}

/** Delimiters of template comments, tags and HTML comments, in the order `delimitedRegions` takes. */
const DELIMITERS = [
  ['{#', '#}'],
  ['{{', '}}'],
  ['{%', '%}'],
  ['<!--', '-->'],
] as const;
const COMMENT = 0;
const VARIABLE = 1;
const HTML_COMMENT = 3;
/** Blocks whose content is not template code: `{% comment %}`, `{% verbatim %}`, `{% raw %}`. */
const LITERAL_BLOCKS: ReadonlyMap<string, string> = new Map([
  ['comment', 'endcomment'],
  ['verbatim', 'endverbatim'],
  ['raw', 'endraw'],
]);

function tagOf(text: string, region: DelimitedRegion): TemplateTag {
  const inner = text
    .slice(region.start + 2, region.end - 2)
    .replace(/^[-+]|[-+]$/g, '')
    .trim();
  const { start, end } = region;
  if (region.pair === VARIABLE)
    return { kind: 'variable', start, end, body: inner, name: '', args: '' };
  const name = /^\w+/.exec(inner)?.[0] ?? '';
  return { kind: 'block', start, end, body: inner, name, args: inner.slice(name.length).trim() };
}

interface Scan {
  tags: TemplateTag[];
  /** Ranges to blank: comments, literal blocks and (when asked) HTML comments. */
  hidden: [number, number][];
}

/** One linear pass over a template: its tags, and what a reader of its code should not see. */
function scanTemplate(text: string, htmlComments: boolean): Scan {
  const scan: Scan = { tags: [], hidden: [] };
  let literal: { end: string; start: number } | undefined;
  for (const region of delimitedRegions(text, htmlComments ? DELIMITERS : DELIMITERS.slice(0, 3))) {
    if (region.pair === COMMENT || region.pair === HTML_COMMENT) {
      if (literal === undefined) scan.hidden.push([region.start, region.end]);
      continue;
    }
    const tag = tagOf(text, region);
    if (literal !== undefined) {
      if (tag.name !== literal.end) continue;
      scan.hidden.push([literal.start, region.end]);
      literal = undefined;
      continue;
    }
    const end = tag.kind === 'block' ? LITERAL_BLOCKS.get(tag.name) : undefined;
    if (end !== undefined) literal = { end, start: region.start };
    else scan.tags.push(tag);
  }
  // A literal block left open runs to the end (the template would not compile anyway).
  if (literal !== undefined) scan.hidden.push([literal.start, text.length]);
  return scan;
}

/**
 * The text with template comments (`{# #}`, `{% comment %}`), literal blocks (`{% verbatim %}`,
 * `{% raw %}`) and, when asked, HTML comments replaced by spaces: same length, same lines.
 */
export function maskTemplate(text: string, options: { htmlComments?: boolean } = {}): string {
  const { hidden } = scanTemplate(text, options.htmlComments === true);
  if (hidden.length === 0) return text;
  const parts: string[] = [];
  let from = 0;
  for (const [start, end] of hidden) {
    parts.push(text.slice(from, start), text.slice(start, end).replace(/[^\n]/g, ' '));
    from = end;
  }
  parts.push(text.slice(from));
  return parts.join('');
}

/** Every `{{ }}` and `{% %}` tag of a (masked) template, in order. */
export function templateTags(masked: string): TemplateTag[] {
  return scanTemplate(masked, false).tags;
}

/** Splits at a separator outside quotes and brackets. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quote !== undefined) {
      if (char === '\\') i++;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '(' || char === '[' || char === '{') depth++;
    else if (char === ')' || char === ']' || char === '}') depth--;
    else if (char === separator && depth === 0) {
      parts.push(text.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(text.slice(from));
  return parts;
}

/** `user.name|default:"x"|safe` → base `user.name`, filters `default` and `safe`. */
export function filterChain(expression: string): { base: string; filters: TemplateFilter[] } {
  const [base = '', ...rest] = splitTopLevel(expression, '|');
  const filters = rest.map((part) => {
    const trimmed = part.trim();
    const name = /^[A-Za-z_]\w*/.exec(trimmed)?.[0] ?? trimmed;
    return { name, args: trimmed.slice(name.length).trim() };
  });
  return { base: base.trim(), filters };
}

const STRING = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g;

/**
 * Whether an expression or a filter's argument text holds only constants: string and number
 * literals, booleans, `None`, and translated literals such as `_("Hello")`.
 */
export function isConstantText(text: string): boolean {
  const withoutStrings = text.replace(STRING, '0');
  const withoutTranslations = withoutStrings.replace(/\b(?:_|gettext|pgettext)\s*\(/g, '(');
  const withoutWords = withoutTranslations.replace(/\b(?:True|False|None|true|false|none)\b/g, '0');
  return /^[\s\d.,:()+\-*/~]*$/.test(withoutWords) && withoutWords.trim() !== '';
}

/**
 * When a `{{ }}` or `{% %}` tag starts at `i`, the offset just after it (past the end of the
 * text when it is not closed); otherwise undefined.
 */
function templateTagEnd(masked: string, i: number): number | undefined {
  if (masked[i] !== '{' || (masked[i + 1] !== '{' && masked[i + 1] !== '%')) return undefined;
  const close = masked.indexOf(masked[i + 1] === '{' ? '}}' : '%}', i + 2);
  return close === -1 ? masked.length + 1 : close + 2;
}

/** Offset just after the `>` ending a start tag that begins at `from`, skipping quotes and tags. */
function startTagEnd(masked: string, from: number): number {
  let quote: string | undefined;
  for (let i = from; i < masked.length; i++) {
    const char = masked[i];
    const tagEnd = templateTagEnd(masked, i);
    if (tagEnd !== undefined) {
      if (tagEnd > masked.length) return masked.length;
      i = tagEnd - 1;
    } else if (quote !== undefined) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '>') return i + 1;
  }
  return masked.length;
}

const ATTRIBUTE_NAME = /[^\s"'>/=]+/y;

/** The attributes between a start tag's name and its `>`. */
function attributesOf(masked: string, from: number, end: number): HtmlAttribute[] {
  const attributes: HtmlAttribute[] = [];
  let i = from;
  while (i < end) {
    const char = masked[i] ?? '';
    if (/[\s/>]/.test(char)) {
      i++;
      continue;
    }
    const tagEnd = templateTagEnd(masked, i);
    if (tagEnd !== undefined) {
      i = Math.min(tagEnd, end);
      continue;
    }
    ATTRIBUTE_NAME.lastIndex = i;
    const name = ATTRIBUTE_NAME.exec(masked)?.[0];
    if (name === undefined) {
      i++;
      continue;
    }
    const nameStart = i;
    i += name.length;
    const equals = /^\s*=\s*/.exec(masked.slice(i, end));
    if (equals === null) {
      attributes.push({
        name: name.toLowerCase(),
        value: undefined,
        quoted: false,
        valueStart: nameStart,
      });
      continue;
    }
    i += equals[0].length;
    const quote = masked[i];
    if (quote === '"' || quote === "'") {
      const close = masked.indexOf(quote, i + 1);
      const valueEnd = close === -1 || close > end ? end : close;
      attributes.push({
        name: name.toLowerCase(),
        value: masked.slice(i + 1, valueEnd),
        quoted: true,
        valueStart: i + 1,
      });
      i = valueEnd + 1;
      continue;
    }
    // Unquoted: up to white space or `>`, taking template tags (which hold spaces) whole.
    const valueStart = i;
    while (i < end && !/[\s>]/.test(masked[i] ?? '')) {
      i = Math.min(templateTagEnd(masked, i) ?? i + 1, end);
    }
    attributes.push({
      name: name.toLowerCase(),
      value: masked.slice(valueStart, i),
      quoted: false,
      valueStart,
    });
  }
  return attributes;
}

const START_TAG = /<([A-Za-z][\w:-]*)/g;
const RAW_TEXT_ELEMENTS = new Set(['script', 'style', 'textarea', 'title']);

/** HTML start tags of a (masked) template, in order; the text of `<script>` and the like is skipped. */
export function htmlStartTags(masked: string): HtmlStartTag[] {
  const tags: HtmlStartTag[] = [];
  let lower: string | undefined;
  const pattern = new RegExp(START_TAG.source, 'g');
  for (let match = pattern.exec(masked); match !== null; match = pattern.exec(masked)) {
    const name = (match[1] ?? '').toLowerCase();
    const start = match.index;
    const end = startTagEnd(masked, start + match[0].length);
    tags.push({
      name,
      start,
      end,
      attributes: attributesOf(masked, start + match[0].length, end - 1),
    });
    pattern.lastIndex = end;
    if (RAW_TEXT_ELEMENTS.has(name)) {
      lower ??= masked.toLowerCase();
      const close = lower.indexOf(`</${name}`, end);
      pattern.lastIndex = close === -1 ? masked.length : close;
    }
  }
  return tags;
}

/** A template report's position for the text between two offsets. */
export interface TemplateLocation {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** Turns offsets of `text` into 1-based lines and columns (end exclusive). */
export function templateLocator(text: string): (start: number, end: number) => TemplateLocation {
  const lineStarts = lineStartsOf(text);
  const position = (offset: number): { line: number; column: number } => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((lineStarts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - (lineStarts[low] ?? 0) + 1 };
  };
  return (start, end) => {
    const from = position(start);
    const to = position(end);
    return { line: from.line, column: from.column, endLine: to.line, endColumn: to.column };
  };
}
