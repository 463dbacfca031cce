/**
 * How a fix refers to a module it calls (`secrets.choice`, `hmac.compare_digest`): through a
 * name the file already imports it under, or through a new `import` statement added with the
 * fix, after the module docstring, `from __future__` imports and the imports at the top of the
 * file. Pure: reads the semantic model, returns text and spans.
 */
import type { Binding, Scope, SemanticModel } from './model.js';
import { startOf } from './node-offsets.js';
import type { SyntaxNode } from './parse.js';
import type { ReportEdit } from '../rules-api/types.js';
import type { Span } from './types.js';

/** A module as a fix can write it at one place of the file. */
export interface ModuleReference {
  /** What to write before `.attribute`: `secrets`, `hm` (for `import hmac as hm`). */
  name: string;
  /** The import to add with the fix, when the file does not import the module yet. */
  importEdit?: ReportEdit;
}

/** Statements that may come before an added import. */
const HEADER_IMPORTS = new Set([
  'import_statement',
  'import_from_statement',
  'future_import_statement',
]);

/**
 * How code at `at` can refer to `module` (a dotted module name such as `defusedxml.ElementTree`):
 * by an import that binds it there and comes before it, or by `import <module>` added to the
 * file. Undefined when neither is safe: the name the import would bind is used for something
 * else somewhere in the file, the module has a `*` import that could rebind it, or the top of
 * the file has no place for an import (an import sharing its line with other code).
 */
export function moduleReference(
  model: SemanticModel,
  module: string,
  at: SyntaxNode,
): ModuleReference | undefined {
  const existing = importedName(model, module, at);
  if (existing !== undefined) return { name: existing };
  if (!canBindTopName(model, module)) return undefined;
  const statement = `import ${module}`;
  const insertion = importInsertion(model, statement);
  if (insertion === undefined) return undefined;
  return {
    name: module,
    importEdit: {
      target: insertion.span,
      replacement: insertion.text,
      description: `add \`${statement}\` with the file's imports`,
    },
  };
}

/** The scopes whose names code in `scope` sees, innermost first (class bodies only their own). */
function visibleScopes(scope: Scope): Scope[] {
  const chain: Scope[] = [];
  for (let current: Scope | null = scope; current !== null; current = current.parent) {
    if (current === scope || current.kind !== 'class') chain.push(current);
  }
  return chain;
}

/**
 * The name code at `at` already reaches `module` by: `import secrets`, `import hmac as hm`,
 * `from defusedxml import ElementTree`, `import defusedxml.ElementTree` (as the dotted name),
 * when every binding of that name the code sees is an import of the same thing and one that
 * makes the module usable comes before `at`.
 */
function importedName(model: SemanticModel, module: string, at: SyntaxNode): string | undefined {
  const scope = model.scopeAt(at);
  const offset = startOf(at);
  for (const visible of visibleScopes(scope)) {
    for (const [name, bindings] of visible.bindings) {
      const usable = bindings.filter((binding) => writtenModule(model, binding, module));
      const first = usable[0];
      if (first === undefined || !usable.some((binding) => startOf(binding.node) < offset))
        continue;
      const same = bindings.every(
        (binding) => binding.kind === 'import' && binding.qualifiedName === first.qualifiedName,
      );
      // The name must reach `at` from this scope, not be bound again in between.
      if (!same || model.lookup(name, scope)?.scope !== visible) continue;
      return isPlainImport(first) ? module : name;
    }
  }
  return undefined;
}

/** `import a.b.c` (no alias): binds `a` and makes `a.b.c` usable as written. */
function isPlainImport(binding: Binding): boolean {
  return binding.node.type === 'dotted_name' && binding.node.parent?.type === 'import_statement';
}

/** Whether an import binding makes `module` usable (as the dotted name or under its own name). */
function writtenModule(model: SemanticModel, binding: Binding, module: string): boolean {
  if (binding.kind !== 'import') return false;
  if (isPlainImport(binding)) return model.textOf(binding.node).replace(/\s+/g, '') === module;
  return binding.qualifiedName === module;
}

/**
 * Whether adding `import module` at the top of the file changes nothing else: its top name
 * (`defusedxml` for `defusedxml.ElementTree`) is bound nowhere in the file except by imports of
 * that same top module, and no `*` import at module level could rebind it.
 */
function canBindTopName(model: SemanticModel, module: string): boolean {
  if (model.module.starImports.length > 0) return false;
  const top = module.split('.')[0] ?? module;
  for (const scope of model.scopes) {
    for (const binding of scope.bindings.get(top) ?? []) {
      if (binding.kind !== 'import' || binding.node.type !== 'dotted_name') return false;
      if (binding.qualifiedName !== top) return false;
    }
  }
  return true;
}

/** A zero-width span at a 0-based row and UTF-16 column. */
function pointSpan(row: number, column: number): Span {
  const position = { line: row + 1, column: column + 1 };
  return { start: position, end: { ...position } };
}

function isDocstring(node: SyntaxNode): boolean {
  const only = node.namedChildren;
  return (
    node.type === 'expression_statement' &&
    only.length === 1 &&
    (only[0]?.type === 'string' || only[0]?.type === 'concatenated_string')
  );
}

/** The statements that open the file: a docstring, then imports (comments left out). */
function fileHeader(model: SemanticModel): { last?: SyntaxNode; next?: SyntaxNode } {
  const statements = model.tree.rootNode.namedChildren.filter((node) => node.type !== 'comment');
  let index = 0;
  let last: SyntaxNode | undefined;
  if (statements[0] !== undefined && isDocstring(statements[0])) last = statements[index++];
  for (let node = statements[index]; node !== undefined; node = statements[++index]) {
    if (!HEADER_IMPORTS.has(node.type)) break;
    last = node;
  }
  const next = statements[index];
  return { ...(last === undefined ? {} : { last }), ...(next === undefined ? {} : { next }) };
}

/**
 * Where `statement` goes and the text to insert: on its own line after the last of the module
 * docstring, `from __future__` imports and the imports that open the file (before any other
 * code, so the name is bound before code at the top level uses it); without any of those, before
 * the first statement (after leading comments such as a shebang or a licence). A docstring keeps
 * a blank line after it. Undefined when that line also holds other code (`import os; main()`).
 */
function importInsertion(
  model: SemanticModel,
  statement: string,
): { span: Span; text: string } | undefined {
  // The engine's text has `\n` line breaks; `applyFixes` writes the file's own.
  const newline = '\n';
  const lines = model.text.split('\n').map((line) => line.replace(/\r$/, ''));
  const { last, next } = fileHeader(model);
  if (last === undefined) {
    if (next === undefined || next.startPosition.column !== 0) return undefined;
    return { span: pointSpan(next.startPosition.row, 0), text: `${statement}${newline}${newline}` };
  }
  const row = last.endPosition.row;
  if (next !== undefined && next.startPosition.row === row) return undefined;
  const gap = isDocstring(last) ? newline : '';
  const following = lines[row + 1];
  // A header that ends the file without a line break has no code after it to fix.
  if (following === undefined) return undefined;
  const blankAfter = gap !== '' && following.trim() !== '' ? newline : '';
  return { span: pointSpan(row + 1, 0), text: `${gap}${statement}${newline}${blankAfter}` };
}
