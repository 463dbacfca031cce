import {
  callVisitors,
  defineRule,
  nameWords,
  testAdjusted,
  unwrapParens,
  type SemanticModel,
  type SyntaxNode,
} from '../../src/rules-api/index.js';
import { jwtCallKind } from '../_shared/jwt-calls.js';
import { findTerm } from '../_shared/name-terms.js';
import { secretNameKind } from '../_shared/secret-names.js';

/** Secret kinds that have no place in a token anyone can read (a `token` claim is normal). */
const SECRET_KINDS = new Set([
  'password',
  'passphrase',
  'secret',
  'API key',
  'private key',
  'access key',
]);
/** Personal data that is as sensitive as a password once it leaks. */
const PERSONAL_TERMS = [
  'ssn',
  'social_security_number',
  'credit_card',
  'card_number',
  'cvv',
  'cvc',
];
/** Calls and attributes that turn a whole object into a dict. */
const OBJECT_DUMPERS = new Set([
  'vars',
  'dataclasses.asdict',
  'django.forms.models.model_to_dict',
  'attr.asdict',
  'attrs.asdict',
]);
const DUMP_METHODS = new Set(['dict', 'model_dump', 'to_dict', 'as_dict', '_asdict']);

export default defineRule({
  meta: {
    id: 'PGC011',
    slug: 'jwt-sensitive-payload',
    title: 'Password or secret placed in a JWT payload',
    category: 'crypto',
    severity: 'medium',
    confidence: 'high',
    cwe: [522, 312],
    owasp: ['A02:2021 Cryptographic Failures'],
    description:
      'Flags password, secret, key and card-number claims in the payload given to `jwt.encode` (PyJWT, python-jose), and whole objects (`user.__dict__`, `vars(user)`, `model_to_dict(user)`) used as a payload.',
    why: 'A signed JWT is not encrypted: its payload is base64url-encoded JSON that anyone holding the token (the user, their browser extensions, proxies, logs, error trackers) can decode. A password or key inside it is disclosed to all of them, and stays valid until the token expires.',
    fix: 'Put only identifiers and authorisation claims in the token (`sub`, `exp`, roles) and look anything sensitive up on the server. Build the payload field by field rather than from a whole model object. If the data really must travel in the token, encrypt it (JWE).',
    example: {
      bad: 'import jwt\n\ntoken = jwt.encode({"sub": user.id, "password": user.password}, KEY, algorithm="HS256")\n',
      good: 'import jwt\n\ntoken = jwt.encode({"sub": user.id}, KEY, algorithm="HS256")\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/522.html',
      'https://pyjwt.readthedocs.io/en/stable/usage.html',
      'https://datatracker.ietf.org/doc/html/rfc7519#section-12',
    ],
    bandit: [],
    ruff: [],
  },
  messages: {
    sensitiveClaim:
      'The JWT payload holds `{{claim}}` ({{kind}}); JWT payloads are only base64-encoded, so anyone with the token can read it. Keep it on the server and put an identifier in the token instead.',
    wholeObject:
      '`{{payload}}` puts every field of an object into the JWT payload, which anyone with the token can read; list the claims the token needs instead.',
  },
  select: { methods: ['encode', 'sign'] },
  create(context) {
    const { model } = context;
    return callVisitors(context, (node, call) => {
      if (call.methodName !== 'encode' && call.methodName !== 'sign') return;
      if (jwtCallKind(model, call) !== 'encode') return;
      const payload =
        call.keywords.get('payload') ?? call.keywords.get('claims') ?? call.positional[0];
      if (payload === undefined) return;
      for (const [store, claim, claimValue] of subscriptStores(model, payload, node)) {
        reportClaim(store, claim, claimValue);
      }
      const value = unwrapParens(model.resolveValue(payload));
      if (value.type === 'dictionary') {
        for (const pair of value.namedChildren) {
          if (pair.type !== 'pair') continue;
          const key = pair.childForFieldName('key');
          const claimValue = pair.childForFieldName('value');
          const claim = key === null ? undefined : model.staticString(key);
          if (claim === undefined || claimValue === null) continue;
          reportClaim(pair, claim, claimValue);
        }
        return;
      }
      if (value.type !== 'call' && value.type !== 'attribute') return;
      if (value.type === 'call') {
        const built = model.call(value);
        if (built.qualifiedName === 'dict') {
          for (const name of built.keywords.keys()) {
            const claimValue = built.keywords.get(name);
            if (claimValue !== undefined) reportClaim(claimValue.parent ?? value, name, claimValue);
          }
          return;
        }
      }
      if (isWholeObject(model, value)) {
        context.report({
          node: payload,
          messageId: 'wholeObject',
          data: { payload: context.textOf(payload) },
          severity: 'low',
          confidence: 'low',
        });
      }
    });

    function reportClaim(node: SyntaxNode, claim: string, value: SyntaxNode): void {
      // `"password": None` or `"secret": ""` carries nothing.
      const literal = model.literalValue(value);
      if (literal === null || literal === '' || literal === false) return;
      const kind = sensitiveKind(claim);
      if (kind === undefined) return;
      context.report({
        node,
        messageId: 'sensitiveClaim',
        data: { claim, kind },
        confidence: testAdjusted('high', context.isTestFile),
      });
    }
  },
});

/** What a claim name holds, when it is a secret or sensitive personal data. */
function sensitiveKind(claim: string): string | undefined {
  const kind = secretNameKind(claim);
  if (kind !== undefined && SECRET_KINDS.has(kind))
    return `${/^[aeiouAEIOU]/.test(kind) ? 'an' : 'a'} ${kind}`;
  const personal = findTerm(nameWords(claim), PERSONAL_TERMS);
  return personal === undefined ? undefined : 'sensitive personal data';
}

/** `user.__dict__`, `vars(user)`, `model_to_dict(user)`, `user.dict()`, `asdict(user)`. */
function isWholeObject(model: SemanticModel, value: SyntaxNode): boolean {
  if (value.type === 'attribute') {
    const attribute = value.childForFieldName('attribute');
    return attribute !== null && model.textOf(attribute) === '__dict__';
  }
  const call = model.call(value);
  if (call.qualifiedName !== undefined && OBJECT_DUMPERS.has(call.qualifiedName)) return true;
  return (
    call.callee.type === 'attribute' &&
    call.methodName !== undefined &&
    DUMP_METHODS.has(call.methodName) &&
    call.positional.length === 0
  );
}

/**
 * `payload["password"] = ...` statements before the call, in the function that makes it: the
 * assignment, the claim name and the value stored.
 */
function subscriptStores(
  model: SemanticModel,
  payload: SyntaxNode,
  call: SyntaxNode,
): [SyntaxNode, string, SyntaxNode][] {
  const target = unwrapParens(payload);
  if (target.type !== 'identifier') return [];
  const name = model.textOf(target);
  const scope = model.scopeAt(call);
  const body = scope.kind === 'function' ? scope.node : null;
  if (body === null) return [];
  const stores: [SyntaxNode, string, SyntaxNode][] = [];
  for (const assignment of body.descendantsOfType('assignment')) {
    if (assignment.startIndex > call.startIndex) break;
    const left = assignment.childForFieldName('left');
    const right = assignment.childForFieldName('right');
    if (left?.type !== 'subscript' || right === null) continue;
    const object = left.childForFieldName('value');
    const key = left.childForFieldName('subscript');
    if (object?.type !== 'identifier' || model.textOf(object) !== name || key === null) continue;
    const claim = model.staticString(key);
    if (claim !== undefined) stores.push([assignment, claim, right]);
  }
  return stores;
}
