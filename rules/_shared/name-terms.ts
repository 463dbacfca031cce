/**
 * Matches snake_case terms against the words of a name (split with `nameWords` from
 * `src/rules-api`), so that `csrfToken`, `CSRF_TOKEN` and `csrf_token` all contain the term
 * `token`, and `apikey`, `api_key` and `ApiKey` all contain `api_key`.
 */

/** Where a term was found in a word list: words `start` (inclusive) to `end` (exclusive). */
export interface TermMatch {
  term: string;
  start: number;
  end: number;
}

/**
 * Finds the first term (snake_case, e.g. `api_key`) in a word list. A term matches its words in
 * sequence (`api`, `key`) or run together as one word (`apikey`); its last word may take a
 * plural `s`.
 */
export function findTerm(
  words: readonly string[],
  terms: readonly string[],
): TermMatch | undefined {
  for (const term of terms) {
    const parts = term.split('_');
    const joined = parts.join('');
    for (let start = 0; start < words.length; start++) {
      const word = words[start];
      if (word === joined || word === `${joined}s`) return { term, start, end: start + 1 };
      if (parts.length > 1 && partsMatchAt(words, parts, start))
        return { term, start, end: start + parts.length };
    }
  }
  return undefined;
}

function partsMatchAt(words: readonly string[], parts: readonly string[], start: number): boolean {
  return parts.every((part, offset) => {
    const word = words[start + offset];
    if (word === undefined) return false;
    return word === part || (offset === parts.length - 1 && word === `${part}s`);
  });
}

/** Whether any word outside a match's span is in `words`. */
export function otherWordIn(
  words: readonly string[],
  match: TermMatch,
  set: ReadonlySet<string>,
): boolean {
  return words.some((word, index) => (index < match.start || index >= match.end) && set.has(word));
}
