/**
 * Whether a value was read straight off a socket or a connection (`sock.recv(4096)`,
 * `conn.recv_bytes()`, `sock.recv(n).decode()`), directly or through a name assigned once. The
 * dataflow pass does not treat raw sockets as sources; deserialisation and XML rules use this to
 * grade such reads as likely attacker-controlled (an audit signal, not a traced flow).
 */
import { unwrapParens, type SemanticModel } from '../model.js';
import type { SyntaxNode } from '../parse.js';

const READS = new Set(['recv', 'recv_bytes', 'recvfrom', 'recvmsg', 'recv_into']);

export function isNetworkRead(model: SemanticModel, node: SyntaxNode): boolean {
  let value = model.resolveValue(node);
  // `sock.recv(n).decode()` and similar re-encodings of what was read.
  while (value.type === 'call') {
    const callee = value.childForFieldName('function');
    if (callee?.type !== 'attribute') return false;
    const method = callee.childForFieldName('attribute');
    if (method !== null && READS.has(model.textOf(method))) return true;
    const object = callee.childForFieldName('object');
    if (object === null) return false;
    value = unwrapParens(object);
  }
  return false;
}
