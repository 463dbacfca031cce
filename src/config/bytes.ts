/** Sizes in the configuration (`max_file_bytes: 2MB`). */

const BYTE_UNITS: ReadonlyMap<string, number> = new Map([
  ['', 1],
  ['b', 1],
  ['byte', 1],
  ['bytes', 1],
  ['k', 1024],
  ['kb', 1024],
  ['kib', 1024],
  ['m', 1024 ** 2],
  ['mb', 1024 ** 2],
  ['mib', 1024 ** 2],
  ['g', 1024 ** 3],
  ['gb', 1024 ** 3],
  ['gib', 1024 ** 3],
]);

const BYTE_SIZE = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/;

/**
 * Parse a size such as `500KB`, `2MB`, `1 MiB` or `1048576` into bytes. Units are binary:
 * KB and KiB both mean 1024 bytes. Returns null for anything else or a size below one byte.
 */
export function parseByteSize(text: string): number | null {
  const match = BYTE_SIZE.exec(
    text
      .trim()
      .toLowerCase()
      .replace(/(?<=\d)_(?=\d)/g, ''),
  );
  if (match === null) return null;
  const multiplier = BYTE_UNITS.get(match[2] ?? '');
  if (multiplier === undefined) return null;
  const bytes = Math.floor(Number(match[1]) * multiplier);
  return Number.isSafeInteger(bytes) && bytes >= 1 ? bytes : null;
}
