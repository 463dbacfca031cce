import {
  callVisitors,
  defineRule,
  ownEntry,
  receiverOf,
  testAdjusted,
  unwrapParens,
  type CallInfo,
  type Confidence,
  type SemanticModel,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

const STAT_BITS: Readonly<Record<string, number>> = {
  S_ISUID: 0o4000,
  S_ISGID: 0o2000,
  S_ISVTX: 0o1000,
  S_IRWXU: 0o700,
  S_IRUSR: 0o400,
  S_IWUSR: 0o200,
  S_IXUSR: 0o100,
  S_IRWXG: 0o070,
  S_IRGRP: 0o040,
  S_IWGRP: 0o020,
  S_IXGRP: 0o010,
  S_IRWXO: 0o007,
  S_IROTH: 0o004,
  S_IWOTH: 0o002,
  S_IXOTH: 0o001,
  S_IREAD: 0o400,
  S_IWRITE: 0o200,
  S_IEXEC: 0o100,
};

const OTHERS_WRITE = 0o002;
const GROUP_WRITE = 0o020;
const GROUP_OTHERS_EXEC = 0o011;
const STICKY = 0o1000;
/** Every permission bit, set-id and sticky bit included. */
const MODE_BITS = 0o7777;
/** Modes that file and directory creation use by default, before the umask narrows them. */
const CREATION_DEFAULTS = new Set([0o666, 0o777]);

type Target = 'file' | 'directory';

interface ModeUse {
  position: number;
  target: Target;
  /** The mode only applies to something new, after the process umask removed bits from it. */
  masked: boolean;
}

/** Functions that set a mode: where the mode argument is and what it applies to. */
const MODE_FUNCTIONS: ReadonlyMap<string, ModeUse> = new Map([
  ['os.chmod', { position: 1, target: 'file', masked: false }],
  ['os.lchmod', { position: 1, target: 'file', masked: false }],
  ['os.fchmod', { position: 1, target: 'file', masked: false }],
  ['os.open', { position: 2, target: 'file', masked: true }],
  ['os.mkfifo', { position: 1, target: 'file', masked: true }],
  ['os.mknod', { position: 1, target: 'file', masked: true }],
  ['os.mkdir', { position: 1, target: 'directory', masked: true }],
  ['os.makedirs', { position: 1, target: 'directory', masked: true }],
]);

/** `pathlib.Path` methods that take the mode first. */
const PATH_METHODS: ReadonlyMap<string, ModeUse> = new Map([
  ['chmod', { position: 0, target: 'file', masked: false }],
  ['lchmod', { position: 0, target: 'file', masked: false }],
  ['touch', { position: 0, target: 'file', masked: true }],
  ['mkdir', { position: 0, target: 'directory', masked: true }],
]);
const PATH_TYPES = new Set(['pathlib.Path', 'pathlib.PosixPath', 'pathlib.WindowsPath']);

const MAX_DEPTH = 8;

/** The numeric value of a mode expression: literals, `stat.S_I*` constants and bit operations. */
function modeValue(model: SemanticModel, node: SyntaxNode, depth = 0): number | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const literal = model.literalValue(node);
  if (typeof literal === 'number') return Number.isInteger(literal) ? literal : undefined;
  const value = unwrapParens(model.resolveValue(node));
  const name = model.qualifiedName(value);
  if (name !== undefined)
    return name.startsWith('stat.') ? ownEntry(STAT_BITS, name.slice(5)) : undefined;
  if (value.type === 'unary_operator' && value.child(0)?.type === '~') {
    const operand = value.childForFieldName('argument');
    const inner = operand === null ? undefined : modeValue(model, operand, depth + 1);
    return inner === undefined ? undefined : ~inner & 0o7777;
  }
  if (value.type !== 'binary_operator') return undefined;
  const left = value.childForFieldName('left');
  const right = value.childForFieldName('right');
  const operator = value.childForFieldName('operator');
  if (left === null || right === null || operator === null) return undefined;
  const a = modeValue(model, left, depth + 1);
  const b = modeValue(model, right, depth + 1);
  if (a === undefined || b === undefined) return undefined;
  switch (model.textOf(operator)) {
    case '|':
    case '+':
      return a | b;
    case '&':
      return a & b;
    case '^':
      return a ^ b;
    default:
      return undefined;
  }
}

/**
 * Bits a mode expression surely sets when it is not constant as a whole: `st.st_mode |
 * stat.S_IWOTH` sets `0o2` whatever `st.st_mode` holds.
 */
function addedBits(model: SemanticModel, node: SyntaxNode, depth = 0): number {
  if (depth > MAX_DEPTH) return 0;
  const known = modeValue(model, node, depth);
  if (known !== undefined) return known;
  const value = unwrapParens(model.resolveValue(node));
  if (value.type !== 'binary_operator') return 0;
  const operator = value.childForFieldName('operator');
  if (operator === null || model.textOf(operator) !== '|') return 0;
  const left = value.childForFieldName('left');
  const right = value.childForFieldName('right');
  return (
    (left === null ? 0 : addedBits(model, left, depth + 1)) |
    (right === null ? 0 : addedBits(model, right, depth + 1))
  );
}

const octal = (mode: number): string => `0o${mode.toString(8)}`;

export default defineRule({
  meta: {
    id: 'PGF001',
    slug: 'permissive-file-mode',
    title: 'File or directory made writable or executable by others',
    category: 'filesystem',
    severity: 'high',
    confidence: 'high',
    cwe: [732, 276],
    owasp: ['A01:2021 Broken Access Control'],
    description:
      'Flags `os.chmod`, `os.fchmod`, `os.open`, `os.mkdir`/`makedirs`, `Path.chmod`/`mkdir`/`touch` and similar calls whose mode lets other users write (or, for files, execute), including bits OR-ed onto a mode that is not constant (`st.st_mode | stat.S_IWOTH`), and `os.umask` values that let new files be world-writable.',
    why: "A world-writable file can be changed by any local user or compromised service: configuration can be rewritten, scripts and cron jobs replaced with code that then runs with the owner's rights, and logs tampered with. Group write and execute bits widen who can do the same.",
    fix: 'Grant the least access that works: `0o600` for secrets, `0o644` for readable files, `0o700`/`0o755` for directories and executables. Share write access through group ownership with a dedicated group rather than world-writable modes, and keep the process umask at `0o022` or stricter.',
    example: {
      bad: 'import os\n\nos.chmod("/etc/myapp/config.yaml", 0o777)\n',
      good: 'import os\n\nos.chmod("/etc/myapp/config.yaml", 0o640)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/732.html',
      'https://docs.python.org/3/library/os.html#os.chmod',
      'https://docs.python.org/3/library/stat.html#stat.S_IWOTH',
    ],
    bandit: ['B103'],
    ruff: ['S103'],
    auditAdds:
      'modes with bits outside `0o7777` (`os.chmod(path, 0o100000000)`), which set no valid permissions',
  },
  messages: {
    worldWritable:
      '`{{callee}}` sets mode `{{mode}}`, which lets any user write this {{target}}; use `0o644` (files) or `0o755` (directories) or stricter.',
    groupWritable:
      '`{{callee}}` sets mode `{{mode}}`, which lets the group write this {{target}}; drop the group write bit unless the group is dedicated to it.',
    executable:
      '`{{callee}}` sets mode `{{mode}}`, which makes this file executable by other users; use `0o644` unless it is a program meant to be run by them.',
    bitsAdded:
      "`{{callee}}` adds `{{bits}}` to a mode that is not constant, which lets {{who}} this {{target}}; add only the owner's bits (`stat.S_IWUSR`, `stat.S_IXUSR`).",
    outOfRange:
      '`{{callee}}` is given mode `{{mode}}`, which has bits outside `0o7777` and is no valid permission set for this {{target}}; write the permissions meant, such as `0o644`.',
    umask:
      '`{{callee}}({{mask}})` lets files created afterwards be world-writable; keep the umask at `0o022` or stricter.',
  },
  select: {
    calls: ['os.umask', ...MODE_FUNCTIONS.keys()],
    methods: [...PATH_METHODS.keys()],
    text: ['chmod', 'umask', 'mkdir', 'makedirs', 'mkfifo', 'mknod', 'touch', 'O_CREAT', 'os.open'],
  },
  create(context) {
    const { model } = context;
    if (!/chmod|umask|mkdir|makedirs|mkfifo|mknod|touch|O_CREAT|os\.open/.test(context.text))
      return {};

    /** Where the mode of a call is and what it applies to, or undefined for unrelated calls. */
    const modeSite = (
      call: CallInfo,
    ):
      { node: SyntaxNode; target: Target; masked: boolean; confidence: Confidence } | undefined => {
      const site = (use: ModeUse): ReturnType<typeof modeSite> => {
        const node = model.argument(call, 'mode', use.position);
        return node === undefined
          ? undefined
          : { node, ...use, confidence: use.masked ? 'low' : 'high' };
      };
      const name = call.qualifiedName;
      const known = name === undefined ? undefined : MODE_FUNCTIONS.get(name);
      if (known !== undefined) return site(known);
      const method = call.methodName;
      const pathUse = method === undefined ? undefined : PATH_METHODS.get(method);
      const receiver = receiverOf(call);
      if (pathUse === undefined || receiver === undefined) return undefined;
      const maker = model.constructedBy(receiver);
      if (maker !== undefined && PATH_TYPES.has(maker)) return site(pathUse);
      // An unknown object's `chmod(mode)` or `chmod(path, mode)` (SFTP clients and the like).
      if (method !== 'chmod') return undefined;
      const node = call.keywords.get('mode') ?? call.positional[call.positional.length - 1];
      return node === undefined || call.positional.length > 2
        ? undefined
        : { node, target: 'file', masked: false, confidence: 'medium' };
    };

    /** `old = os.umask(0)` directly followed by `os.umask(old)`: the idiom for reading the umask. */
    const readsUmask = (node: SyntaxNode): boolean => {
      const assignment = node.parent;
      const target =
        assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
      const next = assignment?.parent?.nextNamedSibling;
      if (target?.type !== 'identifier' || next === null || next === undefined) return false;
      const restored = new RegExp(`umask\\(\\s*${context.textOf(target)}\\s*\\)`);
      return restored.test(context.textOf(next));
    };

    /** `os.chmod(p, st.st_mode | stat.S_IWOTH)`: bits for other users added to an unknown mode. */
    const reportAddedBits = (
      node: SyntaxNode,
      callee: string,
      site: { node: SyntaxNode; target: Target; confidence: Confidence },
    ): void => {
      const added = addedBits(model, site.node);
      const grant =
        (added & OTHERS_WRITE) !== 0
          ? { who: 'any user write', severity: 'high' as const }
          : (added & GROUP_WRITE) !== 0
            ? { who: 'the group write', severity: 'medium' as const }
            : site.target === 'file' && (added & GROUP_OTHERS_EXEC) !== 0
              ? { who: 'other users execute', severity: 'low' as const }
              : undefined;
      if (grant === undefined) return;
      context.report({
        node,
        messageId: 'bitsAdded',
        data: { callee, bits: octal(added), who: grant.who, target: site.target },
        severity: grant.severity,
        // The base mode is unknown, so the finding is one step less sure than the call site.
        confidence: testAdjusted(
          grant.severity === 'low' || site.confidence !== 'high' ? 'low' : 'medium',
          context.isTestFile,
        ),
      });
    };

    /**
     * `os.chmod(p, 0o100000000)`: bits above `0o7777` are no permission at all (the kernel drops
     * them, or the call fails), so the mode is a mistake rather than an exposure; audit only, as
     * bandit and ruff report such modes. Creation calls are left out: their modes may carry file
     * type bits (`os.mknod(p, stat.S_IFREG | 0o600)`).
     */
    const reportOutOfRange = (
      node: SyntaxNode,
      callee: string,
      mode: number,
      site: { node: SyntaxNode; target: Target; masked: boolean },
    ): boolean => {
      if (site.masked || (mode >= 0 && mode <= MODE_BITS)) return false;
      const written = context.textOf(site.node);
      context.report({
        node,
        messageId: 'outOfRange',
        data: {
          callee,
          mode: written.length > 40 ? `${written.slice(0, 37)}...` : written,
          target: site.target,
        },
        severity: 'low',
        confidence: 'low',
        profile: 'audit',
      });
      return true;
    };

    return callVisitors(context, (node, call) => {
      const callee = context.textOf(call.callee);
      if (call.qualifiedName === 'os.umask') {
        const argument = model.argument(call, 'mask', 0);
        const mask = argument === undefined ? undefined : modeValue(model, argument);
        if (argument === undefined || mask === undefined || (mask & OTHERS_WRITE) !== 0) return;
        if (readsUmask(node)) return;
        context.report({
          node,
          messageId: 'umask',
          data: { callee, mask: context.textOf(argument) },
          confidence: testAdjusted('medium', context.isTestFile),
        });
        return;
      }
      const site = modeSite(call);
      if (site === undefined) return;
      const mode = modeValue(model, site.node);
      if (mode === undefined) {
        reportAddedBits(node, callee, site);
        return;
      }
      if (reportOutOfRange(node, callee, mode, site)) return;
      // `0o666`/`0o777` on something new is the usual "let the umask decide" request.
      if (site.masked && CREATION_DEFAULTS.has(mode)) return;
      const data = { callee, mode: octal(mode), target: site.target };
      const confidence = testAdjusted(site.confidence, context.isTestFile);
      if ((mode & OTHERS_WRITE) !== 0) {
        // A sticky world-writable directory (like /tmp) stops users deleting each other's files.
        const sticky = site.target === 'directory' && (mode & STICKY) !== 0;
        context.report({
          node,
          messageId: 'worldWritable',
          data,
          severity: sticky ? 'medium' : 'high',
          confidence,
        });
      } else if ((mode & GROUP_WRITE) !== 0) {
        context.report({
          node,
          messageId: 'groupWritable',
          data,
          severity: 'medium',
          confidence,
        });
      } else if (site.target === 'file' && (mode & GROUP_OTHERS_EXEC) !== 0) {
        context.report({
          node,
          messageId: 'executable',
          data,
          severity: 'low',
          confidence: 'low',
        });
      }
    });
  },
});
