/**
 * JWT library calls by what they do: PyJWT (`jwt.encode`, `jwt.decode`, `PyJWT().decode`) and
 * python-jose (`jose.jwt.encode`, `jose.jwt.decode`). For all of them the payload (or token) is
 * the first argument and the key the second.
 */
import type { CallInfo, SemanticModel } from '../../src/rules-api/index.js';

/** Functions that decode (and may verify) a token, by qualified name. */
export const DECODERS = new Set([
  'jwt.decode',
  'jwt.decode_complete',
  'jwt.api_jwt.decode',
  'jwt.api_jwt.decode_complete',
  'jwt.api_jws.decode',
  'jwt.api_jws.decode_complete',
  'jose.jwt.decode',
  'jose.jws.verify',
]);
/** Functions that encode (sign) a token, by qualified name. */
export const ENCODERS = new Set([
  'jwt.encode',
  'jwt.api_jwt.encode',
  'jwt.api_jws.encode',
  'jose.jwt.encode',
  'jose.jws.sign',
]);
/** Classes whose instances have `encode`/`decode` methods. */
const JWT_CLASSES = new Set(['jwt.PyJWT', 'jwt.api_jwt.PyJWT', 'jwt.PyJWS', 'jwt.api_jws.PyJWS']);

/** Whether a call encodes (signs) or decodes (verifies) a JWT, or neither. */
export function jwtCallKind(model: SemanticModel, call: CallInfo): 'decode' | 'encode' | undefined {
  const name = call.qualifiedName;
  if (name !== undefined) {
    if (DECODERS.has(name)) return 'decode';
    if (ENCODERS.has(name)) return 'encode';
  }
  const method = call.methodName;
  if (method !== 'decode' && method !== 'decode_complete' && method !== 'encode') return undefined;
  const object = call.callee.type === 'attribute' ? call.callee.childForFieldName('object') : null;
  if (object === null) return undefined;
  const maker = model.constructedBy(object);
  if (maker === undefined || !JWT_CLASSES.has(maker)) return undefined;
  return method === 'encode' ? 'encode' : 'decode';
}
