/**
 * Looks a key up in a constant table written as an object literal, reading only the table's own
 * entries: keys come from the scanned code (method names, identifiers), and `constructor` or
 * `toString` must not find `Object.prototype`'s members.
 */
export function ownEntry<V>(table: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
