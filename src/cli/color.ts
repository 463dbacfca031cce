/**
 * Whether the text report is coloured: `--no-color` turns it off; otherwise a set
 * FORCE_COLOR turns it on, and else it is on for a terminal unless NO_COLOR is set.
 */

export interface ColorContext {
  noColorFlag: boolean;
  /** The report goes to a file (`--output`), not to stdout. */
  toFile: boolean;
  stdoutIsTTY: boolean;
  env: Readonly<Record<string, string | undefined>>;
}

export function shouldUseColor(context: ColorContext): boolean {
  if (context.noColorFlag) return false;
  const force = context.env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  const noColor = context.env['NO_COLOR'];
  if (noColor !== undefined && noColor !== '') return false;
  if (context.env['TERM'] === 'dumb') return false;
  return context.stdoutIsTTY && !context.toFile;
}
