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
  const version = source?.version ?? '';
  if (repository === undefined || !/^\d+\.\d+\.\d+(?:[-+][\w.-]+)?$/.test(version)) {
    return undefined;
  }
  const root = `${repository}/blob/v${version}/docs/rules`;
  return (ruleId) => (RULE_ID.test(ruleId) ? `${root}/${ruleId}.md` : undefined);
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
