/**
 * Token formats of credential providers (AWS, GitHub, Slack, Stripe, Google, PEM private keys,
 * JWTs), one combined regular expression to find them in source text, and the filters that drop
 * documented example keys and obvious fixtures.
 */
import {
  nameWords,
  ownEntry,
  type CallInfo,
  type SemanticModel,
} from '../../src/rules-api/index.js';

export interface ProviderPattern {
  /** Group name in the combined expression. */
  group: string;
  /** Provider and credential, for messages. */
  provider: string;
  source: string;
  /** How many characters of a match a message may show (the rest is redacted). */
  visible: number;
}

/** Alphanumeric boundary so a token inside a longer run of the same alphabet does not match. */
const B = '(?<![A-Za-z0-9_])';
const E = '(?![A-Za-z0-9_])';

export const PROVIDER_PATTERNS: readonly ProviderPattern[] = [
  {
    group: 'aws',
    provider: 'AWS access key ID',
    source: `${B}(?:AKIA|ASIA)[A-Z0-9]{16}${E}`,
    visible: 8,
  },
  {
    group: 'github',
    provider: 'GitHub token',
    source: `${B}gh[pousr]_[A-Za-z0-9]{36}${E}`,
    visible: 8,
  },
  {
    group: 'githubpat',
    provider: 'GitHub fine-grained token',
    source: `${B}github_pat_[A-Za-z0-9_]{50,}${E}`,
    visible: 15,
  },
  {
    group: 'slack',
    provider: 'Slack token',
    source: `${B}xox[baprs]-[0-9]+-[A-Za-z0-9-]{10,}${E}`,
    visible: 9,
  },
  {
    group: 'slackhook',
    provider: 'Slack webhook URL',
    source: 'https://hooks\\.slack\\.com/services/T[A-Z0-9]{6,}/B[A-Z0-9]{6,}/[A-Za-z0-9]{16,}',
    visible: 38,
  },
  {
    group: 'stripe',
    provider: 'Stripe live key',
    source: `${B}(?:sk|rk)_live_[A-Za-z0-9]{24,}${E}`,
    visible: 12,
  },
  {
    group: 'google',
    provider: 'Google API key',
    source: `${B}AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])`,
    visible: 8,
  },
  {
    group: 'pem',
    provider: 'PEM private key',
    source: '-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----',
    visible: 0,
  },
  {
    group: 'jwt',
    provider: 'JSON Web Token',
    source: `${B}eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{16,}(?![A-Za-z0-9_-])`,
    visible: 8,
  },
];

const COMBINED_SOURCE = PROVIDER_PATTERNS.map(
  (pattern) => `(?<${pattern.group}>${pattern.source})`,
).join('|');

/** A fresh global expression matching any provider token. */
export function providerTokenRegex(): RegExp {
  return new RegExp(COMBINED_SOURCE, 'g');
}

/** Documented example credentials (AWS docs, jwt.io) that are safe to publish. */
const KNOWN_EXAMPLES: readonly string[] = [
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  // The jwt.io sample token's payload ({"sub": "1234567890", "name": "John Doe", ...}).
  'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ',
];

/**
 * Whether a token-shaped value is an example or fixture rather than a credential: a documented
 * example key, or a value containing `example`, `xxxx`, `1234567890`, `abcdefghij`, or the same
 * character six times in a row (`000000`, `aaaaaa`).
 */
export function isExampleToken(value: string): boolean {
  if (KNOWN_EXAMPLES.some((example) => value.includes(example))) return true;
  const lower = value.toLowerCase();
  if (
    lower.includes('example') ||
    lower.includes('xxxx') ||
    lower.includes('1234567890') ||
    lower.includes('abcdefghij')
  ) {
    return true;
  }
  return /([A-Za-z0-9])\1{5}/.test(value);
}

/** The provider of the first real (non-example) token in a value, or undefined. */
export function providerTokenIn(value: string): ProviderPattern | undefined {
  for (const match of value.matchAll(providerTokenRegex())) {
    const pattern = matchedPattern(match);
    if (pattern !== undefined && !isExampleToken(match[0])) return pattern;
  }
  return undefined;
}

/** The pattern whose group matched. */
export function matchedPattern(
  match: RegExpExecArray | RegExpMatchArray,
): ProviderPattern | undefined {
  const groups = match.groups;
  if (groups === undefined) return undefined;
  return PROVIDER_PATTERNS.find((pattern) => groups[pattern.group] !== undefined);
}

/** A message-safe form of a token: its first characters and an ellipsis. */
export function redact(token: string, pattern: ProviderPattern): string {
  if (pattern.visible === 0) return pattern.provider;
  return `${token.slice(0, Math.min(pattern.visible, Math.floor(token.length / 2)))}…`;
}

/**
 * Whether a value has the shape of an AWS secret access key: 40 characters of base64 alphabet
 * mixing upper case, lower case and digits or `/`/`+`.
 */
export function isAwsSecretKeyShape(value: string): boolean {
  return (
    /^[A-Za-z0-9/+]{40}$/.test(value) &&
    /[A-Z]/.test(value) &&
    /[a-z]/.test(value) &&
    /[0-9/+]/.test(value) &&
    !isExampleToken(value)
  );
}

/** AWS credential names: `aws_secret_access_key`, `AWS_SESSION_TOKEN`, `secretAccessKey`. */
export type AwsCredential = 'aws_secret_access_key' | 'aws_session_token';

export function awsCredentialName(name: string): AwsCredential | undefined {
  const glued = nameWords(name).join('');
  if (glued === 'awssecretaccesskey' || glued === 'secretaccesskey') return 'aws_secret_access_key';
  if (glued === 'awssessiontoken') return 'aws_session_token';
  return undefined;
}

/**
 * Whether a value held by an AWS credential name has that credential's shape: 40 base64
 * characters for a secret access key, a long base64 blob for a session token.
 */
export function isAwsCredentialValue(credential: AwsCredential, value: string): boolean {
  if (credential === 'aws_secret_access_key') return isAwsSecretKeyShape(value);
  return /^[A-Za-z0-9/+=]{100,}$/.test(value) && !isExampleToken(value);
}

/**
 * Calls that build AWS clients and sessions, with the positions of their credential parameters
 * (`aws_secret_access_key`, `aws_session_token`). A literal there is always a hardcoded key.
 */
export const AWS_SDK_CREDENTIAL_POSITIONS: Readonly<
  Record<string, Readonly<Record<string, number>>>
> = {
  'boto3.client': { aws_secret_access_key: 7, aws_session_token: 8 },
  'boto3.resource': { aws_secret_access_key: 7, aws_session_token: 8 },
  'boto3.Session': { aws_secret_access_key: 1, aws_session_token: 2 },
  'boto3.session.Session': { aws_secret_access_key: 1, aws_session_token: 2 },
};

const SESSION_METHOD_POSITIONS: Readonly<Record<string, number>> = {
  aws_secret_access_key: 7,
  aws_session_token: 8,
};

/**
 * The credential parameter positions of an AWS SDK call (`boto3.client(...)`,
 * `boto3.Session(...)`, `session.client(...)` on a boto3 session), or undefined for other calls.
 */
export function awsSdkCredentialPositions(
  model: SemanticModel,
  call: CallInfo,
): Readonly<Record<string, number>> | undefined {
  if (call.qualifiedName !== undefined) {
    const direct = ownEntry(AWS_SDK_CREDENTIAL_POSITIONS, call.qualifiedName);
    if (direct !== undefined) return direct;
  }
  if (
    call.callee.type !== 'attribute' ||
    (call.methodName !== 'client' && call.methodName !== 'resource')
  )
    return undefined;
  const receiver = call.callee.childForFieldName('object');
  if (receiver === null) return undefined;
  const maker = model.constructedBy(receiver);
  return maker === 'boto3.Session' || maker === 'boto3.session.Session'
    ? SESSION_METHOD_POSITIONS
    : undefined;
}
