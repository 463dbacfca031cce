/**
 * `.gitignore` files, as git reads them, for the files `pyguard scan` finds in directories:
 * each directory's `.gitignore` applies to the paths below it, a deeper file's rules override
 * a shallower one's, `!pattern` re-includes, and nothing below an ignored directory is looked
 * at. Files named on the command line are scanned whatever `.gitignore` says.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';

import ignore, { type Ignore } from 'ignore';

import { isOutside } from './paths.js';

/** Whether a file or directory (absolute path) is ignored. */
export type IgnoreCheck = (absolutePath: string, isDirectory: boolean) => Promise<boolean>;

/**
 * A check against the `.gitignore` files of `root` (the repository root) and every directory
 * below it; paths outside `root` are never ignored. Each `.gitignore` is read once.
 */
export function gitignoreCheck(root: string): IgnoreCheck {
  const matchers = new Map<string, Promise<Ignore | null>>();
  const matcherOf = (directory: string): Promise<Ignore | null> => {
    let matcher = matchers.get(directory);
    if (matcher === undefined) {
      matcher = readMatcher(directory);
      matchers.set(directory, matcher);
    }
    return matcher;
  };
  return async (absolutePath, isDirectory) => {
    const fromRoot = toPosix(relative(root, absolutePath));
    if (fromRoot === '' || isOutside(fromRoot)) return false;
    let ignored = false;
    for (const directory of directoriesFrom(root, dirname(absolutePath))) {
      const matcher = await matcherOf(directory);
      if (matcher === null) continue;
      const path = toPosix(relative(directory, absolutePath)) + (isDirectory ? '/' : '');
      const result = matcher.test(path);
      if (result.ignored) ignored = true;
      else if (result.unignored) ignored = false;
    }
    return ignored;
  };
}

/** `root` and each directory down to `directory` (which lies inside it), shallowest first. */
function directoriesFrom(root: string, directory: string): string[] {
  const steps = relative(root, directory);
  const directories = [root];
  if (steps === '') return directories;
  let current = root;
  for (const part of steps.split(sep)) {
    current = join(current, part);
    directories.push(current);
  }
  return directories;
}

async function readMatcher(directory: string): Promise<Ignore | null> {
  let text: string;
  try {
    text = await readFile(join(directory, '.gitignore'), 'utf8');
  } catch {
    return null;
  }
  return ignore().add(text);
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}
