/** Source text squeezed onto one line and cut to `max` characters, for quoting code in messages. */
export function shortText(source: string, max = 40): string {
  const flat = source.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}
