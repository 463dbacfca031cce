/**
 * PEP 503 name normalisation: runs of `-`, `_` and `.` become one `-`, in lower case, so
 * `Jinja2`, `zope.interface` and `Zope_Interface` compare as `jinja2` and `zope-interface`.
 */
export function normaliseName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}
