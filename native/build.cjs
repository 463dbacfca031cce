#!/usr/bin/env node
/*
 * Builds PyGuard's flat-tree addon (native/flat-tree.c with the C sources of the installed
 * tree-sitter and tree-sitter-python) into build/Release/pyguard_flat_tree.node with node-gyp.
 * Run by `npm install`/`npm ci`. A failed build never fails the install: it prints one warning
 * and PyGuard parses through the tree-sitter binding instead.
 *
 * PYGUARD_NATIVE_ASAN=1 builds with AddressSanitizer (run Node with LD_PRELOAD of libasan).
 * PYGUARD_NATIVE_SKIP=1 skips the build.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    path.join(
      path.dirname(process.execPath),
      '..',
      'lib',
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    ),
  ];
  try {
    candidates.push(require.resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // Not installed as a package: npm's bundled copy is used.
  }
  return candidates.find((candidate) => candidate && existsSync(candidate));
}

/** Node's own headers when they sit beside the executable: no download needed. */
function localNodeDir() {
  if (process.env.npm_config_nodedir) return undefined;
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  return existsSync(path.join(prefix, 'include', 'node', 'node_api.h')) ? prefix : undefined;
}

/** An installed package's directory, as Node resolves it from here (hoisted or not). */
function packageDirectory(name) {
  try {
    return path.dirname(require.resolve(`${name}/package.json`, { paths: [root] }));
  } catch {
    return undefined;
  }
}

function warn(reason) {
  process.stderr.write(
    `pyguard: the native flat-tree parser was not built (${reason}); ` +
      'PyGuard will parse through the tree-sitter binding, which is slower.\n',
  );
}

function main() {
  if (process.env.PYGUARD_NATIVE_SKIP === '1') return;
  const runtime = packageDirectory('tree-sitter');
  const grammar = packageDirectory('tree-sitter-python');
  const sources = [
    runtime && path.join(runtime, 'vendor', 'tree-sitter', 'lib', 'src', 'lib.c'),
    grammar && path.join(grammar, 'src', 'parser.c'),
    grammar && path.join(grammar, 'src', 'scanner.c'),
  ];
  if (sources.some((file) => !file || !existsSync(file))) {
    return warn('the C sources of tree-sitter and tree-sitter-python were not found');
  }
  const gyp = nodeGyp();
  if (gyp === undefined) return warn('node-gyp was not found');
  const args = [
    gyp,
    'rebuild',
    `--tree-sitter=${path.relative(root, runtime).split(path.sep).join('/')}`,
    `--tree-sitter-python=${path.relative(root, grammar).split(path.sep).join('/')}`,
  ];
  const nodeDir = localNodeDir();
  if (nodeDir !== undefined) args.push(`--nodedir=${nodeDir}`);
  if (process.env.PYGUARD_NATIVE_ASAN === '1') {
    args.push('--sanitize=-fsanitize=address -fno-omit-frame-pointer -g');
  }
  const quiet = process.env.PYGUARD_NATIVE_VERBOSE === '1' ? 'inherit' : 'pipe';
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: quiet, encoding: 'utf8' });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n');
    const reason = result.error?.message ?? output.filter((l) => /error/i.test(l)).slice(-1)[0];
    return warn(reason ?? `node-gyp exited with ${String(result.status)}`);
  }
}

main();
