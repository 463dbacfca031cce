/** Whether a function is an AWS Lambda handler: a plain function taking `(event, context)`. */
import {
  classOf,
  parametersOf,
  type SemanticModel,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

export function isLambdaHandler(model: SemanticModel, definition: SyntaxNode): boolean {
  const parameters = definition.childForFieldName('parameters');
  if (parameters === null || !/\bevent\b/.test(model.textOf(parameters))) return false;
  if (classOf(definition) !== undefined) return false;
  const names = parametersOf(model, definition).map((parameter) => parameter.name);
  return names.length === 2 && names[0] === 'event' && names[1] === 'context';
}
