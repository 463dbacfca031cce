/**
 * Scanning Django and Jinja2 template files: no parse tree, each rule with a `template` check
 * reads the text and reports lines and columns. Findings go through the same pipeline as Python
 * findings (fingerprints, suppressions, the changed-line and confidence filters).
 */
import type { AnyRule, TemplateContext, TemplateReportDescriptor } from '../rules-api/types.js';
import {
  buildFindings,
  countLines,
  isTestPath,
  optionsFor,
  reportBasics,
  ruleErrorNotice,
  type RawReport,
  type ScanOptions,
} from './scan.js';
import { decodeSource } from './source.js';
import { findTemplateSuppressions } from './suppressions.js';
import type { FileNotice, FileResult } from './types.js';

/** File extensions scanned as templates (compared case-insensitively). */
export const TEMPLATE_EXTENSIONS: readonly string[] = [
  '.html',
  '.htm',
  '.jinja',
  '.jinja2',
  '.j2',
  '.djhtml',
];

/** Whether a path names a Django or Jinja2 template file, by its extension. */
export function isTemplatePath(path: string): boolean {
  const lower = path.toLowerCase();
  return TEMPLATE_EXTENSIONS.some((extension) => lower.endsWith(extension));
}

/** Offsets where each line starts (index 0 is line 1). */
export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Where a template report points, as offsets and a span; throws when it is outside the text. */
function locate(
  text: string,
  lineStarts: readonly number[],
  descriptor: TemplateReportDescriptor<string>,
): Pick<RawReport, 'startIndex' | 'endIndex' | 'span'> {
  const offset = (line: number, column: number | undefined): number => {
    const start = lineStarts[line - 1];
    if (start === undefined || !Number.isInteger(line)) {
      throw new Error(`reported line ${line}, but the file has ${lineStarts.length} lines`);
    }
    const next = lineStarts[line];
    const end = next === undefined ? text.length : next - 1;
    if (column === undefined) return end;
    if (!Number.isInteger(column) || column < 1 || start + column - 1 > end) {
      throw new Error(`reported column ${column}, outside line ${line}`);
    }
    return start + column - 1;
  };
  const endLine = descriptor.endLine ?? descriptor.line;
  const startIndex = offset(descriptor.line, descriptor.column);
  const endIndex = offset(endLine, descriptor.endColumn);
  if (endIndex < startIndex) throw new Error('reported an end before its start');
  const endStart = lineStarts[endLine - 1] ?? 0;
  return {
    startIndex,
    endIndex,
    span: {
      start: { line: descriptor.line, column: descriptor.column },
      end: { line: endLine, column: endIndex - endStart + 1 },
    },
  };
}

/**
 * Scans one template file with the rules that have a `template` check (others are ignored).
 * Never throws for bad input: problems come back as notices.
 */
export function scanTemplate(
  path: string,
  source: string | Uint8Array,
  options: ScanOptions,
): FileResult {
  const start = performance.now();
  const notices: FileNotice[] = [];
  const decoded = decodeSource(source);
  if (decoded.decodingProblem !== undefined) {
    notices.push({ path, kind: 'decoding', message: decoded.decodingProblem });
  }
  const text = decoded.text;
  const lineStarts = lineStartsOf(text);
  const isTestFile = isTestPath(path);
  const reports: RawReport[] = [];
  for (const rule of options.rules) {
    if (rule.template === undefined) continue;
    const ruleStart = performance.now();
    try {
      rule.template(templateContext(rule, path, text, lineStarts, isTestFile, reports, options));
    } catch (error) {
      notices.push(ruleErrorNotice(path, rule, error, undefined));
    }
    const timings = options.ruleTimings;
    timings?.set(rule.meta.id, (timings.get(rule.meta.id) ?? 0) + performance.now() - ruleStart);
  }
  const findings = buildFindings(path, text, reports, options, () =>
    findTemplateSuppressions(text),
  );
  return {
    path,
    findings,
    notices,
    lines: countLines(text),
    timings: { parseMs: 0, rulesMs: performance.now() - start },
  };
}

function templateContext(
  rule: AnyRule,
  path: string,
  text: string,
  lineStarts: readonly number[],
  isTestFile: boolean,
  reports: RawReport[],
  options: ScanOptions,
): TemplateContext<string> {
  return {
    path,
    text,
    isTestFile,
    options: optionsFor(rule, options.ruleOptions),
    report(descriptor) {
      reports.push({
        ...reportBasics(rule, descriptor, options.severityOverrides),
        ...locate(text, lineStarts, descriptor),
      });
    },
  };
}
