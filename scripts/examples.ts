/**
 * Runs the examples of a rule's page: the bad example is scanned to find the line the page's
 * suppression comment goes on, and the tests scan all three (bad, good, suppressed) to prove the
 * page tells the truth. Pure: no file system.
 */
import { scanSource } from '../src/engine/scan.js';
import { scanTemplate } from '../src/engine/templates.js';
import type { FileResult } from '../src/engine/types.js';
import type { AnyRule } from '../src/rules-api/types.js';

/** The path an example is scanned under: an ordinary module, or a template. */
export function examplePath(rule: AnyRule): string {
  return rule.meta.exampleLanguage === 'template' ? 'templates/example.html' : 'app/example.py';
}

/** Runs one rule alone, with its default options, on the text of one of its examples. */
export function scanExample(rule: AnyRule, code: string): FileResult {
  const scan = rule.meta.exampleLanguage === 'template' ? scanTemplate : scanSource;
  return scan(examplePath(rule), code, { rules: [rule] });
}

/**
 * The 1-based line of the bad example the page puts its suppression comment on: the first line
 * the rule reports there. Undefined when the rule reports nothing on its own bad example.
 */
export function flaggedExampleLine(rule: AnyRule): number | undefined {
  return scanExample(rule, rule.meta.example.bad).findings[0]?.span.start.line;
}

/**
 * An example with a suppression comment placed as the page shows it: at the end of the line in
 * Python, on a line of its own above it in a template.
 */
export function withSuppression(
  rule: AnyRule,
  code: string,
  line: number,
  comment: string,
): string {
  const lines = code.split('\n');
  const index = line - 1;
  const target = lines[index];
  if (target === undefined) throw new Error(`the example has no line ${line}`);
  if (rule.meta.exampleLanguage === 'template') {
    const indent = /^\s*/.exec(target)?.[0] ?? '';
    lines.splice(index, 0, `${indent}${comment}`);
  } else {
    lines[index] = `${target}  ${comment}`;
  }
  return lines.join('\n');
}
