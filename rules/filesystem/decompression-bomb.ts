import {
  callsWhenInputPossible,
  defineRule,
  receiverOf,
  taintedSink,
  unwrapParens,
  type CallInfo,
  type SemanticModel,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

/** One-shot decompression functions: the whole output is built in memory. */
const DECOMPRESS_FUNCTIONS = new Set([
  'gzip.decompress',
  'bz2.decompress',
  'lzma.decompress',
  'zlib.decompress',
]);

/** Classes and openers of compressed streams, with the keyword that names their input. */
const STREAM_OPENERS: ReadonlyMap<string, string> = new Map([
  ['gzip.GzipFile', 'fileobj'],
  ['gzip.open', 'filename'],
  ['bz2.BZ2File', 'filename'],
  ['bz2.open', 'filename'],
  ['lzma.LZMAFile', 'filename'],
  ['lzma.open', 'filename'],
]);

const ZIP_OPENERS = new Set(['zipfile.ZipFile']);

/** Stream methods that read everything when given no size. */
const WHOLE_READS = new Set(['read', 'readlines']);

/** Archive methods that expand whole members. */
const ZIP_EXPANSIONS = new Set(['read', 'extractall', 'extract']);

/** The call that built an object: `GzipFile(...)` itself, or what a name was bound to. */
function openerOf(model: SemanticModel, receiver: SyntaxNode): SyntaxNode | undefined {
  let value = unwrapParens(model.resolveValue(receiver));
  if (value.type === 'identifier') value = model.withContext(value) ?? value;
  return value.type === 'call' ? value : undefined;
}

/** The input of an opener call: its input keyword or first argument. */
function openerInput(call: CallInfo, keyword: string): SyntaxNode | undefined {
  return call.keywords.get(keyword) ?? call.positional[0];
}

/** Whether a `read`/`readlines` call passes a size (a non-negative limit). */
function hasSizeLimit(model: SemanticModel, call: CallInfo): boolean {
  const size = call.positional[0] ?? call.keywords.get('size') ?? call.keywords.get('hint');
  if (size === undefined) return false;
  const value = model.literalValue(size);
  return typeof value !== 'number' || value >= 0;
}

export default defineRule({
  meta: {
    id: 'PGF006',
    slug: 'decompression-bomb',
    title: 'Request data decompressed with no size limit',
    category: 'filesystem',
    severity: 'medium',
    confidence: 'high',
    cwe: [409, 400],
    owasp: ['A04:2021 Insecure Design'],
    description:
      'Flags request data decompressed in one go (`gzip`, `bz2`, `lzma` and `zlib` `decompress`), compressed streams opened on request data and read with no size, and zip archives from a request whose members are read or extracted whole.',
    why: 'Compression ratios of a thousand to one and more are easy to build: a few kilobytes of upload expand into gigabytes in memory or on disk. One such request can exhaust the memory of a worker or fill its disk, and a handful take the service down.',
    fix: "Read in bounded chunks and stop past a limit: `zlib.decompressobj().decompress(data, max_length)` in a loop, or `stream.read(LIMIT + 1)` and reject when more than `LIMIT` comes back. For zip archives, check each member's `file_size` (and the total) from `infolist()` before reading or extracting, and cap the number of members.",
    example: {
      bad: 'import gzip\nfrom flask import request\n\n@app.post("/upload")\ndef upload():\n    return gzip.decompress(request.data)\n',
      good: 'import zlib\nfrom flask import abort, request\n\nLIMIT = 10 * 1024 * 1024\n\n@app.post("/upload")\ndef upload():\n    inflater = zlib.decompressobj(wbits=31)\n    body = inflater.decompress(request.data, LIMIT)\n    if inflater.unconsumed_tail:\n        abort(413)\n    return body\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/409.html',
      'https://docs.python.org/3/library/zlib.html#zlib.Decompress.decompress',
      'https://docs.python.org/3/library/zipfile.html#zipfile-resources-limitations',
    ],
    bandit: [],
    ruff: [],
  },
  messages: {
    taintedDecompress:
      '`{{sink}}` expands {{origin}} in memory with no limit: {{path}}. A small compressed upload can expand to gigabytes; decompress in bounded steps (`zlib.decompressobj().decompress(data, max_length)`) and reject oversized input.',
    taintedStream:
      '`{{sink}}` reads a compressed stream opened on {{origin}} to the end: {{path}}. A small upload can expand to gigabytes; read with a size limit (`read(LIMIT + 1)`) and reject what exceeds it.',
    taintedArchive:
      '`{{sink}}` expands members of a zip archive taken from {{origin}}: {{path}}. Members can claim any size and expand a thousand-fold; check `file_size` of each entry from `infolist()` and the total before reading or extracting.',
  },
  select: { calls: [...DECOMPRESS_FUNCTIONS], methods: [...WHOLE_READS, ...ZIP_EXPANSIONS] },
  create(context) {
    const { model } = context;
    return callsWhenInputPossible(context, (node, call) => {
      const name = call.qualifiedName;
      if (name !== undefined && DECOMPRESS_FUNCTIONS.has(name)) {
        const data = model.argument(call, 'data', 0);
        if (data === undefined) return;
        const tainted = taintedSink(context, data, 'deserialization', node, name);
        if (tainted === undefined) return;
        context.report({
          node,
          messageId: 'taintedDecompress',
          data: { sink: name, origin: tainted.origin, path: tainted.path },
          severity: tainted.severity === 'high' ? 'medium' : 'low',
          confidence: tainted.confidence,
          flow: tainted.flow,
        });
        return;
      }
      const method = call.methodName;
      if (method === undefined || (!WHOLE_READS.has(method) && !ZIP_EXPANSIONS.has(method))) return;
      const receiver = receiverOf(call);
      if (receiver === undefined) return;
      const opener = openerOf(model, receiver);
      if (opener === undefined) return;
      const openerCall = context.call(opener);
      const openerName = openerCall.qualifiedName;
      if (openerName === undefined) return;
      const keyword = STREAM_OPENERS.get(openerName);
      let messageId: 'taintedStream' | 'taintedArchive';
      let input: SyntaxNode | undefined;
      if (keyword !== undefined && WHOLE_READS.has(method)) {
        if (hasSizeLimit(model, call)) return;
        messageId = 'taintedStream';
        input = openerInput(openerCall, keyword);
      } else if (ZIP_OPENERS.has(openerName) && ZIP_EXPANSIONS.has(method)) {
        messageId = 'taintedArchive';
        input = openerInput(openerCall, 'file');
      } else {
        return;
      }
      if (input === undefined) return;
      const sink = `${context.textOf(receiver).replace(/\s+/g, '')}.${method}`;
      const tainted = taintedSink(context, input, 'deserialization', node, sink);
      if (tainted === undefined) return;
      context.report({
        node,
        messageId,
        data: { sink, origin: tainted.origin, path: tainted.path },
        severity: tainted.severity === 'high' ? 'medium' : 'low',
        confidence: tainted.confidence,
        flow: tainted.flow,
      });
    });
  },
});
