/**
 * The golden record of a rule's fixture run: every finding with everything a user reads of it
 * (place, message id, grade, message, dataflow steps, fix), as plain text meant for review in a
 * diff. `npx vitest run -u` rewrites the records; a change fails the test until it is reviewed.
 */
import type { Finding, Span } from '../../src/engine/types.js';

/** `12:5-12:40`: start and (exclusive) end of a span, in 1-based lines and columns. */
export function formatSpan(span: Span): string {
  return `${span.start.line}:${span.start.column}-${span.end.line}:${span.end.column}`;
}

/**
 * One finding as a block of indented lines under its place, message id and grade; `markAudit`
 * adds `(audit profile only)` to findings the default profile does not report.
 */
export function formatFinding(finding: Finding, markAudit = false): string {
  const audit = markAudit && finding.profile === 'audit' ? ' (audit profile only)' : '';
  const lines = [
    `${formatSpan(finding.span)} ${finding.messageId} [${finding.severity} severity, ${finding.confidence} confidence]${audit}`,
    `  code: ${finding.snippet.split('\n')[0]?.trim() ?? ''}`,
    `  message: ${finding.message}`,
  ];
  if (finding.flow !== undefined) {
    lines.push('  flow:');
    finding.flow.forEach((step, index) => {
      lines.push(`    ${index + 1}. ${step.line}:${step.column} ${step.label}`);
    });
  }
  if (finding.fix !== undefined) {
    const { fix } = finding;
    lines.push(`  fix: ${fix.description}`);
    lines.push(`    replace ${formatSpan(fix.span)} with ${JSON.stringify(fix.replacement)}`);
    for (const edit of fix.additionalEdits ?? []) {
      const what = edit.description === undefined ? '' : ` (${edit.description})`;
      lines.push(
        `    and ${formatSpan(edit.span)} with ${JSON.stringify(edit.replacement)}${what}`,
      );
    }
  }
  return lines.join('\n');
}

/** The findings of one fixture file, in the order the engine returns them. */
export function formatFixtureRun(
  path: string,
  findings: readonly Finding[],
  markAudit = false,
): string {
  const count = `${findings.length} finding${findings.length === 1 ? '' : 's'}`;
  return [`## ${path} (${count})`, ...findings.map((f) => formatFinding(f, markAudit))].join(
    '\n\n',
  );
}

/**
 * The whole golden file of a rule: a title line, then one section per fixture. `markAudit` (for
 * rules the default profile runs) marks the findings only the audit profile reports.
 */
export function formatGolden(
  title: string,
  runs: readonly { path: string; findings: readonly Finding[] }[],
  markAudit = false,
): string {
  const sections = runs.map((run) => formatFixtureRun(run.path, run.findings, markAudit));
  return `${[`# ${title}`, ...sections].join('\n\n')}\n`;
}
