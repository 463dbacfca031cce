/**
 * Paths as reports show them: relative to the current directory, with `/` separators.
 */
import { isAbsolute, relative, sep } from 'node:path';

/** `absolutePath` relative to `cwd` with posix separators (`.` for `cwd` itself). */
export function displayPath(cwd: string, absolutePath: string): string {
  const relativePath = relative(cwd, absolutePath);
  if (relativePath === '') return '.';
  return sep === '/' ? relativePath : relativePath.split(sep).join('/');
}

/** True when a display path leaves the current directory (`../x`) or is absolute. */
export function isOutside(path: string): boolean {
  return path === '..' || path.startsWith('../') || isAbsolute(path);
}
