import {
  callVisitors,
  checkedBefore,
  defineRule,
  mayHoldUntrustedInput,
  receiverOf,
  taintedSink,
  unwrapParens,
  type CallInfo,
  type SemanticModel,
  type SyntaxNode,
  type TaintedSink,
} from '../../src/rules-api/index.js';

type Slot = readonly [string, number];

const FILE: readonly Slot[] = [['file', 0]];
const PATH: readonly Slot[] = [['path', 0]];
const SOURCE_AND_DESTINATION: readonly Slot[] = [
  ['src', 0],
  ['dst', 1],
];

/** File-system functions: qualified name → the arguments that name a path. */
const FUNCTIONS: ReadonlyMap<string, readonly Slot[]> = new Map<string, readonly Slot[]>([
  ['open', FILE],
  ['builtins.open', FILE],
  ['io.open', FILE],
  ['codecs.open', [['filename', 0]]],
  ...[
    'open',
    'remove',
    'unlink',
    'rmdir',
    'removedirs',
    'listdir',
    'scandir',
    'mkdir',
    'makedirs',
    'chmod',
    'truncate',
  ].map((name) => [`os.${name}`, PATH] as const),
  ...['rename', 'renames', 'replace'].map(
    (name) => [`os.${name}`, SOURCE_AND_DESTINATION] as const,
  ),
  ...['copy', 'copy2', 'copyfile', 'copytree', 'move'].map(
    (name) => [`shutil.${name}`, SOURCE_AND_DESTINATION] as const,
  ),
  ['shutil.rmtree', PATH],
  [
    'shutil.unpack_archive',
    [
      ['filename', 0],
      ['extract_dir', 1],
    ],
  ],
  ...['flask.send_file', 'flask.helpers.send_file', 'quart.send_file'].map(
    (name) =>
      [
        name,
        [
          ['path_or_file', 0],
          ['filename_or_fp', 0],
        ],
      ] as const,
  ),
  // The file name argument of send_from_directory is joined safely; the directory is not.
  ...['flask.send_from_directory', 'flask.helpers.send_from_directory'].map(
    (name) => [name, [['directory', 0]]] as const,
  ),
  ...['starlette.responses.FileResponse', 'fastapi.responses.FileResponse'].map(
    (name) => [name, PATH] as const,
  ),
]);

/** Methods of `pathlib` paths that touch the file system at the receiver's path. */
const PATH_METHODS = new Set([
  'open',
  'read_text',
  'read_bytes',
  'write_text',
  'write_bytes',
  'unlink',
  'rmdir',
  'mkdir',
  'touch',
  'iterdir',
  'rename',
  'replace',
  'chmod',
]);
/** Methods of a path that return another path derived from it. */
const DERIVED_PATHS = new Set([
  'joinpath',
  'resolve',
  'absolute',
  'expanduser',
  'with_name',
  'with_suffix',
  'with_stem',
]);
const PATH_CLASSES = new Set([
  'pathlib.Path',
  'pathlib.PurePath',
  'pathlib.PosixPath',
  'pathlib.WindowsPath',
  'pathlib.PurePosixPath',
  'anyio.Path',
  'trio.Path',
]);
/** In-memory files: what they hold is data, not a path. */
const IN_MEMORY = new Set(['io.BytesIO', 'io.StringIO']);
/** Checks that keep a resolved path inside a base directory. */
const CONTAINMENT_CHECK =
  /\.startswith\s*\(|\bis_relative_to\s*\(|\bcommonpath\s*\(|\bcommonprefix\s*\(/;
/** An uploaded file object (`request.files["f"]`), whose `save(destination)` writes a file. */
const UPLOAD_SOURCE = /(?:^|\.)(?:files|FILES)\b/;
const MAX_DEPTH = 6;

/** Whether an expression is a `pathlib` path (or a path derived from one). */
function isPathObject(model: SemanticModel, node: SyntaxNode, depth = 0): boolean {
  if (depth > MAX_DEPTH) return false;
  const value = unwrapParens(model.resolveValue(node));
  if (value.type === 'binary_operator') {
    const left = value.childForFieldName('left');
    const operator = value.childForFieldName('operator');
    return (
      left !== null &&
      operator !== null &&
      model.textOf(operator) === '/' &&
      isPathObject(model, left, depth + 1)
    );
  }
  if (value.type !== 'call') return false;
  const call = model.call(value);
  if (call.qualifiedName !== undefined && PATH_CLASSES.has(call.qualifiedName)) return true;
  const receiver = receiverOf(call);
  return (
    receiver !== undefined &&
    DERIVED_PATHS.has(call.methodName ?? '') &&
    isPathObject(model, receiver, depth + 1)
  );
}

/**
 * The parts of a path joined with `/` (`Path(BASE) / name`, `(BASE_DIR / name).resolve()`, also
 * through single assignments), which the taint pass does not look into; other expressions are
 * returned as they are.
 */
function pathParts(model: SemanticModel, node: SyntaxNode, depth = 0): SyntaxNode[] {
  const value = unwrapParens(model.resolveValue(node));
  if (depth > MAX_DEPTH) return [node];
  if (value.type === 'call') {
    const call = model.call(value);
    const receiver = receiverOf(call);
    if (receiver === undefined || !DERIVED_PATHS.has(call.methodName ?? '')) return [node];
    const inner = pathParts(model, receiver, depth + 1);
    return inner.length === 1 ? [node] : [...inner, ...call.positional];
  }
  const operator = value.type === 'binary_operator' ? value.childForFieldName('operator') : null;
  if (operator === null || model.textOf(operator) !== '/') return [node];
  return value.namedChildren
    .filter((child) => child.type !== 'comment')
    .flatMap((child) => pathParts(model, child, depth + 1));
}

function pathArguments(model: SemanticModel, call: CallInfo, slots: readonly Slot[]): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  for (const [keyword, position] of slots) {
    const value = model.argument(call, keyword, position);
    if (value !== undefined && !found.some((other) => other.id === value.id)) found.push(value);
  }
  return found;
}

function isInMemory(model: SemanticModel, node: SyntaxNode): boolean {
  const value = unwrapParens(model.resolveValue(node));
  return value.type === 'call' && IN_MEMORY.has(model.call(value).qualifiedName ?? '');
}

export default defineRule({
  meta: {
    id: 'PGF004',
    slug: 'path-traversal',
    title: 'File path taken from the request',
    category: 'filesystem',
    severity: 'high',
    confidence: 'high',
    cwe: [22, 23, 36, 73, 99],
    owasp: ['A01:2021 Broken Access Control'],
    description:
      'Flags request data used in a path that is opened, written, listed, copied, moved or deleted, or sent with `send_file`/`FileResponse`.',
    why: 'A name such as `../../etc/passwd` or an absolute path walks out of the directory the code meant, so the client can read configuration and keys, overwrite code, or delete files the process can reach. `os.path.join(base, name)` does not help: an absolute `name` replaces `base` entirely.',
    fix: 'Reduce the name to a bare file name (`werkzeug.utils.secure_filename`, `os.path.basename`), serve files with `send_from_directory` / `safe_join`, or resolve the full path and check it stays in the base directory (`Path(base, name).resolve().is_relative_to(base)`). Better still, look files up by an id you store.',
    example: {
      bad: 'import os\nfrom flask import request\n\n\n@app.route("/report")\ndef report():\n    with open(os.path.join("reports", request.args["name"])) as f:\n        return f.read()\n',
      good: 'from flask import request, send_from_directory\n\n\n@app.route("/report")\ndef report():\n    return send_from_directory("reports", request.args["name"])\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/22.html',
      'https://owasp.org/www-community/attacks/Path_Traversal',
      'https://flask.palletsprojects.com/en/stable/api/#flask.send_from_directory',
      'https://werkzeug.palletsprojects.com/en/stable/utils/#werkzeug.utils.secure_filename',
    ],
    bandit: [],
    ruff: [],
    supersedes: ['PGI040'],
  },
  messages: {
    taintedPath:
      'The path `{{sink}}` uses comes from {{origin}}: {{path}}. `../` or an absolute path reaches files outside the intended directory; reduce it with `secure_filename`/`os.path.basename`, or resolve it and check it stays under the base directory.',
  },
  select: { calls: [...FUNCTIONS.keys()], methods: [...PATH_METHODS, 'save'] },
  create(context) {
    const { model } = context;
    // Taint-only: a file without any source of untrusted input has nothing to report.
    if (!mayHoldUntrustedInput(model)) return {};
    /** Whether the file reads uploads at all (asked on the first `.save(...)`). */
    let mentionsUploads: boolean | undefined;

    /** Reports the sink when the path it gets carries untrusted data; says whether it did. */
    function check(node: SyntaxNode, value: SyntaxNode, sink: string): boolean {
      if (model.staticString(value) !== undefined || isInMemory(model, value)) return false;
      let tainted: TaintedSink | undefined;
      for (const part of pathParts(model, value)) {
        tainted = taintedSink(context, part, 'path', node, sink);
        if (tainted !== undefined) break;
      }
      if (tainted === undefined || checkedBefore(model, value, CONTAINMENT_CHECK)) return false;
      const web = tainted.trace.trust === 'web';
      context.report({
        node,
        messageId: 'taintedPath',
        data: { sink, origin: tainted.origin, path: tainted.path },
        // A program that opens the files named on its own command line is doing its job.
        severity: web ? 'high' : 'low',
        confidence: web ? tainted.confidence : 'low',
        flow: tainted.flow,
      });
      return true;
    }

    return callVisitors(context, (node, call) => {
      const name = call.qualifiedName;
      const slots = name === undefined ? undefined : FUNCTIONS.get(name);
      if (slots !== undefined && name !== undefined) {
        for (const value of pathArguments(model, call, slots)) if (check(node, value, name)) return;
        return;
      }
      const method = call.methodName;
      if (method === undefined || (!PATH_METHODS.has(method) && method !== 'save')) return;
      const receiver = receiverOf(call);
      if (receiver === undefined) return;
      if (PATH_METHODS.has(method) && isPathObject(model, receiver)) {
        const label = `Path.${method}`;
        if (check(node, receiver, label)) return;
        const target = method === 'rename' || method === 'replace' ? call.positional[0] : undefined;
        if (target !== undefined) check(node, target, label);
        return;
      }
      if (method === 'save' && (mentionsUploads ??= UPLOAD_SOURCE.test(context.text))) {
        // `upload.save(destination)` on a file from `request.files`.
        const destination = model.argument(call, 'dst', 0);
        if (destination === undefined) return;
        const upload = context.taint(receiver, 'path');
        if (upload !== undefined && UPLOAD_SOURCE.test(upload.source))
          check(node, destination, 'FileStorage.save');
      }
    });
  },
});
