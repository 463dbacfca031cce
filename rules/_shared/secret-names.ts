/**
 * Whether an identifier, attribute or dictionary key names a password, token or other secret.
 *
 * Names are split into words (snake_case, camelCase, kebab-case, dotted) and matched word by
 * word, so `db_password`, `apiKey` and `X-Auth-Token` match while `bypass`, `compass`,
 * `passenger` and `tokenizer` do not. A secret word followed by a qualifier (`token_type`,
 * `password_field`, `secret_name`) names something about the secret, not the secret itself.
 */
import { nameWords, ownEntry } from '../../src/rules-api/index.js';

/** What kind of secret a name denotes, for messages. */
export type SecretKind =
  'password' | 'passphrase' | 'secret' | 'token' | 'API key' | 'private key' | 'access key';

/** Single words that denote a secret. `pass` counts only as the last word (`db_pass`). */
const SECRET_WORDS: Readonly<Record<string, SecretKind>> = {
  password: 'password',
  passwd: 'password',
  pwd: 'password',
  pass: 'password',
  passphrase: 'passphrase',
  secret: 'secret',
  secrete: 'secret',
  token: 'token',
  apikey: 'API key',
  privatekey: 'private key',
  accesskey: 'access key',
};

/** Spellings of "password" with letters left out (`paswd`, `passwrd`, `pasword`), as ruff matches them. */
const SHORTENED_PASSWORD = /^pas+wo?r?d$/;

/** Two-word names that denote a secret (`api_key`, `privateKey`, `ACCESS-KEY`). */
const SECRET_PAIRS: Readonly<Record<string, SecretKind>> = {
  'api key': 'API key',
  'private key': 'private key',
  'access key': 'access key',
  'pass phrase': 'passphrase',
  'pass word': 'password',
};

/** Glued lower-case forms (`dbpassword`, `authtoken`, `clientsecret`) end with one of these. */
const GLUED_SUFFIXES: readonly (readonly [string, SecretKind])[] = [
  ['password', 'password'],
  ['passwd', 'password'],
  ['passphrase', 'passphrase'],
  ['apikey', 'API key'],
  ['privatekey', 'private key'],
  ['accesskey', 'access key'],
  ['secret', 'secret'],
  ['token', 'token'],
];

/**
 * Words that, after the secret word, make the name describe the secret rather than hold it:
 * `token_type`, `password_field`, `secret_name`, `api_key_header`, `token_url`.
 */
const QUALIFIERS = new Set(
  (
    'type types kind url uri urls endpoint endpoints host name names field fields label labels prompt ' +
    'placeholder hint help text title description desc length len size min max count expiry expires ' +
    'expiration expire expired ttl lifetime age timeout file filename files path paths dir directory ' +
    'header headers prefix prefixes suffix regex re pattern format fmt policy error errors message ' +
    'messages msg reason id ids param params parameter parameters env var variable attr attribute ' +
    'column col widget input template location strength scheme method methods mode style class cls ' +
    'index idx position pos dict list map mapping cache store storage manager provider generator ' +
    'service handler validator serializer form view model changed required enabled disabled visible ' +
    'hidden valid invalid set arn ref reference version versions loc selector xpath button link route ' +
    'view views status state flow grant usage used reset confirm confirmation mismatch match incorrect ' +
    'wrong missing short weak complexity requirement rule hint chars characters charset alphabet symbols ' +
    'digits letters algorithm algorithms alg algo'
  ).split(' '),
);

/** Leading words that turn the name into a flag or counter: `is_password`, `max_tokens`. */
const FLAG_PREFIXES = new Set([
  'is',
  'has',
  'use',
  'uses',
  'enable',
  'require',
  'requires',
  'show',
  'hide',
  'allow',
  'no',
  'num',
  'max',
  'min',
  'should',
  'n',
]);

interface WordMatch {
  kind: SecretKind;
  /** Index of the word after the match. */
  next: number;
}

function matchAt(words: readonly string[], index: number): WordMatch | undefined {
  const word = words[index];
  if (word === undefined) return undefined;
  const following = words[index + 1];
  if (following !== undefined) {
    const pair = ownEntry(SECRET_PAIRS, `${word} ${following}`);
    if (pair !== undefined) return { kind: pair, next: index + 2 };
  }
  const single = ownEntry(SECRET_WORDS, word);
  if (single !== undefined) {
    if (word === 'pass' && index !== words.length - 1) return undefined;
    return { kind: single, next: index + 1 };
  }
  if (SHORTENED_PASSWORD.test(word)) return { kind: 'password', next: index + 1 };
  for (const [suffix, kind] of GLUED_SUFFIXES) {
    if (word.length > suffix.length && word.endsWith(suffix)) return { kind, next: index + 1 };
  }
  return undefined;
}

/**
 * The kind of secret a name holds (`db_password` → password, `GITHUB_TOKEN` → token), or
 * undefined when the name is not password-like or only describes a secret (`token_type`).
 */
export function secretNameKind(name: string): SecretKind | undefined {
  const words = nameWords(name);
  if (words.length === 0) return undefined;
  if (FLAG_PREFIXES.has(words[0] ?? '') && words.length > 1) return undefined;
  let last: WordMatch | undefined;
  for (let index = 0; index < words.length; index++) {
    const match = matchAt(words, index);
    if (match !== undefined) {
      last = match;
      index = match.next - 1;
    }
  }
  if (last === undefined) return undefined;
  for (let index = last.next; index < words.length; index++) {
    const word = words[index] ?? '';
    if (QUALIFIERS.has(word) || (word.endsWith('s') && QUALIFIERS.has(word.slice(0, -1))))
      return undefined;
  }
  return last.kind;
}

/** Whether a name holds a password, token or other secret. */
export function isSecretName(name: string): boolean {
  return secretNameKind(name) !== undefined;
}

/** Letters every secret-like name contains one of; a cheap test before any closer look. */
const SECRET_HINT = /pas|pwd|secret|token|key/i;

/**
 * Whether source text could contain a secret-like name at all. Rules test a call's text with
 * this before splitting its arguments, which most calls never need.
 */
export function mayNameSecret(text: string): boolean {
  return SECRET_HINT.test(text);
}

/**
 * Whether source text could assign, store or compare a literal secret at all: it names something
 * secret-like and contains a string quote. Cheap enough to run before looking at any node.
 */
export function mayHoldSecretLiteral(text: string): boolean {
  return (text.includes('"') || text.includes("'")) && SECRET_HINT.test(text);
}
