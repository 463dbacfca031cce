/**
 * PyGuard's library API: the engine, with no GitHub code.
 */
export {
  createScanner,
  isPythonPath,
  isScannablePath,
  isTemplatePath,
  type Scanner,
  type ScanFileInput,
} from './engine/scanner.js';
export { scanSource, isTestPath, type ScanOptions } from './engine/scan.js';
export { scanTemplate } from './engine/templates.js';
export {
  addedLinesFromPatch,
  parseUnifiedDiff,
  changedLinesBetween,
  type FileDiff,
} from './engine/diff.js';
export type * from './engine/types.js';
export { defineRule } from './rules-api/define-rule.js';
export { RuleRegistry, selectRules } from './rules-api/registry.js';
export { defaultRuleOptions, resolveOptions } from './rules-api/options.js';
export type {
  AnyRule,
  Rule,
  RuleMeta,
  RuleContext,
  TemplateContext,
  Category,
  RuleOptionKind,
  RuleOptionSchema,
  RuleOptionSpec,
  RuleOptionValue,
  RuleOptionValues,
} from './rules-api/types.js';
export { allRules } from '../rules/index.js';
export * from './config/index.js';
