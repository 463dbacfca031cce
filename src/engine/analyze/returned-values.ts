/** The values a function's own `return` statements give back (not those of nested functions or classes). */
import type { SyntaxNode } from '../parse.js';

export function returnedValues(definition: SyntaxNode): SyntaxNode[] {
  const values: SyntaxNode[] = [];
  const visit = (node: SyntaxNode): void => {
    for (const child of node.namedChildren) {
      if (
        child.type === 'function_definition' ||
        child.type === 'class_definition' ||
        child.type === 'lambda'
      )
        continue;
      if (child.type === 'return_statement') {
        const value = child.namedChildren[0];
        if (value !== undefined) values.push(value);
        continue;
      }
      visit(child);
    }
  };
  const body = definition.childForFieldName('body');
  if (body !== null) visit(body);
  return values;
}
