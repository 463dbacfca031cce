import type { SyntaxNode } from '../../src/engine/parse.js';
import { defineRule } from '../../src/rules-api/define-rule.js';
import { mentions } from '../_shared/mentions.js';

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

/** The data arrives over the network or from a user. */
const UNTRUSTED = /request|recv|socket|upload/i;

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
    bandit: ['B301', 'B403'],
    ruff: ['S301', 'S403'],
  },
  messages: {
    pickleLoad:
      '`{{callee}}` deserialises with {{format}}, which can run arbitrary code from the data; load untrusted input with `json` or another plain-data format.',
    numpyAllowPickle:
      '`{{callee}}` with `allow_pickle={{value}}` unpickles object arrays, which can run arbitrary code from the file; keep `allow_pickle=False` for files you did not write.',
  },
  create(context) {
    const { model } = context;

    const dataArgument = (
      positional: readonly SyntaxNode[],
      keywords: ReadonlyMap<string, SyntaxNode>,
    ) =>
      positional[0] ??
      DATA_KEYWORDS.map((name) => keywords.get(name)).find((node) => node !== undefined);

    const severityFor = (data: SyntaxNode | undefined) =>
      data !== undefined && mentions(model, data, UNTRUSTED) ? 'high' : 'medium';

    return {
      call(node) {
        const call = context.call(node);
        const callee = call.qualifiedName;
        if (callee === undefined) return;
        const format = PICKLE_LOADERS.get(callee);
        if (format !== undefined) {
          context.report({
            node,
            messageId: 'pickleLoad',
            data: { callee: context.textOf(call.callee), format },
            severity: severityFor(dataArgument(call.positional, call.keywords)),
          });
          return;
        }
        if (callee !== NUMPY_LOAD) return;
        const allowPickle = model.argument(call, 'allow_pickle', 2);
        if (allowPickle === undefined) return;
        const truthy = model.truthiness(allowPickle);
        if (truthy === false) return;
        context.report({
          node,
          messageId: 'numpyAllowPickle',
          data: { callee: context.textOf(call.callee), value: context.textOf(allowPickle) },
          severity: severityFor(dataArgument(call.positional, call.keywords)),
          confidence: truthy === true ? 'high' : 'medium',
        });
      },
    };
  },
});
