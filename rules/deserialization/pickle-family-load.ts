import {
  callVisitors,
  defineRule,
  isNetworkRead,
  taintedSink,
  testAdjusted,
  type Confidence,
  type Severity,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

/** Callee → what it deserialises with, for the message. */
const PICKLE_LOADERS: ReadonlyMap<string, string> = new Map([
  ...['pickle', 'cPickle', '_pickle', 'six.moves.cPickle'].flatMap((module) =>
    ['load', 'loads', 'Unpickler'].map((name) => [`${module}.${name}`, 'pickle'] as const),
  ),
  ...['load', 'loads', 'Unpickler', 'load_session', 'load_module'].map(
    (name) => [`dill.${name}`, 'dill'] as const,
  ),
  ['shelve.open', 'a pickle-backed shelf'],
  ['shelve.DbfilenameShelf', 'a pickle-backed shelf'],
  ['jsonpickle.decode', 'jsonpickle'],
  ['jsonpickle.loads', 'jsonpickle'],
  ['jsonpickle.unpickler.decode', 'jsonpickle'],
  ['pandas.read_pickle', 'pickle'],
  ['pandas.io.pickle.read_pickle', 'pickle'],
  ['joblib.load', 'pickle (via joblib)'],
  ['sklearn.externals.joblib.load', 'pickle (via joblib)'],
]);

const NUMPY_LOAD = 'numpy.load';

/** Keyword names the data or file argument goes by across these APIs. */
const DATA_KEYWORDS = [
  'file',
  'data',
  'filename',
  'string',
  's',
  'str',
  'filepath_or_buffer',
  'bytes_object',
];

/** Loaders whose argument is the serialised data itself, not a file or a stream. */
const IN_MEMORY_LOAD = /\.(loads|decode)$/;

export default defineRule({
  meta: {
    id: 'PGD001',
    slug: 'pickle-family-load',
    title: 'Data deserialised with pickle or a pickle-based loader',
    category: 'deserialization',
    severity: 'medium',
    confidence: 'high',
    cwe: [502],
    owasp: ['A08:2021 Software and Data Integrity Failures'],
    description:
      'Flags loading with `pickle`, `cPickle`, `dill`, `shelve`, `jsonpickle`, `pandas.read_pickle`, `joblib.load` and `numpy.load(allow_pickle=True)`.',
    why: 'Unpickling calls whatever callables the byte stream names (through `__reduce__`), so anyone who can write the data, a file, a cache entry, an upload or a network message, can run code in the process that loads it. The libraries listed here all unpickle under the hood.',
    fix: 'Load untrusted data with a format that only builds plain values: `json`, `msgpack`, or `numpy.load` with `allow_pickle=False`, and `safetensors` or ONNX for models. If pickle cannot be avoided, authenticate the bytes first (for example an HMAC checked with `hmac.compare_digest`) and subclass `pickle.Unpickler` with a `find_class` that allows only the classes you expect.',
    example: {
      bad: 'import pickle\n\n\ndef restore(request):\n    return pickle.loads(request.body)\n',
      good: 'import json\n\n\ndef restore(request):\n    return json.loads(request.body)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/502.html',
      'https://docs.python.org/3/library/pickle.html',
      'https://numpy.org/doc/stable/reference/generated/numpy.load.html',
      'https://joblib.readthedocs.io/en/stable/persistence.html',
    ],
    auditAdds: 'loads of constant data written into the program (`pickle.loads(b"...")`)',
    bandit: ['B301', 'B403'],
    ruff: ['S301', 'S403'],
  },
  messages: {
    taintedLoad:
      '`{{callee}}` deserialises {{origin}} with {{format}}: {{path}}. A crafted payload runs code in this process; accept `json` or another plain-data format instead.',
    pickleLoad:
      '`{{callee}}` deserialises with {{format}}, which can run arbitrary code from the data; load untrusted input with `json` or another plain-data format.',
    numpyAllowPickle:
      '`{{callee}}` with `allow_pickle={{value}}` unpickles object arrays, which can run arbitrary code from the file; keep `allow_pickle=False` for files you did not write.',
  },
  select: { calls: [...PICKLE_LOADERS.keys(), NUMPY_LOAD] },
  create(context) {
    const { model } = context;

    const dataArgument = (
      positional: readonly SyntaxNode[],
      keywords: ReadonlyMap<string, SyntaxNode>,
    ) =>
      positional[0] ??
      DATA_KEYWORDS.map((name) => keywords.get(name)).find((node) => node !== undefined);

    /**
     * Reports a load whose data is traced from untrusted input; true when it did. Otherwise the
     * finding is an audit: data read off a socket is graded high, anything else medium.
     */
    const reportTainted = (
      node: SyntaxNode,
      data: SyntaxNode | undefined,
      callee: string,
      format: string,
    ): boolean => {
      if (data === undefined) return false;
      const tainted = taintedSink(context, data, 'deserialization', node, callee);
      if (tainted === undefined) return false;
      context.report({
        node,
        messageId: 'taintedLoad',
        data: { callee, format, origin: tainted.origin, path: tainted.path },
        severity: tainted.severity,
        confidence: tainted.confidence,
        flow: tainted.flow,
      });
      return true;
    };

    const auditSeverity = (data: SyntaxNode | undefined): Severity =>
      data !== undefined && isNetworkRead(model, data) ? 'high' : 'medium';

    const audit = (level: Confidence): Confidence => testAdjusted(level, context.isTestFile);
    const isConstant = (data: SyntaxNode | undefined): boolean =>
      data !== undefined &&
      (model.stringShape(data).kind === 'literal' || model.literalValue(data) !== undefined);

    return callVisitors(context, (node, call) => {
      const qualified = call.qualifiedName;
      if (qualified === undefined) return;
      const format = PICKLE_LOADERS.get(qualified);
      if (format === undefined && qualified !== NUMPY_LOAD) return;
      const callee = context.textOf(call.callee);
      const data = dataArgument(call.positional, call.keywords);
      if (format !== undefined) {
        if (reportTainted(node, data, callee, format)) return;
        context.report({
          node,
          messageId: 'pickleLoad',
          data: { callee, format },
          severity: auditSeverity(data),
          confidence: audit('medium'),
          // Serialised data written into the program is the program's own: an audit matter.
          profile: IN_MEMORY_LOAD.test(qualified) && isConstant(data) ? 'audit' : undefined,
        });
        return;
      }
      const allowPickle = model.argument(call, 'allow_pickle', 2);
      if (allowPickle === undefined) return;
      const truthy = model.truthiness(allowPickle);
      if (truthy === false) return;
      if (reportTainted(node, data, callee, 'pickle (`allow_pickle` on)')) return;
      context.report({
        node,
        messageId: 'numpyAllowPickle',
        data: { callee, value: context.textOf(allowPickle) },
        severity: auditSeverity(data),
        confidence: audit(truthy === true ? 'medium' : 'low'),
      });
    });
  },
});
