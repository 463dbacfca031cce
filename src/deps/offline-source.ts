/**
 * Advisories from a directory of OSV records: the layout of OSV's per-ecosystem export
 * (`https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip`) unzipped, one `<ID>.json`
 * per advisory, directly in the directory or under `PyPI/`. For air-gapped installations and tests.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

import {
  AdvisoryUnavailableError,
  type AdvisorySource,
  type PackageQuery,
} from './advisory-source.js';
import { affectsVersion } from './matching.js';
import { normaliseName } from './names.js';
import { readOsvRecord, type OsvRecord } from './osv-record.js';

/** Files read in parallel while loading a directory. */
const READ_AT_ONCE = 64;

/** Records of a directory indexed by the PyPI packages they affect. */
export class OfflineOsvSource implements AdvisorySource {
  readonly description: string;

  private constructor(
    directory: string,
    private readonly byPackage: ReadonlyMap<string, readonly OsvRecord[]>,
    /** Files that could not be read as OSV records, with the reason. */
    readonly unreadable: readonly string[],
  ) {
    this.description = `offline OSV records in ${directory}`;
  }

  /**
   * Reads every `*.json` record of a directory (and of its `PyPI/` subdirectory).
   * @throws AdvisoryUnavailableError when the directory cannot be read.
   */
  static async fromDirectory(directory: string): Promise<OfflineOsvSource> {
    let files: string[];
    try {
      files = await recordFiles(directory);
    } catch (error: unknown) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new AdvisoryUnavailableError(`cannot read the OSV directory ${directory}: ${reason}`);
    }
    const byPackage = new Map<string, OsvRecord[]>();
    const unreadable: string[] = [];
    for (let start = 0; start < files.length; start += READ_AT_ONCE) {
      const chunk = files.slice(start, start + READ_AT_ONCE);
      for (const outcome of await Promise.all(chunk.map(readRecordFile))) {
        if (typeof outcome === 'string') {
          unreadable.push(outcome);
          continue;
        }
        const names = new Set(
          outcome.affected
            .filter((affected) => affected.package?.ecosystem.split(':')[0] === 'PyPI')
            .map((affected) => normaliseName(affected.package?.name ?? '')),
        );
        for (const name of names) {
          const list = byPackage.get(name);
          if (list === undefined) byPackage.set(name, [outcome]);
          else list.push(outcome);
        }
      }
    }
    return new OfflineOsvSource(directory, byPackage, unreadable);
  }

  advisoriesFor(queries: readonly PackageQuery[]): Promise<OsvRecord[][]> {
    return Promise.resolve(
      queries.map((query) =>
        (this.byPackage.get(query.name) ?? []).filter((record) =>
          affectsVersion(record, query.name, query.version),
        ),
      ),
    );
  }
}

/** One record file, or why it could not be read (`<file>: <reason>`). */
async function readRecordFile(file: string): Promise<OsvRecord | string> {
  try {
    const record = readOsvRecord(JSON.parse(await readFile(file, 'utf8')));
    return record ?? `${file}: not an OSV record (no "id")`;
  } catch (error: unknown) {
    return `${file}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** The `*.json` files of a directory and of its `PyPI/` subdirectory, sorted. */
async function recordFiles(directory: string): Promise<string[]> {
  const directories = [directory];
  const pypi = join(directory, 'PyPI');
  if ((await stat(pypi).catch(() => undefined))?.isDirectory() === true) directories.push(pypi);
  const files: string[] = [];
  for (const dir of directories) {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.json')) files.push(join(dir, entry.name));
    }
  }
  return files.sort();
}
