/**
 * From the pull request's changed files to engine results: which files are scanned, which
 * lines count as changed, fetching their contents a few at a time, and scanning them. Changed
 * dependency manifests are fetched the same way and audited together, once per scan.
 */
import type { ProbotOctokit } from 'probot';

import type { AffectedPackage, AuditResult, ManifestFile } from '../deps/audit.js';
import { addedLinesFromPatch, changedLinesBetween } from '../engine/diff.js';
import { isScannablePath, type ScanFileInput } from '../engine/scanner.js';
import type { FileNotice, FileResult } from '../engine/types.js';
import { isTransient } from './failures.js';
import { fetchBlob, fetchTextAt, findMergeBase, statusOf } from './fetch.js';
import type { ChangedFile, RepoRef } from './fetch.js';

/** How the changed lines of a file are known. */
type LineSource =
  { from: 'patch'; lines: Set<number> } | { from: 'all' } | { from: 'base'; oldPath: string };

export type FilePlan =
  | { action: 'ignore' }
  /** Nothing to scan, but no finding can remain in the file (deleted, or no added line). */
  | { action: 'nothing-added' }
  | { action: 'scan'; lineSource: LineSource };

/** What to do with one changed Python or template file. Pure. */
export function planFile(file: ChangedFile, isScanned: (path: string) => boolean): FilePlan {
  return planChange(file, (path) => isScannablePath(path) && isScanned(path));
}

/** What to do with one changed file that `isIncluded` selects. Pure. */
function planChange(file: ChangedFile, isIncluded: (path: string) => boolean): FilePlan {
  if (!isIncluded(file.filename)) return { action: 'ignore' };
  if (file.status === 'removed') return { action: 'nothing-added' };
  if (file.patch !== undefined && file.patch !== '') {
    const lines = addedLinesFromPatch(file.patch);
    return lines.size === 0
      ? { action: 'nothing-added' }
      : { action: 'scan', lineSource: { from: 'patch', lines } };
  }
  if (file.status === 'added') return { action: 'scan', lineSource: { from: 'all' } };
  if (file.changes === 0) return { action: 'nothing-added' };
  return {
    action: 'scan',
    lineSource: { from: 'base', oldPath: file.previous_filename ?? file.filename },
  };
}

export interface FilesScan {
  results: FileResult[];
  /** Files that were not scanned, with why. */
  skipped: FileNotice[];
  /** Lines inline comments may be anchored on, by path (only lines of a GitHub patch). */
  anchorLines: Map<string, ReadonlySet<number>>;
  /** The lines each scanned file adds or changes; null when every line is new. */
  changedLines: Map<string, ReadonlySet<number> | null>;
  /** Changed Python and template files within the configured paths, removed ones excluded. */
  pythonFiles: number;
  /** Paths whose findings are all known after this scan (for resolving fixed threads). */
  coveredPaths: Set<string>;
  /** Changed dependency manifests within `dependencies.paths`, removed ones excluded. */
  manifestFiles: number;
  /** What the dependency audit adds beyond findings; absent when it did not run. */
  dependencyAudit?: DependencyAuditOutcome;
}

/** The dependency audit's outcome beyond its findings (which are among the results). */
export interface DependencyAuditOutcome {
  /** The changed requirements with known vulnerabilities. */
  affected: AffectedPackage[];
  /** Why known vulnerabilities were not checked, when they were not. */
  skippedReason?: string;
}

/** How the changed dependency manifests are selected and audited. */
export interface DependencyScanOptions {
  isManifest: (path: string) => boolean;
  /** Audits every fetched manifest at once (one advisory query per scan). */
  audit: (files: readonly ManifestFile[]) => Promise<AuditResult>;
}

/** Scans one file: in this process, or in a child process of the scan pool. */
export interface FileScanner {
  scanFile(input: ScanFileInput): FileResult | Promise<FileResult>;
}

export interface ScanFilesOptions {
  octokit: ProbotOctokit;
  ref: RepoRef;
  baseSha: string;
  headSha: string;
  scanner: FileScanner;
  isScanned: (path: string) => boolean;
  maxFileBytes: number;
  signal: AbortSignal;
  /** Audit the changed dependency manifests too; absent when no dependency rule runs. */
  dependencies?: DependencyScanOptions | undefined;
}

/** Files fetched at once; each batch is scanned before the next is fetched (bounded memory). */
const FETCH_BATCH = 8;

type Fetched =
  | { ok: true; file: ChangedFile; bytes: Uint8Array; lineSource: LineSource }
  | { ok: false; notice: FileNotice };

/** Fetches and scans the changed Python and template files of a pull request. */
export async function scanChangedFiles(
  files: readonly ChangedFile[],
  options: ScanFilesOptions,
): Promise<FilesScan> {
  const outcome: FilesScan = {
    results: [],
    skipped: [],
    anchorLines: new Map(),
    changedLines: new Map(),
    coveredPaths: new Set(),
    pythonFiles: 0,
    manifestFiles: 0,
  };
  const toScan: { file: ChangedFile; lineSource: LineSource }[] = [];
  for (const file of files) {
    const plan = planFile(file, options.isScanned);
    if (plan.action === 'ignore') continue;
    if (file.status !== 'removed') outcome.pythonFiles++;
    if (file.previous_filename !== undefined) outcome.coveredPaths.add(file.previous_filename);
    if (plan.action === 'nothing-added') {
      outcome.coveredPaths.add(file.filename);
      continue;
    }
    toScan.push({ file, lineSource: plan.lineSource });
  }

  const mergeBase = lazy(() =>
    findMergeBase(options.octokit, options.ref, options.baseSha, options.headSha),
  );
  for (let start = 0; start < toScan.length; start += FETCH_BATCH) {
    options.signal.throwIfAborted();
    const batch = toScan.slice(start, start + FETCH_BATCH);
    const fetched = await Promise.all(
      batch.map(({ file, lineSource }) => fetchFile(file, lineSource, options)),
    );
    // The files of a batch are scanned at once (the scan pool runs them side by side).
    const scans = fetched.map((item) => (item.ok ? scanOne(item, options, mergeBase) : undefined));
    for (const scan of scans) scan?.catch(() => undefined);
    for (const [index, item] of fetched.entries()) {
      const pending = scans[index];
      if (!item.ok || pending === undefined) {
        if (!item.ok) outcome.skipped.push(item.notice);
        continue;
      }
      const scanned = await pending;
      outcome.results.push(scanned.result);
      outcome.anchorLines.set(item.file.filename, scanned.anchorLines);
      outcome.changedLines.set(item.file.filename, scanned.changedLines);
      outcome.coveredPaths.add(item.file.filename);
    }
    // Parse trees of the Node binding are freed only when the event loop turns.
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (options.dependencies !== undefined) {
    await auditChangedManifests(files, options, options.dependencies, mergeBase, outcome);
  }
  return outcome;
}

/**
 * Fetches the changed manifests (as Python files are fetched: same size cap and binary check),
 * audits them in one call and adds their results to `outcome`. Requirements files they include
 * (`-r`, `-c`) are not followed: an unchanged included file has no changed line to judge.
 */
async function auditChangedManifests(
  files: readonly ChangedFile[],
  options: ScanFilesOptions,
  dependencies: DependencyScanOptions,
  mergeBase: () => Promise<string>,
  outcome: FilesScan,
): Promise<void> {
  const toAudit: { file: ChangedFile; lineSource: LineSource }[] = [];
  for (const file of files) {
    const plan = planChange(file, dependencies.isManifest);
    if (plan.action === 'ignore') continue;
    if (file.status !== 'removed') outcome.manifestFiles++;
    if (file.previous_filename !== undefined) outcome.coveredPaths.add(file.previous_filename);
    if (plan.action === 'nothing-added') {
      outcome.coveredPaths.add(file.filename);
      continue;
    }
    toAudit.push({ file, lineSource: plan.lineSource });
  }
  if (toAudit.length === 0) return;
  const manifests: ManifestFile[] = [];
  const anchors = new Map<string, ReadonlySet<number>>();
  for (let start = 0; start < toAudit.length; start += FETCH_BATCH) {
    options.signal.throwIfAborted();
    const batch = toAudit.slice(start, start + FETCH_BATCH);
    const fetched = await Promise.all(
      batch.map(({ file, lineSource }) => fetchFile(file, lineSource, options)),
    );
    for (const item of fetched) {
      if (!item.ok) {
        outcome.skipped.push(item.notice);
        continue;
      }
      const text = new TextDecoder().decode(item.bytes);
      const lines = await changedLinesOf(item, options, mergeBase);
      manifests.push({ path: item.file.filename, text, changedLines: lines.changedLines });
      anchors.set(item.file.filename, lines.anchorLines);
    }
  }
  if (manifests.length === 0) return;
  options.signal.throwIfAborted();
  const audit = await dependencies.audit(manifests);
  // The audit's own notices concern includes, which are not followed here.
  for (const result of audit.results) {
    outcome.results.push(result);
    outcome.anchorLines.set(result.path, anchors.get(result.path) ?? new Set());
    outcome.changedLines.set(
      result.path,
      manifests.find((manifest) => manifest.path === result.path)?.changedLines ?? null,
    );
    outcome.coveredPaths.add(result.path);
  }
  outcome.dependencyAudit = { affected: audit.affected };
  if (audit.skippedReason !== undefined)
    outcome.dependencyAudit.skippedReason = audit.skippedReason;
}

async function fetchFile(
  file: ChangedFile,
  lineSource: LineSource,
  options: ScanFilesOptions,
): Promise<Fetched> {
  if (file.sha === null) return skip(file.filename, 'GitHub lists no content for it');
  let bytes: Uint8Array;
  try {
    bytes = await fetchBlob(options.octokit, options.ref, file.sha);
  } catch (error: unknown) {
    // A temporary failure fails the job (it is retried); a refusal costs this file only, and
    // the check names it.
    const status = statusOf(error);
    if (status === undefined || isTransient(error)) throw error;
    return skip(file.filename, `could not be read from GitHub (HTTP ${status})`);
  }
  if (bytes.length > options.maxFileBytes) {
    return skip(
      file.filename,
      `${formatSize(bytes.length)} is larger than max_file_bytes (${formatSize(options.maxFileBytes)})`,
    );
  }
  if (looksBinary(bytes)) return skip(file.filename, 'binary content');
  return { ok: true, file, bytes, lineSource };
}

async function scanOne(
  item: Extract<Fetched, { ok: true }>,
  options: ScanFilesOptions,
  mergeBase: () => Promise<string>,
): Promise<{
  result: FileResult;
  anchorLines: ReadonlySet<number>;
  changedLines: ReadonlySet<number> | null;
}> {
  const { file, bytes } = item;
  const lines = await changedLinesOf(item, options, mergeBase);
  const result = await options.scanner.scanFile({
    path: file.filename,
    source: bytes,
    addedLines: lines.changedLines,
  });
  return { result, ...lines };
}

/**
 * The lines a fetched file adds or changes (null: every line) and the lines inline comments
 * may be anchored on. Without a patch, the file is compared with its merge-base version.
 */
async function changedLinesOf(
  item: Extract<Fetched, { ok: true }>,
  options: ScanFilesOptions,
  mergeBase: () => Promise<string>,
): Promise<{ changedLines: ReadonlySet<number> | null; anchorLines: ReadonlySet<number> }> {
  const { lineSource } = item;
  if (lineSource.from === 'patch') {
    return { changedLines: lineSource.lines, anchorLines: lineSource.lines };
  }
  if (lineSource.from === 'all') return { changedLines: null, anchorLines: new Set() };
  const baseText = await fetchTextAt(
    options.octokit,
    options.ref,
    lineSource.oldPath,
    await mergeBase(),
  );
  return {
    changedLines:
      baseText === null
        ? null
        : changedLinesBetween(baseText, new TextDecoder().decode(item.bytes)),
    anchorLines: new Set(),
  };
}

function skip(path: string, reason: string): Fetched {
  return { ok: false, notice: { path, kind: 'skipped', message: reason } };
}

/** Git's heuristic: a NUL byte in the first 8,000 bytes means binary. */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8000).includes(0);
}

/** `512 bytes`, `1.5 KiB`, `2 MiB`. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const kib = bytes / 1024;
  if (kib < 1024) return `${trimNumber(kib)} KiB`;
  return `${trimNumber(kib / 1024)} MiB`;
}

function trimNumber(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(1);
}

/** Runs `make` once, on first use, and shares its promise. */
function lazy<T>(make: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= make());
}
