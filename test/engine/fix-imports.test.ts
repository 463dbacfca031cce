import { describe, expect, it } from 'vitest';

import { applyFixes } from '../../src/engine/fixes.js';
import { moduleReference } from '../../src/engine/fix-imports.js';
import { MODEL_NODE_TYPES, SemanticModel } from '../../src/engine/model.js';
import { parsePython, type SyntaxNode } from '../../src/engine/parse.js';
import type { Span } from '../../src/engine/types.js';
import { finding } from '../report/findings.js';

/** Builds the model the way the scanner does, and returns it with its last call node. */
function modelOf(source: string): { model: SemanticModel; call: SyntaxNode } {
  const tree = parsePython(source);
  if (tree === null) throw new Error('parse timed out');
  const model = new SemanticModel(tree, source, 'app.py');
  const nodes = tree.rootNode.descendantsOfType([...MODEL_NODE_TYPES]);
  const stack = [model.module];
  for (const node of nodes) {
    let top = stack[stack.length - 1] ?? model.module;
    while (stack.length > 1 && node.startIndex >= top.node.endIndex) {
      stack.pop();
      top = stack[stack.length - 1] ?? model.module;
    }
    const inner = model.enter(node, top);
    if (inner !== top) stack.push(inner);
  }
  model.complete = true;
  const call = tree.rootNode.descendantsOfType('call').at(-1);
  if (call === undefined) throw new Error('no call in the source');
  return { model, call };
}

/**
 * How the last call of `source` can name `module`, and the source once the import (if any) is
 * added; the source text unchanged when no import is needed, undefined when no reference is safe.
 */
function reference(
  source: string,
  module: string,
): { name: string; text: string; description?: string } | undefined {
  const { model, call } = modelOf(source);
  const found = moduleReference(model, module, call);
  if (found === undefined) return undefined;
  const edit = found.importEdit;
  if (edit === undefined) return { name: found.name, text: source };
  const span = edit.target as Span;
  const line = source.split('\n')[span.start.line - 1] ?? '';
  const { text } = applyFixes(source, [
    finding({
      span,
      snippet: line,
      fix: { description: 'import', span, replacement: edit.replacement },
    }),
  ]);
  return edit.description === undefined
    ? { name: found.name, text }
    : { name: found.name, text, description: edit.description };
}

describe('moduleReference', () => {
  it('adds the import after the imports that open the file', () => {
    const source = 'import os\nfrom random import choice\n\n\nTOKEN = choice(os.listdir())\n';
    expect(reference(source, 'secrets')).toEqual({
      name: 'secrets',
      text: 'import os\nfrom random import choice\nimport secrets\n\n\nTOKEN = choice(os.listdir())\n',
      description: "add `import secrets` with the file's imports",
    });
  });

  it('goes after the docstring and __future__ imports, in the line breaks of the file', () => {
    const source =
      '"""Tokens."""\r\nfrom __future__ import annotations\r\n\r\nimport random\r\n\r\nx = random.random()\r\n';
    expect(reference(source, 'secrets')?.text).toBe(
      '"""Tokens."""\r\nfrom __future__ import annotations\r\n\r\nimport random\r\nimport secrets\r\n\r\nx = random.random()\r\n',
    );
  });

  it('keeps a blank line after a docstring with no imports', () => {
    expect(reference('"""Tokens."""\nx = make()\n', 'secrets')?.text).toBe(
      '"""Tokens."""\n\nimport secrets\n\nx = make()\n',
    );
    expect(reference('"""Tokens."""\n\nx = make()\n', 'secrets')?.text).toBe(
      '"""Tokens."""\n\nimport secrets\n\nx = make()\n',
    );
  });

  it('goes before the first statement, after leading comments, when nothing is imported', () => {
    expect(reference('#!/usr/bin/env python\n# licence\nx = make()\n', 'hmac')?.text).toBe(
      '#!/usr/bin/env python\n# licence\nimport hmac\n\nx = make()\n',
    );
  });

  it('works in a file without a last line break', () => {
    expect(reference('import random\nrandom.random()', 'secrets')?.text).toBe(
      'import random\nimport secrets\nrandom.random()',
    );
  });

  it('uses an import the file already has, under its alias or dotted name', () => {
    expect(reference('import secrets\n\ndef f():\n    return g()\n', 'secrets')).toEqual({
      name: 'secrets',
      text: 'import secrets\n\ndef f():\n    return g()\n',
    });
    expect(reference('import hmac as hm\nhm.new(k)\n', 'hmac')?.name).toBe('hm');
    expect(
      reference('import defusedxml.ElementTree as DET\nf()\n', 'defusedxml.ElementTree')?.name,
    ).toBe('DET');
    expect(reference('from defusedxml import minidom\nf()\n', 'defusedxml.minidom')?.name).toBe(
      'minidom',
    );
    expect(reference('import defusedxml.minidom\nf()\n', 'defusedxml.minidom')?.name).toBe(
      'defusedxml.minidom',
    );
    expect(reference('def f():\n    import secrets\n    return g()\n', 'secrets')?.text).toBe(
      'def f():\n    import secrets\n    return g()\n',
    );
  });

  it('adds a submodule import beside an import of its package', () => {
    expect(reference('import defusedxml.minidom\nf()\n', 'defusedxml.sax')).toMatchObject({
      name: 'defusedxml.sax',
      text: 'import defusedxml.minidom\nimport defusedxml.sax\nf()\n',
    });
  });

  it('adds an import when the existing one comes only after the code', () => {
    expect(reference('x = f()\nimport secrets\n', 'secrets')?.text).toBe(
      'import secrets\n\nx = f()\nimport secrets\n',
    );
  });

  it('offers nothing when the name is taken or could be rebound', () => {
    expect(reference('import random\nsecrets = load()\nf()\n', 'secrets')).toBeUndefined();
    expect(reference('def f(secrets):\n    return g()\n', 'secrets')).toBeUndefined();
    expect(reference('from helpers import *\nf()\n', 'secrets')).toBeUndefined();
    expect(reference('import hmac as secrets\nf()\n', 'secrets')).toBeUndefined();
    expect(reference('import os; main()\n', 'secrets')).toBeUndefined();
  });
});
