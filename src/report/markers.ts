/**
 * What PyGuard embeds in the Markdown it posts on GitHub: hidden markers that let a later scan
 * recognise its own comments and reviews, and the escaping that keeps untrusted text (paths,
 * messages, source code) from breaking the layout, injecting HTML, mentioning people or forging
 * a marker.
 */
import { escapeForTerminal } from './ansi.js';

/** Identifies a review body written by PyGuard. */
export const REVIEW_MARKER = '<!-- pyguard:review -->';

const MARKER_PREFIX = '<!-- pyguard:fp=';
const MARKER_SUFFIX = ' -->';
/** A marker alone on its line; forged text inside a line or a code line never matches. */
const MARKER_LINE = /^<!-- pyguard:fp=([^\s>]+) -->$/gm;

/**
 * The hidden marker carrying a finding's fingerprint: `<!-- pyguard:fp=<fp> -->`. Characters
 * that could end the HTML comment are percent-encoded (engine fingerprints are hex and stay as
 * they are).
 */
export function fingerprintMarker(fingerprint: string): string {
  return `${MARKER_PREFIX}${encodeURIComponent(fingerprint)}${MARKER_SUFFIX}`;
}

/**
 * The fingerprints of every marker in a comment or review body, in order, without duplicates.
 * Only markers on a line of their own count. Read markers only from bodies PyGuard wrote:
 * anyone can type one into their own comment.
 */
export function findFingerprintMarkers(body: string): string[] {
  const found = new Set<string>();
  for (const match of body.replace(/\r\n?/g, '\n').matchAll(MARKER_LINE)) {
    const encoded = match[1];
    if (encoded === undefined) continue;
    try {
      found.add(decodeURIComponent(encoded));
    } catch {
      // A malformed escape is not one of ours.
    }
  }
  return [...found];
}

/** Whether text may be shown inside a code block as it is (no controls, no bidi overrides). */
export function isDisplaySafe(text: string): boolean {
  return text.split('\n').every((line) => escapeForTerminal(line) === line);
}

/** One line of untrusted text: line breaks become spaces, controls become visible stand-ins. */
function oneLine(text: string): string {
  return escapeForTerminal(text.replace(/\r\n|\r|\n/g, ' '));
}

/**
 * Untrusted text as literal Markdown on one line: every character that could start emphasis,
 * a link, a code span, HTML or an entity is backslash-escaped, and `@name` cannot mention
 * anyone. Pipes are left to {@link tableCell}.
 */
export function escapeMarkdown(text: string): string {
  return oneLine(text)
    .replace(/[\\`*_[\]<>~&!#]/g, (char) => `\\${char}`)
    .replace(/@(?=[\w-])/g, '@&#8203;');
}

/** Untrusted text as a code span, with a fence longer than any backtick run inside it. */
export function codeSpan(text: string): string {
  const content = oneLine(text);
  if (content === '') return '` `';
  const fence = '`'.repeat(longestRun(content, '`') + 1);
  const pad = /^[` ]|[` ]$/.test(content) ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}

/**
 * Untrusted text that may contain `code` in backticks (rule messages quote the source): each
 * backtick pair becomes a code span, everything else is escaped.
 */
export function inlineMarkdown(text: string): string {
  const parts: string[] = [];
  let last = 0;
  for (const match of text.matchAll(/`([^`\r\n]+)`/g)) {
    parts.push(escapeMarkdown(text.slice(last, match.index)));
    parts.push(codeSpan(match[1] ?? ''));
    last = match.index + match[0].length;
  }
  parts.push(escapeMarkdown(text.slice(last)));
  return parts.join('');
}

/** Rendered Markdown made safe for a table cell: every pipe escaped (also inside code spans). */
export function tableCell(markdown: string): string {
  return markdown.replace(/\r\n|\r|\n/g, ' ').replace(/\|/g, '\\|');
}

/** A Markdown link to a URL we produce; characters that would end the destination are encoded. */
export function markdownLink(label: string, url: string): string {
  const safe = url.replace(/[\s()<>|`]/g, (char) => encodeURIComponent(char));
  return `[${label}](${safe})`;
}

/** A fenced code block (```info) whose fence is longer than any backtick run in the content. */
export function fencedBlock(content: string, info = ''): string {
  const fence = '`'.repeat(Math.max(3, longestRun(content, '`') + 1));
  return `${fence}${info}\n${content}\n${fence}`;
}

/** Length of the longest run of `char` in `text`. */
export function longestRun(text: string, char: string): number {
  let longest = 0;
  let current = 0;
  for (const c of text) {
    current = c === char ? current + 1 : 0;
    if (current > longest) longest = current;
  }
  return longest;
}

/**
 * As many of `lines` as fit in `budget` UTF-8 bytes (each counted with its newline), followed by
 * `more(n)` when `n` lines were left out; `shown` is how many of `lines` were kept. The result
 * fits whenever `budget` can hold the `more` line.
 */
export function boundedLines(
  lines: readonly string[],
  budget: number,
  more: (omitted: number) => string,
): { lines: string[]; shown: number } {
  const kept: string[] = [];
  let used = 0;
  for (const [index, line] of lines.entries()) {
    const remaining = lines.length - index - 1;
    const reserve = remaining > 0 ? byteLength(more(remaining)) + 1 : 0;
    const size = byteLength(line) + 1;
    if (used + size + reserve > budget) {
      return { lines: [...kept, more(lines.length - index)], shown: index };
    }
    kept.push(line);
    used += size;
  }
  return { lines: kept, shown: lines.length };
}

/** A commit SHA for Markdown: its first 7 hex digits (GitHub links them), else a code span. */
export function shortSha(sha: string): string {
  return /^[0-9a-f]{7,64}$/i.test(sha) ? sha.slice(0, 7) : codeSpan(clampText(sha, 40));
}

/** UTF-8 size of a string: the strictest reading of GitHub's length limits. */
export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Text cut to at most `max` UTF-16 units, ending with `…` when cut; never splits a pair. */
export function clampText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/** Text cut to at most `max` UTF-8 bytes, ending with `…` when cut. */
export function clampBytes(text: string, max: number): string {
  if (byteLength(text) <= max) return text;
  let low = 0;
  let high = text.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (byteLength(clampText(text, middle)) <= max) low = middle;
    else high = middle - 1;
  }
  return clampText(text, low);
}

/**
 * Markdown we or a rule wrote, as plain text for fields GitHub shows verbatim (annotations):
 * code spans lose their backticks, `**bold**` its stars, links become `label (url)`.
 */
export function plainText(markdown: string): string {
  return markdown
    .replace(/\[([^\]\n]*)\]\(([^)\s]+)\)/g, '$1 ($2)')
    .replace(/(`+)(?!`)([^\n]*?[^`\n])\1(?!`)/g, (_span, _fence, content: string) =>
      content.startsWith(' ') && content.endsWith(' ') ? content.slice(1, -1) : content,
    )
    .replace(/\*\*([^*\n]+)\*\*/g, '$1');
}
