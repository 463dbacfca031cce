/**
 * PyGuard's own version and home page, from its package.json (found by walking up from this
 * module, so it works from `src/` under tests and from `dist/src/` when built).
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ToolInfo {
  version: string;
  /** `homepage` or the repository's web address, when package.json has one. */
  informationUri: string | undefined;
}

const PACKAGE_NAME = 'pyguard';
const UNKNOWN: ToolInfo = { version: '0.0.0', informationUri: undefined };

let cached: Promise<ToolInfo> | undefined;

/** Reads PyGuard's package.json once. Never throws: unknown values fall back to `0.0.0`. */
export function readToolInfo(): Promise<ToolInfo> {
  cached ??= findToolInfo(dirname(fileURLToPath(import.meta.url)));
  return cached;
}

let cachedSync: ToolInfo | undefined;

/** {@link readToolInfo} for callers that cannot wait (building the App at start-up). */
export function readToolInfoSync(): ToolInfo {
  if (cachedSync !== undefined) return cachedSync;
  const start = dirname(fileURLToPath(import.meta.url));
  for (let directory = start; ; directory = dirname(directory)) {
    const info = toolInfoOf(readTextSync(join(directory, 'package.json')));
    if (info !== undefined || dirname(directory) === directory) {
      cachedSync = info ?? UNKNOWN;
      return cachedSync;
    }
  }
}

function readTextSync(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

async function findToolInfo(start: string): Promise<ToolInfo> {
  for (let directory = start; ; directory = dirname(directory)) {
    const info = await readPackage(join(directory, 'package.json'));
    if (info !== undefined) return info;
    if (dirname(directory) === directory) return UNKNOWN;
  }
}

async function readPackage(path: string): Promise<ToolInfo | undefined> {
  try {
    return toolInfoOf(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The tool info of package.json's text, when it is PyGuard's. */
function toolInfoOf(text: string | undefined): ToolInfo | undefined {
  if (text === undefined) return undefined;
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(manifest) || manifest['name'] !== PACKAGE_NAME) return undefined;
  const version = manifest['version'];
  return {
    version: typeof version === 'string' ? version : UNKNOWN.version,
    informationUri: homepageOf(manifest),
  };
}

function homepageOf(manifest: Readonly<Record<string, unknown>>): string | undefined {
  const homepage = manifest['homepage'];
  if (typeof homepage === 'string' && /^https?:\/\//.test(homepage)) return homepage;
  const repository = manifest['repository'];
  const url = isRecord(repository) ? repository['url'] : repository;
  if (typeof url !== 'string') return undefined;
  const web = url.replace(/^git\+/, '').replace(/\.git$/, '');
  return /^https?:\/\//.test(web) ? web : undefined;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
