import {
  callVisitors,
  codeShape,
  compileCall,
  defineRule,
  holdsOnlyCheckedValues,
  reportTaintedSink,
  reportUntracedCode,
  unwrapParens,
  type CallInfo,
  type CodeShape,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

const EXEC = new Set(['exec', 'builtins.exec']);
const COMPILE = new Set(['compile', 'builtins.compile']);
/**
 * Words a file must contain for any name in it to resolve to `exec`: the name itself, or a lookup
 * by a string that could be built from pieces (`getattr`, `__import__`, `import_module`).
 */
const EXEC_REFERENCE_HINT = /exec|getattr|__import__|import_module/;

/** The message of each grade of an untraced finding. */
const AUDIT_MESSAGES = {
  built: 'builtCode',
  file: 'fileCode',
  dynamic: 'dynamicCode',
} as const;

export default defineRule({
  meta: {
    id: 'PGI017',
    slug: 'exec-used',
    title: 'exec() or compile(…, "exec") of non-literal code',
    category: 'injection',
    severity: 'high',
    confidence: 'high',
    cwe: [95, 94],
    owasp: ['A03:2021 Injection'],
    description:
      'Flags the builtin `exec`, and `compile(source, filename, "exec")`, when the code is not a string literal; also `exec` handed to another function to call with the code (`loop.run_in_executor(None, exec, code)`, `Thread(target=exec, args=(code,))`).',
    why: '`exec` runs arbitrary Python statements with the full power of the process, and `compile(..., "exec")` prepares exactly such code. If any part of the text comes from a user, a file they control or the network, they can run anything: read secrets, open a shell, change data.',
    fix: 'Do not run code made from data. Dispatch through a dictionary of allowed functions, use `getattr` on a known object with an allowlisted name, import modules with `importlib`, or parse data with `ast.literal_eval`/`json.loads`.',
    example: {
      bad: 'def apply(obj, field, value):\n    exec(f"obj.{field} = {value!r}")\n',
      good: 'ALLOWED = {"name", "email"}\n\ndef apply(obj, field, value):\n    if field not in ALLOWED:\n        raise ValueError(field)\n    setattr(obj, field, value)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/95.html',
      'https://docs.python.org/3/library/functions.html#exec',
      'https://docs.python.org/3/library/functions.html#compile',
    ],
    auditAdds: 'constant code (`exec("print(1)")`)',
    bandit: ['B102'],
    ruff: ['S102'],
  },
  messages: {
    literalCode:
      '`{{callee}}` {{verb}} constant code; nothing from outside reaches it, but plain Python in the module is easier to read and review.',
    taintedCode:
      '`{{callee}}` {{verb}} Python made from {{origin}}: {{path}}. Whoever controls it runs code in this process; dispatch to known functions (a dict, `getattr` with an allowlist) or parse data with `ast.literal_eval`/`json.loads` instead.',
    builtCode:
      '`{{callee}}` {{verb}} code built with {{how}}; a spliced-in value can inject any Python statement. Dispatch to known functions (a dict, `getattr` with an allowlist) instead.',
    dynamicCode:
      '`{{callee}}` {{verb}} whatever Python code `{{code}}` holds; dispatch to known functions (a dict, `getattr` with an allowlist) or parse data with `ast.literal_eval` instead.',
    fileCode:
      '`{{callee}}` {{verb}} Python read from a file; import it as a module or read the values it defines as data instead.',
  },
  create(context) {
    const { model } = context;

    function report(node: SyntaxNode, callee: 'exec' | 'compile', shape: CodeShape): void {
      const label = callee === 'exec' ? 'exec' : 'compile(..., "exec")';
      const verb = callee === 'exec' ? 'runs' : 'compiles for execution';
      if (shape.kind === 'literal') {
        // Code written into the program is the program's own: an audit matter.
        context.report({
          node,
          messageId: 'literalCode',
          data: { callee: label, verb },
          severity: 'low',
          confidence: 'high',
          profile: 'audit',
        });
        return;
      }
      const data = { callee: label, verb };
      const tainted = reportTaintedSink(context, {
        node,
        value: shape.source,
        sink: 'code',
        label: callee,
        messageId: 'taintedCode',
        data,
      });
      if (tainted !== undefined) return;
      // Code made only from checked values (`if name in ALLOWED:`, `int(n)`) stays in the program's hands.
      if (holdsOnlyCheckedValues(model, shape.source)) return;
      // No path from outside input was found: an audit finding, graded by how the code is made.
      reportUntracedCode(context, node, shape, AUDIT_MESSAGES, data);
    }

    /** Whether an argument is the `exec` function itself, not a call of it. */
    function isExecReference(argument: SyntaxNode): boolean {
      const value = unwrapParens(argument);
      if (value.type !== 'identifier' && value.type !== 'attribute') return false;
      return EXEC.has(model.qualifiedName(value) ?? '');
    }

    /**
     * The source `exec` receives when it is handed to another function to call:
     * `loop.run_in_executor(None, exec, code)`, `pool.submit(exec, code)`,
     * `Thread(target=exec, args=(code,))`.
     */
    function deferredSource(call: CallInfo): SyntaxNode | undefined {
      const index = call.positional.findIndex(isExecReference);
      if (index >= 0) return call.positional[index + 1];
      const target = call.keywords.get('target') ?? call.keywords.get('func');
      if (target === undefined || !isExecReference(target)) return undefined;
      const args = call.keywords.get('args');
      const tuple = args === undefined ? undefined : unwrapParens(model.resolveValue(args));
      return tuple?.type === 'tuple' || tuple?.type === 'list' ? tuple.namedChildren[0] : undefined;
    }

    let mayReferenceExec: boolean | undefined;

    return callVisitors(context, (node, call) => {
      const name = call.qualifiedName;
      // A file where no name can be `exec` hands it to no other function.
      if (
        (name === undefined || !EXEC.has(name)) &&
        (mayReferenceExec ??= EXEC_REFERENCE_HINT.test(context.text))
      ) {
        const deferred = deferredSource(call);
        if (deferred !== undefined) report(node, 'exec', codeShape(model, deferred));
      }
      if (name === undefined) return;
      if (EXEC.has(name)) {
        const source = model.argument(call, 'source', 0);
        if (source === undefined) return;
        // `exec(compile(src, f, "exec"))`: the compile call is reported (or cleared) on its own.
        const compiled = compileCall(model, source);
        if (compiled !== undefined && compileMode(compiled) === 'exec') return;
        report(node, 'exec', codeShape(model, source));
        return;
      }
      if (COMPILE.has(name) && compileMode(node) === 'exec') {
        const source = model.argument(call, 'source', 0);
        if (source === undefined) return;
        report(node, 'compile', codeShape(model, source));
      }
    });

    function compileMode(compileNode: SyntaxNode): string | undefined {
      const mode = model.argument(model.call(compileNode), 'mode', 2);
      return mode === undefined ? undefined : model.staticString(mode);
    }
  },
});
