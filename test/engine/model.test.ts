import { afterAll, describe, expect, it } from 'vitest';
import {
  MODEL_NODE_TYPES,
  SemanticModel,
  moduleNameFromPath,
  resolveRelativeModule,
} from '../../src/engine/model.js';
import {
  backendUnavailable,
  PARSER_BACKEND_VARIABLE,
  parsePython,
  parserBackend,
  setParserBackend,
  type ParserBackend,
  type SyntaxNode,
} from '../../src/engine/parse.js';

/** Builds the model the way the scanner does, and returns it with every call node. */
function modelOf(
  source: string,
  path = 'pkg/mod.py',
): { model: SemanticModel; calls: SyntaxNode[] } {
  const tree = parsePython(source);
  if (tree === null) throw new Error('parse timed out');
  const model = new SemanticModel(tree, source, path);
  const nodes = tree.rootNode.descendantsOfType([...MODEL_NODE_TYPES, 'call']);
  const stack = [model.module];
  const calls: SyntaxNode[] = [];
  for (const node of nodes) {
    let top = stack[stack.length - 1] ?? model.module;
    while (stack.length > 1 && node.startIndex >= top.node.endIndex) {
      stack.pop();
      top = stack[stack.length - 1] ?? model.module;
    }
    if (node.type === 'call') calls.push(node);
    else {
      const inner = model.enter(node, top);
      if (inner !== top) stack.push(inner);
    }
  }
  return { model, calls };
}

function calleeNames(source: string, path?: string): (string | undefined)[] {
  const { model, calls } = modelOf(source, path);
  return calls.map((call) => model.call(call).qualifiedName);
}

describe('qualified names', () => {
  it('resolves import aliases, from-imports and dotted imports', () => {
    const source = [
      'import yaml as y',
      'import xml.etree.ElementTree as ET',
      'import os.path',
      'from subprocess import run as r, Popen',
      'y.load(a)',
      'ET.parse(a)',
      'os.path.join(a)',
      'r(a)',
      'Popen(a)',
    ].join('\n');
    expect(calleeNames(source)).toEqual([
      'yaml.load',
      'xml.etree.ElementTree.parse',
      'os.path.join',
      'subprocess.run',
      'subprocess.Popen',
    ]);
  });

  it('resolves function-level imports only inside their function', () => {
    const source = ['def f():', '    import pickle as p', '    p.loads(x)', 'p.loads(x)'].join(
      '\n',
    );
    expect(calleeNames(source)).toEqual(['pickle.loads', undefined]);
  });

  it('resolves relative imports against the file path', () => {
    expect(calleeNames('from .util import run\nrun()', 'pkg/sub/mod.py')).toEqual([
      'pkg.sub.util.run',
    ]);
    expect(calleeNames('from ..util import run\nrun()', 'pkg/sub/mod.py')).toEqual([
      'pkg.util.run',
    ]);
    expect(calleeNames('from . import util\nutil.run()', 'pkg/sub/__init__.py')).toEqual([
      'pkg.sub.util.run',
    ]);
  });

  it('treats unshadowed builtins by their bare name and shadowed ones as unknown', () => {
    expect(calleeNames('eval(x)')).toEqual(['eval']);
    expect(calleeNames('def eval(x): pass\neval(x)')).toEqual([undefined]);
    expect(calleeNames('def f(eval):\n    eval(x)')).toEqual([undefined]);
  });

  it('follows a name assigned once to an imported attribute', () => {
    expect(calleeNames('import subprocess\nrun = subprocess.run\nrun(x)')).toEqual([
      'subprocess.run',
    ]);
  });

  it('resolves lookups by a literal name: getattr, __import__ and import_module', () => {
    const source = [
      'import os, importlib',
      'getattr(os, "system")(x)',
      '__import__("os").popen(x)',
      '__import__("os.path").getcwd()',
      'importlib.import_module("os.path").join(x)',
      'shell = getattr(os, "system")',
      'shell(x)',
      'getattr(os, name)(x)',
      '__import__(name).system(x)',
    ].join('\n');
    const names = calleeNames(source).filter(
      (name) => name !== 'getattr' && name !== '__import__' && name !== 'importlib.import_module',
    );
    expect(names).toEqual([
      'os.system',
      'os.popen',
      'os.getcwd',
      'os.path.join',
      'os.system',
      undefined,
      undefined,
    ]);
  });

  it('follows a reassigned name to the assignment that reaches the use', () => {
    expect(
      calleeNames('import os, subprocess\nrun = subprocess.run\nrun(x)\nrun = os.getcwd\nrun(x)'),
    ).toEqual(['subprocess.run', 'os.getcwd']);
  });

  it('does not follow a name when several assignments may reach the use', () => {
    const branch =
      'import os, subprocess\nrun = subprocess.run\nif y:\n    run = os.getcwd\nrun(x)';
    const loop =
      'import os, subprocess\nrun = subprocess.run\nfor y in z:\n    run(x)\n    run = os.getcwd';
    const global = [
      'import os, subprocess',
      'run = subprocess.run',
      'def f():',
      '    global run',
      '    run = os.getcwd',
      'run = os.system',
      'def g():',
      '    run(x)',
    ].join('\n');
    expect(calleeNames(branch)).toEqual([undefined]);
    expect(calleeNames(loop)).toEqual([undefined]);
    expect(calleeNames(global)).toEqual([undefined]);
  });

  it('skips class scopes when resolving names inside methods', () => {
    const source = [
      'import json',
      'class K:',
      '    json = None',
      '    def m(self):',
      '        json.loads(x)',
    ].join('\n');
    expect(calleeNames(source)).toEqual(['json.loads']);
  });
});

describe('calls', () => {
  it('splits positional and keyword arguments and notices * and **', () => {
    const { model, calls } = modelOf('f(1, "two", *rest, shell=True, **extra)');
    const call = model.call(calls[0] as SyntaxNode);
    expect(call.positional.map((node) => model.textOf(node))).toEqual(['1', '"two"']);
    expect([...call.keywords.keys()]).toEqual(['shell']);
    expect(call.hasStarArgs).toBe(true);
    expect(call.hasKwargs).toBe(true);
    expect(model.textOf(model.argument(call, 'shell') as SyntaxNode)).toBe('True');
    expect(model.textOf(model.argument(call, 'cmd', 1) as SyntaxNode)).toBe('"two"');
    expect(model.argument(call, 'cwd')).toBeUndefined();
  });

  it('names the method of an attribute call', () => {
    const { model, calls } = modelOf('cursor.execute(q)');
    expect(model.call(calls[0] as SyntaxNode).methodName).toBe('execute');
  });

  it('sees what a with-statement bound', () => {
    const source = [
      'import requests',
      'with requests.Session() as s, open(p) as (a, b):',
      '    s.get(u)',
    ].join('\n');
    const { model, calls } = modelOf(source);
    const get = model.call(calls[2] as SyntaxNode);
    const receiver = get.callee.childForFieldName('object') as SyntaxNode;
    expect(model.textOf(get.callee)).toBe('s.get');
    expect(model.constructedBy(receiver)).toBe('requests.Session');
    expect(model.textOf(model.withContext(receiver) as SyntaxNode)).toBe('requests.Session()');
  });

  it('tells which call constructed a value', () => {
    const { model, calls } = modelOf('import requests\ns = requests.Session()\ns.get(u)');
    const get = model.call(calls[1] as SyntaxNode);
    const receiver = get.callee.childForFieldName('object') as SyntaxNode;
    expect(model.constructedBy(receiver)).toBe('requests.Session');
  });
});

describe('string shapes', () => {
  function shapeOfFirstArgument(source: string): ReturnType<SemanticModel['stringShape']> {
    const { model, calls } = modelOf(source);
    const outer = calls.find((call) => model.textOf(call).startsWith('f(')) as SyntaxNode;
    return model.stringShape(model.call(outer).positional[0] as SyntaxNode);
  }

  it('sees literals, concatenated literals and escapes', () => {
    expect(shapeOfFirstArgument('f("a\\tb")')).toEqual({ kind: 'literal', value: 'a\tb' });
    expect(shapeOfFirstArgument('f("a" "b")')).toEqual({ kind: 'literal', value: 'ab' });
    expect(shapeOfFirstArgument('f(r"\\d")')).toEqual({ kind: 'literal', value: '\\d' });
    expect(shapeOfFirstArgument('f(f"no holes")')).toEqual({ kind: 'literal', value: 'no holes' });
    expect(shapeOfFirstArgument('f("a" + "b")')).toEqual({ kind: 'literal', value: 'ab' });
  });

  it('sees how dynamic strings were built', () => {
    expect(shapeOfFirstArgument('f(f"SELECT {x} FROM t")')).toEqual({
      kind: 'built',
      how: 'f-string',
      template: 'SELECT {} FROM t',
    });
    expect(shapeOfFirstArgument('f("rm " + path)')).toMatchObject({
      kind: 'built',
      how: 'concatenation',
      template: 'rm {}',
    });
    expect(shapeOfFirstArgument('f("ls %s" % d)')).toMatchObject({
      kind: 'built',
      how: '%-format',
    });
    expect(shapeOfFirstArgument('f("ls {}".format(d))')).toMatchObject({
      kind: 'built',
      how: 'format()',
    });
    expect(shapeOfFirstArgument('f(" ".join(["ls", d]))')).toMatchObject({
      kind: 'built',
      how: 'join',
      template: 'ls {}',
    });
    expect(shapeOfFirstArgument('f(d)')).toEqual({ kind: 'dynamic' });
  });

  it('follows same-scope constants and stops at reassigned names', () => {
    expect(shapeOfFirstArgument('q = "SELECT 1"\nf(q)')).toEqual({
      kind: 'literal',
      value: 'SELECT 1',
    });
    expect(shapeOfFirstArgument('q = f"SELECT {x}"\nf(q)')).toMatchObject({
      kind: 'built',
      how: 'f-string',
    });
    expect(shapeOfFirstArgument('q = "SELECT 1"\nq = input()\nf(q)')).toEqual({ kind: 'dynamic' });
    expect(shapeOfFirstArgument('q = "a"\nq += x\nf(q)')).toEqual({ kind: 'dynamic' });
    expect(shapeOfFirstArgument('for q in xs: pass\nf(q)')).toEqual({ kind: 'dynamic' });
  });

  it('keeps constants of other functions apart', () => {
    const source = ['def a():', '    q = "x"', 'def b(q):', '    f(q)'].join('\n');
    expect(shapeOfFirstArgument(source)).toEqual({ kind: 'dynamic' });
  });
});

describe('literals and truthiness', () => {
  it('evaluates literal values and their truthiness', () => {
    const { model, calls } = modelOf('T = True\nf(True, 0, 1, "", "x", None, T, -2, [], [1], v)');
    const args = model.call(calls[0] as SyntaxNode).positional;
    expect(args.map((arg) => model.truthiness(arg))).toEqual([
      true,
      false,
      true,
      false,
      true,
      false,
      true,
      true,
      false,
      true,
      undefined,
    ]);
  });
});

describe('module names', () => {
  it('derives module names for relative imports', () => {
    expect(moduleNameFromPath('src/pkg/mod.py')).toBe('src.pkg.mod');
    expect(moduleNameFromPath('pkg/__init__.py')).toBe('pkg');
    expect(resolveRelativeModule('a.b.c', false, 1, 'x')).toBe('a.b.x');
    expect(resolveRelativeModule('a.b.c', false, 2, '')).toBe('a');
    expect(resolveRelativeModule('', false, 1, 'x')).toBe('x');
  });
});

describe('scopes', () => {
  it('places nodes in the innermost scope, and a definition in the scope around it', () => {
    const source = [
      'import os',
      'def outer(a):',
      '    def inner(b):',
      '        os.system(b)',
      '    os.system(a)',
      'os.system(x)',
    ].join('\n');
    const { model, calls } = modelOf(source);
    expect(calls.map((call) => model.scopeAt(call).kind)).toEqual([
      'function',
      'function',
      'module',
    ]);
    const innerCall = calls[0] as SyntaxNode;
    const innerScope = model.scopeAt(innerCall);
    expect(model.textOf(innerScope.node.childForFieldName('name') as SyntaxNode)).toBe('inner');
    const innerDefinition = innerScope.node;
    expect(model.scopeAt(innerDefinition).kind).toBe('function');
    expect(
      model.textOf(model.scopeAt(innerDefinition).node.childForFieldName('name') as SyntaxNode),
    ).toBe('outer');
  });

  const backends: ParserBackend[] =
    backendUnavailable('flat') === undefined ? ['flat', 'binding'] : ['binding'];
  const initialBackend = parserBackend();
  const initialVariable = process.env[PARSER_BACKEND_VARIABLE];
  afterAll(() => {
    setParserBackend(initialBackend);
    if (initialVariable === undefined) Reflect.deleteProperty(process.env, PARSER_BACKEND_VARIABLE);
    else process.env[PARSER_BACKEND_VARIABLE] = initialVariable;
  });

  it.each(backends)(
    'opens one scope per lambda, not another for its keyword (%s backend)',
    (backend) => {
      setParserBackend(backend);
      const source = 'f = lambda x: (lambda y: x + y)\ng = lambda: 1\nh = [lambda: z for z in w]\n';
      // Both backends also match the `lambda` keyword token by its type.
      const tree = parsePython(source);
      const keywords = tree?.rootNode.descendantsOfType('lambda').filter((node) => !node.isNamed);
      expect(keywords).toHaveLength(4);
      const { model } = modelOf(source);
      const lambdas = model.scopes.filter((scope) => scope.kind === 'lambda');
      expect(lambdas).toHaveLength(4);
      expect(lambdas.every((scope) => scope.node.isNamed && scope.node.type === 'lambda')).toBe(
        true,
      );
      expect(lambdas.map((scope) => [...scope.bindings.keys()])).toEqual([['x'], ['y'], [], []]);
    },
  );
});
