/**
 * Matching PyPI versions against OSV records (`affected[].ranges` of type ECOSYSTEM with
 * introduced / fixed / last_affected events, and `affected[].versions`) in PEP 440 order, and
 * describing the matches: aliases, severity, the smallest version that fixes them all. Pure.
 */
import { compare, valid, type Pep440Constraint } from '@renovatebot/pep440';
import { parse as parseSpecifier } from '@renovatebot/pep440/lib/specifier.js';

import type { Severity } from '../engine/types.js';
import { cvss3BaseScore, severityOfScore } from './cvss.js';
import { normaliseName } from './names.js';
import type { OsvAffected, OsvEvent, OsvRecord } from './osv-record.js';

/** PEP 440 comparison; undefined when either side is not a valid version. */
export function compareVersions(a: string, b: string): number | undefined {
  if (valid(a) === null || valid(b) === null) return undefined;
  return compare(a, b);
}

function isPyPI(affected: OsvAffected, name: string): boolean {
  const pkg = affected.package;
  return (
    pkg !== undefined && pkg.ecosystem.split(':')[0] === 'PyPI' && normaliseName(pkg.name) === name
  );
}

function eventVersion(event: OsvEvent): string | undefined {
  return event.introduced ?? event.fixed ?? event.last_affected ?? event.limit;
}

/** Whether `version` lies in one ECOSYSTEM range (events applied in version order). */
function inRange(events: readonly OsvEvent[], version: string): boolean {
  const sorted = [...events].sort((a, b) => {
    const left = eventVersion(a);
    const right = eventVersion(b);
    if (left === '0') return -1;
    if (right === '0') return 1;
    return compareVersions(left ?? '', right ?? '') ?? 0;
  });
  let affected = false;
  for (const event of sorted) {
    if (event.introduced !== undefined) {
      if (event.introduced === '0' || (compareVersions(version, event.introduced) ?? -1) >= 0)
        affected = true;
    } else if (event.fixed !== undefined) {
      if ((compareVersions(version, event.fixed) ?? -1) >= 0) affected = false;
    } else if (event.last_affected !== undefined) {
      if ((compareVersions(version, event.last_affected) ?? -1) > 0) affected = false;
    } else if (event.limit !== undefined) {
      if ((compareVersions(version, event.limit) ?? -1) >= 0) affected = false;
    }
  }
  return affected;
}

/** Whether an advisory affects one version of a package (PEP 503 name). Withdrawn ones do not. */
export function affectsVersion(record: OsvRecord, name: string, version: string): boolean {
  if (record.withdrawn !== undefined || valid(version) === null) return false;
  return record.affected.some((affected) => {
    if (!isPyPI(affected, name)) return false;
    if (affected.versions.some((listed) => compareVersions(listed, version) === 0)) return true;
    return affected.ranges.some(
      (range) => range.type === 'ECOSYSTEM' && inRange(range.events, version),
    );
  });
}

/** Every `fixed` version the advisories name for a package. */
function fixedVersions(records: readonly OsvRecord[], name: string): string[] {
  return records.flatMap((record) =>
    record.affected
      .filter((affected) => isPyPI(affected, name))
      .flatMap((affected) => affected.ranges.filter((range) => range.type === 'ECOSYSTEM'))
      .flatMap((range) =>
        range.events.flatMap((event) => (event.fixed === undefined ? [] : [event.fixed])),
      ),
  );
}

/**
 * The smallest version above `version` that none of the advisories affects, among the versions
 * they name as fixed; undefined when no named fix clears them all.
 */
export function smallestFix(
  records: readonly OsvRecord[],
  name: string,
  version: string,
): string | undefined {
  const candidates = [...new Set(fixedVersions(records, name))]
    .filter((candidate) => (compareVersions(candidate, version) ?? -1) > 0)
    .sort((a, b) => compareVersions(a, b) ?? 0);
  return candidates.find((candidate) =>
    records.every((record) => !affectsVersion(record, name, candidate)),
  );
}

/** An advisory as a finding shows it. */
export interface AdvisorySummary {
  /** The preferred id: GHSA, else PYSEC, else the record's own. */
  id: string;
  /** The other ids of the same vulnerability (CVE, PYSEC, GHSA), sorted. */
  aliases: string[];
  summary: string;
  severity: Severity;
  /** CVSS v3 base score, when the record has a vector. */
  score?: number;
  /** The records merged into this summary (GHSA and PYSEC copies of one vulnerability). */
  records: OsvRecord[];
}

function idRank(id: string): number {
  return id.startsWith('GHSA-') ? 0 : id.startsWith('PYSEC-') ? 1 : id.startsWith('CVE-') ? 3 : 2;
}

const DATABASE_SEVERITIES: Readonly<Record<string, Severity>> = {
  CRITICAL: 'high',
  HIGH: 'high',
  MODERATE: 'medium',
  MEDIUM: 'medium',
  LOW: 'low',
};

/** Severity and score of records of one vulnerability: the highest CVSS v3 score, else the database's word, else medium. */
function severityOf(records: readonly OsvRecord[]): { severity: Severity; score?: number } {
  const scores = records
    .flatMap((record) => record.severity)
    .filter((entry) => entry.type === 'CVSS_V3')
    .map((entry) => cvss3BaseScore(entry.score))
    .filter((score): score is number => score !== undefined);
  if (scores.length > 0) {
    const score = Math.max(...scores);
    return { severity: severityOfScore(score), score };
  }
  for (const record of records) {
    const mapped = DATABASE_SEVERITIES[(record.databaseSeverity ?? '').toUpperCase()];
    if (mapped !== undefined) return { severity: mapped };
  }
  return { severity: 'medium' };
}

/**
 * One summary per vulnerability: records that name each other as aliases (the GHSA and PYSEC
 * copies OSV serves for one CVE) are merged. Sorted by severity, then id.
 */
export function summariseAdvisories(records: readonly OsvRecord[]): AdvisorySummary[] {
  const groups: OsvRecord[][] = [];
  for (const record of records) {
    const ids = new Set([record.id, ...record.aliases]);
    const group = groups.find((existing) =>
      existing.some((other) => ids.has(other.id) || other.aliases.some((alias) => ids.has(alias))),
    );
    if (group === undefined) groups.push([record]);
    else if (!group.some((other) => other.id === record.id)) group.push(record);
  }
  const summaries = groups.map((group): AdvisorySummary => {
    const ids = [...new Set(group.flatMap((record) => [record.id, ...record.aliases]))];
    ids.sort((a, b) => idRank(a) - idRank(b) || (a < b ? -1 : a > b ? 1 : 0));
    const id =
      ids.find((candidate) => group.some((record) => record.id === candidate)) ?? ids[0] ?? '';
    const preferred = group.find((record) => record.id === id) ?? group[0];
    const summary =
      group
        .map((record) => record.summary)
        .find((text) => text !== undefined && text.trim() !== '') ??
      firstSentence(preferred?.details ?? '') ??
      'no summary';
    const { severity, score } = severityOf(group);
    const result: AdvisorySummary = {
      id,
      aliases: ids.filter((alias) => alias !== id).sort(),
      summary: summary.trim(),
      severity,
      records: group,
    };
    if (score !== undefined) result.score = score;
    return result;
  });
  const order: Readonly<Record<Severity, number>> = { high: 0, medium: 1, low: 2 };
  return summaries.sort(
    (a, b) => order[a.severity] - order[b.severity] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

function firstSentence(text: string): string | undefined {
  const sentence = text.split(/(?<=\.)\s/)[0]?.trim();
  return sentence === undefined || sentence === '' ? undefined : sentence.slice(0, 200);
}

/**
 * The lowest version a specifier allows, from its lower bounds (`>=X`, `~=X`, `==X.*`, `==X`,
 * and Poetry's `^X`, `~X` and bare `X`); undefined when it has none (`<3`, `>X`, `*`).
 */
export function lowestAllowedVersion(specifier: string): string | undefined {
  const text = specifier.trim();
  const poetry = /^(?:\^|~(?!=))\s*(\d[\w.!+-]*)$/.exec(text) ?? /^(\d[\w.!+-]*)$/.exec(text);
  if (poetry !== null) return valid(poetry[1] ?? '') === null ? undefined : poetry[1];
  // The library's typings promise an array, but it answers null for text it cannot read (`*`, `''`).
  let parsed: unknown;
  try {
    parsed = parseSpecifier(text.replace(/\s+/g, ''));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  const clauses = parsed as readonly Pep440Constraint[];
  let lowest: string | undefined;
  for (const clause of clauses) {
    if (!['>=', '~=', '==', '==='].includes(clause.operator)) continue;
    if (lowest === undefined || (compareVersions(clause.version, lowest) ?? 0) > 0)
      lowest = clause.version;
  }
  if (lowest === undefined) return undefined;
  // `>=2.0,!=2.0`: the bound itself is excluded; the lowest allowed release is then unknown.
  const floor = lowest;
  const excluded = clauses.some(
    (clause) =>
      (clause.operator === '!=' || clause.operator === '>') &&
      compareVersions(clause.version, floor) === 0,
  );
  return excluded ? undefined : lowest;
}
