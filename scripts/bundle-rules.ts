/**
 * Writes `dist/rules/bundle.js`: the built-in rule set as one ES module, so a process that
 * scans loads one file instead of one per rule (start-up of the command-line tool and of every
 * worker thread is dominated by loading modules). The rules API stays an import of
 * `dist/src/rules-api/index.js`, so the bundle shares the engine's modules with everything else.
 *
 * Run after `tsc` by `npm run build`. Without esbuild (a production install) it removes any old
 * bundle and says so: the command-line tool then loads `dist/rules/index.js` and its modules.
 */
import { existsSync, rmSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RULES = resolve(DIST, 'rules');
const ENTRY = resolve(RULES, 'index.js');
const BUNDLE = resolve(RULES, 'bundle.js');
const ENGINE = resolve(DIST, 'src') + sep;

type Esbuild = typeof import('esbuild');

async function loadEsbuild(): Promise<Esbuild | undefined> {
  try {
    return await import('esbuild');
  } catch {
    return undefined;
  }
}

/** An import into `dist/src`, written relative to the bundle so it stays a shared module. */
function engineImport(resolveDir: string, specifier: string): string | undefined {
  const target = resolve(resolveDir, specifier);
  if (!target.startsWith(ENGINE)) return undefined;
  return `./${relative(RULES, target).split(sep).join('/')}`;
}

async function main(): Promise<number> {
  rmSync(BUNDLE, { force: true });
  rmSync(`${BUNDLE}.map`, { force: true });
  if (!existsSync(ENTRY)) {
    console.error(`bundle-rules: ${ENTRY} is missing; run tsc first`);
    return 1;
  }
  const esbuild = await loadEsbuild();
  if (esbuild === undefined) {
    console.warn(
      'bundle-rules: esbuild is not installed; the rules load as separate modules (slower start-up)',
    );
    return 0;
  }
  await esbuild.build({
    entryPoints: [ENTRY],
    outfile: BUNDLE,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [
      {
        name: 'engine-modules-stay-shared',
        setup(build) {
          build.onResolve({ filter: /^\.\.?\// }, (args) => {
            const path = engineImport(args.resolveDir, args.path);
            return path === undefined ? undefined : { path, external: true };
          });
        },
      },
    ],
  });
  return 0;
}

process.exitCode = await main();
