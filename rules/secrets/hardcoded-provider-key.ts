import {
  callVisitors,
  defineRule,
  literalString,
  targetName,
  testAdjusted,
  type Confidence,
  type SyntaxNode,
} from '../../src/rules-api/index.js';
import {
  awsCredentialName,
  awsSdkCredentialPositions,
  isAwsCredentialValue,
  isExampleToken,
  matchedPattern,
  providerTokenRegex,
  redact,
} from '../_shared/provider-tokens.js';
import { mayHoldSecretLiteral, mayNameSecret } from '../_shared/secret-names.js';
import { judgeSecretValue } from '../_shared/secret-values.js';

/** Children of a `string` node that the text of a literal can sit in. */
const STRING_PARTS = new Set([
  'string_content',
  'escape_sequence',
  'escape_interpolation',
  'string_start',
  'string_end',
]);

/** How far past a PEM header to look for the base64 body. */
const PEM_LOOKAHEAD = 600;

/**
 * Whether a PEM private-key header is followed by key material rather than being a marker
 * string (`data.startswith("-----BEGIN RSA PRIVATE KEY-----")`). Newline escapes, quotes of
 * implicitly concatenated literals, comment markers and `Proc-Type:`/`DEK-Info:` lines are skipped.
 */
function pemBodyFollows(after: string): boolean {
  const body = after
    .replace(/[A-Za-z-]+:[^\n\\]*/g, '')
    .replace(/\\[nrt]/g, '')
    .replace(/[\s"'#]/g, '');
  const start = /^[A-Za-z0-9+/]{40,}/.exec(body);
  return start !== null && !isExampleToken(start[0].slice(0, 64));
}

export default defineRule({
  meta: {
    id: 'PGS004',
    slug: 'hardcoded-provider-key',
    title: 'Hardcoded cloud or API provider credential',
    category: 'secrets',
    severity: 'high',
    confidence: 'high',
    cwe: [798],
    owasp: ['A07:2021 Identification and Authentication Failures'],
    description:
      'Flags string literals and comments that contain a credential in a provider format (AWS access key ids, GitHub, Slack, Stripe live and Google API keys, Slack webhooks, PEM private keys, JWTs) and literal AWS secrets passed to boto3.',
    why: 'Provider tokens grant direct access to cloud accounts, repositories, payment systems and chat workspaces. Once committed they stay in the history of every clone and are harvested by bots within minutes of a push, so the key must be treated as compromised.',
    fix: 'Revoke and rotate the key with the provider first, then remove it from the code and load it at runtime from the environment, a secret manager or the SDK default credential chain (for AWS: `boto3.client("s3")` with no keys, using an IAM role or `~/.aws/credentials`).',
    example: {
      bad: 'import boto3\n\ns3 = boto3.client(\n    "s3",\n    aws_access_key_id="AKIAB3WKH5DNSIPZZ5FK",\n    aws_secret_access_key="DDb/xHKas1VOqg6YYZYn9ZhyiA4uoRgnatmUdjAW",\n)\n',
      good: 'import boto3\n\n# Credentials come from the environment, ~/.aws/credentials or an IAM role.\ns3 = boto3.client("s3")\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/798.html',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/security-creds.html',
      'https://boto3.amazonaws.com/v1/documentation/api/latest/guide/credentials.html',
      'https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/token-expiration-and-revocation',
      'https://docs.stripe.com/keys',
      'https://owasp.org/Top10/A07_2021-Identification_and_Authentication_Failures/',
    ],
    bandit: [],
    ruff: [],
  },
  messages: {
    tokenInString:
      '{{provider}} `{{redacted}}` is hardcoded here; revoke it and load the credential at runtime instead.',
    tokenInComment:
      '{{provider}} `{{redacted}}` appears in a comment; revoke it and remove it from the source.',
    privateKeyInString:
      'A PEM private key is embedded in this string; revoke the key and load it from a protected file or secret store.',
    privateKeyInComment:
      'A PEM private key appears in a comment; revoke the key and remove it from the source.',
    awsSecret:
      '`{{name}}` is a hardcoded AWS credential; rotate it and let boto3 find credentials in the environment, `~/.aws/credentials` or an IAM role.',
  },
  create(context) {
    const { model } = context;
    /** String nodes already reported (start index), so the text scan does not repeat them. */
    const reported = new Set<number>();

    const confidenceFor = (base: Confidence): Confidence => testAdjusted(base, context.isTestFile);

    function reportAwsSecret(valueNode: SyntaxNode, name: string, base: Confidence): void {
      reported.add(valueNode.startIndex);
      context.report({
        node: valueNode,
        messageId: 'awsSecret',
        data: { name },
        confidence: confidenceFor(base),
      });
    }

    /** `AWS_SECRET_ACCESS_KEY = "..."`, `{"aws_secret_access_key": "..."}`: values with the key's shape. */
    function checkNamedValue(nameNode: SyntaxNode, valueNode: SyntaxNode): void {
      const name = targetName(model, nameNode);
      const credential = name === undefined ? undefined : awsCredentialName(name);
      if (name === undefined || credential === undefined) return;
      const literal = literalString(model, valueNode);
      if (literal !== undefined && isAwsCredentialValue(credential, literal))
        reportAwsSecret(valueNode, name, 'high');
    }

    /** The string (or comment) node a text offset sits in, or undefined when it is code. */
    function containerAt(index: number): SyntaxNode | undefined {
      let node: SyntaxNode | null = model.tree.rootNode.descendantForIndex(index);
      while (node !== null && STRING_PARTS.has(node.type)) node = node.parent;
      return node !== null && (node.type === 'string' || node.type === 'comment')
        ? node
        : undefined;
    }

    return {
      ...callVisitors(context, (node, call) => {
        const positions = awsSdkCredentialPositions(model, call);
        if (positions === undefined) {
          if (!mayNameSecret(context.textOf(node))) return;
          for (const keyword of call.keywords.keys()) {
            const credential = awsCredentialName(keyword);
            const value = credential === undefined ? undefined : call.keywords.get(keyword);
            const literal = value === undefined ? undefined : literalString(model, value);
            if (
              credential !== undefined &&
              value !== undefined &&
              literal !== undefined &&
              isAwsCredentialValue(credential, literal)
            ) {
              reportAwsSecret(value, keyword, 'high');
            }
          }
          return;
        }
        // An AWS SDK constructor: any real-looking literal credential is a hardcoded key.
        for (const [parameter, position] of Object.entries(positions)) {
          const value = model.argument(call, parameter, position);
          const literal = value === undefined ? undefined : literalString(model, value);
          if (value === undefined || literal === undefined) continue;
          const credential = awsCredentialName(parameter);
          if (credential !== undefined && isAwsCredentialValue(credential, literal)) {
            reportAwsSecret(value, parameter, 'high');
            continue;
          }
          const verdict = judgeSecretValue(literal, parameter);
          if (verdict.secret)
            reportAwsSecret(value, parameter, verdict.strength === 'weak' ? 'medium' : 'high');
        }
      }),
      assignment(node) {
        if (!mayHoldSecretLiteral(context.textOf(node))) return;
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (left !== null && right !== null) checkNamedValue(left, right);
      },
      pair(node) {
        if (!mayHoldSecretLiteral(context.textOf(node))) return;
        const key = node.childForFieldName('key');
        const value = node.childForFieldName('value');
        if (key !== null && value !== null && key.type === 'string') checkNamedValue(key, value);
      },
      end() {
        const text = context.text;
        for (const match of text.matchAll(providerTokenRegex())) {
          const pattern = matchedPattern(match);
          const token = match[0];
          const index = match.index;
          if (pattern === undefined) continue;
          const container = containerAt(index);
          if (container === undefined || reported.has(container.startIndex)) continue;
          const inComment = container.type === 'comment';
          if (pattern.group === 'pem') {
            // The key material must follow inside the literal (or the comment lines after it).
            const outer =
              container.parent?.type === 'concatenated_string' ? container.parent : container;
            const bodyStart = index + token.length;
            const bodyEnd = Math.min(
              bodyStart + PEM_LOOKAHEAD,
              inComment ? text.length : outer.endIndex,
            );
            if (!pemBodyFollows(text.slice(bodyStart, bodyEnd))) continue;
            reported.add(container.startIndex);
            context.report({
              node: container,
              messageId: inComment ? 'privateKeyInComment' : 'privateKeyInString',
              confidence: confidenceFor('high'),
            });
            continue;
          }
          if (isExampleToken(token)) continue;
          reported.add(container.startIndex);
          context.report({
            node: container,
            messageId: inComment ? 'tokenInComment' : 'tokenInString',
            data: { provider: pattern.provider, redacted: redact(token, pattern) },
            // A JWT may be long expired or a test fixture; the other formats are live credentials.
            confidence: confidenceFor(pattern.group === 'jwt' ? 'medium' : 'high'),
          });
        }
      },
    };
  },
});
