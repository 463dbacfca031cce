/**
 * TLS/SSL protocol versions that must no longer be negotiated: the `ssl.PROTOCOL_*` and
 * pyOpenSSL `*_METHOD` constants that pin SSL 2.0, SSL 3.0, TLS 1.0 or TLS 1.1 (or, `SSLv23`,
 * negotiate down to them), and the matching `ssl.TLSVersion` members. Values are recognised through the model, so aliases and constants
 * assigned once (`PROTO = ssl.PROTOCOL_TLSv1`) count.
 */
import type { SemanticModel, SyntaxNode } from '../../src/rules-api/index.js';

export interface InsecureProtocol {
  /** The constant's qualified name. */
  name: string;
  /** Readable version, e.g. `TLS 1.0`. */
  version: string;
  /** SSL 2.0/3.0: broken outright (DROWN, POODLE) rather than deprecated. */
  broken: boolean;
  /**
   * Whether the constant pins one version; `PROTOCOL_SSLv23`/`SSLv23_METHOD` instead negotiate
   * whatever the peer offers, old versions included unless `OP_NO_*` flags rule them out.
   */
  pins: boolean;
}

const VERSIONS: readonly (readonly [string, string, boolean])[] = [
  ['SSLv2', 'SSL 2.0', true],
  ['SSLv3', 'SSL 3.0', true],
  ['TLSv1', 'TLS 1.0', false],
  ['TLSv1_1', 'TLS 1.1', false],
];

/** What `PROTOCOL_SSLv23` (an old name of `PROTOCOL_TLS`) and `SSLv23_METHOD` accept. */
const NEGOTIATED = 'whatever version the peer offers, TLS 1.0 included';

const PROTOCOL_CONSTANTS: ReadonlyMap<string, InsecureProtocol> = new Map<string, InsecureProtocol>(
  [
    ...VERSIONS.flatMap(([suffix, version, broken]) =>
      [
        `ssl.PROTOCOL_${suffix}`,
        `ssl._SSLMethod.PROTOCOL_${suffix}`,
        `OpenSSL.SSL.${suffix}_METHOD`,
      ].map((name) => [name, { name, version, broken, pins: true }] as const),
    ),
    ...['ssl.PROTOCOL_SSLv23', 'ssl._SSLMethod.PROTOCOL_SSLv23', 'OpenSSL.SSL.SSLv23_METHOD'].map(
      (name) => [name, { name, version: NEGOTIATED, broken: false, pins: false }] as const,
    ),
  ],
);

/** How a protocol constant lets old versions in: `pins TLS 1.0`, `negotiates whatever …`. */
export function protocolEffect(protocol: InsecureProtocol): string {
  return `${protocol.pins ? 'pins' : 'negotiates'} ${protocol.version}`;
}

const TLS_VERSIONS: ReadonlyMap<string, InsecureProtocol> = new Map(
  VERSIONS.map(([suffix, version, broken]) => {
    const name = `ssl.TLSVersion.${suffix}`;
    return [name, { name, version, broken, pins: true }] as const;
  }),
);

const OPTION_FLAGS: ReadonlyMap<string, InsecureProtocol> = new Map(
  VERSIONS.flatMap(([suffix, version, broken]) =>
    [`ssl.OP_NO_${suffix}`, `ssl.Options.OP_NO_${suffix}`, `OpenSSL.SSL.OP_NO_${suffix}`].map(
      (name) => [name, { name, version, broken, pins: true }] as const,
    ),
  ),
);

/** Text that any file using one of these constants contains; a cheap test before any visit. */
export const INSECURE_PROTOCOL_HINT =
  /PROTOCOL_(?:SSLv[23]|TLSv1)|(?:SSLv(?:2|3|23)|TLSv1(?:_1)?)_METHOD/;

type Lookup = (model: SemanticModel, node: SyntaxNode) => InsecureProtocol | undefined;

/** A lookup of the constant an expression names (through aliases and single assignments). */
function lookupIn(table: ReadonlyMap<string, InsecureProtocol>): Lookup {
  return (model, node) => {
    const name = model.qualifiedName(node);
    return name === undefined ? undefined : table.get(name);
  };
}

/** The insecure `PROTOCOL_*` / `*_METHOD` constant an expression denotes, if any. */
export const insecureProtocol: Lookup = lookupIn(PROTOCOL_CONSTANTS);

/** The insecure `ssl.TLSVersion` member an expression denotes, if any. */
export const insecureTlsVersion: Lookup = lookupIn(TLS_VERSIONS);

/** The protocol an `OP_NO_*` flag (`ssl.OP_NO_TLSv1`) switches off, if it is an insecure one. */
export const disabledProtocolFlag: Lookup = lookupIn(OPTION_FLAGS);
