/**
 * The usual grading of a command line handed to a shell (bandit's B602/B605 split): a literal is
 * low, a line whose spliced-in values are all `shlex.quote`d is low, a line built with an
 * f-string, `+`, `%` or `.format()` is high, and a value of unknown origin is medium, or high when
 * it reads as outside input. `how` describes the build for messages.
 */
import type { SemanticModel } from '../../src/engine/model.js';
import type { SyntaxNode } from '../../src/engine/parse.js';
import type { Confidence, Severity } from '../../src/engine/types.js';
import { mentions } from './mentions.js';
import { commandShape } from './shell-command.js';
import { describeBuild } from './string-pieces.js';
import { UNTRUSTED_INPUT } from './untrusted-input.js';

export interface CommandVerdict {
  kind: 'literal' | 'quoted' | 'built' | 'dynamic';
  severity: Severity;
  confidence: Confidence;
  /** "an f-string", "string concatenation", …; empty unless `built`. */
  how: string;
}

export function commandVerdict(model: SemanticModel, command: SyntaxNode): CommandVerdict {
  const shape = commandShape(model, command);
  if (shape.kind === 'literal')
    return { kind: 'literal', severity: 'low', confidence: 'high', how: '' };
  if (shape.quoted) return { kind: 'quoted', severity: 'low', confidence: 'medium', how: '' };
  if (shape.kind === 'built')
    return { kind: 'built', severity: 'high', confidence: 'high', how: describeBuild(shape.how) };
  const untrusted = mentions(model, command, UNTRUSTED_INPUT);
  return {
    kind: 'dynamic',
    severity: untrusted ? 'high' : 'medium',
    confidence: 'medium',
    how: '',
  };
}
