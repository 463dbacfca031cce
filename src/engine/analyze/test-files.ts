/**
 * How findings in test code are graded. Risky calls in tests are usually exercised on purpose
 * with fixed inputs, so a rule either lowers its grade there by one step (`high` → `medium` →
 * `low`), on confidence ({@link testAdjusted}: the finding is less likely to matter) or on
 * severity ({@link testAdjustedSeverity}: it matters less where it is, such as TLS checks turned
 * off against a test server), or does not look at test files at all (`if (context.isTestFile)
 * return {}`: checks of production configuration and access control).
 */
import type { Confidence, Severity } from '../types.js';

/** A grade one step lower (`high` → `medium` → `low`; `low` stays). */
function stepDown(level: Severity & Confidence): 'medium' | 'low' {
  return level === 'high' ? 'medium' : 'low';
}

/** Confidence one step lower in test code. */
export function testAdjusted(confidence: Confidence, isTestFile: boolean): Confidence {
  return isTestFile ? stepDown(confidence) : confidence;
}

/** Severity one step lower in test code. */
export function testAdjustedSeverity(severity: Severity, isTestFile: boolean): Severity {
  return isTestFile ? stepDown(severity) : severity;
}
