/** How manifest rules describe advisories in their messages. */
import type { ManifestAdvisory, Severity } from '../../src/rules-api/index.js';

/** `GHSA-462w-v97r-4m45 (CVE-2019-10906, PYSEC-2019-217; high, CVSS 8.6): Jinja2 sandbox escape …`. */
export function describeAdvisory(advisory: ManifestAdvisory): string {
  const rating =
    advisory.score === undefined
      ? advisory.severity
      : `${advisory.severity}, CVSS ${advisory.score.toFixed(1)}`;
  const aliases = advisory.aliases.length === 0 ? '' : `${advisory.aliases.join(', ')}; `;
  return `${advisory.id} (${aliases}${rating}): ${advisory.summary}`;
}

/** Advisories joined for a message, most severe first. */
export function describeAdvisories(advisories: readonly ManifestAdvisory[]): string {
  return advisories.map(describeAdvisory).join('; ');
}

/** The most severe of the advisories' severities. */
export function worstSeverity(advisories: readonly ManifestAdvisory[]): Severity {
  if (advisories.some((advisory) => advisory.severity === 'high')) return 'high';
  return advisories.some((advisory) => advisory.severity === 'medium') ? 'medium' : 'low';
}

/** `1 known vulnerability`, `3 known vulnerabilities`. */
export function countVulnerabilities(count: number): string {
  return count === 1 ? '1 known vulnerability' : `${count} known vulnerabilities`;
}

/** The suppression of a finding whose advisories `dependencies.ignore` all lists. */
export function configSuppression(ignored: readonly ManifestAdvisory[]): {
  comment: string;
  reason: string;
} {
  return {
    comment: `dependencies.ignore: ${ignored.map((advisory) => advisory.id).join(', ')}`,
    reason: ignored.map((advisory) => advisory.ignoreReason ?? '').join('; '),
  };
}
