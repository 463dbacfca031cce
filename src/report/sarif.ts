/**
 * SARIF 2.1.0 for GitHub code scanning: one run, rule metadata as reporting descriptors, one
 * result per finding with a stable partial fingerprint.
 */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';

import type { FileNotice, FileResult, Finding, Severity, Span } from '../engine/types.js';
import type { RuleMeta } from '../rules-api/types.js';
import type { DocsUrl } from './review.js';
import { allNotices } from './summary.js';

export interface SarifOptions {
  /** PyGuard's version. */
  version: string;
  /** Where to read about PyGuard; omitted from the log when unknown. */
  informationUri?: string | undefined;
  /** The rules that ran: each becomes a reporting descriptor. */
  rules: readonly RuleMeta[];
  /** Severity overrides from the configuration, by rule id. */
  severityOverrides?: ReadonlyMap<string, Severity>;
  /** Absolute path of the directory that finding paths are relative to (`%SRCROOT%`). */
  cwd: string;
  /** Files that were not scanned, reported as tool notifications. */
  skipped?: readonly FileNotice[];
  /** The page of each rule (`helpUri`, and a link at the end of its help). */
  docsUrl?: DocsUrl | undefined;
  /**
   * The analysis category for code scanning: `runs[].automationDetails.id` is `<category>/`
   * (GitHub takes the id up to its last `/` as the category). Default: `pyguard`.
   */
  category?: string | undefined;
}

export const DEFAULT_SARIF_CATEGORY = 'pyguard';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SARIF_VERSION = '2.1.0';
export const FINGERPRINT_KEY = 'pyguardFingerprint/v1';
const SRCROOT = '%SRCROOT%';

type SarifLevel = 'error' | 'warning' | 'note';

const LEVELS: Readonly<Record<Severity, SarifLevel>> = {
  high: 'error',
  medium: 'warning',
  low: 'note',
};

/** GitHub maps these to its high / medium / low security severities. */
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  high: '8.0',
  medium: '5.5',
  low: '3.0',
};

interface Message {
  text: string;
}

interface Region {
  startLine: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
  snippet?: { text: string };
}

interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

interface PhysicalLocation {
  artifactLocation: ArtifactLocation;
  region?: Region;
  contextRegion?: Region;
}

interface ReportingDescriptor {
  id: string;
  name: string;
  shortDescription: Message;
  fullDescription: Message;
  helpUri?: string;
  help: { text: string; markdown: string };
  defaultConfiguration: { level: SarifLevel };
  properties: { tags: string[]; precision: string; 'security-severity': string };
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: Message;
  locations: { physicalLocation: PhysicalLocation }[];
  partialFingerprints: Record<string, string>;
  suppressions?: { kind: 'inSource'; justification: string }[];
  fixes?: SarifFix[];
  codeFlows?: SarifCodeFlow[];
  /** Where the findings of other rules this one carries (`Finding.alongside`) are, and what they say. */
  relatedLocations?: SarifRelatedLocation[];
  /**
   * Other rules that reported the same region (their findings are shown as this one), and the
   * rules of the findings on the same line it carries (as `relatedLocations`).
   */
  properties?: { alsoReportedBy?: string[]; alongside?: string[] };
}

interface SarifRelatedLocation {
  id: number;
  physicalLocation: PhysicalLocation;
  message: Message;
}

interface SarifFix {
  description: Message;
  artifactChanges: {
    artifactLocation: ArtifactLocation;
    replacements: { deletedRegion: Region; insertedContent: { text: string } }[];
  }[];
}

interface SarifCodeFlow {
  threadFlows: {
    locations: { location: { physicalLocation: PhysicalLocation; message: Message } }[];
  }[];
}

interface Notification {
  level: 'warning' | 'error';
  message: Message;
  locations: { physicalLocation: PhysicalLocation }[];
  properties: { kind: FileNotice['kind'] };
}

export interface SarifLog {
  $schema: string;
  version: string;
  runs: [
    {
      tool: {
        driver: {
          name: string;
          version: string;
          semanticVersion: string;
          informationUri?: string;
          rules: ReportingDescriptor[];
        };
      };
      automationDetails: { id: string };
      invocations: { executionSuccessful: boolean; toolExecutionNotifications: Notification[] }[];
      originalUriBaseIds: Record<string, { uri: string }>;
      columnKind: 'utf16CodeUnits';
      results: SarifResult[];
    },
  ];
}

/** The SARIF log as an object (see {@link formatSarif} for the text). */
export function buildSarif(results: readonly FileResult[], options: SarifOptions): SarifLog {
  const rules = descriptorRules(results, options.rules);
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const severityOf = (rule: RuleMeta): Severity =>
    options.severityOverrides?.get(rule.id) ?? rule.severity;
  const driver = {
    name: 'PyGuard',
    version: options.version,
    semanticVersion: options.version,
    ...(options.informationUri === undefined ? {} : { informationUri: options.informationUri }),
    rules: rules.map((rule) =>
      reportingDescriptor(rule, severityOf(rule), options.docsUrl?.(rule.id)),
    ),
  };
  return {
    $schema: SARIF_SCHEMA,
    version: SARIF_VERSION,
    runs: [
      {
        tool: { driver },
        automationDetails: { id: automationId(options.category) },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: allNotices(results, options.skipped ?? []).map(
              notification,
            ),
          },
        ],
        originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(options.cwd) } },
        columnKind: 'utf16CodeUnits',
        results: results.flatMap((result) =>
          result.findings.map((finding) =>
            sarifResult(finding, ruleIndex.get(finding.ruleId) ?? 0),
          ),
        ),
      },
    ],
  };
}

/** The SARIF log, pretty-printed, with a final newline. */
export function formatSarif(results: readonly FileResult[], options: SarifOptions): string {
  return `${JSON.stringify(buildSarif(results, options), null, 2)}\n`;
}

/**
 * The rules to describe, sorted by id: every rule that ran, plus (defensively) a minimal entry
 * for any rule that has a finding but was not passed in.
 */
function descriptorRules(results: readonly FileResult[], rules: readonly RuleMeta[]): RuleMeta[] {
  const byId = new Map(rules.map((rule) => [rule.id, rule]));
  for (const result of results) {
    for (const finding of result.findings) {
      if (!byId.has(finding.ruleId)) byId.set(finding.ruleId, metaFromFinding(finding));
    }
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function metaFromFinding(finding: Finding): RuleMeta {
  return {
    id: finding.ruleId,
    slug: finding.slug,
    title: finding.title,
    category: 'misc',
    severity: finding.severity,
    confidence: finding.confidence,
    cwe: finding.cwe,
    owasp: [],
    description: finding.title,
    why: finding.title,
    fix: '',
    example: { bad: '', good: '' },
    references: [],
    bandit: [],
    ruff: [],
    enabledByDefault: true,
    fixable: false,
  };
}

/** `pyguard/` for the category `pyguard` (a trailing `/` is added when missing). */
export function automationId(category: string | undefined): string {
  const name = category?.trim() ?? '';
  const id = name === '' ? DEFAULT_SARIF_CATEGORY : name;
  return id.endsWith('/') ? id : `${id}/`;
}

function reportingDescriptor(
  rule: RuleMeta,
  severity: Severity,
  url: string | undefined,
): ReportingDescriptor {
  return {
    id: rule.id,
    name: rule.slug,
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description },
    ...(url === undefined ? {} : { helpUri: url }),
    help: { text: helpText(rule, url), markdown: helpMarkdown(rule, url) },
    defaultConfiguration: { level: LEVELS[severity] },
    properties: {
      tags: ['security', ...rule.cwe.map((cwe) => `external/cwe/cwe-${cwe}`)],
      precision: rule.confidence,
      'security-severity': SECURITY_SEVERITY[severity],
    },
  };
}

function helpText(rule: RuleMeta, url: string | undefined): string {
  const parts = [rule.description, rule.why].filter((part) => part !== '');
  if (rule.fix !== '') parts.push(`How to fix: ${rule.fix}`);
  if (rule.example.bad !== '') parts.push(`Example:\n${rule.example.bad.trimEnd()}`);
  if (rule.example.good !== '') parts.push(`Instead:\n${rule.example.good.trimEnd()}`);
  if (url !== undefined) parts.push(`Rule documentation: ${url}`);
  return parts.join('\n\n');
}

function helpMarkdown(rule: RuleMeta, url: string | undefined): string {
  const parts = [rule.description, rule.why].filter((part) => part !== '');
  if (rule.fix !== '') parts.push(`## How to fix\n\n${rule.fix}`);
  if (rule.example.bad !== '') parts.push(`## Example\n\n${fence(rule.example.bad)}`);
  if (rule.example.good !== '') parts.push(`Use instead:\n\n${fence(rule.example.good)}`);
  if (rule.references.length > 0) {
    parts.push(
      `## References\n\n${rule.references.map((reference) => `- ${reference}`).join('\n')}`,
    );
  }
  if (url !== undefined) parts.push(`[${rule.id} documentation](${url})`);
  return parts.join('\n\n');
}

/** A fenced Python block whose fence is longer than any backtick run in the code. */
function fence(code: string): string {
  const longest = Math.max(2, ...[...code.matchAll(/`+/g)].map((match) => match[0].length));
  const marker = '`'.repeat(longest + 1);
  return `${marker}python\n${code.trimEnd()}\n${marker}`;
}

function sarifResult(finding: Finding, ruleIndex: number): SarifResult {
  const result: SarifResult = {
    ruleId: finding.ruleId,
    ruleIndex,
    level: LEVELS[finding.severity],
    message: { text: finding.message },
    locations: [{ physicalLocation: findingLocation(finding) }],
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
  };
  if (finding.suppression !== undefined) {
    const { reason, comment } = finding.suppression;
    result.suppressions = [{ kind: 'inSource', justification: reason ?? comment }];
  }
  if (finding.fix !== undefined) {
    result.fixes = [
      {
        description: { text: finding.fix.description },
        artifactChanges: [
          {
            artifactLocation: artifactLocation(finding.path),
            // In file order; every region refers to the file as scanned.
            replacements: [finding.fix, ...(finding.fix.additionalEdits ?? [])]
              .sort(
                (a, b) =>
                  a.span.start.line - b.span.start.line ||
                  a.span.start.column - b.span.start.column ||
                  a.span.end.line - b.span.end.line ||
                  a.span.end.column - b.span.end.column,
              )
              .map((edit) => ({
                deletedRegion: spanRegion(edit.span),
                insertedContent: { text: edit.replacement },
              })),
          },
        ],
      },
    ];
  }
  if (finding.alsoReportedBy !== undefined) {
    result.properties = { alsoReportedBy: [...finding.alsoReportedBy] };
  }
  if (finding.alongside !== undefined && finding.alongside.length > 0) {
    result.properties = {
      ...result.properties,
      alongside: finding.alongside.map((other) => other.ruleId),
    };
    result.relatedLocations = finding.alongside.map((other, index) => ({
      id: index + 1,
      physicalLocation: {
        artifactLocation: artifactLocation(finding.path),
        region: spanRegion(other.span),
      },
      message: { text: `${other.ruleId} (${other.severity} severity): ${other.message}` },
    }));
  }
  if (finding.flow !== undefined && finding.flow.length > 0) {
    const location = artifactLocation(finding.path);
    result.codeFlows = [
      {
        threadFlows: [
          {
            locations: finding.flow.map((step) => ({
              location: {
                physicalLocation: {
                  artifactLocation: location,
                  region: { startLine: step.line, startColumn: step.column },
                },
                message: { text: step.label },
              },
            })),
          },
        ],
      },
    ];
  }
  return result;
}

/**
 * The finding's location. The region's snippet is the exact flagged text and the context
 * region holds the whole flagged lines, when the finding's snippet covers the span.
 */
function findingLocation(finding: Finding): PhysicalLocation {
  const region = spanRegion(finding.span);
  const location: PhysicalLocation = { artifactLocation: artifactLocation(finding.path), region };
  const lines = finding.snippet.split('\n');
  const { start, end } = finding.span;
  if (end.line - start.line + 1 > lines.length) return location;
  region.snippet = { text: spanText(lines, finding.span) };
  location.contextRegion = {
    startLine: start.line,
    endLine: end.line,
    snippet: { text: lines.slice(0, end.line - start.line + 1).join('\n') },
  };
  return location;
}

/** The text of `span`, given the lines from the span's first line on. */
function spanText(lines: readonly string[], span: Span): string {
  const count = span.end.line - span.start.line + 1;
  const covered = lines.slice(0, count);
  if (count === 1) return (covered[0] ?? '').slice(span.start.column - 1, span.end.column - 1);
  const first = (covered[0] ?? '').slice(span.start.column - 1);
  const last = (covered[count - 1] ?? '').slice(0, span.end.column - 1);
  return [first, ...covered.slice(1, count - 1), last].join('\n');
}

function spanRegion(span: Span): Region {
  return {
    startLine: span.start.line,
    startColumn: span.start.column,
    endLine: span.end.line,
    endColumn: span.end.column,
  };
}

function notification(notice: FileNotice): Notification {
  const physicalLocation: PhysicalLocation = { artifactLocation: artifactLocation(notice.path) };
  if (notice.line !== undefined) physicalLocation.region = { startLine: notice.line };
  return {
    level: notice.kind === 'rule-error' || notice.kind === 'refused' ? 'error' : 'warning',
    message: { text: notice.message },
    locations: [{ physicalLocation }],
    properties: { kind: notice.kind },
  };
}

/** A report path (relative, `/` separators) as a URI relative to `%SRCROOT%`. */
function artifactLocation(path: string): ArtifactLocation {
  if (isAbsolute(path)) return { uri: pathToFileURL(path).href };
  return { uri: path.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

/** The `file:` URL of a directory, with the trailing slash SARIF base URIs need. */
function directoryUri(directory: string): string {
  const href = pathToFileURL(directory).href;
  return href.endsWith('/') ? href : `${href}/`;
}
