/**
 * For a call to a function listed in a table of `[keyword, position, ...]` entries (the argument
 * a sink consumes, by keyword or position), the function's name, its entry and that argument.
 */
import type { CallInfo, SemanticModel } from '../model.js';
import type { SyntaxNode } from '../parse.js';

export interface TabledArgument<Entry> {
  name: string;
  entry: Entry;
  argument: SyntaxNode;
}

export function tabledArgument<Entry extends readonly [string, number, ...unknown[]]>(
  model: SemanticModel,
  call: CallInfo,
  table: ReadonlyMap<string, Entry>,
): TabledArgument<Entry> | undefined {
  const name = call.qualifiedName;
  const entry = name === undefined ? undefined : table.get(name);
  if (name === undefined || entry === undefined) return undefined;
  const argument = model.argument(call, entry[0], entry[1]);
  return argument === undefined ? undefined : { name, entry, argument };
}
