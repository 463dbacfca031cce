import { describe, expect, it } from 'vitest';

import { parsePython } from '../../src/engine/parse.js';
import type { Span } from '../../src/engine/types.js';
import { addKeywordArguments } from '../../src/rules-api/fix-arguments.js';

/** Offset of a 1-based line and column in the text. */
function offsetOf(text: string, position: Span['start']): number {
  const lines = text.split('\n').slice(0, position.line - 1);
  return lines.reduce((sum, line) => sum + line.length + 1, 0) + position.column - 1;
}

/** The first call of `source` with `filter="data"` added, or undefined when no fix is offered. */
function withFilter(source: string): string | undefined {
  const tree = parsePython(source);
  if (tree === null) throw new Error('parse timed out');
  const call = tree.rootNode.descendantsOfType('call')[0];
  if (call === undefined) throw new Error('no call in the source');
  const fix = addKeywordArguments(call, [{ name: 'filter', value: '"data"' }], 'Pass a filter');
  if (fix === undefined) return undefined;
  const span = fix.target as Span;
  expect(span.start).toEqual(span.end);
  const at = offsetOf(source, span.start);
  return `${source.slice(0, at)}${fix.replacement}${source.slice(at)}`;
}

describe('addKeywordArguments', () => {
  it('adds the keyword after the last argument, or inside empty parentheses', () => {
    expect(withFilter('t.extractall("/srv")\n')).toBe('t.extractall("/srv", filter="data")\n');
    expect(withFilter('t.extractall()\n')).toBe('t.extractall(filter="data")\n');
    expect(withFilter('t.extractall(*args)\n')).toBe('t.extractall(*args, filter="data")\n');
  });

  it('keeps a trailing comma, a comment and a call over several lines', () => {
    expect(withFilter('t.extractall(\n    "/srv",\n)\n')).toBe(
      't.extractall(\n    "/srv", filter="data",\n)\n',
    );
    expect(withFilter('t.extractall(\n    "/srv"  # where\n)\n')).toBe(
      't.extractall(\n    "/srv", filter="data"  # where\n)\n',
    );
    expect(withFilter('t.extractall(  # all of it\n)\n')).toBe(
      't.extractall(filter="data"  # all of it\n)\n',
    );
  });

  it('offers nothing when the keyword may already be passed', () => {
    expect(withFilter('t.extractall("/srv", filter=None)\n')).toBeUndefined();
    expect(withFilter('t.extractall("/srv", **options)\n')).toBeUndefined();
    expect(withFilter('t.extractall(m for m in members)\n')).toBeUndefined();
  });
});
