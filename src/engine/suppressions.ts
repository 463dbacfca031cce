/**
 * Inline suppression comments: `# pyguard: ignore[ID or slug] reason`, bare `# pyguard: ignore`,
 * bandit's `# nosec` / `# nosec B608`, and ruff's `# noqa: S608`.
 */
import { delimitedRegions } from './delimited.js';
import type { SyntaxNode } from './parse.js';
import { linesInsideStrings } from './string-lines.js';
import type { Suppression, SuppressionKind } from './types.js';

export interface SuppressionComment {
  kind: SuppressionKind;
  line: number;
  comment: string;
  /** Upper-cased codes or slugs named by the comment; empty means "everything". */
  codes: string[];
  reason?: string;
}

const PYGUARD = /#\s*pyguard\s*:\s*ignore\b(?:\s*\[([^\]]*)\])?\s*(?:[:\-–—]\s*)?(.*)$/i;
const NOSEC = /#\s*nosec\b(?::?\s*((?:[A-Za-z]\d{3}\b[\s,]*)+))?/;
const NOQA = /#\s*noqa\s*:\s*((?:[A-Za-z]+\d+\b[\s,]*)+)/i;

function splitCodes(list: string | undefined): string[] {
  if (list === undefined) return [];
  return list
    .split(/[\s,]+/)
    .map((code) => code.trim().toUpperCase())
    .filter((code) => code !== '');
}

/** Parses the suppression in one comment's text, if any. */
export function parseSuppressionComment(
  comment: string,
  line: number,
): SuppressionComment | undefined {
  const pyguard = PYGUARD.exec(comment);
  if (pyguard !== null) {
    const reason = pyguard[2]?.trim();
    const parsed: SuppressionComment = {
      kind: 'pyguard',
      line,
      comment: comment.trim(),
      codes: splitCodes(pyguard[1]),
    };
    if (reason !== undefined && reason !== '') parsed.reason = reason;
    return parsed;
  }
  const nosec = NOSEC.exec(comment);
  if (nosec !== null)
    return { kind: 'nosec', line, comment: comment.trim(), codes: splitCodes(nosec[1]) };
  const noqa = NOQA.exec(comment);
  if (noqa !== null)
    return { kind: 'noqa', line, comment: comment.trim(), codes: splitCodes(noqa[1]) };
  return undefined;
}

/**
 * The 1-based line of an offset, for offsets asked in increasing order (each call continues
 * counting newlines where the previous one stopped).
 */
function lineCounter(text: string): (index: number) => number {
  let lineNumber = 1;
  let lineCursor = 0;
  return (index) => {
    for (
      let i = text.indexOf('\n', lineCursor);
      i !== -1 && i < index;
      i = text.indexOf('\n', i + 1)
    ) {
      lineNumber++;
      lineCursor = i + 1;
    }
    return lineNumber;
  };
}

const KEYWORD = /\b(?:pyguard|nosec|noqa)\b/gi;
const LEADING_BLANKS = /^[ \t\f]*/;

/** Start and end offsets of a comment in the text. */
interface CommentRange {
  start: number;
  end: number;
}

/**
 * The whole-line comment holding `index`, if the line is one: the parser reads such lines
 * blanked (see `maskCommentLines`), so the tree cannot vouch for them; a linear pass over the
 * strings of the file does instead.
 */
function wholeLineComment(
  text: string,
  index: number,
  insideStrings: () => ReadonlySet<number>,
): CommentRange | undefined {
  const lineStart = text.lastIndexOf('\n', index - 1) + 1;
  const blanks = LEADING_BLANKS.exec(text.slice(lineStart, index))?.[0].length ?? 0;
  const hash = lineStart + blanks;
  if (text[hash] !== '#' || hash >= index) return undefined;
  if (lineStart >= 2 && text[lineStart - 2] === '\\') return undefined;
  if (insideStrings().has(lineStart)) return undefined;
  const lineEnd = text.indexOf('\n', index);
  return { start: hash, end: lineEnd < 0 ? text.length : lineEnd };
}

/**
 * Finds suppression comments by line. Text is searched first (cheap), and each hit is confirmed
 * to be a real comment, by the tree or, for whole-line comments, by the strings around it, so
 * `"# nosec"` inside a string does not count. The search looks for the keyword, not for `#`
 * followed by it, so it stays linear on lines made of `#`.
 */
export function findSuppressions(
  text: string,
  root: SyntaxNode,
): Map<number, SuppressionComment[]> {
  const byLine = new Map<number, SuppressionComment[]>();
  const lineOf = lineCounter(text);
  let strings: Set<number> | undefined;
  const insideStrings = (): Set<number> => (strings ??= linesInsideStrings(text));
  KEYWORD.lastIndex = 0;
  for (let match = KEYWORD.exec(text); match !== null; match = KEYWORD.exec(text)) {
    const node = root.descendantForIndex(match.index);
    const comment: CommentRange | undefined =
      node.type === 'comment'
        ? { start: node.startIndex, end: node.endIndex }
        : wholeLineComment(text, match.index, insideStrings);
    if (comment === undefined) continue;
    // One look per comment, however many keywords it holds.
    KEYWORD.lastIndex = Math.max(KEYWORD.lastIndex, comment.end);
    const lineNumber = lineOf(comment.start);
    const parsed = parseSuppressionComment(text.slice(comment.start, comment.end), lineNumber);
    if (parsed === undefined) continue;
    const list = byLine.get(lineNumber) ?? [];
    list.push(parsed);
    byLine.set(lineNumber, list);
  }
  return byLine;
}

export interface SuppressibleRule {
  id: string;
  slug: string;
  bandit: readonly string[];
  ruff: readonly string[];
}

/** Whether one suppression comment covers a rule. */
export function suppresses(comment: SuppressionComment, rule: SuppressibleRule): boolean {
  if (comment.codes.length === 0) return comment.kind !== 'noqa';
  return comment.codes.some((code) => {
    if (code === rule.id.toUpperCase() || code === rule.slug.toUpperCase()) return true;
    if (comment.kind === 'nosec') return rule.bandit.includes(code);
    if (comment.kind === 'noqa') return rule.ruff.includes(code);
    return false;
  });
}

/** The suppression that applies to a finding spanning the given lines, if any. */
export function suppressionFor(
  byLine: ReadonlyMap<number, SuppressionComment[]>,
  rule: SuppressibleRule,
  startLine: number,
  endLine: number,
): Suppression | undefined {
  if (byLine.size === 0) return undefined;
  for (let line = startLine; line <= endLine; line++) {
    for (const comment of byLine.get(line) ?? []) {
      if (!suppresses(comment, rule)) continue;
      const suppression: Suppression = {
        kind: comment.kind,
        comment: comment.comment,
        line: comment.line,
      };
      if (comment.reason !== undefined) suppression.reason = comment.reason;
      return suppression;
    }
  }
  return undefined;
}

/** Template comments (`{# #}`, `<!-- -->`), and the tags that may hold comment look-alikes. */
const TEMPLATE_DELIMITERS = [
  ['{#', '#}'],
  ['<!--', '-->'],
  ['{{', '}}'],
  ['{%', '%}'],
] as const;
const TEMPLATE_COMMENT_PAIRS = 2;

/**
 * Suppression comments of a template: `{# pyguard: ignore[ID or slug] reason #}` or
 * `<!-- pyguard: ignore[...] -->`. A comment covers the lines it spans and the line below it
 * (a template line often has no room for a comment). bandit and ruff codes mean nothing here.
 */
export function findTemplateSuppressions(text: string): Map<number, SuppressionComment[]> {
  const byLine = new Map<number, SuppressionComment[]>();
  const lineOf = lineCounter(text);
  for (const region of delimitedRegions(text, TEMPLATE_DELIMITERS)) {
    if (region.pair >= TEMPLATE_COMMENT_PAIRS) continue;
    const [open, close] = TEMPLATE_DELIMITERS[region.pair] ?? ['', ''];
    const whole = text.slice(region.start, region.end);
    const body = whole.slice(open.length, whole.length - close.length);
    if (!/pyguard/i.test(body)) continue;
    const startLine = lineOf(region.start);
    const parsed = parseSuppressionComment(`# ${body.replace(/\s+/g, ' ').trim()}`, startLine);
    if (parsed?.kind !== 'pyguard') continue;
    const comment: SuppressionComment = { ...parsed, comment: whole };
    const endLine = lineOf(region.end - 1);
    for (let line = startLine; line <= endLine + 1; line++) {
      const list = byLine.get(line) ?? [];
      list.push(comment);
      byLine.set(line, list);
    }
  }
  return byLine;
}
