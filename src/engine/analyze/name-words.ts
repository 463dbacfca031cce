/**
 * The words of an identifier, whatever its case style: `csrfToken`, `CSRF_TOKEN` and `csrf_token`
 * all read as `csrf`, `token`.
 */

/** Splits a name into lower-case words: `apiKey_v2` → `api`, `key`, `v`. Digits are dropped. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((word) => word !== '');
}
