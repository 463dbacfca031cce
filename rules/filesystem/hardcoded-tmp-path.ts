import {
  callVisitors,
  defineRule,
  shortText,
  testAdjusted,
  type CallInfo,
  type Severity,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

/** Shared, world-writable directories: the default of the `tmp_dirs` option. */
const SHARED_DIRECTORIES: readonly string[] = ['/tmp', '/var/tmp', '/dev/shm'];

/** Recognises paths in the configured directories. */
interface SharedDirectories {
  /** Directories without a trailing slash. */
  directories: readonly string[];
  /** Whether a path is one of the directories or lies under one. */
  contains(path: string): boolean;
}

/** The matcher for each `tmp_dirs` list (the same array for every file of a scan). */
const matchers = new WeakMap<readonly string[], SharedDirectories>();

function sharedDirectories(configured: readonly string[]): SharedDirectories {
  let matcher = matchers.get(configured);
  if (matcher === undefined) {
    const directories = configured
      .map((directory) => directory.replace(/\/+$/, ''))
      .filter((directory) => directory !== '');
    matcher = {
      directories,
      contains: (path) =>
        directories.some(
          (directory) =>
            path.startsWith(directory) &&
            (path.length === directory.length || path[directory.length] === '/'),
        ),
    };
    matchers.set(configured, matcher);
  }
  return matcher;
}

/** Calls that open or create a file by name (every argument is a candidate path). */
const PATH_FUNCTIONS = new Set([
  'open',
  'builtins.open',
  'io.open',
  'codecs.open',
  'gzip.open',
  'bz2.open',
  'lzma.open',
  'tarfile.open',
  'zipfile.ZipFile',
  'shelve.open',
  'dbm.open',
  'sqlite3.connect',
  'logging.FileHandler',
  'logging.basicConfig',
  'logging.handlers.RotatingFileHandler',
  'logging.handlers.TimedRotatingFileHandler',
  'logging.handlers.WatchedFileHandler',
  'pathlib.Path',
  'pathlib.PurePath',
  'pathlib.PosixPath',
  'numpy.save',
  'numpy.savez',
  'numpy.load',
  'torch.save',
  'joblib.dump',
]);
/** `os.*` names that read the environment rather than touch the file system. */
const OS_NOT_PATHS = /^os\.(?:environ|environb|getenv|getenvb|putenv|unsetenv)\b/;
/** Methods that write to a path given as an argument (pandas, matplotlib, archives). */
const PATH_METHODS = new Set([
  'to_csv',
  'to_parquet',
  'to_pickle',
  'to_excel',
  'to_feather',
  'to_json',
  'savefig',
  'extractall',
  'save_pretrained',
  'download_file',
]);
/** `tempfile` functions: the `dir=` argument chooses where the random name is created. */
const TEMPFILE_DIR_POSITION: ReadonlyMap<string, number | undefined> = new Map([
  ['tempfile.mkstemp', 2],
  ['tempfile.mkdtemp', 2],
  ['tempfile.TemporaryDirectory', 2],
  ['tempfile.NamedTemporaryFile', 6],
  ['tempfile.TemporaryFile', 6],
  ['tempfile.SpooledTemporaryFile', 7],
]);

type Use = 'path' | 'tempdir';

export default defineRule({
  meta: {
    id: 'PGF002',
    slug: 'hardcoded-tmp-path',
    title: 'Hard-coded path in a shared temporary directory',
    category: 'filesystem',
    severity: 'medium',
    confidence: 'medium',
    cwe: [377, 379],
    owasp: ['A01:2021 Broken Access Control'],
    description:
      'Flags fixed paths under `/tmp`, `/var/tmp`, `/dev/shm` or other directories listed in `tmp_dirs` passed to `open`, `os.*`, `shutil.*`, `pathlib.Path` and other file APIs, and as `tempfile` `dir=`; the same text in messages, help strings or comparisons is not reported.',
    why: 'Every local user can create files in these directories. A predictable name lets another user create the file first or plant a symlink there, so the program reads attacker-controlled data or overwrites a file it never meant to touch (symlink and race attacks), and whatever it writes there can be read by others.',
    fix: 'Create temporary files with `tempfile.NamedTemporaryFile()`, `tempfile.mkstemp()` or `tempfile.TemporaryDirectory()`, which pick unpredictable names with safe permissions and honour `TMPDIR`. For persistent data use an application directory that only your user can write.',
    example: {
      bad: 'import json\n\nwith open("/tmp/report.json", "w") as handle:\n    json.dump(report, handle)\n',
      good: 'import json\nimport tempfile\n\nwith tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:\n    json.dump(report, handle)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/377.html',
      'https://docs.python.org/3/library/tempfile.html',
    ],
    bandit: ['B108'],
    ruff: ['S108'],
  },
  options: {
    tmp_dirs: {
      kind: 'string-list',
      default: SHARED_DIRECTORIES,
      description:
        'Shared directories in which a fixed path is reported (the path itself or anything under it); setting it replaces the default list.',
    },
  },
  messages: {
    fixedPath:
      '`{{path}}` is a predictable name in a shared directory, passed to `{{callee}}`; another user can create or symlink it first. Use `tempfile.NamedTemporaryFile()` or `mkstemp()`.',
    fixedTempDir:
      "`{{callee}}` is given `dir={{path}}`, which ignores `TMPDIR` and the platform's temporary directory; leave `dir` out or take it from configuration.",
  },
  select: {
    calls: [...TEMPFILE_DIR_POSITION.keys(), ...PATH_FUNCTIONS, 'shutil.*', 'os.*'],
    methods: [...PATH_METHODS],
  },
  create(context) {
    const { model } = context;
    const shared = sharedDirectories(context.options.tmp_dirs);
    if (!shared.directories.some((directory) => context.text.includes(directory))) return {};

    const sharedPath = (node: SyntaxNode): string | undefined => {
      const shape = model.stringShape(node);
      const text =
        shape.kind === 'literal'
          ? shape.value
          : shape.kind === 'built'
            ? shape.template
            : undefined;
      return text !== undefined && shared.contains(text) ? text : undefined;
    };

    const check = (call: CallInfo, argument: SyntaxNode, use: Use): boolean => {
      const path = sharedPath(argument);
      if (path === undefined) return false;
      const severity: Severity = use === 'tempdir' ? 'low' : 'medium';
      const literal = argument.type === 'string' || argument.type === 'concatenated_string';
      context.report({
        node: argument,
        messageId: use === 'tempdir' ? 'fixedTempDir' : 'fixedPath',
        data: { callee: context.textOf(call.callee), path: shortText(path, 60) },
        severity,
        confidence: testAdjusted(literal ? 'high' : 'medium', context.isTestFile),
      });
      return true;
    };

    /** Arguments of a call that takes paths: every positional one and every keyword value. */
    const allArguments = (call: CallInfo): SyntaxNode[] => {
      const all = [...call.positional];
      for (const name of call.keywords.keys()) {
        const value = call.keywords.get(name);
        if (value !== undefined) all.push(value);
      }
      return all;
    };

    return callVisitors(context, (_node, call) => {
      const name = call.qualifiedName;
      if (name !== undefined && TEMPFILE_DIR_POSITION.has(name)) {
        const position = TEMPFILE_DIR_POSITION.get(name);
        const dir = model.argument(call, 'dir', position);
        if (dir !== undefined) check(call, dir, 'tempdir');
        return;
      }
      const takesPaths =
        name !== undefined
          ? PATH_FUNCTIONS.has(name) ||
            name.startsWith('shutil.') ||
            (name.startsWith('os.') && !OS_NOT_PATHS.test(name))
          : call.methodName !== undefined && PATH_METHODS.has(call.methodName);
      if (!takesPaths) return;
      for (const argument of allArguments(call)) if (check(call, argument, 'path')) return;
    });
  },
});
