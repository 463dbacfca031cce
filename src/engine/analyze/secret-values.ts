/**
 * Whether a string literal found next to a password-like name reads as a real secret by its
 * shape, and how strongly: what is a label, a placeholder, a template, a pattern or a path rather
 * than a credential. The secret rules ask this after their own table of provider token formats
 * (`rules/_shared/secret-values.ts`).
 */
import type { Confidence } from '../types.js';
import { nameWords } from './name-words.js';

/** `strong`: 8+ characters, mixed classes or high entropy. `moderate`: 8+ of one class. `weak`: shorter. */
export type SecretStrength = 'strong' | 'moderate' | 'weak';

/** Why a value does not read as a secret by its shape. */
export type NotASecretShape =
  'empty' | 'short' | 'label' | 'placeholder' | 'template' | 'pattern' | 'path';

/** Whether a value reads as a secret by its shape: how strong one, or why it is not one. */
export type SecretShapeVerdict =
  { secret: true; strength: SecretStrength } | { secret: false; reason: NotASecretShape };

const MIN_LENGTH = 4;
const STRONG_LENGTH = 8;
const HIGH_ENTROPY_BITS = 3.5;

/** Values that name a scheme, a type or a setting rather than hold a secret. */
const LABELS = new Set(
  (
    'bearer basic digest token tokens access refresh id jwt jwe jws oauth oauth2 openid hmac apikey plain ' +
    'plaintext text string str bytes sha1 sha256 sha512 md5 bcrypt argon2 argon2id pbkdf2 scrypt hex base64 ' +
    'utf8 ascii required optional yes no true false on off enabled disabled enable disable code session ' +
    'cookie header query body form json xml none null nil undefined default unset empty hidden masked ' +
    'secret secrets password passwords passwd passphrase credential credentials private public ' +
    'auth authorization authentication login logout signin signup user username admin_required ' +
    'implicit hybrid client server mac sig signature sign verify verified expired invalid missing ' +
    'na tbd reset confirm change update create new old current hs256 hs384 hs512 rs256 rs384 rs512 es256 ' +
    'es384 es512 ps256 ps384 ps512 eddsa'
  ).split(' '),
);

/** Substrings that mark a documentation or template placeholder. */
const PLACEHOLDER_MARKERS: readonly string[] = [
  'changeme',
  'change_me',
  'change-me',
  'changeit',
  'example',
  'dummy',
  'placeholder',
  'redacted',
  'xxx',
  '***',
  '...',
  '…',
  'replace_me',
  'replace-me',
  'replaceme',
  'todo',
  'fixme',
  'notasecret',
  'not-a-secret',
  'not_a_secret',
  'sample',
];

/** Leading words of "your-password-here" style placeholders. */
const PLACEHOLDER_PREFIX =
  /^(?:your|my|some|enter|insert|put|add|paste|the)[-_ .]?(?:own[-_ .]?)?[a-z]/i;
const PLACEHOLDER_SUFFIX = /[-_ .](?:here|goes[-_ .]?here)$/i;

const FILE_EXTENSION =
  /\.(?:pem|key|crt|cer|der|p12|pfx|jks|keystore|txt|json|ya?ml|env|ini|cfg|conf|toml|gpg|asc|pub|secret|token|py)$/i;

/** Shannon entropy of a string in bits per character. */
export function shannonEntropy(value: string): number {
  if (value === '') return 0;
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  const length = Array.from(value).length;
  for (const count of counts.values()) {
    const p = count / length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** How many of lower case, upper case, digits and other characters a value uses. */
export function characterClasses(value: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(value)).length;
}

function normalise(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Minimum length, classes and entropy of a value that reads as random (a generated key). */
const RANDOM_LENGTH = 20;
const RANDOM_CLASSES = 3;
const RANDOM_ENTROPY_BITS = 4.2;

/**
 * Whether a value reads as randomly generated: long, mixed-class, high-entropy, with at most one
 * space (Django's `get_random_secret_key()` output, `F12Zr47j\3yX R~X@H!jmM]Lwf/,?KT`). In such a
 * value a `%-a` or `)*` or a lone space is chance, not a format placeholder, a pattern or prose.
 */
export function looksRandom(value: string): boolean {
  return (
    Array.from(value).length >= RANDOM_LENGTH &&
    (value.match(/\s/g)?.length ?? 0) <= 1 &&
    characterClasses(value) >= RANDOM_CLASSES &&
    shannonEntropy(value) >= RANDOM_ENTROPY_BITS
  );
}

function isPlaceholder(value: string, random: boolean): boolean {
  const lower = value.toLowerCase();
  if (PLACEHOLDER_MARKERS.some((marker) => lower.includes(marker))) return true;
  if (/^(.)\1*$/.test(value)) return true; // "****", "xxxxxxxx", "00000000"
  if (random) return false; // "(k2...x)" or "mykq..." only look like "<...>" / "my-..." by chance.
  if (/^<.*>$|^\[.*\]$|^\(.*\)$/.test(value)) return true;
  if (/^([^A-Za-z0-9])\1?[A-Z0-9_]+\1\1?$/.test(value)) return true; // @@TOKEN@@, %SECRET%, __PASSWORD__
  return PLACEHOLDER_PREFIX.test(value) || PLACEHOLDER_SUFFIX.test(value);
}

function isTemplate(value: string, random: boolean): boolean {
  return (
    /\{[^{}]*\}/.test(value) || // {} {0} {name} {{ jinja }}
    (!random && /%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdrifxXa]/.test(value)) || // %s %(name)s %d
    /\$\{[A-Za-z_]\w*\}/.test(value) || // ${VAR}
    /^\$[A-Za-z_]\w*$/.test(value) // $VAR
  );
}

/** Regular expressions (`r'[^\W\d]\w*'`, `^(?P<token>.+)$`) describe tokens rather than hold them. */
function isRegexLike(value: string, random: boolean): boolean {
  // A quantifier after `)` or `.` (`)+`, `.*`) also turns up by chance in a generated key.
  return /\\[wdsbWDSBAZ]|\[\^|\(\?[:=!<P]/.test(value) || (!random && /[.\])][*+?]/.test(value));
}

function isPathLike(value: string): boolean {
  return (
    value.includes('://') ||
    /^(?:\.{0,2}\/|~\/|[A-Za-z]:\\)/.test(value) ||
    FILE_EXTENSION.test(value)
  );
}

/**
 * Why a value reads as a label rather than a secret: a `vocabulary` word (`bearer`, `secret`),
 * the `name` it is stored under (`password = "password"`), an upper-case `constant`
 * (`DB_PASSWORD`), or `words` joined by separators or camelCase (`access_token`, `NextToken`).
 */
export type LabelShape = 'vocabulary' | 'name' | 'constant' | 'words';

/** Identifier-, header- or constant-like values: `access_token`, `X-Auth-Token`, `NextToken`, `DB_PASSWORD`. */
export function labelShape(value: string, name?: string): LabelShape | undefined {
  const lower = value.toLowerCase();
  if (LABELS.has(lower)) return 'vocabulary';
  if (name !== undefined && normalise(value) === normalise(name)) return 'name';
  // Words joined by separators, letters only: access_token, x-api-key, user.password.
  if (/^[A-Za-z]+(?:[._-][A-Za-z]+)+$/.test(value)) return 'words';
  // Upper-case constants (environment variable names): DB_PASSWORD, SECRET_KEY_2.
  if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(value)) return 'constant';
  // camelCase / PascalCase of two or more words: NextToken, accessToken.
  const camel =
    /^[A-Za-z]+$/.test(value) &&
    nameWords(value).length >= 2 &&
    /[a-z][A-Z]|^[A-Z][a-z]+[A-Z]/.test(value);
  return camel ? 'words' : undefined;
}

/**
 * Judges by its shape a literal assigned to, compared with or passed as a password-like `name`.
 * Values read from the environment never reach this function: only literals are judged.
 */
export function judgeSecretShape(value: string, name?: string): SecretShapeVerdict {
  const trimmed = value.trim();
  if (trimmed === '') return { secret: false, reason: 'empty' };
  const random = looksRandom(trimmed);
  if (isTemplate(value, random)) return { secret: false, reason: 'template' };
  if (isPlaceholder(trimmed, random)) return { secret: false, reason: 'placeholder' };
  if (isRegexLike(trimmed, random)) return { secret: false, reason: 'pattern' };
  if (!random && /\s/.test(trimmed)) return { secret: false, reason: 'label' };
  if (isPathLike(trimmed)) return { secret: false, reason: 'path' };
  if (labelShape(trimmed, name) !== undefined) return { secret: false, reason: 'label' };
  if (Array.from(trimmed).length < MIN_LENGTH) return { secret: false, reason: 'short' };
  if (Array.from(trimmed).length < STRONG_LENGTH) return { secret: true, strength: 'weak' };
  if (characterClasses(trimmed) >= 2 || shannonEntropy(trimmed) >= HIGH_ENTROPY_BITS) {
    return { secret: true, strength: 'strong' };
  }
  return { secret: true, strength: 'moderate' };
}

/** The confidence a finding about a secret of this strength deserves. Test code is always low. */
export function secretConfidence(strength: SecretStrength, isTestFile: boolean): Confidence {
  if (isTestFile) return 'low';
  return strength === 'strong' ? 'high' : strength === 'moderate' ? 'medium' : 'low';
}
