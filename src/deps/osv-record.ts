/**
 * The parts of the OSV schema (https://ossf.github.io/osv-schema/) the dependency audit reads,
 * and a lenient reader that keeps what is well formed and drops the rest.
 */

export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface OsvRange {
  type: string;
  events: OsvEvent[];
}

export interface OsvAffected {
  package?: { name: string; ecosystem: string };
  ranges: OsvRange[];
  versions: string[];
}

export interface OsvSeverity {
  type: string;
  score: string;
}

/** One advisory record. */
export interface OsvRecord {
  id: string;
  summary?: string;
  details?: string;
  aliases: string[];
  modified?: string;
  withdrawn?: string;
  severity: OsvSeverity[];
  affected: OsvAffected[];
  /** `database_specific.severity` of GitHub advisories: LOW, MODERATE, HIGH, CRITICAL. */
  databaseSeverity?: string;
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function strings(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Reads an OSV record from parsed JSON; undefined when it has no `id`. */
export function readOsvRecord(value: unknown): OsvRecord | undefined {
  if (!isObject(value) || typeof value['id'] !== 'string') return undefined;
  const record: OsvRecord = {
    id: value['id'],
    aliases: strings(value['aliases']),
    severity: Array.isArray(value['severity'])
      ? value['severity'].filter(isObject).flatMap((entry) => {
          const type = optionalString(entry['type']);
          const score = optionalString(entry['score']);
          return type === undefined || score === undefined ? [] : [{ type, score }];
        })
      : [],
    affected: Array.isArray(value['affected'])
      ? value['affected'].filter(isObject).map(readAffected)
      : [],
  };
  for (const key of ['summary', 'details', 'modified', 'withdrawn'] as const) {
    const text = optionalString(value[key]);
    if (text !== undefined) record[key] = text;
  }
  const databaseSpecific = value['database_specific'];
  if (isObject(databaseSpecific)) {
    const severity = optionalString(databaseSpecific['severity']);
    if (severity !== undefined) record.databaseSeverity = severity;
  }
  return record;
}

function readAffected(value: Readonly<Record<string, unknown>>): OsvAffected {
  const affected: OsvAffected = {
    ranges: Array.isArray(value['ranges'])
      ? value['ranges'].filter(isObject).map((range) => ({
          type: optionalString(range['type']) ?? '',
          events: Array.isArray(range['events'])
            ? range['events'].filter(isObject).map((event) => {
                const read: OsvEvent = {};
                for (const key of ['introduced', 'fixed', 'last_affected', 'limit'] as const) {
                  const version = optionalString(event[key]);
                  if (version !== undefined) read[key] = version;
                }
                return read;
              })
            : [],
        }))
      : [],
    versions: strings(value['versions']),
  };
  const pkg = value['package'];
  if (isObject(pkg)) {
    const name = optionalString(pkg['name']);
    const ecosystem = optionalString(pkg['ecosystem']);
    if (name !== undefined && ecosystem !== undefined) affected.package = { name, ecosystem };
  }
  return affected;
}
