/**
 * `node dist/scripts/fuzz-parser.js --count 20000 --seconds 900`: feeds generated inputs through
 * the engine's parse path (decoding, the parse refusal, tree-sitter, the model and every rule)
 * in child processes, so that input that aborts native code kills one child, not the fuzzer.
 * The input a child died on is written to the output folder and the run goes on with a new
 * child. Inputs come from mutated rule fixtures, deep bracket nesting, deep indentation (spaces,
 * tabs, form feeds, mixed, with nested f-strings), invalid UTF-8, NUL bytes, huge lines, long
 * string and comment runs, and many dedents.
 *
 * `--flat` fuzzes the native flat tree alone: each input is decoded, parsed and flattened by the
 * addon (`native/flat-tree.c`) through the engine's parse path, and the arrays it returns are
 * checked (every offset inside the text, every link inside the tree, children inside their
 * parent, document order). With `--unguarded` the addon is called without the engine's
 * indentation refusal, so its own backstop is what keeps the scanner's assertion away. Build the
 * addon with `PYGUARD_NATIVE_ASAN=1 node native/build.cjs` and run with
 * `LD_PRELOAD=$(gcc -print-file-name=libasan.so) ASAN_OPTIONS=detect_leaks=0` to run it under
 * AddressSanitizer (a memory error kills the child, which is reported with its input).
 *
 * Options: `--count N` inputs (default 20,000; 100,000 with `--flat`), `--seconds S`
 * wall-clock bound (default 900), `--workers W` children (default 2), `--seed N` (default 1),
 * `--out DIR` for crashers (default a temporary folder), `--unguarded` to call the parser
 * directly, without the engine's refusal (to show what the refusal protects against).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface FuzzInput {
  id: number;
  generator: string;
  bytes: Uint8Array;
}

interface ChildReply {
  id: number;
  kinds: string[];
  ms: number;
}

interface Options {
  count: number;
  seconds: number;
  workers: number;
  seed: number;
  out: string | undefined;
  unguarded: boolean;
  flat: boolean;
}

/** Longest time one input may take in a child before the child is counted as stalled. */
const STALL_MS = 60_000;

function parseOptions(argv: readonly string[]): Options {
  const value = (name: string): string | undefined => {
    const index = argv.indexOf(name);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const number = (name: string, fallback: number): number => {
    const raw = value(name);
    const parsed = raw === undefined ? NaN : Number(raw);
    return Number.isFinite(parsed) && parsed > 0 ? parsed : fallback;
  };
  const flat = argv.includes('--flat');
  return {
    flat,
    count: number('--count', flat ? 100_000 : 20_000),
    seconds: number('--seconds', 900),
    workers: number('--workers', 2),
    seed: number('--seed', 1),
    out: value('--out'),
    unguarded: argv.includes('--unguarded'),
  };
}

/** Mulberry32: a small seeded generator, so a run can be repeated exactly. */
function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;

const integer = (random: Random, below: number): number => Math.floor(random() * below);
const pick = <T>(random: Random, items: readonly T[]): T => {
  const item = items[integer(random, items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
};
/**
 * Scale of the largest generated inputs: 1 for whole scans; smaller for `--flat`, whose
 * hundred thousand inputs must run in minutes (deep and huge inputs still reach tens of
 * thousands of levels and hundreds of kilobytes).
 */
let sizeFactor = 1;

/** Sizes spread over orders of magnitude: mostly small, sometimes large. */
const scaled = (random: Random, max: number): number =>
  Math.floor(Math.exp(random() * Math.log(Math.max(2, max * sizeFactor))));
/** {@link scaled} at full size whatever the run: indentation depths must reach the crash zone. */
const unscaled = (random: Random, max: number): number =>
  Math.floor(Math.exp(random() * Math.log(max)));

const encoder = new TextEncoder();

const TOKENS = [
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '"""',
  "'''",
  '"',
  "'",
  'f"{',
  "f'{x!r:{y}}'",
  '\\\n',
  '\t',
  '\f',
  '#',
  ':',
  '\n    ',
  '\n',
  'lambda',
  'lambda: lambda:',
  '\0',
  '\r',
  'if x:\n',
  'else:',
  'except* E:',
  'match x:\n case 1:',
  '@',
  'await',
  'yield from',
  ' \\',
  '\u2028',
  '\uFEFF',
  '😀',
  '# pyguard: ignore[',
  '# nosec',
];

function fixtureTexts(): string[] {
  const here = dirname(fileURLToPath(import.meta.url));
  const root = join(here, '..', '..');
  const found: string[] = [];
  const walk = (directory: string): void => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.py')) found.push(readFileSync(path, 'utf8'));
    }
  };
  for (const folder of ['rules', 'test/fixtures']) {
    try {
      walk(join(root, folder));
    } catch {
      // A folder missing from this checkout gives no fixtures.
    }
  }
  return found.length > 0 ? found : ['import os\nos.system(x)\n'];
}

function mutate(random: Random, text: string): string {
  let result = text;
  const steps = 1 + integer(random, 8);
  for (let step = 0; step < steps; step++) {
    const at = integer(random, result.length + 1);
    const span = integer(random, Math.min(200, result.length - at) + 1);
    switch (integer(random, 6)) {
      case 0:
        result = result.slice(0, at) + result.slice(at + span);
        break;
      case 1:
        result =
          result.slice(0, at) +
          result.slice(at, at + span).repeat(2 + integer(random, 50)) +
          result.slice(at);
        break;
      case 2:
        result =
          result.slice(0, at) +
          pick(random, TOKENS).repeat(1 + scaled(random, 300)) +
          result.slice(at);
        break;
      case 3: {
        const indent = pick(random, [' ', '\t', '    ', ' \t', '\f ']).repeat(
          1 + unscaled(random, 600),
        );
        const block = result.slice(at, at + span).replace(/\n/g, `\n${indent}`);
        result = result.slice(0, at) + block + result.slice(at + span);
        break;
      }
      case 4:
        result =
          result.slice(0, at) + String.fromCharCode(integer(random, 0x3000)) + result.slice(at);
        break;
      default: {
        const other = integer(random, result.length + 1);
        result = result.slice(0, other) + result.slice(at, at + span) + result.slice(other);
      }
    }
  }
  return result;
}

function nestedFString(random: Random, depth: number): string {
  let value = 'x';
  for (let level = 0; level < depth; level++) {
    const quote = random() < 0.5 ? '"' : "'";
    value = `f${quote}{${value}}${quote}`;
  }
  return value;
}

function deepIndentation(random: Random): string {
  const depth = 1 + unscaled(random, 1500);
  const unit = pick(random, [' ', '  ', '    ', '\t', ' \t', '\t ', 'mixed']);
  const header = pick(random, [
    'if x:',
    'for a in b:',
    'def f():',
    'class C:',
    'with a:',
    'x = (',
    'try:',
  ]);
  const lines: string[] = [];
  let width = '';
  for (let level = 0; level < depth; level++) {
    lines.push(`${width}${header}`);
    if (random() < 0.05) lines.push(`${width}# comment`);
    if (random() < 0.02) lines.push('\f');
    width += unit === 'mixed' ? pick(random, [' ', '\t', '  ']) : unit;
  }
  const strings = random() < 0.5 ? 1 + unscaled(random, 300) : 1;
  lines.push(`${width}y = ${nestedFString(random, strings)}`);
  if (random() < 0.5) lines.push('z = 1');
  return `${lines.join('\n')}\n`;
}

function deepBrackets(random: Random): string {
  const depth = 1 + scaled(random, 100_000);
  const pairs = [
    ['(', ')'],
    ['[', ']'],
    ['{', '}'],
  ] as const;
  let open = '';
  let close = '';
  for (let level = 0; level < depth; level++) {
    const [left, right] = pick(random, pairs);
    open += left;
    close = right + close;
  }
  return `x = ${open}1${random() < 0.8 ? close : ''}\n`;
}

function manyDedents(random: Random): string {
  const rounds = 1 + scaled(random, 2000);
  const height = 1 + scaled(random, 90);
  let text = '';
  for (let round = 0; round < rounds; round++) {
    for (let level = 0; level < height; level++) text += `${' '.repeat(level)}if x:\n`;
    text += `${' '.repeat(height)}pass\n`;
  }
  return text;
}

function hugeLine(random: Random): string {
  const length = 1 + scaled(random, 4_000_000);
  const piece = pick(random, ['a', 'a+', 'x.', '(', '"', '#', ' ', 'é', '\\', '1,']);
  return `x = ${piece.repeat(Math.ceil(length / piece.length))}\n`;
}

function longRun(random: Random): string {
  const count = 1 + scaled(random, 100_000);
  return pick(random, [
    () => `x = """${'a\n'.repeat(count)}"""\n`,
    () => `${'# {comment}\n'.repeat(count)}x = 1\n`,
    () => `${'#'.repeat(count)}\n`,
    () => `x = "${'\\"'.repeat(count)}"\n`,
    () => `x = f"${'{a}'.repeat(count)}"\n`,
    () => `${'\n'.repeat(count)}x = 1\n`,
    () => `x = 1 ${'+ 1 '.repeat(count)}\n`,
    () => `x = a${'.b'.repeat(count)}\n`,
  ])();
}

function withBadBytes(random: Random, text: string, nul: boolean): Uint8Array {
  const bytes = Array.from(encoder.encode(text));
  const count = 1 + scaled(random, 200);
  for (let index = 0; index < count; index++) {
    const at = integer(random, bytes.length + 1);
    const inserted = nul
      ? [0]
      : pick(random, [[0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf8, 0x88]]);
    bytes.splice(at, 0, ...inserted);
  }
  return Uint8Array.from(bytes);
}

/** The generated input number `id` (deterministic for a seed). */
function generate(id: number, seed: number, fixtures: readonly string[]): FuzzInput {
  const random = randomSource(seed * 1_000_003 + id);
  const fixture = (): string => pick(random, fixtures);
  const generators: [string, () => Uint8Array | string][] = [
    ['mutated fixture', () => mutate(random, fixture())],
    ['mutated fixture', () => mutate(random, fixture())],
    ['mutated fixture', () => mutate(random, fixture())],
    ['deep indentation', () => deepIndentation(random)],
    ['deep indentation', () => deepIndentation(random)],
    [
      'deep indentation in a fixture',
      () => mutate(random, `${fixture()}\n${deepIndentation(random)}`),
    ],
    ['deep brackets', () => deepBrackets(random)],
    ['invalid UTF-8', () => withBadBytes(random, fixture(), false)],
    ['NUL bytes', () => withBadBytes(random, fixture(), true)],
    ['huge line', () => hugeLine(random)],
    ['long run', () => longRun(random)],
    ['many dedents', () => manyDedents(random)],
    ['nested f-strings', () => `x = ${nestedFString(random, 1 + scaled(random, 5000))}\n`],
  ];
  const [generator, make] = pick(random, generators);
  const made = make();
  return { id, generator, bytes: typeof made === 'string' ? encoder.encode(made) : made };
}

/**
 * What is wrong with a flat tree of `length` characters, or undefined: the invariants every
 * array the addon returns must satisfy, whatever the input.
 */
function flatTreeProblem(nodes: Int32Array, length: number): string | undefined {
  const STRIDE = 12;
  const count = nodes.length / STRIDE;
  if (!Number.isInteger(count) || count < 1) return `bad array length ${String(nodes.length)}`;
  const at = (node: number, slot: number): number => nodes[node * STRIDE + slot] ?? NaN;
  for (let node = 0; node < count; node++) {
    const start = at(node, 3);
    const end = at(node, 4);
    if (!(start >= 0 && start <= end && end <= length)) return `node ${String(node)} range`;
    if (at(node, 5) > at(node, 7)) return `node ${String(node)} rows`;
    const parent = at(node, 9);
    if (node === 0 ? parent !== -1 : !(parent >= 0 && parent < node)) {
      return `node ${String(node)} parent ${String(parent)}`;
    }
    if (node > 0 && (start < at(parent, 3) || end > at(parent, 4))) {
      return `node ${String(node)} outside its parent`;
    }
    const child = at(node, 10);
    if (child !== -1 && (child !== node + 1 || at(child, 9) !== node)) {
      return `node ${String(node)} first child ${String(child)}`;
    }
    const sibling = at(node, 11);
    if (sibling !== -1 && !(sibling > node && sibling < count && at(sibling, 9) === parent)) {
      return `node ${String(node)} next sibling ${String(sibling)}`;
    }
    if (sibling !== -1 && at(sibling, 3) < end) return `node ${String(node)} overlaps its sibling`;
  }
  return undefined;
}

async function flatChildMain(unguarded: boolean): Promise<void> {
  const { maskCommentLines, parseSource, setParserBackend } =
    await import('../src/engine/parse.js');
  const { parseFlat, FlatTree } = await import('../src/engine/flat-tree.js');
  const { decodeSource } = await import('../src/engine/source.js');
  setParserBackend('flat');
  process.on('message', (message: { id: number; bytes: Uint8Array }) => {
    const start = performance.now();
    const text = decodeSource(message.bytes).text;
    const outcome = unguarded
      ? parseFlat(maskCommentLines(text), 10_000)
      : parseSource(text, 10_000);
    const kinds: string[] = [outcome.kind];
    if (outcome.kind === 'parsed') {
      const tree = outcome.tree;
      const problem =
        tree instanceof FlatTree ? flatTreeProblem(tree.nodes, text.length) : 'not a flat tree';
      if (problem !== undefined) kinds.push(`invalid tree: ${problem}`);
    }
    const reply: ChildReply = { id: message.id, kinds, ms: performance.now() - start };
    process.send?.(reply);
  });
  process.send?.({ ready: true });
}

async function childMain(unguarded: boolean): Promise<void> {
  const { scanSource } = await import('../src/engine/scan.js');
  const { allRules } = await import('../rules/index.js');
  const { decodeSource } = await import('../src/engine/source.js');
  const Parser = (await import('tree-sitter')).default;
  const Python = (await import('tree-sitter-python')).default;
  const raw = new Parser();
  raw.setLanguage(Python);
  process.on('message', (message: { id: number; bytes: Uint8Array }) => {
    const start = performance.now();
    let kinds: string[];
    if (unguarded) {
      raw.parse(decodeSource(message.bytes).text);
      kinds = [];
    } else {
      const result = scanSource('fuzz.py', message.bytes, {
        rules: allRules,
        parseTimeoutMs: 10_000,
        rulesTimeoutMs: 10_000,
      });
      kinds = result.notices.map((notice) => notice.kind);
    }
    const reply: ChildReply = { id: message.id, kinds, ms: performance.now() - start };
    process.send?.(reply);
  });
  process.send?.({ ready: true });
}

interface Tally {
  inputs: number;
  byGenerator: Map<string, number>;
  byNotice: Map<string, number>;
  deaths: { id: number; generator: string; how: string; file: string }[];
  slowest: { id: number; generator: string; ms: number };
}

async function parentMain(options: Options): Promise<void> {
  if (options.flat) sizeFactor = 0.1;
  const fixtures = fixtureTexts();
  const out = options.out ?? mkdtempSync(join(tmpdir(), 'pyguard-fuzz-'));
  mkdirSync(out, { recursive: true });
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  const tally: Tally = {
    inputs: 0,
    byGenerator: new Map(),
    byNotice: new Map(),
    deaths: [],
    slowest: { id: -1, generator: '', ms: 0 },
  };
  let next = 0;
  const script = fileURLToPath(import.meta.url);
  const childArgs = [
    '--child',
    ...(options.unguarded ? ['--unguarded'] : []),
    ...(options.flat ? ['--flat'] : []),
  ];

  const runWorker = (): Promise<void> =>
    new Promise((resolve) => {
      let child: ChildProcess | undefined;
      let current: FuzzInput | undefined;
      let timer: NodeJS.Timeout | undefined;
      const feed = (): void => {
        if (child === undefined) return;
        if (next >= options.count || performance.now() > deadline) {
          child.removeAllListeners('exit');
          child.kill();
          resolve();
          return;
        }
        current = generate(next++, options.seed, fixtures);
        timer = setTimeout(() => child?.kill('SIGKILL'), STALL_MS);
        child.send({ id: current.id, bytes: current.bytes });
      };
      const start = (): void => {
        const spawned = fork(script, childArgs, {
          serialization: 'advanced',
          stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        });
        child = spawned;
        spawned.stderr?.resume();
        spawned.on('message', (message: ChildReply | { ready: true }) => {
          if ('ready' in message) {
            feed();
            return;
          }
          clearTimeout(timer);
          if (current !== undefined) record(tally, current, message);
          current = undefined;
          feed();
        });
        spawned.on('exit', (code, signal) => {
          clearTimeout(timer);
          if (current !== undefined) {
            const file = join(out, `input-${String(current.id)}.py`);
            writeFileSync(file, current.bytes);
            const how =
              signal === 'SIGKILL'
                ? `stalled over ${String(STALL_MS / 1000)} s`
                : `died (${signal ?? `exit ${String(code)}`})`;
            tally.deaths.push({ id: current.id, generator: current.generator, how, file });
            tally.inputs++;
            count(tally.byGenerator, current.generator);
            current = undefined;
          }
          start();
        });
      };
      start();
    });

  await Promise.all(Array.from({ length: options.workers }, runWorker));
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${String(tally.inputs)} inputs in ${seconds.toFixed(0)} s, ${String(options.workers)} children, seed ${String(options.seed)}${options.flat ? ', flat tree (parse and flatten only)' : ''}${options.unguarded ? ', unguarded (parser called without the engine refusal)' : ''}`,
  );
  console.log(`native addon under AddressSanitizer: ${asanLoaded() ? 'yes' : 'no'}`);
  console.log('inputs by generator:');
  for (const [name, total] of [...tally.byGenerator].sort((a, b) => b[1] - a[1])) {
    console.log(`  ${String(total).padStart(7)}  ${name}`);
  }
  console.log(options.flat ? 'outcomes:' : 'notices by kind:');
  for (const [name, total] of [...tally.byNotice].sort((a, b) => b[1] - a[1])) {
    console.log(`  ${String(total).padStart(7)}  ${name}`);
  }
  console.log(
    `slowest input: #${String(tally.slowest.id)} (${tally.slowest.generator}) ${tally.slowest.ms.toFixed(0)} ms`,
  );
  console.log(`children that died or stalled: ${String(tally.deaths.length)}`);
  for (const death of tally.deaths) {
    console.log(`  #${String(death.id)} ${death.generator}: ${death.how} -> ${death.file}`);
  }
  const invalid = [...tally.byNotice.keys()].filter((kind) => kind.startsWith('invalid tree'));
  process.exitCode = tally.deaths.length > 0 || invalid.length > 0 ? 1 : 0;
}

/** Whether AddressSanitizer's runtime is preloaded into this process tree. */
function asanLoaded(): boolean {
  return (process.env['LD_PRELOAD'] ?? '').includes('asan');
}

function count(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function record(tally: Tally, input: FuzzInput, reply: ChildReply): void {
  tally.inputs++;
  count(tally.byGenerator, input.generator);
  for (const kind of new Set(reply.kinds)) count(tally.byNotice, kind);
  if (reply.ms > tally.slowest.ms)
    tally.slowest = { id: input.id, generator: input.generator, ms: reply.ms };
}

const argv = process.argv.slice(2);
if (argv.includes('--child') && argv.includes('--flat')) {
  await flatChildMain(argv.includes('--unguarded'));
} else if (argv.includes('--child')) await childMain(argv.includes('--unguarded'));
else await parentMain(parseOptions(argv));
