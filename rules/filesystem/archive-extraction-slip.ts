import {
  addKeywordArguments,
  callVisitors,
  defineRule,
  importsModule,
  lastName,
  receiverOf,
  taintedSink,
  testAdjusted,
  unwrapParens,
  type CallInfo,
  type Confidence,
  type ReportFix,
  type Severity,
  type SyntaxNode,
  type TaintedSink,
} from '../../src/rules-api/index.js';

const TAR_MAKERS = new Set([
  'tarfile.open',
  'tarfile.TarFile',
  'tarfile.TarFile.open',
  'tarfile.TarFile.taropen',
  'tarfile.TarFile.gzopen',
  'tarfile.TarFile.bz2open',
  'tarfile.TarFile.xzopen',
]);
const ZIP_MAKERS = new Set(['zipfile.ZipFile', 'zipfile.PyZipFile']);
const EXTRACT_METHODS = new Set(['extractall', 'extract']);
/** Filters that refuse absolute paths, `..` and links leaving the destination. */
const SAFE_FILTER_NAMES = new Set(['data', 'tar']);
const SAFE_FILTER_FUNCTIONS = new Set(['tarfile.data_filter', 'tarfile.tar_filter']);
const UNSAFE_FILTER_FUNCTIONS = new Set(['tarfile.fully_trusted_filter']);
const UNPACK_ARCHIVE = 'shutil.unpack_archive';
/** Keyword names of the file an archive is opened from (`tarfile.open`, `zipfile.ZipFile`). */
const ARCHIVE_KEYWORDS = ['name', 'fileobj', 'file'];
/** `shutil.unpack_archive` formats of tar archives (zip unpacking refuses `filter=`). */
const TAR_FORMATS = new Set(['tar', 'gztar', 'bztar', 'xztar', 'zstdtar']);
/** File names `shutil.unpack_archive` unpacks as tar archives. */
const TAR_NAME = /\.(?:tar|tar\.gz|tgz|tar\.bz2|tbz2|tar\.xz|txz|tar\.zst|tzst)$/i;

type Kind = 'tar' | 'zip';

const DATA_FILTER = { name: 'filter', value: '"data"' };

export default defineRule({
  meta: {
    id: 'PGF005',
    slug: 'archive-extraction-slip',
    title: 'Archive extracted without path checks (tar slip)',
    category: 'filesystem',
    severity: 'high',
    confidence: 'high',
    cwe: [22],
    owasp: ['A01:2021 Broken Access Control'],
    description:
      'Flags `tarfile` `extractall()`/`extract()` and `shutil.unpack_archive()` without `filter="data"` (or `"tar"`), graded by how `members` is chosen, and `zipfile` extraction of uploaded archives.',
    why: 'Tar member names are taken as given: `../../etc/cron.d/job`, absolute paths and symbolic links pointing outside the destination let a crafted archive write or overwrite any file the process can reach, which often leads to code execution. Until Python 3.14 `tarfile` extracts without any filter by default.',
    fix: 'Pass `filter="data"` to `extractall()`, `extract()` and `shutil.unpack_archive()` (Python 3.12+, backported to 3.8.17+/3.9.17+/3.10.12+/3.11.4+). On older versions check every member: resolve `os.path.join(dest, member.name)` and reject it unless it stays inside `dest`, and skip links and device files.',
    example: {
      bad: 'import tarfile\n\nwith tarfile.open(upload_path) as archive:\n    archive.extractall("/srv/imports")\n',
      good: 'import tarfile\n\nwith tarfile.open(upload_path) as archive:\n    archive.extractall("/srv/imports", filter="data")\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/22.html',
      'https://docs.python.org/3/library/tarfile.html#extraction-filters',
      'https://peps.python.org/pep-0706/',
      'https://docs.python.org/3/library/zipfile.html#zipfile.ZipFile.extractall',
    ],
    fixable: true,
    bandit: ['B202'],
    ruff: ['S202'],
    supersedes: ['PGF004', 'PGF006'],
  },
  messages: {
    taintedTar:
      '`{{callee}}` extracts {{what}} {{origin}} {{how}}: {{path}}. Member names like `../x`, absolute paths and links can then write anywhere the process can; pass `filter="data"`.',
    taintedZip:
      '`{{callee}}` extracts a zip archive from {{origin}}: {{path}}. zipfile drops `..` from names, but nothing limits the number or size of files (zip bombs) or stops overwrites; check names and sizes first.',
    tarNoFilter:
      '`{{callee}}` extracts tar members without `filter="data"`, so names like `../x`, absolute paths and links can write outside the destination; pass `filter="data"`.',
    tarCheckedMembers:
      '`{{callee}}` extracts members chosen by `{{members}}` without `filter="data"`; make sure that check rejects `..`, absolute paths and links, or pass `filter="data"`.',
    tarUnsafeFilter:
      '`{{callee}}` uses `filter={{filter}}`, which trusts every member name and link in the archive; use `filter="data"`.',
    unpackArchive:
      '`{{callee}}` unpacks tar archives without `filter="data"`, so member names can write outside the destination; pass `filter="data"`.',
  },
  select: { calls: [UNPACK_ARCHIVE], methods: [...EXTRACT_METHODS] },
  create(context) {
    const { model } = context;
    if (!/extract|unpack_archive/.test(context.text)) return {};
    const filterSetGlobally = context.text.includes('extraction_filter');

    /** What kind of archive an object is, and how sure we are. */
    const archiveKind = (
      receiver: SyntaxNode,
    ): { kind: Kind; confidence: Confidence } | undefined => {
      const maker = model.constructedBy(receiver);
      if (maker !== undefined && TAR_MAKERS.has(maker)) return { kind: 'tar', confidence: 'high' };
      if (maker !== undefined && ZIP_MAKERS.has(maker)) return { kind: 'zip', confidence: 'high' };
      if (maker !== undefined) return undefined;
      const name = lastName(model, receiver) ?? '';
      const tar = importsModule(model, 'tarfile');
      const zip = importsModule(model, 'zipfile');
      if (tar && (/tar/i.test(name) || !zip)) return { kind: 'tar', confidence: 'medium' };
      if (zip && (/zip/i.test(name) || !tar)) return { kind: 'zip', confidence: 'medium' };
      return undefined;
    };

    /** `safe`, `unsafe` (an explicitly trusting filter) or `none` for the `filter=` argument. */
    const filterOf = (call: CallInfo): 'safe' | 'unsafe' | 'none' => {
      const filter = call.keywords.get('filter');
      if (filter === undefined) return call.hasKwargs ? 'safe' : 'none';
      const literal = model.literalValue(filter);
      if (typeof literal === 'string') return SAFE_FILTER_NAMES.has(literal) ? 'safe' : 'unsafe';
      if (literal === null) return 'none';
      const name = model.qualifiedName(filter);
      if (name !== undefined && UNSAFE_FILTER_FUNCTIONS.has(name)) return 'unsafe';
      // `tarfile.data_filter`, or a filter function of the project's own.
      return name === undefined || SAFE_FILTER_FUNCTIONS.has(name) || !name.startsWith('tarfile.')
        ? 'safe'
        : 'unsafe';
    };

    /**
     * `filter="data"` added to an extraction that passes no filter: for tar archives only (zip
     * extraction takes no `filter=`), so only where the archive is known to be one.
     */
    const addDataFilter = (node: SyntaxNode, isTar: boolean): ReportFix | undefined =>
      isTar ? addKeywordArguments(node, [DATA_FILTER], 'Pass `filter="data"`') : undefined;

    /** Whether `shutil.unpack_archive` unpacks a tar archive: by its `format=` or file name. */
    const unpacksTar = (call: CallInfo, archive: SyntaxNode | undefined): boolean => {
      const format = model.argument(call, 'format', 2);
      if (format !== undefined) return TAR_FORMATS.has(model.staticString(format) ?? '');
      const name = archive === undefined ? undefined : model.staticString(archive);
      return name !== undefined && TAR_NAME.test(name);
    };

    /** Audit findings (nothing traced to input) stay at medium confidence at most. */
    const audit = (level: Confidence): Confidence =>
      testAdjusted(level === 'high' ? 'medium' : level, context.isTestFile);

    /** The file an archive object was opened from: `tarfile.open(path)` → `path`. */
    const archiveSource = (receiver: SyntaxNode): SyntaxNode | undefined => {
      const target = unwrapParens(receiver);
      const made = model.withContext(target) ?? model.resolveValue(target);
      if (made.type !== 'call') return undefined;
      const maker = context.call(made);
      const name = maker.qualifiedName;
      if (name === undefined || (!TAR_MAKERS.has(name) && !ZIP_MAKERS.has(name))) return undefined;
      return (
        maker.positional[0] ??
        ARCHIVE_KEYWORDS.map((keyword) => maker.keywords.get(keyword)).find(
          (node) => node !== undefined,
        )
      );
    };

    /** The first of the (label, value) pairs whose value carries untrusted input. */
    const firstTainted = (
      node: SyntaxNode,
      callee: string,
      candidates: readonly [string, SyntaxNode | undefined][],
    ): { what: string; tainted: TaintedSink } | undefined => {
      for (const [what, value] of candidates) {
        if (value === undefined) continue;
        const tainted = taintedSink(context, value, 'path', node, callee);
        if (tainted !== undefined) return { what, tainted };
      }
      return undefined;
    };

    const reportTainted = (
      node: SyntaxNode,
      callee: string,
      found: { what: string; tainted: TaintedSink },
      how: string,
      confidence: Confidence | undefined,
      fix: ReportFix | undefined,
    ): void => {
      const { tainted } = found;
      context.report({
        node,
        messageId: 'taintedTar',
        data: { callee, what: found.what, how, origin: tainted.origin, path: tainted.path },
        severity: tainted.severity,
        confidence: confidence ?? tainted.confidence,
        flow: tainted.flow,
        fix,
      });
    };

    const reportTar = (
      node: SyntaxNode,
      call: CallInfo,
      receiver: SyntaxNode,
      base: Confidence,
    ): void => {
      const callee = context.textOf(call.callee);
      const filter = filterOf(call);
      if (filter === 'safe' || (filter === 'none' && filterSetGlobally)) return;
      const single = call.methodName === 'extract';
      const members = single
        ? model.argument(call, 'member', 0)
        : model.argument(call, 'members', 1);
      const destination = model.argument(call, 'path', single ? 1 : 0);
      const found = firstTainted(node, callee, [
        ['an archive from', archiveSource(receiver)],
        [single ? 'a member named by' : 'members chosen by', members],
        ['into a directory named by', destination],
      ]);
      const filterText = context.textOf(call.keywords.get('filter') ?? node);
      // Only a call on an archive tarfile opened, and that names no filter (not even `None`).
      const fix = addDataFilter(node, base === 'high' && filter === 'none');
      if (found !== undefined) {
        // Members picked by a function of the project are probably checked there, and an
        // archive recognised only by its name may not be a tar file: both cap the confidence.
        const checked = !single && members !== undefined && unwrapParens(members).type === 'call';
        reportTainted(
          node,
          callee,
          found,
          filter === 'unsafe' ? `with \`filter=${filterText}\`` : 'without `filter="data"`',
          checked || base !== 'high' ? 'medium' : undefined,
          fix,
        );
        return;
      }
      if (filter === 'unsafe') {
        context.report({
          node,
          messageId: 'tarUnsafeFilter',
          data: { callee, filter: filterText },
          confidence: audit(base),
        });
        return;
      }
      if (single || members === undefined) {
        context.report({
          node,
          messageId: 'tarNoFilter',
          data: { callee },
          severity: single ? 'medium' : 'high',
          confidence: audit(base),
          fix,
        });
        return;
      }
      // As bandit grades it: members picked by a function are probably checked there.
      const checked = unwrapParens(members).type === 'call';
      const severity: Severity = checked ? 'low' : 'medium';
      context.report({
        node,
        messageId: 'tarCheckedMembers',
        data: { callee, members: context.textOf(members) },
        severity,
        confidence: checked ? 'low' : audit('medium'),
        fix,
      });
    };

    return callVisitors(context, (node, call) => {
      if (call.qualifiedName === UNPACK_ARCHIVE) {
        const archive = model.argument(call, 'filename', 0);
        const name = archive === undefined ? undefined : model.staticString(archive);
        if (name?.toLowerCase().endsWith('.zip') === true || filterOf(call) === 'safe') return;
        // A format named as a constant that is not a tar format (`format="zip"`) takes no filter.
        const format = model.argument(call, 'format', 2);
        const formatName = format === undefined ? undefined : model.staticString(format);
        if (formatName !== undefined && !TAR_FORMATS.has(formatName)) return;
        const callee = context.textOf(call.callee);
        const found = firstTainted(node, callee, [
          ['an archive from', archive],
          ['into a directory named by', model.argument(call, 'extract_dir', 1)],
        ]);
        const fix = addDataFilter(node, unpacksTar(call, archive));
        if (found !== undefined) {
          reportTainted(node, callee, found, 'without `filter="data"`', undefined, fix);
          return;
        }
        context.report({
          node,
          messageId: 'unpackArchive',
          data: { callee },
          severity: 'medium',
          confidence: audit('medium'),
          fix,
        });
        return;
      }
      if (call.methodName === undefined || !EXTRACT_METHODS.has(call.methodName)) return;
      const receiver = receiverOf(call);
      const archive = receiver === undefined ? undefined : archiveKind(receiver);
      if (receiver === undefined || archive === undefined) return;
      if (archive.kind === 'tar') {
        reportTar(node, call, receiver, archive.confidence);
        return;
      }
      // zipfile sanitises member names itself; only archives from outside are worth a look.
      const source = archiveSource(receiver);
      const callee = context.textOf(call.callee);
      const tainted =
        source === undefined ? undefined : taintedSink(context, source, 'path', node, callee);
      if (tainted === undefined) return;
      context.report({
        node,
        messageId: 'taintedZip',
        data: { callee, origin: tainted.origin, path: tainted.path },
        // Not a path traversal: a resource and overwrite risk, one step below tar.
        severity: tainted.trace.trust === 'web' ? 'medium' : 'low',
        confidence: tainted.confidence,
        flow: tainted.flow,
      });
    });
  },
});
