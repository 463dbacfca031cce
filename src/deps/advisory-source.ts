/**
 * Where advisories come from: OSV over HTTP or a directory of OSV records. The audit asks once
 * per scan for every (package, version) it needs.
 */
import type { OsvRecord } from './osv-record.js';

/** One PyPI package version to look up (name normalised as PEP 503 says). */
export interface PackageQuery {
  name: string;
  version: string;
}

export interface AdvisorySource {
  /** Where the advisories come from, for reports: `OSV (https://api.osv.dev)`. */
  readonly description: string;
  /**
   * The advisories affecting each queried version, in query order.
   * @throws AdvisoryUnavailableError when they cannot be had (network, timeouts, bad data).
   */
  advisoriesFor(queries: readonly PackageQuery[]): Promise<OsvRecord[][]>;
}

/** Advisories could not be fetched or read; the message says why, in one line. */
export class AdvisoryUnavailableError extends Error {
  override readonly name = 'AdvisoryUnavailableError';
}
