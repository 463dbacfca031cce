/**
 * How the process rules word the argv risks the engine finds (`argvRisks`, `argvVerdict` in
 * `src/engine/analyze/argv.ts`): one message per risk, with and without a path from outside input.
 */
import type { ArgvMessageId } from '../../src/rules-api/index.js';

/**
 * Message templates for argv risks, keyed by the message ids the engine's `argvVerdict` reports
 * them under (`ArgvMessageId`); `{{callee}}` is the function that starts the process.
 */
export const ARGV_MESSAGES = {
  taintedCode:
    '`{{callee}}` hands `{{interpreter}}` inline code built from {{origin}}: {{path}}. Whoever sends it runs any code `{{interpreter}}` can; start the program directly with constant arguments.',
  taintedProgram:
    '`{{callee}}` starts a program chosen by {{origin}}: {{path}}. Whoever sends it runs any program; pick the program from a fixed set of constant paths.',
  taintedScript:
    '`{{callee}}` has `{{interpreter}}` run a script or module named by {{origin}}: {{path}}. Whoever sends it runs any code; pick the script from a fixed set.',
  taintedArgument:
    '`{{callee}}` passes {{origin}} as an argument: {{path}}. No shell is involved, but a value starting with `-` is read as an option; put `--` before it or check it against an allowlist.',
  inlineCode:
    '`{{callee}}` hands `{{interpreter}}` inline code {{detail}}; that is a shell command line by another name. Start the program directly with constant arguments.',
  dynamicProgram:
    '`{{callee}}` starts the program `{{value}}`, which is chosen at run time; make sure it cannot come from outside (use a constant path or an allowlist).',
  dynamicScript:
    '`{{callee}}` has `{{interpreter}}` run `{{value}}`, which is chosen at run time; a script or module named from outside runs arbitrary code. Pick it from a fixed set.',
  dynamicArgument:
    '`{{callee}}` passes `{{value}}` as an argument. No shell is involved, but a value starting with `-` is read as an option; put `--` before it or validate it.',
  constantArgv:
    '`{{callee}}` starts a program without a shell, and nothing in its argument list looks risky (constants, checked values, values after `--`); check that the program is the one intended (an absolute path) and that no argument comes from outside unchecked.',
  opaqueArgv:
    '`{{callee}}` takes its argument list, or part of it, from `{{value}}`, which PyGuard cannot see into; make sure the program is a constant and outside values come after `--`.',
} as const satisfies Record<ArgvMessageId, string>;
