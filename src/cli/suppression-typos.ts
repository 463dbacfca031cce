/**
 * Suppression comments that name no rule. `# pyguard: ignore[PGD03]` on the line of a reported
 * finding suppresses nothing, silently; the CLI says so, with the closest rule name. Only the
 * lines of findings still reported are looked at: a comment elsewhere changes nothing. Pure.
 */
import { parseSuppressionComment } from '../engine/suppressions.js';
import type { FileResult, Finding } from '../engine/types.js';
import { didYouMean } from './suggest.js';

/** What the warnings need to know about the rules: every name, retired ones included. */
export interface KnownRules {
  has: (name: string) => boolean;
  names: readonly string[];
}

/**
 * One warning per `# pyguard: ignore[...]` comment on a reported (unsuppressed) finding's lines
 * that names something which is not a rule: `app.py:3: …; did you mean 'PGD003'?`.
 */
export function unknownSuppressionWarnings(
  results: readonly FileResult[],
  rules: KnownRules,
): string[] {
  const warnings: string[] = [];
  for (const result of results) {
    const seen = new Set<number>();
    for (const finding of result.findings) {
      if (finding.suppression !== undefined) continue;
      for (const { line, text } of findingLines(finding)) {
        if (seen.has(line)) continue;
        seen.add(line);
        const warning = lineWarning(result.path, line, text, finding, rules);
        if (warning !== undefined) warnings.push(warning);
      }
    }
  }
  return warnings;
}

/** The finding's lines, as far as its snippet holds them. */
function findingLines(finding: Finding): { line: number; text: string }[] {
  const count = finding.span.end.line - finding.span.start.line + 1;
  return finding.snippet
    .split('\n')
    .slice(0, count)
    .map((text, index) => ({ line: finding.span.start.line + index, text }));
}

function lineWarning(
  path: string,
  line: number,
  text: string,
  finding: Finding,
  rules: KnownRules,
): string | undefined {
  const start = /#\s*pyguard\s*:/i.exec(text)?.index;
  if (start === undefined) return undefined;
  const parsed = parseSuppressionComment(text.slice(start), line);
  if (parsed?.kind !== 'pyguard') return undefined;
  const unknown = namesIn(parsed.comment).filter((name) => !rules.has(name));
  const [first] = unknown;
  if (first === undefined) return undefined;
  const listed = unknown.map((name) => `'${name}'`).join(', ');
  const what = unknown.length === 1 ? `${listed} is not a rule` : `${listed} are not rules`;
  const hint = unknown.length === 1 ? didYouMean(first, rules.names) : '';
  return `${path}:${line}: ${what} in '${parsed.comment}', so ${finding.ruleId} is still reported${hint}`;
}

/** The names in `ignore[...]`, as written. */
function namesIn(comment: string): string[] {
  const list = /ignore\s*\[([^\]]*)\]/i.exec(comment)?.[1] ?? '';
  return list.split(/[\s,]+/).filter((name) => name !== '');
}
