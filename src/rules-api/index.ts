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
  ReportEdit,
  ReportFix,
  Rule,
  RuleContext,
  RuleMeta,
  RuleSelect,
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
export { moduleReference, type ModuleReference } from '../engine/fix-imports.js';
export { addKeywordArguments } from './fix-arguments.js';
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

export { lastName, receiverOf } from '../engine/analyze/receiver.js';
export { importsModule } from '../engine/analyze/imports-module.js';
export { lastSegment } from '../engine/analyze/dotted-name.js';
export { literalString, targetName } from '../engine/analyze/target-name.js';
export { functionScopeOf } from '../engine/analyze/function-scope.js';
export { inNamedScope } from '../engine/analyze/named-scope.js';
export { returnedValues } from '../engine/analyze/returned-values.js';
export { assignedPairs } from '../engine/analyze/assignment-pairs.js';
export {
  enclosingFunctionName,
  storedNames,
  valueDestination,
  type ValueDestination,
} from '../engine/analyze/value-destination.js';
export {
  displayUrl,
  hasUserInfo,
  isLocalHost,
  isPrivateAddress,
  urlOf,
  type UrlParts,
} from '../engine/analyze/url-parts.js';
export { isSqlPlaceholders, sqlTextShape, type SqlTextShape } from '../engine/analyze/sql-text.js';
export { commandShape, isShellQuoted, type CommandShape } from '../engine/analyze/shell-command.js';
export {
  DEFAULT_HTML_SAFETY,
  htmlSafety,
  htmlShape,
  HTML_SANITISERS,
  isHtmlSafe,
  MARKUP_CLASSES,
  type HtmlSafety,
  type HtmlShape,
} from '../engine/analyze/html-safe.js';
export { unescapedHtml, type UnescapedHtml } from '../engine/analyze/unescaped-html.js';
export {
  templateFileOutput,
  templateOutput,
  type TemplateOutput,
} from '../engine/analyze/template-output.js';
export {
  filterChain,
  htmlStartTags,
  isConstantText,
  maskTemplate,
  templateLocator,
  templateTags,
  type HtmlAttribute,
  type HtmlStartTag,
  type TemplateFilter,
  type TemplateLocation,
  type TemplateTag,
} from '../engine/analyze/template-syntax.js';
export { constantBytes, type ConstantBytesKind } from '../engine/analyze/constant-bytes.js';
export { builtWithFixedHost } from '../engine/analyze/fixed-host.js';
export { isNetworkRead } from '../engine/analyze/network-read.js';
export { LEVEL_METHODS, loggerCall, type LoggerCall } from '../engine/analyze/logger-call.js';
export {
  HTTP_REQUEST_CALLS,
  httpRequestTarget,
  requestCredential,
  type HttpRequestTarget,
} from '../engine/analyze/http-client-call.js';
export {
  baseNames,
  classBody,
  decoratorNames,
  drfViewClass,
  FASTAPI_MODULES,
  FLASK_MODULES,
  frameworksUsed,
  ownsRoutes,
  permissionKind,
  routeDecorator,
  throughManager,
  type ClassBody,
  type DrfViewClass,
  type FrameworkUse,
  type NamedDecorator,
  type PermissionKind,
  type RouteDecorator,
  type RouteShape,
} from '../engine/analyze/framework-views.js';
export {
  argvOf,
  argvOfArguments,
  argvRisks,
  argvVerdict,
  inlineCode,
  isTrustedArgument,
  positionalWithSplats,
  programName,
  reportArgvVerdict,
  type Argv,
  type ArgvItem,
  type ArgvMessageId,
  type ArgvRisk,
  type ArgvVerdict,
} from '../engine/analyze/argv.js';
export { nameWords } from '../engine/analyze/name-words.js';
export {
  characterClasses,
  judgeSecretShape,
  labelShape,
  secretConfidence,
  type LabelShape,
  type NotASecretShape,
  type SecretShapeVerdict,
  type SecretStrength,
} from '../engine/analyze/secret-values.js';
