import type { Confidence } from '../types.js';

/**
 * Confidence one step lower in test code, where risky calls are usually exercised on purpose with
 * fixed inputs (`high` → `medium` → `low`).
 */
export function testAdjusted(confidence: Confidence, isTestFile: boolean): Confidence {
  if (!isTestFile) return confidence;
  return confidence === 'high' ? 'medium' : 'low';
}
