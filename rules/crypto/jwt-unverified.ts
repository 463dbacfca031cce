import {
  callVisitors,
  defineRule,
  functionScopeOf,
  testAdjusted,
  unwrapParens,
  type CallInfo,
  type Scope,
  type SemanticModel,
  type SyntaxNode,
} from '../../src/rules-api/index.js';
import { DECODERS, ENCODERS, jwtCallKind } from '../_shared/jwt-calls.js';

type Problem = 'verifyFalse' | 'signatureOff' | 'noneDecode';

interface Pending {
  node: SyntaxNode;
  problem: Problem;
  callee: string;
  scope: Scope;
}

export default defineRule({
  meta: {
    id: 'PGC010',
    slug: 'jwt-unverified',
    title: 'JWT decoded without verifying its signature',
    category: 'crypto',
    severity: 'high',
    confidence: 'high',
    cwe: [347, 287],
    owasp: ['A07:2021 Identification and Authentication Failures'],
    description:
      'Flags PyJWT and python-jose calls that skip signature checks (`verify=False`, `options={"verify_signature": False}`), accept the `none` algorithm, or issue tokens with `algorithm="none"`.',
    why: "A JWT's claims are only as trustworthy as its signature. When the signature is not checked, or unsigned `alg: none` tokens are accepted or issued, anyone can write their own token claiming any user, role or expiry, and the application will believe it.",
    fix: 'Decode with the verification key and an explicit list of the algorithms you issue: `jwt.decode(token, key, algorithms=["HS256"])`. If you need a claim (such as `kid` or `iss`) before you know the key, read it with `jwt.get_unverified_header()` and then verify the token with the key you chose.',
    example: {
      bad: 'import jwt\n\nclaims = jwt.decode(token, options={"verify_signature": False})\n',
      good: 'import jwt\n\nclaims = jwt.decode(token, SECRET, algorithms=["HS256"])\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/347.html',
      'https://pyjwt.readthedocs.io/en/stable/api.html#jwt.decode',
      'https://pyjwt.readthedocs.io/en/stable/usage.html#reading-the-claimset-without-validation',
      'https://python-jose.readthedocs.io/en/latest/jwt/api.html',
    ],
    bandit: [],
    ruff: [],
  },
  messages: {
    verifyFalse:
      '`{{callee}}` with `verify=False` accepts tokens with any signature, so anyone can forge the claims; decode with the key and `algorithms=[...]`.',
    signatureOff:
      '`{{callee}}` turns off `verify_signature`, so anyone can forge the claims; decode with the key and `algorithms=[...]`.',
    noneDecode:
      '`{{callee}}` accepts the `none` algorithm, that is, unsigned tokens; list only the algorithms you issue, such as `algorithms=["HS256"]`.',
    readBeforeVerify:
      '`{{callee}}` reads the claims without checking the signature; a verified decode follows in this function, so trust nothing from these claims except to choose the key.',
    noneEncode:
      '`{{callee}}` with `algorithm="none"` issues unsigned tokens that anyone can forge; sign them with HS256, RS256 or EdDSA.',
  },
  select: { calls: [...DECODERS, ...ENCODERS], methods: ['decode', 'decode_complete', 'encode'] },
  create(context) {
    const { model } = context;
    const pending: Pending[] = [];
    /** Function scopes that also decode a token with verification. */
    const verifyingScopes = new Set<Scope>();

    return {
      ...callVisitors(context, (node, call) => {
        const kind = jwtCallKind(model, call);
        if (kind === undefined) return;
        const callee = context.textOf(call.callee);
        if (kind === 'encode') {
          const algorithm = model.argument(call, 'algorithm', 2);
          const name = algorithm === undefined ? undefined : model.staticString(algorithm);
          if (name?.toLowerCase() === 'none') {
            context.report({
              node,
              messageId: 'noneEncode',
              data: { callee },
              confidence: testAdjusted('high', context.isTestFile),
            });
          }
          return;
        }
        const problem = decodeProblem(model, call);
        const scope = functionScopeOf(model, node);
        if (problem === undefined) verifyingScopes.add(scope);
        else pending.push({ node, problem, callee, scope });
      }),
      end() {
        for (const { node, problem, callee, scope } of pending) {
          // Reading the claims first and verifying later in the same function (to pick the key
          // by `kid` or `iss`) is the documented pattern; it is only worth a look.
          const verifiedLater = problem !== 'noneDecode' && verifyingScopes.has(scope);
          if (verifiedLater) {
            context.report({
              node,
              messageId: 'readBeforeVerify',
              data: { callee },
              severity: 'low',
              confidence: 'low',
            });
          } else {
            context.report({
              node,
              messageId: problem,
              data: { callee },
              confidence: testAdjusted('high', context.isTestFile),
            });
          }
        }
      },
    };
  },
});

/** What makes a decode call skip verification, if anything. */
function decodeProblem(model: SemanticModel, call: CallInfo): Problem | undefined {
  const verify = call.keywords.get('verify');
  if (verify !== undefined && model.literalValue(verify) === false) return 'verifyFalse';
  // PyJWT 1.x: decode(jwt, key, verify, algorithms, options).
  const third = call.positional[2];
  if (third !== undefined && model.literalValue(third) === false) return 'verifyFalse';
  const options = call.keywords.get('options') ?? positionalOptions(model, call);
  if (options !== undefined && signatureCheckOff(model, options)) return 'signatureOff';
  const algorithms = model.argument(call, 'algorithms', 2);
  if (algorithms !== undefined && acceptsNone(model, algorithms)) return 'noneDecode';
  return undefined;
}

/** PyJWT 2.x: decode(jwt, key, algorithms, options). */
function positionalOptions(model: SemanticModel, call: CallInfo): SyntaxNode | undefined {
  const fourth = call.positional[3];
  if (fourth === undefined) return undefined;
  const value = unwrapParens(model.resolveValue(fourth));
  return value.type === 'dictionary' || value.type === 'call' ? fourth : undefined;
}

/** `{"verify_signature": False}` or `dict(verify_signature=False)`. */
function signatureCheckOff(model: SemanticModel, options: SyntaxNode): boolean {
  const value = unwrapParens(model.resolveValue(options));
  if (value.type === 'dictionary') {
    return value.namedChildren.some((pair) => {
      if (pair.type !== 'pair') return false;
      const key = pair.childForFieldName('key');
      const flag = pair.childForFieldName('value');
      return (
        key !== null &&
        flag !== null &&
        model.staticString(key) === 'verify_signature' &&
        isFalse(model, flag)
      );
    });
  }
  if (value.type === 'call') {
    const call = model.call(value);
    if (call.qualifiedName !== 'dict') return false;
    const flag = call.keywords.get('verify_signature');
    return flag !== undefined && isFalse(model, flag);
  }
  return false;
}

function isFalse(model: SemanticModel, node: SyntaxNode): boolean {
  const value = model.literalValue(node);
  return value === false || value === 0;
}

/** `algorithms=["none"]`, `("HS256", "none")` or `"none"`. */
function acceptsNone(model: SemanticModel, node: SyntaxNode): boolean {
  const value = unwrapParens(model.resolveValue(node));
  const items =
    value.type === 'list' || value.type === 'tuple' || value.type === 'set'
      ? value.namedChildren
      : [value];
  return items.some((item) => model.staticString(item)?.toLowerCase() === 'none');
}
