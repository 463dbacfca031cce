/**
 * Whether a key, IV, nonce or salt is a constant written into the program rather than generated
 * at run time: a literal (`b"0123456789abcdef"`, `"secret".encode()`), zero bytes (`b"\x00" * 16`,
 * `bytes(16)`, `bytearray(16)`), decoded text (`bytes.fromhex("00ff…")`, `base64.b64decode("…")`)
 * or a digest of a constant (`hashlib.sha256(b"passphrase").digest()`). Names assigned exactly once
 * are followed; `os.urandom(16)`, `secrets.token_bytes()` and parameters are not constants.
 */
import { unwrapParens, type SemanticModel } from '../model.js';
import type { SyntaxNode } from '../parse.js';

/**
 * `empty`: no bytes at all; `zero`: only zero bytes; `literal`: other fixed bytes; `derived`: a
 * digest of fixed bytes.
 */
export type ConstantBytesKind = 'empty' | 'zero' | 'literal' | 'derived';

const MAX_DEPTH = 6;

/** Calls that turn literal text into bytes. */
const DECODERS = new Set([
  'bytes.fromhex',
  'bytearray.fromhex',
  'binascii.unhexlify',
  'binascii.a2b_hex',
  'binascii.a2b_base64',
  'base64.b64decode',
  'base64.urlsafe_b64decode',
  'base64.standard_b64decode',
  'base64.b16decode',
  'base64.b32decode',
  'base64.b85decode',
  'codecs.decode',
]);
const HEX_DECODERS = new Set([
  'bytes.fromhex',
  'bytearray.fromhex',
  'binascii.unhexlify',
  'binascii.a2b_hex',
  'base64.b16decode',
]);
const BYTE_CONSTRUCTORS = new Set(['bytes', 'bytearray']);

/** The kind of constant bytes an expression holds, or undefined when it is not a constant. */
export function constantBytes(
  model: SemanticModel,
  node: SyntaxNode,
  depth = 0,
): ConstantBytesKind | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const value = unwrapParens(model.resolveValue(node));
  switch (value.type) {
    case 'string':
    case 'concatenated_string': {
      const text = model.staticString(value);
      return text === undefined ? undefined : kindOfText(text);
    }
    case 'binary_operator':
      return binaryConstant(model, value, depth);
    case 'subscript': {
      // A slice of a constant (`KEY[:16]`) is still a constant.
      const inner = value.childForFieldName('value');
      return inner === null ? undefined : constantBytes(model, inner, depth + 1);
    }
    case 'call':
      return callConstant(model, value, depth);
    default:
      return undefined;
  }
}

function kindOfText(text: string): ConstantBytesKind {
  if (text === '') return 'empty';
  return /^\0+$/.test(text) ? 'zero' : 'literal';
}

function binaryConstant(
  model: SemanticModel,
  node: SyntaxNode,
  depth: number,
): ConstantBytesKind | undefined {
  const operator = node.childForFieldName('operator');
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  if (operator === null || left === null || right === null) return undefined;
  const op = model.textOf(operator);
  const leftKind = constantBytes(model, left, depth + 1);
  if (op === '*') {
    // `b"\x00" * 16` or `16 * b"\x00"`.
    const kind = leftKind ?? constantBytes(model, right, depth + 1);
    return kind;
  }
  if (op === '+') {
    const rightKind = constantBytes(model, right, depth + 1);
    if (leftKind === undefined || rightKind === undefined) return undefined;
    if (leftKind === rightKind) return leftKind;
    if (leftKind === 'empty') return rightKind;
    if (rightKind === 'empty') return leftKind;
    return 'literal';
  }
  return undefined;
}

function callConstant(
  model: SemanticModel,
  node: SyntaxNode,
  depth: number,
): ConstantBytesKind | undefined {
  const call = model.call(node);
  const first = call.positional[0];
  const name = call.qualifiedName;
  if (name !== undefined && BYTE_CONSTRUCTORS.has(name)) {
    if (first === undefined) return 'empty';
    const size = model.literalValue(first);
    if (typeof size === 'number') return size === 0 ? 'empty' : 'zero';
    // bytes([0] * 16), bytes([1, 2, 3])
    const items = unwrapParens(model.resolveValue(first));
    if (items.type === 'list' || items.type === 'tuple') return listConstant(model, items);
    if (items.type === 'binary_operator') {
      const list = [items.childForFieldName('left'), items.childForFieldName('right')].find(
        (side) => side?.type === 'list',
      );
      return list === undefined || list === null ? undefined : listConstant(model, list);
    }
    // bytes("secret", "utf-8")
    return constantBytes(model, first, depth + 1);
  }
  if (name !== undefined && DECODERS.has(name)) {
    if (first === undefined) return undefined;
    const text = model.staticString(first);
    if (text === undefined) return undefined;
    if (HEX_DECODERS.has(name) && /^[0\s]+$/.test(text)) return 'zero';
    return text === '' ? 'empty' : 'literal';
  }
  const method = call.methodName;
  const callee = call.callee;
  const object = callee.type === 'attribute' ? callee.childForFieldName('object') : null;
  if (object === null) return undefined;
  // "secret".encode(), KEY.encode("utf-8")
  if (method === 'encode') return constantBytes(model, object, depth + 1);
  // hashlib.sha256(b"passphrase").digest()
  if (method === 'digest' || method === 'hexdigest') {
    const hasher = unwrapParens(model.resolveValue(object));
    if (hasher.type !== 'call') return undefined;
    const hashCall = model.call(hasher);
    if (hashCall.qualifiedName?.startsWith('hashlib.') !== true) return undefined;
    const data =
      hashCall.qualifiedName === 'hashlib.new' ? hashCall.positional[1] : hashCall.positional[0];
    return data !== undefined && constantBytes(model, data, depth + 1) !== undefined
      ? 'derived'
      : undefined;
  }
  return undefined;
}

function listConstant(model: SemanticModel, list: SyntaxNode): ConstantBytesKind | undefined {
  const values = list.namedChildren.map((item) => model.literalValue(item));
  if (!values.every((item) => typeof item === 'number')) return undefined;
  if (values.length === 0) return 'empty';
  return values.every((item) => item === 0) ? 'zero' : 'literal';
}
