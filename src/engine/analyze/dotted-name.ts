/** The last part of a dotted name: `jsonify` for `flask.jsonify`, `create` for `objects.create`. */
export function lastSegment(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? name : name.slice(dot + 1);
}
