/**
 * Source text that reads as input from outside the program: web request data (`request.args`,
 * `request.GET`, `self.request.body`), `input()`, `sys.argv` and socket reads. A cheap stand-in for
 * taint tracking, for use with `mentions()`; it raises severity, it never decides on its own
 * whether something is reported.
 */
export const UNTRUSTED_INPUT = /\brequest\b|\binput\s*\(|\bsys\.argv\b|\.recv(?:from)?\s*\(/;
