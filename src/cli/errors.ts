/**
 * Errors that end a CLI run with exit code 2 and a message meant for people, not a stack.
 */

/** A problem the user can fix: bad usage, a bad config, a missing file, git trouble. */
export class CliError extends Error {
  override readonly name = 'CliError';
  /** The lines to print on stderr, each without the `pyguard: ` prefix. */
  readonly lines: readonly string[];
  /** A usage error: the message ends with a pointer to `pyguard --help`. */
  readonly usage: boolean;

  constructor(
    lines: string | readonly string[],
    options: { usage?: boolean; cause?: unknown } = {},
  ) {
    const all = typeof lines === 'string' ? [lines] : lines;
    super(all.join('; '), options.cause === undefined ? undefined : { cause: options.cause });
    this.lines = all;
    this.usage = options.usage ?? false;
  }
}

/** A usage error: bad flag, bad value, unknown command. */
export function usageError(message: string): CliError {
  return new CliError(message, { usage: true });
}

/** The message of anything thrown, on one line. */
export function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** The `code` of a Node.js system error (`ENOENT`, `EACCES`, …), if any. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/** A short reason for a failed file-system call, such as `permission denied`. */
export function describeFsError(error: unknown): string {
  switch (errorCode(error)) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'not a directory';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    default:
      return errorMessage(error);
  }
}
