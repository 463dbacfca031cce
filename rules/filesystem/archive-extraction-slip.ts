import { defineRule } from '../../src/rules-api/define-rule.js';
import { unwrapParens, type CallInfo } from '../../src/engine/model.js';
import type { SyntaxNode } from '../../src/engine/parse.js';
import type { Confidence, Severity } from '../../src/engine/types.js';
import { importsModule } from '../_shared/imports-module.js';
import { mentions } from '../_shared/mentions.js';
import { lastName, receiverOf } from '../_shared/receiver.js';
import { testAdjusted } from '../_shared/test-confidence.js';
import { UNTRUSTED_INPUT } from '../_shared/untrusted-input.js';

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
const UPLOAD = /upload/i;

type Kind = 'tar' | 'zip';

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
    bandit: ['B202'],
    ruff: ['S202'],
  },
  messages: {
    tarNoFilter:
      '`{{callee}}` extracts tar members without `filter="data"`, so names like `../x`, absolute paths and links can write outside the destination; pass `filter="data"`.',
    tarCheckedMembers:
      '`{{callee}}` extracts members chosen by `{{members}}` without `filter="data"`; make sure that check rejects `..`, absolute paths and links, or pass `filter="data"`.',
    tarUnsafeFilter:
      '`{{callee}}` uses `filter={{filter}}`, which trusts every member name and link in the archive; use `filter="data"`.',
    unpackArchive:
      '`{{callee}}` unpacks tar archives without `filter="data"`, so member names can write outside the destination; pass `filter="data"`.',
    zipUntrusted:
      '`{{callee}}` extracts an uploaded zip archive: zipfile drops `..` from names, but nothing limits the number or size of files (zip bombs) or stops overwrites; check names and sizes first.',
  },
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

    const reportTar = (node: SyntaxNode, call: CallInfo, base: Confidence): void => {
      const callee = context.textOf(call.callee);
      const filter = filterOf(call);
      if (filter === 'safe' || (filter === 'none' && filterSetGlobally)) return;
      if (filter === 'unsafe') {
        context.report({
          node,
          messageId: 'tarUnsafeFilter',
          data: { callee, filter: context.textOf(call.keywords.get('filter') ?? node) },
          confidence: testAdjusted(base, context.isTestFile),
        });
        return;
      }
      const members =
        call.methodName === 'extractall' ? model.argument(call, 'members', 1) : undefined;
      if (members === undefined) {
        const single = call.methodName === 'extract';
        context.report({
          node,
          messageId: 'tarNoFilter',
          data: { callee },
          severity: single ? 'medium' : 'high',
          confidence: testAdjusted(single && base === 'high' ? 'medium' : base, context.isTestFile),
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
        confidence: checked ? 'low' : testAdjusted('medium', context.isTestFile),
      });
    };

    return {
      call(node) {
        const call = context.call(node);
        if (call.qualifiedName === UNPACK_ARCHIVE) {
          const archive = model.argument(call, 'filename', 0);
          const name = archive === undefined ? undefined : model.staticString(archive);
          if (name?.toLowerCase().endsWith('.zip') === true || filterOf(call) === 'safe') return;
          context.report({
            node,
            messageId: 'unpackArchive',
            data: { callee: context.textOf(call.callee) },
            severity: 'medium',
            confidence: testAdjusted('medium', context.isTestFile),
          });
          return;
        }
        if (call.methodName === undefined || !EXTRACT_METHODS.has(call.methodName)) return;
        const receiver = receiverOf(call);
        const archive = receiver === undefined ? undefined : archiveKind(receiver);
        if (receiver === undefined || archive === undefined) return;
        if (archive.kind === 'tar') {
          reportTar(node, call, archive.confidence);
          return;
        }
        // zipfile sanitises names itself; only uploads are worth a look.
        const source = model.withContext(unwrapParens(receiver)) ?? model.resolveValue(receiver);
        if (!mentions(model, source, UNTRUSTED_INPUT) && !mentions(model, source, UPLOAD)) return;
        context.report({
          node,
          messageId: 'zipUntrusted',
          data: { callee: context.textOf(call.callee) },
          severity: 'low',
          confidence: 'medium',
        });
      },
    };
  },
});
