import {
  callVisitors,
  analyseString,
  defineRule,
  holdsOnlyCheckedValues,
  shortText,
  tabledArgument,
  taintedSink,
  testAdjusted,
  type SemanticModel,
  type Severity,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

/** Importers and where they take the name: keyword, position. */
const IMPORTERS: ReadonlyMap<string, readonly [string, number]> = new Map([
  ['importlib.import_module', ['name', 0]],
  ['__import__', ['name', 0]],
  ['builtins.__import__', ['name', 0]],
  ['importlib.__import__', ['name', 0]],
  ['django.utils.module_loading.import_string', ['dotted_path', 0]],
  ['pkgutil.resolve_name', ['name', 0]],
  ['pydoc.locate', ['path', 0]],
]);

/** Module names of the running code itself: `__name__`, `__package__`, `__spec__.parent`. */
const OWN_MODULE = /^(?:__name__|__package__|__spec__\.(?:name|parent)|\w+\.__name__)$/;

export default defineRule({
  meta: {
    id: 'PGI019',
    slug: 'dynamic-import',
    title: 'Module imported by a name chosen at run time',
    category: 'injection',
    severity: 'low',
    confidence: 'low',
    cwe: [706, 94],
    owasp: ['A03:2021 Injection'],
    description:
      'Flags `importlib.import_module()`, `__import__()`, Django `import_string()`, `pkgutil.resolve_name()` and `pydoc.locate()` called with a module name that is not a literal or a pick from a constant list.',
    why: 'Importing a module runs its top-level code. If the name comes from a request, a message or a config file an attacker can edit, they choose which installed module runs (`os`, `pty`, `antigravity`, a test helper) and which object a plugin loader hands back; with a writable directory on `sys.path` they can run their own code. Loading from a fixed package (`myapp.plugins.{name}`) narrows this but a name with dots still walks into sub-packages.',
    fix: 'Pick the module from a fixed table (`PLUGINS = {"csv": "myapp.export.csv", ...}; import_module(PLUGINS[kind])`), or check the name against an allowlist before importing. Use entry points (`importlib.metadata.entry_points()`) for real plugin systems.',
    example: {
      bad: 'import importlib\n\ndef load_exporter(request):\n    return importlib.import_module(request.GET["format"])\n',
      good: 'import importlib\n\nEXPORTERS = {"csv": "myapp.export.csv", "json": "myapp.export.json"}\n\ndef load_exporter(request):\n    return importlib.import_module(EXPORTERS[request.GET["format"]])\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/706.html',
      'https://docs.python.org/3/library/importlib.html#importlib.import_module',
      'https://docs.python.org/3/library/importlib.metadata.html#entry-points',
      'https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.module_loading.import_string',
    ],
    bandit: [],
    ruff: [],
  },
  messages: {
    taintedName:
      '`{{callee}}` imports a module named by {{origin}}: {{path}}. Whoever controls it picks which module runs{{scope}}; choose it from a fixed table or check it against an allowlist.',
    dynamicName:
      '`{{callee}}` imports the module named by `{{name}}`; if that name can come from outside, an attacker picks which module runs. Choose it from a fixed table or check it against an allowlist.',
    prefixedName:
      '`{{callee}}` imports `{{name}}` below a fixed package; a name with dots can still reach sub-packages. Check it against an allowlist of plugin names.',
  },
  select: { calls: [...IMPORTERS.keys()] },
  create(context) {
    const { model } = context;
    return callVisitors(context, (node, call) => {
      const imported = tabledArgument(model, call, IMPORTERS);
      if (imported === undefined) return;
      const { name: callee, argument: name } = imported;
      if (holdsOnlyCheckedValues(model, name)) return;
      const prefix = staticPrefix(model, name);
      if (prefix === undefined) return;
      const anchored = prefix || relativeToPackage(model, call.keywords, name);
      const tainted = taintedSink(context, name, 'code', node, callee);
      if (tainted !== undefined) {
        context.report({
          node,
          messageId: 'taintedName',
          data: {
            callee,
            origin: tainted.origin,
            path: tainted.path,
            scope: anchored
              ? ' below the fixed package (a name with dots reaches sub-packages)'
              : '',
          },
          // A fixed package narrows the choice to the modules below it.
          severity: anchored ? lower(tainted.severity) : tainted.severity,
          confidence: tainted.confidence,
          flow: tainted.flow,
        });
        return;
      }
      // No path from outside input was found: an audit finding.
      context.report({
        node,
        messageId: anchored ? 'prefixedName' : 'dynamicName',
        data: { callee, name: shortText(context.textOf(name)) },
        severity: 'low',
        confidence: testAdjusted('low', context.isTestFile),
      });
    });
  },
});

function lower(severity: Severity): Severity {
  return severity === 'high' ? 'medium' : 'low';
}

/**
 * Whether a built name starts with a fixed package (`f"myapp.plugins.{name}"`): true; a name
 * made only of the module's own names (`__name__ + ".sub"`): undefined (not reported); false
 * for anything else.
 */
function staticPrefix(model: SemanticModel, node: SyntaxNode): boolean | undefined {
  const build = analyseString(model, node);
  if (build?.how === undefined) return false;
  const holes = build.pieces.filter((piece) => piece.kind === 'hole');
  if (holes.every((hole) => OWN_MODULE.test(model.textOf(hole.node)))) return undefined;
  const first = build.pieces[0];
  return first?.kind === 'text' && /^[A-Za-z_][\w.]*\.$/.test(first.text);
}

/** `import_module("." + name, package=__name__)`: a relative name inside a fixed package. */
function relativeToPackage(
  model: SemanticModel,
  keywords: ReadonlyMap<string, SyntaxNode>,
  name: SyntaxNode,
): boolean {
  const build = analyseString(model, name);
  const first = build?.pieces[0];
  return keywords.has('package') && first?.kind === 'text' && first.text.startsWith('.');
}
