/** Whether a function is an AWS Lambda handler: a plain function taking `(event, context)`. */
import type { SemanticModel } from '../../src/engine/model.js';
import type { SyntaxNode } from '../../src/engine/parse.js';
import { classOf, parametersOf } from '../../src/engine/taint/sources.js';

export function isLambdaHandler(model: SemanticModel, definition: SyntaxNode): boolean {
  const parameters = definition.childForFieldName('parameters');
  if (parameters === null || !/\bevent\b/.test(model.textOf(parameters))) return false;
  if (classOf(definition) !== undefined) return false;
  const names = parametersOf(model, definition).map((parameter) => parameter.name);
  return names.length === 2 && names[0] === 'event' && names[1] === 'context';
}
