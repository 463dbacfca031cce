/**
 * Runs the manifest rules on one parsed manifest. Findings go through the engine's pipeline
 * (fingerprints, `# pyguard: ignore[...]` comments on the requirement's line, the changed-line
 * and confidence filters), like Python and template findings. Pure.
 */
import { lineStartsOf } from '../engine/templates.js';
import {
  buildFindings,
  countLines,
  optionsFor,
  reportBasics,
  ruleErrorNotice,
  type RawReport,
  type ScanOptions,
} from '../engine/scan.js';
import { parseSuppressionComment, type SuppressionComment } from '../engine/suppressions.js';
import type { FileNotice, FileResult, Finding, Span, Suppression } from '../engine/types.js';
import type {
  AnyRule,
  ManifestAdvisory,
  ManifestContext,
  ManifestReportDescriptor,
} from '../rules-api/types.js';
import type { LineSpan, ParsedManifest } from './types.js';

export interface ManifestScanOptions extends Pick<
  ScanOptions,
  'severityOverrides' | 'ruleOptions' | 'addedLines' | 'minConfidence'
> {
  /** The rules to run; those without a `manifest` check are ignored. */
  rules: readonly AnyRule[];
  /** Advisories by package and version; undefined when the advisory audit was skipped. */
  advisories?: ((name: string, version: string) => readonly ManifestAdvisory[]) | undefined;
}

/** Scans one parsed manifest. Never throws: problems come back as notices naming their line. */
export function scanManifest(
  manifest: ParsedManifest,
  text: string,
  options: ManifestScanOptions,
): FileResult {
  const start = performance.now();
  const { path } = manifest;
  const notices: FileNotice[] = manifest.problems.map((problem) => {
    const where = problem.line === undefined ? '' : ` at line ${problem.line}`;
    const notice: FileNotice = {
      path,
      kind: 'syntax-error',
      message: `cannot read this ${describeKind(manifest)}${where}: ${problem.message}`,
    };
    if (problem.line !== undefined) notice.line = problem.line;
    return notice;
  });
  const lineStarts = lineStartsOf(text);
  const reports: RawReport[] = [];
  const configSuppressions = new Map<RawReport, Suppression>();
  for (const rule of options.rules) {
    if (rule.manifest === undefined) continue;
    const context: ManifestContext<string> = {
      path,
      text,
      manifest,
      options: optionsFor(rule, options.ruleOptions),
      advisories: (name, version) => options.advisories?.(name, version),
      report(descriptor) {
        const report = toRawReport(rule, descriptor, lineStarts, text, options);
        reports.push(report);
        if (descriptor.suppression !== undefined) {
          const suppression: Suppression = {
            kind: 'pyguard',
            comment: descriptor.suppression.comment,
            line: descriptor.span.line,
          };
          if (descriptor.suppression.reason !== undefined)
            suppression.reason = descriptor.suppression.reason;
          configSuppressions.set(report, suppression);
        }
      },
    };
    try {
      rule.manifest(context);
    } catch (error: unknown) {
      notices.push(ruleErrorNotice(path, rule, error, undefined));
    }
  }
  const bySpan = new Map<string, Suppression>();
  for (const [report, suppression] of configSuppressions)
    bySpan.set(reportKey(report.rule.meta.id, report.span, report.message), suppression);
  const findings = buildFindings(path, text, reports, options, () =>
    manifest.kind === 'pipfile-lock'
      ? new Map()
      : manifestSuppressions(text, manifest.kind === 'requirements'),
  ).map((finding): Finding => {
    const suppression = bySpan.get(reportKey(finding.ruleId, finding.span, finding.message));
    return suppression === undefined || finding.suppression !== undefined
      ? finding
      : { ...finding, suppression };
  });
  return {
    path,
    findings,
    notices,
    lines: countLines(text),
    timings: { parseMs: 0, rulesMs: performance.now() - start },
  };
}

function reportKey(ruleId: string, span: Span, message: string): string {
  return `${ruleId}:${span.start.line}:${span.start.column}:${message}`;
}

function describeKind(manifest: ParsedManifest): string {
  switch (manifest.kind) {
    case 'requirements':
      return 'requirements file';
    case 'pipfile-lock':
      return 'Pipfile.lock';
    case 'pipfile':
      return 'Pipfile';
    default:
      return 'file';
  }
}

function toRawReport(
  rule: AnyRule,
  descriptor: ManifestReportDescriptor<string>,
  lineStarts: readonly number[],
  text: string,
  options: ManifestScanOptions,
): RawReport {
  if (descriptor.fix !== undefined && !rule.meta.fixable)
    throw new Error('reported a fix but meta.fixable is false');
  const { span } = descriptor;
  const lineStart = lineStarts[span.line - 1];
  if (lineStart === undefined)
    throw new Error(`reported line ${span.line}, but the file has ${lineStarts.length} lines`);
  const report: RawReport = {
    ...reportBasics(rule, descriptor, options.severityOverrides),
    startIndex: Math.min(lineStart + span.column - 1, text.length),
    endIndex: Math.min(lineStart + span.endColumn - 1, text.length),
    span: spanOf(span),
  };
  if (descriptor.fix !== undefined) {
    report.fix = {
      description: descriptor.fix.description,
      span: spanOf(descriptor.fix.span),
      replacement: descriptor.fix.replacement,
    };
  }
  return report;
}

function spanOf(span: LineSpan): Span {
  return {
    start: { line: span.line, column: span.column },
    end: { line: span.line, column: span.endColumn },
  };
}

/**
 * `# pyguard: ignore[...]` (and `# nosec`) comments of a requirements or TOML file, by line.
 * A `#` starts a comment at the start of a line or after whitespace; quoted `#` in TOML strings
 * is skipped. In requirements files a comment on a `\` continuation line counts for the line the
 * requirement starts on (where its findings are).
 */
export function manifestSuppressions(
  text: string,
  continuations: boolean,
): Map<number, SuppressionComment[]> {
  const byLine = new Map<number, SuppressionComment[]>();
  let logicalStart: number | undefined;
  text.split(/\r?\n/).forEach((line, index) => {
    const lineNumber = index + 1;
    const start = continuations ? (logicalStart ?? lineNumber) : lineNumber;
    logicalStart = continuations && /\\\s*$/.test(line) ? start : undefined;
    if (!/pyguard|nosec/i.test(line)) return;
    const comment = commentOf(line);
    if (comment === undefined) return;
    const parsed = parseSuppressionComment(comment, lineNumber);
    if (parsed !== undefined) byLine.set(start, [...(byLine.get(start) ?? []), parsed]);
  });
  return byLine;
}

/** The comment of one line, outside quoted strings. */
function commentOf(line: string): string | undefined {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quote !== undefined) {
      if (char === '\\' && quote === '"') i++;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '#' && (i === 0 || /\s/.test(line[i - 1] ?? ''))) return line.slice(i);
  }
  return undefined;
}
