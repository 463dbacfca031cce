/**
 * Where a rule's page is linked from comments, the check summary and SARIF: `PYGUARD_DOCS_URL`
 * when set (`<url>/<RULE-ID>.md`), else the page in PyGuard's own repository at the installed
 * version (`<repository>/blob/v<version>/docs/rules/<RULE-ID>.md`), so a link always shows the
 * rule as the running PyGuard applies it. Pure.
 */
import type { DocsUrl } from './review.js';

/** What the default link is built from: PyGuard's version and repository (package.json). */
export interface DocsSource {
  version: string;
  /** The repository's web address (`https://github.com/OWNER/pyguard`), when known. */
  informationUri?: string | undefined;
  /** The git ref the pages are read at; `v<version>` when absent. */
  ref?: string | undefined;
}

/** Rule ids PyGuard documents under docs/rules (`PGI001`). */
const RULE_ID = /^PG[A-Z]\d{3}$/;

/**
 * The link of each rule's page: under `override` when it is set, else at the installed version
 * in the repository `source` names (only for a repository address `https://host/owner/name`
 * and a release version). Undefined when neither gives one.
 */
export function ruleDocsUrl(
  override: string | undefined,
  source: DocsSource | undefined,
): DocsUrl | undefined {
  const base = override?.trim() ?? '';
  if (base !== '') {
    const root = base.replace(/\/+$/, '');
    return (ruleId) => `${root}/${ruleId}.md`;
  }
  const repository = repositoryAddress(source?.informationUri);
  const ref = source?.ref ?? releaseTag(source?.version ?? '');
  if (repository === undefined || ref === undefined) return undefined;
  const root = `${repository}/blob/${ref}/docs/rules`;
  return (ruleId) => (RULE_ID.test(ruleId) ? `${root}/${ruleId}.md` : undefined);
}

/** The tag of a release version (`v1.4.2`); undefined for anything else. */
function releaseTag(version: string): string | undefined {
  return /^\d+\.\d+\.\d+(?:[-+][\w.-]+)?$/.test(version) ? `v${version}` : undefined;
}

/**
 * Where a workflow fetched the PyGuard Action it runs: the repository and ref in the runner's
 * action directory (`GITHUB_ACTION_PATH`, `…/_actions/<owner>/<repo>/<ref>`), on the workflow's
 * GitHub server (`GITHUB_SERVER_URL`). The pages at that ref describe exactly the rules that run.
 * Undefined for an action checked out in the workspace (`uses: ./`), whose path says neither.
 */
export function actionDocsSource(
  env: Readonly<Record<string, string | undefined>>,
  version: string,
): DocsSource | undefined {
  const segments = (env['GITHUB_ACTION_PATH'] ?? '').split(/[\\/]+/).filter((part) => part !== '');
  const marker = segments.lastIndexOf('_actions');
  if (marker < 0 || segments.length !== marker + 4) return undefined;
  const [owner, name, ref] = segments.slice(marker + 1) as [string, string, string];
  const server = (env['GITHUB_SERVER_URL'] ?? 'https://github.com').replace(/\/+$/, '');
  return { version, informationUri: `${server}/${owner}/${name}`, ref: encodeURI(ref) };
}

/** `https://github.com/OWNER/pyguard` from a homepage or repository address, if it is one. */
function repositoryAddress(uri: string | undefined): string | undefined {
  if (uri === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const segments = url.pathname.split('/').filter((segment) => segment !== '');
  if (segments.length !== 2) return undefined;
  const [owner, name] = segments as [string, string];
  return `${url.origin}/${owner}/${name.replace(/\.git$/, '')}`;
}
