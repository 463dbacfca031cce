/** A region of text between an opening and a closing delimiter, both included. */
export interface DelimitedRegion {
  start: number;
  /** Offset just after the closing delimiter. */
  end: number;
  /** Index of the delimiter pair in the list given. */
  pair: number;
}

/**
 * The non-overlapping regions of `text` enclosed by the given delimiter pairs (such as `{{`/`}}`
 * and `{#`/`#}`), in order; whichever opening comes first wins, and the region swallows any
 * opening inside it. Linear time, whatever the input: an opening without a closer after it is
 * taken as text, and that pair is not looked for again (no later opening can be closed either).
 */
export function delimitedRegions(
  text: string,
  pairs: readonly (readonly [open: string, close: string])[],
): DelimitedRegion[] {
  const regions: DelimitedRegion[] = [];
  const next = pairs.map(([open]) => text.indexOf(open));
  let position = 0;
  for (;;) {
    let best = -1;
    for (let pair = 0; pair < pairs.length; pair++) {
      let at = next[pair] ?? -1;
      if (at !== -1 && at < position) {
        at = text.indexOf(pairs[pair]?.[0] ?? '', position);
        next[pair] = at;
      }
      if (at !== -1 && (best === -1 || at < (next[best] ?? -1))) best = pair;
    }
    const delimiters = pairs[best];
    const start = next[best];
    if (delimiters === undefined || start === undefined) return regions;
    const [open, close] = delimiters;
    const closing = text.indexOf(close, start + open.length);
    if (closing === -1) {
      next[best] = -1;
      position = start + open.length;
      continue;
    }
    const end = closing + close.length;
    regions.push({ start, end, pair: best });
    position = end;
  }
}
