/**
 * Real Python on this machine for the benchmark and the sameness check: the python3 standard
 * library and the gyp sources npm bundles.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Directories of test code, left out of the benchmark corpus (as in the published figures). */
export const TEST_DIRECTORIES = ['test', 'tests', 'idle_test'];
const ALWAYS_SKIPPED = ['site-packages', '__pycache__', 'node_modules'];

/** The `.py` files under `root`, sorted, leaving out directories named in `skipped`. */
export function pythonFiles(root: string, skipped: readonly string[] = TEST_DIRECTORIES): string[] {
  const skip = new Set([...ALWAYS_SKIPPED, ...skipped]);
  const found: string[] = [];
  const walk = (directory: string): void => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) {
        if (!skip.has(entry.name)) walk(path);
      } else if (entry.isFile() && entry.name.endsWith('.py')) {
        found.push(path);
      }
    }
  };
  walk(root);
  return found.sort();
}

/** npm's bundled copy of gyp (Python), when it can be found. */
export function gypRoot(): string | undefined {
  const candidates: string[] = [];
  try {
    const globalRoot = execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim();
    candidates.push(join(globalRoot, 'npm/node_modules/node-gyp/gyp'));
  } catch {
    // npm not on PATH: fall through to the path next to node.
  }
  candidates.push(
    join(dirname(process.execPath), '../lib/node_modules/npm/node_modules/node-gyp/gyp'),
  );
  return candidates.find((candidate) => existsSync(candidate));
}

/** The python3 standard library's directory, when python3 is installed. */
export function stdlibRoot(): string | undefined {
  const result = spawnSync(
    'python3',
    ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"],
    { encoding: 'utf8' },
  );
  const root = result.status === 0 ? result.stdout.trim() : '';
  return root !== '' && existsSync(root) ? root : undefined;
}
