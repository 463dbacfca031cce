/**
 * "Did you mean …?" for a mistyped flag, command or rule: the closest known word by edit
 * distance, when it is close enough to be a typo. Pure.
 */
import { editDistance } from '../config/suggest.js';

export { editDistance };

/**
 * The candidate closest to `word` (case-insensitive), if it is within a third of the word's
 * length (at least one edit, at most three); ties go to the earlier candidate.
 */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const wanted = word.toLowerCase();
  const limit = Math.min(3, Math.max(1, Math.floor(wanted.length / 3)));
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(wanted, candidate.toLowerCase());
    if (distance <= limit && (best === undefined || distance < best.distance)) {
      best = { candidate, distance };
    }
  }
  return best?.candidate;
}

/** `; did you mean 'x'?` or nothing. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const match = closestMatch(word, candidates);
  return match === undefined ? '' : `; did you mean '${match}'?`;
}
