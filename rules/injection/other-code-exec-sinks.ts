import {
  callVisitors,
  codeShape,
  defineRule,
  holdsOnlyCheckedValues,
  receiverOf,
  reportTaintedSink,
  reportUntracedCode,
  shortText,
  tabledArgument,
  unwrapParens,
  type CallInfo,
  type SemanticModel,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

type Language = 'Python' | 'JavaScript';

/** Functions that run source code, with where they take it and what language it is. */
const FUNCTIONS: ReadonlyMap<string, readonly [string, number, Language]> = new Map([
  ['js2py.eval_js', ['js', 0, 'JavaScript']],
  ['js2py.eval_js6', ['js', 0, 'JavaScript']],
  ['_xxsubinterpreters.run_string', ['script', 1, 'Python']],
  ['_interpreters.run_string', ['script', 1, 'Python']],
  ['_interpreters.exec', ['code', 1, 'Python']],
  ['_testcapi.run_in_subinterp', ['code', 0, 'Python']],
  ['test.support.run_in_subinterp', ['code', 0, 'Python']],
  ['test.support.run_in_subinterp_with_config', ['code', 0, 'Python']],
  // Pillow before 10.2 evaluates the expression with Python's eval (CVE-2023-50447).
  ['PIL.ImageMath.eval', ['expression', 0, 'Python']],
  ['PIL.ImageMath.unsafe_eval', ['expression', 0, 'Python']],
]);

/** Classes whose instances run source handed to these methods. */
const INTERPRETERS: ReadonlyMap<string, readonly [ReadonlySet<string>, Language]> = new Map([
  ['code.InteractiveConsole', [new Set(['push', 'runsource', 'runcode']), 'Python']],
  ['code.InteractiveInterpreter', [new Set(['runsource', 'runcode']), 'Python']],
  ['js2py.EvalJs', [new Set(['eval', 'execute', 'eval_js6', 'execute_js6']), 'JavaScript']],
]);
const METHODS = new Set([
  'push',
  'runsource',
  'runcode',
  'eval',
  'execute',
  'eval_js6',
  'execute_js6',
]);

/** Calls that return a namespace of the program's functions: `globals()[name]()`. */
const NAMESPACES = new Set(['globals', 'locals', 'vars', 'builtins.globals', 'builtins.locals']);
/** Attributes that hold a namespace: `f.__globals__[name]()`, `module.__dict__[name]()`. */
const NAMESPACE_ATTRIBUTES = new Set(['__globals__', '__dict__', '__builtins__']);

/** The name looked up when a call's callee is `globals()[name]` or `globals().get(name)`. */
function namespaceLookup(model: SemanticModel, call: CallInfo): SyntaxNode | undefined {
  const callee = unwrapParens(call.callee);
  let namespace: SyntaxNode | null;
  let key: SyntaxNode | null | undefined;
  if (callee.type === 'subscript') {
    namespace = callee.childForFieldName('value');
    key = callee.childForFieldName('subscript');
  } else if (callee.type === 'call') {
    const lookup = model.call(callee);
    if (lookup.methodName !== 'get' || lookup.callee.type !== 'attribute') return undefined;
    namespace = lookup.callee.childForFieldName('object');
    key = lookup.positional[0];
  } else {
    return undefined;
  }
  if (namespace === null || key === null || key === undefined) return undefined;
  return isNamespace(model, namespace) ? key : undefined;
}

function isNamespace(model: SemanticModel, node: SyntaxNode): boolean {
  const value = unwrapParens(model.resolveValue(node));
  if (value.type === 'call') {
    const call = model.call(value);
    return call.positional.length === 0 && NAMESPACES.has(call.qualifiedName ?? '');
  }
  if (value.type !== 'attribute') return false;
  const attribute = value.childForFieldName('attribute');
  return attribute !== null && NAMESPACE_ATTRIBUTES.has(model.textOf(attribute));
}

/** The message of each grade of an untraced finding. */
const AUDIT_MESSAGES = {
  built: 'builtCode',
  file: 'fileCode',
  dynamic: 'dynamicCode',
} as const;

export default defineRule({
  meta: {
    id: 'PGI018',
    slug: 'other-code-exec-sinks',
    title:
      "Code run through code.InteractiveConsole, js2py, a sub-interpreter or Pillow's ImageMath",
    category: 'injection',
    severity: 'high',
    confidence: 'medium',
    cwe: [95, 96],
    owasp: ['A03:2021 Injection'],
    description:
      "Flags source code that is not a literal handed to `code.InteractiveConsole`/`InteractiveInterpreter` (`push`, `runsource`, `runcode`), `js2py.eval_js` and `EvalJs`, CPython's sub-interpreter `run_string` (and `test.support.run_in_subinterp`), or Pillow's `ImageMath.eval`/`unsafe_eval`; and functions looked up by a name from outside in `globals()`, `locals()`, `vars()` or `f.__globals__` and called.",
    why: "`code.InteractiveConsole.push()` and `runsource()` compile and run Python exactly like `exec`, and a sub-interpreter shares the process, its files and its network access. `js2py` translates JavaScript into Python and runs it; its sandbox has known escapes (CVE-2024-28397) that reach Python objects and from there `os.system`. Any of these fed with outside text runs the sender's code.",
    fix: 'Do not run code that comes from outside. Parse data with `json.loads` or `ast.literal_eval`, map commands to functions through a fixed table, and if users really must run scripts, do it in a separate, locked-down process or container rather than inside the service.',
    example: {
      bad: 'import code\n\ndef remote_console(sock):\n    console = code.InteractiveConsole()\n    console.push(sock.recv(4096).decode())\n',
      good: 'import json\n\nHANDLERS = {"status": lambda: "ok"}\n\ndef remote_command(sock):\n    request = json.loads(sock.recv(4096))\n    return HANDLERS[request["command"]]()\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/95.html',
      'https://docs.python.org/3/library/code.html#code.InteractiveInterpreter.runsource',
      'https://github.com/PiotrDabkowski/Js2Py',
      'https://nvd.nist.gov/vuln/detail/CVE-2024-28397',
    ],
    bandit: [],
    ruff: [],
  },
  messages: {
    taintedCode:
      '`{{callee}}` runs {{language}} code made from {{origin}}: {{path}}. Whoever controls it runs code in this process; map requests to fixed functions instead of running code.',
    builtCode:
      '`{{callee}}` runs {{language}} code built with {{how}}; a spliced-in value can inject any code. Map requests to fixed functions instead of running code.',
    dynamicCode:
      '`{{callee}}` runs the {{language}} code in `{{code}}`; if it comes from outside, the sender runs anything the process can. Do not run code from outside.',
    taintedLookup:
      '`{{callee}}` calls the function {{origin}} names: {{path}}. Whoever sends it calls any function the module can reach, `os.system` included if it is imported; map the allowed names to functions in a fixed dict.',
    fileCode:
      '`{{callee}}` runs {{language}} code read from a file; make sure nobody but the developers can write that file.',
  },
  create(context) {
    const { model } = context;
    return callVisitors(context, (node, call) => {
      const key = namespaceLookup(model, call);
      if (key !== undefined) {
        const label = shortText(context.textOf(call.callee));
        reportTaintedSink(context, {
          node,
          value: key,
          sink: 'code',
          label,
          messageId: 'taintedLookup',
          data: { callee: label },
        });
        return;
      }
      const sink = sinkOf(model, call);
      if (sink === undefined) return;
      const shape = codeShape(model, sink.code);
      if (shape.kind === 'literal') return;
      const data = { callee: sink.label, language: sink.language };
      const tainted = reportTaintedSink(context, {
        node,
        value: shape.source,
        sink: 'code',
        label: sink.label,
        messageId: 'taintedCode',
        data,
      });
      if (tainted !== undefined) return;
      // Code made only from checked values (`if name in ALLOWED:`, `int(n)`) stays in the program's hands.
      if (holdsOnlyCheckedValues(model, shape.source)) return;
      // No path from outside input was found: an audit finding, graded by how the code is made.
      reportUntracedCode(context, node, shape, AUDIT_MESSAGES, data);
    });
  },
});

function sinkOf(
  model: SemanticModel,
  call: CallInfo,
): { label: string; code: SyntaxNode; language: Language } | undefined {
  const direct = tabledArgument(model, call, FUNCTIONS);
  if (direct !== undefined) {
    return { label: direct.name, code: direct.argument, language: direct.entry[2] };
  }
  if (call.qualifiedName !== undefined && FUNCTIONS.has(call.qualifiedName)) return undefined;
  const method = call.methodName;
  if (method === undefined || !METHODS.has(method)) return undefined;
  const receiver = receiverOf(call);
  const built = receiver === undefined ? undefined : model.constructedBy(receiver);
  const interpreter = built === undefined ? undefined : INTERPRETERS.get(built);
  if (built === undefined || interpreter === undefined || !interpreter[0].has(method))
    return undefined;
  const code =
    model.argument(call, method === 'push' ? 'line' : 'source', 0) ?? call.keywords.get('code');
  return code === undefined
    ? undefined
    : { label: `${built}.${method}`, code, language: interpreter[1] };
}
