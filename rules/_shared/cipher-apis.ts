/**
 * Names of the symmetric-cipher APIs of PyCrypto/PyCryptodome (`Crypto.Cipher.AES.new(key,
 * AES.MODE_CBC, iv)`, also under the `Cryptodome` root) and of `cryptography`
 * (`Cipher(algorithms.AES(key), modes.CBC(iv))`), read from qualified names so aliases work.
 */
import type { CallInfo, SemanticModel, SyntaxNode } from '../../src/rules-api/index.js';

const PYCRYPTO_NEW = /^(?:Crypto|Cryptodome)\.Cipher\.(\w+)\.new$/;
const PYCRYPTO_MODE = /^(?:Crypto|Cryptodome)\.Cipher\.\w+\.MODE_(\w+)$/;

/** PyCryptodome's numeric mode constants, for code that passes the number itself. */
const MODE_NUMBERS: Readonly<Record<number, string>> = {
  1: 'ECB',
  2: 'CBC',
  3: 'CFB',
  5: 'OFB',
  6: 'CTR',
  7: 'OPENPGP',
  8: 'CCM',
  9: 'EAX',
  10: 'SIV',
  11: 'GCM',
  12: 'OCB',
};

/** Block ciphers whose `new()` takes a mode as its second argument. */
export const PYCRYPTO_BLOCK_CIPHERS: ReadonlySet<string> = new Set([
  'AES',
  'DES',
  'DES3',
  'ARC2',
  'Blowfish',
  'CAST',
]);

/** `Crypto.Cipher.AES.new` → `AES` (either root), else undefined. */
export function pycryptoCipherOf(qualifiedName: string | undefined): string | undefined {
  if (qualifiedName === undefined) return undefined;
  return PYCRYPTO_NEW.exec(qualifiedName)?.[1];
}

/**
 * The mode a PyCrypto(dome) `X.new(key, mode, ...)` call selects (`ECB`, `CBC`, `GCM`, ...):
 * `AES.MODE_CBC`, a name holding it, or the bare number. `null` when the call passes no mode
 * (and no `*args`/`**kwargs` that could carry one); undefined when the mode is not recognisable.
 */
export function pycryptoModeOf(model: SemanticModel, call: CallInfo): string | null | undefined {
  const mode = model.argument(call, 'mode', 1);
  if (mode === undefined) return call.hasStarArgs || call.hasKwargs ? undefined : null;
  return pycryptoModeName(model, mode);
}

/** `AES.MODE_ECB` (or its number) → `ECB`. */
export function pycryptoModeName(model: SemanticModel, node: SyntaxNode): string | undefined {
  const name = model.qualifiedName(node);
  if (name !== undefined) return PYCRYPTO_MODE.exec(name)?.[1];
  const value = model.literalValue(node);
  return typeof value === 'number' ? MODE_NUMBERS[value] : undefined;
}

/** Modules of `cryptography` that hold cipher algorithms (`decrepit` holds the retired ones). */
const CRYPTOGRAPHY_ALGORITHMS = [
  'cryptography.hazmat.primitives.ciphers.algorithms.',
  'cryptography.hazmat.decrepit.ciphers.algorithms.',
];
const CRYPTOGRAPHY_MODES = 'cryptography.hazmat.primitives.ciphers.modes.';

/** `cryptography…algorithms.AES` → `AES`, else undefined. */
export function cryptographyAlgorithmOf(qualifiedName: string | undefined): string | undefined {
  if (qualifiedName === undefined) return undefined;
  for (const prefix of CRYPTOGRAPHY_ALGORITHMS) {
    if (qualifiedName.startsWith(prefix)) return qualifiedName.slice(prefix.length);
  }
  return undefined;
}

/** `cryptography…modes.CBC` → `CBC`, else undefined. */
export function cryptographyModeOf(qualifiedName: string | undefined): string | undefined {
  if (qualifiedName?.startsWith(CRYPTOGRAPHY_MODES) !== true) return undefined;
  return qualifiedName.slice(CRYPTOGRAPHY_MODES.length);
}
