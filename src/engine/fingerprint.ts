import { createHash } from 'node:crypto';

/** Source text with whitespace runs collapsed, so re-indenting or re-wrapping keeps identity. */
export function normaliseSnippet(source: string): string {
  return source.replace(/\s+/g, ' ').trim();
}

/**
 * A fingerprint that survives lines moving: rule, path, the flagged code and its ordinal among
 * identical flagged code in the same file. No line numbers.
 */
export function fingerprint(
  ruleId: string,
  path: string,
  normalisedSource: string,
  ordinal: number,
): string {
  return createHash('sha256')
    .update(`${ruleId}\u0000${path}\u0000${normalisedSource}\u0000${ordinal}`)
    .digest('hex')
    .slice(0, 32);
}
