/**
 * The engine API for rules: everything a rule under `rules/` may import, from one place. Rules
 * import nothing else from `src/` (lint enforces it), so the engine can change behind this module
 * without touching rule files.
 */
export { defineRule } from './define-rule.js';
export type {
  AnyRule,
  ManifestAdvisory,
  ManifestContext,
  Rule,
  RuleContext,
  RuleMeta,
  SinkKind,
  TaintTrace,
  TemplateContext,
  Visitors,
} from './types.js';

export type { SyntaxNode } from '../engine/parse.js';
export {
  dottedCalleeAt,
  unwrapParens,
  type CallInfo,
  type Scope,
  type SemanticModel,
} from '../engine/model.js';
export { rank, type Confidence, type FlowStep, type Severity } from '../engine/types.js';
export { ownEntry } from '../engine/own-entry.js';
export { startOf } from '../engine/node-offsets.js';
export { stringParts } from '../engine/strings.js';
export { delimitedRegions, type DelimitedRegion } from '../engine/delimited.js';
export { lineStartsOf } from '../engine/templates.js';
export {
  VIEW_METHODS,
  classOf,
  decoratorsOf,
  isGetoptOptionName,
  isRequestObject,
  mayHoldSources,
  parametersOf,
} from '../engine/taint/sources.js';
export { isGuardedAt } from '../engine/taint/guards.js';
export { lowestAllowedVersion, smallestFix } from '../deps/matching.js';

// The analyses rules share (src/engine/analyze).
export {
  analyseString,
  describeBuild,
  holesOf,
  percentConversions,
  templateOf,
  type BuildKind,
  type StringBuild,
  type StringPiece,
} from '../engine/analyze/string-build.js';
export {
  codeAuditGrade,
  codeShape,
  compileCall,
  reportUntracedCode,
  type CodeAuditGrade,
  type CodeShape,
} from '../engine/analyze/code-source.js';
export {
  describeFlow,
  reportTaintedSink,
  taintedSink,
  type TaintedSink,
  type TaintedSinkReport,
} from '../engine/analyze/tainted-sink.js';
export { callVisitors, sinkCalls, type CallSource } from '../engine/analyze/calls.js';
export { tabledArgument, type TabledArgument } from '../engine/analyze/tabled-argument.js';
export { checkedBefore, holdsOnlyCheckedValues, isCheckedValue } from '../engine/analyze/guards.js';
export { isInertValue } from '../engine/analyze/inert-value.js';
export { enclosingFunction } from '../engine/analyze/enclosing-function.js';
export { shortText } from '../engine/analyze/short-text.js';
export { testAdjusted, testAdjustedSeverity } from '../engine/analyze/test-files.js';
export {
  UNTRUSTED_INPUT,
  callsWhenInputPossible,
  mayHoldUntrustedInput,
  mentions,
} from '../engine/analyze/untrusted-input.js';
