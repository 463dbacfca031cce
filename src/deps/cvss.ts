/**
 * CVSS v3.0/v3.1 base scores from vector strings (FIRST's specification, section 7), and the
 * severity PyGuard gives an advisory.
 */
import type { Severity } from '../engine/types.js';

const WEIGHTS = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  CIA: { H: 0.56, L: 0.22, N: 0 },
} as const;

/** Privileges Required depends on Scope. */
const PRIVILEGES = {
  U: { N: 0.85, L: 0.62, H: 0.27 },
  C: { N: 0.85, L: 0.68, H: 0.5 },
} as const;

function weight(
  table: Readonly<Record<string, number>>,
  key: string | undefined,
): number | undefined {
  return key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}

/** CVSS 3.1 Roundup: the smallest one-decimal number at least the input, free of float noise. */
export function roundUp(value: number): number {
  const integer = Math.round(value * 100_000);
  return integer % 10_000 === 0 ? integer / 100_000 : (Math.floor(integer / 10_000) + 1) / 10;
}

/** The base score of a `CVSS:3.x/AV:…` vector, or undefined when it is not a valid v3 vector. */
export function cvss3BaseScore(vector: string): number | undefined {
  const parts = vector.trim().split('/');
  if (!/^CVSS:3\.[01]$/.test(parts[0] ?? '')) return undefined;
  const metrics = new Map<string, string>();
  for (const part of parts.slice(1)) {
    const [key, value] = part.split(':');
    if (key === undefined || value === undefined) return undefined;
    metrics.set(key, value);
  }
  const scope = metrics.get('S');
  if (scope !== 'U' && scope !== 'C') return undefined;
  const av = weight(WEIGHTS.AV, metrics.get('AV'));
  const ac = weight(WEIGHTS.AC, metrics.get('AC'));
  const pr = weight(PRIVILEGES[scope], metrics.get('PR'));
  const ui = weight(WEIGHTS.UI, metrics.get('UI'));
  const c = weight(WEIGHTS.CIA, metrics.get('C'));
  const i = weight(WEIGHTS.CIA, metrics.get('I'));
  const a = weight(WEIGHTS.CIA, metrics.get('A'));
  if (av === undefined || ac === undefined || pr === undefined || ui === undefined)
    return undefined;
  if (c === undefined || i === undefined || a === undefined) return undefined;
  const iss = 1 - (1 - c) * (1 - i) * (1 - a);
  const impact = scope === 'U' ? 6.42 * iss : 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15;
  const exploitability = 8.22 * av * ac * pr * ui;
  if (impact <= 0) return 0;
  const total = scope === 'U' ? impact + exploitability : 1.08 * (impact + exploitability);
  return roundUp(Math.min(total, 10));
}

/** PyGuard's severity for a CVSS score: 7 and above high, 4 and above medium, else low. */
export function severityOfScore(score: number): Severity {
  return score >= 7 ? 'high' : score >= 4 ? 'medium' : 'low';
}
