/**
 * The flat tree against the tree-sitter binding: the same nodes, fields and lookups on every
 * rule fixture, and byte-identical findings and notices from a scan with every rule.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import {
  backendUnavailable,
  PARSER_BACKEND_VARIABLE,
  parsePython,
  parseSource,
  setParserBackend,
  type ParserBackend,
  type SyntaxNode,
} from '../../src/engine/parse.js';
import { scanSource } from '../../src/engine/scan.js';

const rulesDir = fileURLToPath(new URL('../../rules/', import.meta.url));

function pythonFixtures(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return pythonFixtures(path);
    return entry.name.endsWith('.py') ? [path] : [];
  });
}

const fixtures = pythonFixtures(rulesDir).sort();
const unavailable = backendUnavailable('flat');
const originalBackend = process.env[PARSER_BACKEND_VARIABLE];

afterAll(() => {
  if (originalBackend === undefined) Reflect.deleteProperty(process.env, PARSER_BACKEND_VARIABLE);
  else process.env[PARSER_BACKEND_VARIABLE] = originalBackend;
});

function withBackend<T>(backend: ParserBackend, run: () => T): T {
  setParserBackend(backend);
  return run();
}

function parseWith(backend: ParserBackend, text: string): SyntaxNode {
  const tree = withBackend(backend, () => parsePython(text));
  if (tree === null) throw new Error('parse timed out');
  return tree.rootNode;
}

/** A node as text: enough to tell two nodes of one file apart. */
function label(node: SyntaxNode | null): string {
  if (node === null) return 'null';
  const { row, column } = node.startPosition;
  const end = node.endPosition;
  return `${node.type}[${String(node.startIndex)}-${String(node.endIndex)} ${String(row)}:${String(column)}-${String(end.row)}:${String(end.column)}${node.isNamed ? '' : ' anon'}${node.isMissing ? ' missing' : ''}${node.hasError ? ' error' : ''}]`;
}

const FIELDS = ['name', 'body', 'function', 'arguments', 'left', 'right', 'value', 'object'];
const TYPES = ['call', 'lambda', 'identifier', 'string', 'comment', 'ERROR', 'attribute'];

/** Everything the engine reads from a tree, node by node, as lines of text. */
function describeTree(root: SyntaxNode, text: string): string[] {
  const lines: string[] = [];
  const stack: SyntaxNode[] = [root];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    const children = node.children;
    const fields = FIELDS.map((field) => {
      const all = node.childrenForFieldName(field).map(label).join(' ');
      return `${field}=${label(node.childForFieldName(field))}/${all}`;
    });
    lines.push(
      [
        label(node),
        `parent=${label(node.parent)}`,
        `children=${children.map(label).join(' ')}`,
        `named=${node.namedChildren.map(label).join(' ')}`,
        `counts=${String(node.childCount)}/${String(node.namedChildCount)}`,
        `first=${label(node.firstChild)} ${label(node.firstNamedChild)} ${label(node.child(1))}`,
        `next=${label(node.nextNamedSibling)}`,
        `text=${JSON.stringify(node.text)}`,
        `at=${label(node.descendantForIndex(node.startIndex))} ${label(node.descendantForIndex(node.startIndex, node.endIndex))}`,
        `point=${label(root.descendantForPosition(node.startPosition))} ${label(root.descendantForPosition(node.startPosition, node.endPosition))}`,
        ...fields,
      ].join(' | '),
    );
    for (let index = children.length - 1; index >= 0; index--) {
      const child = children[index];
      if (child !== undefined) stack.push(child);
    }
  }
  lines.push(`types=${root.descendantsOfType(TYPES).map(label).join(' ')}`);
  lines.push(
    `from-offsets=${[0, 1, 7, text.length >> 1, text.length].map((at) => label(root.descendantForIndex(at))).join(' ')}`,
  );
  return lines;
}

function scanJson(backend: ParserBackend, path: string, text: string): string {
  const result = withBackend(backend, () => scanSource(path, text, { rules: allRules }));
  return JSON.stringify({ findings: result.findings, notices: result.notices });
}

describe.skipIf(unavailable !== undefined)(
  `the flat tree and the tree-sitter binding${unavailable === undefined ? '' : ` (skipped: the flat-tree addon is unavailable: ${unavailable})`}`,
  () => {
    it.each(fixtures.map((path) => [path.slice(rulesDir.length), path] as const))(
      'build the same tree of %s',
      (_, path) => {
        const text = readFileSync(path, 'utf8');
        const binding = describeTree(parseWith('binding', text), text);
        const flat = describeTree(parseWith('flat', text), text);
        expect(flat).toEqual(binding);
      },
    );

    it.each(fixtures.map((path) => [path.slice(rulesDir.length), path] as const))(
      'give byte-identical findings and notices on %s with every rule',
      (_, path) => {
        const text = readFileSync(path, 'utf8');
        const relative = `rules/${path.slice(rulesDir.length)}`;
        expect(scanJson('flat', relative, text)).toBe(scanJson('binding', relative, text));
      },
    );

    it('agree on broken, empty and unusual input', () => {
      const samples = [
        '',
        '\n',
        'def f(:\n  return',
        'x = (1,\n',
        'if x:\npass',
        "s = f'{a!r:>{w}}' + b'\\x00'\n",
        'print "py2"\n',
        '\u0000\u0001x = 1\n',
        'a = "é😀" ; b = \'\\ud800\'\n',
        '# only a comment\n# and another\n',
        'class C:\n    """doc\n    # not a comment\n    """\n    lambda: 0\n',
      ];
      for (const text of samples) {
        expect(describeTree(parseWith('flat', text), text)).toEqual(
          describeTree(parseWith('binding', text), text),
        );
      }
    });

    it('keeps one object per node, so nodes compare with === and key maps', () => {
      const root = parseWith('flat', 'f(a)\ng(b)\n');
      const [first] = root.descendantsOfType('call');
      expect(first).toBeDefined();
      expect(first?.parent?.parent).toBe(root);
      expect(root.namedChildren[0]?.firstNamedChild).toBe(first);
      expect(first?.childForFieldName('function')?.parent).toBe(first);
    });

    it('refuses indentation deep enough to crash the scanner, without parsing it', () => {
      const deep = Array.from({ length: 600 }, (_, depth) => `${' '.repeat(depth)}if x:`).join(
        '\n',
      );
      const outcome = withBackend('flat', () => parseSource(`${deep}\n${' '.repeat(600)}pass\n`));
      expect(outcome.kind).toBe('refused');
    });

    it('gives up at the deadline and parses the next file afresh', () => {
      const big = 'x = [' + '(1, 2), '.repeat(200_000) + ']\n';
      expect(withBackend('flat', () => parseSource(big, 0)).kind).toBe('timed-out');
      const next = withBackend('flat', () => parseSource('y = 2\n'));
      expect(next.kind === 'parsed' && next.tree.rootNode.text).toBe('y = 2\n');
    });
  },
);
