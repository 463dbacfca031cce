/**
 * What `npm pack` ships: the built CLI, App and rules (with the worker and child-process
 * scripts the engine starts by path), the rule pages and app.yml, and nothing from the tests.
 */
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../', import.meta.url));

interface PackResult {
  files: { path: string }[];
}

interface PackageJson {
  bin: Record<string, string>;
  scripts: Record<string, string>;
}

const manifest = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as PackageJson;

describe('the npm package', () => {
  let files: string[] = [];

  beforeAll(() => {
    // `npm test` has built dist/ already; prepack builds it when the package is really packed.
    if (!existsSync(`${root}dist/src/cli/main.js`)) {
      execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
    }
    const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const [result] = JSON.parse(output) as PackResult[];
    files = (result?.files ?? []).map((file) => file.path);
  });

  it('builds dist/ when packed, not on every npm ci', () => {
    expect(manifest.scripts['prepack']).toBe('npm run build');
    expect(manifest.scripts['prepare']).toBeUndefined();
  });

  it('contains the CLI entry, the App, the engine scripts started by path and the rules', () => {
    const bin = manifest.bin['pyguard']?.replace(/^\.\//, '');
    expect(bin).toBe('dist/src/cli/main.js');
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'app.yml',
        'dist/src/cli/main.js',
        'dist/src/github/main.js',
        'dist/src/index.js',
        'dist/src/index.d.ts',
        'dist/src/engine/scan-child.js',
        'dist/src/engine/scan-worker.js',
        'dist/rules/index.js',
        'dist/rules/bundle.js',
        'docs/rules/README.md',
        'docs/rules/PGI001.md',
        'binding.gyp',
        'native/flat-tree.c',
        'native/build.cjs',
      ]),
    );
    const ruleModules = readFileSync(`${root}rules/index.ts`, 'utf8').match(/from '\.\/[^']+'/g);
    expect(ruleModules?.length).toBeGreaterThan(50);
    for (const module of ruleModules ?? []) {
      const path = module.replace(/^from '\.\/(.+)\.js'$/, 'dist/rules/$1.js');
      expect(files).toContain(path);
    }
  });

  it('builds the flat-tree addon at install from the shipped C source, never failing the install', () => {
    expect(manifest.scripts['install']).toBe('node native/build.cjs');
    expect(files.filter((path) => path.startsWith('build/'))).toEqual([]);
  });

  it('leaves out tests, sources, source maps and the benchmark scripts', () => {
    expect(files.filter((path) => /^(test|src|rules|scripts)\//.test(path))).toEqual([]);
    expect(files.filter((path) => path.includes('test/') || path.endsWith('.test.js'))).toEqual([]);
    expect(files.filter((path) => path.endsWith('.map'))).toEqual([]);
    expect(files.filter((path) => path.startsWith('dist/scripts/'))).toEqual([]);
  });

  it('prints only the tarball name on standard output when packed (pre-commit reads it there)', () => {
    // The repository's .npmrc keeps lifecycle scripts' banners and output off standard output;
    // checked on a package whose prepack writes to standard output, like `npm run build` does.
    const dir = mkdtempSync(join(tmpdir(), 'pyguard-pack-'));
    try {
      copyFileSync(`${root}.npmrc`, join(dir, '.npmrc'));
      writeFileSync(
        join(dir, 'package.json'),
        JSON.stringify({
          name: 'pack-probe',
          version: '1.0.0',
          scripts: { prepack: 'echo building' },
          files: ['index.js'],
        }),
      );
      writeFileSync(join(dir, 'index.js'), '');
      const output = execFileSync('npm', ['pack', '--dry-run'], {
        cwd: dir,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      expect(output.trim()).toBe('pack-probe-1.0.0.tgz');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
