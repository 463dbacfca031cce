/**
 * Reads the `# ruleid:` / `# ok:` / `# todoruleid:` / `# todook:` annotations of a rule fixture.
 * An annotation applies to the next line that is neither blank nor a comment.
 */
export interface FixtureExpectations {
  /** Lines that must be reported. */
  expected: Set<number>;
  /** Lines that must not be reported. */
  ok: Set<number>;
  /** Known false negatives: reported lines here mean the gap was closed. */
  todoExpected: Set<number>;
  /** Known false positives. */
  todoOk: Set<number>;
  /** Annotations naming another rule's slug (a fixture may only speak of its own rule). */
  foreign: string[];
}

const ANNOTATION = /^\s*#\s*(ruleid|ok|todoruleid|todook)\s*:\s*([\w-]+(?:\s*,\s*[\w-]+)*)\s*$/;

export function readFixture(text: string, slug: string): FixtureExpectations {
  const lines = text.split(/\r?\n/);
  const result: FixtureExpectations = {
    expected: new Set(),
    ok: new Set(),
    todoExpected: new Set(),
    todoOk: new Set(),
    foreign: [],
  };
  const pending: ('ruleid' | 'ok' | 'todoruleid' | 'todook')[] = [];
  lines.forEach((line, index) => {
    const match = ANNOTATION.exec(line);
    if (match !== null) {
      const kind = match[1] as 'ruleid' | 'ok' | 'todoruleid' | 'todook';
      const slugs = (match[2] ?? '').split(',').map((s) => s.trim());
      if (slugs.includes(slug)) pending.push(kind);
      else result.foreign.push(`line ${index + 1}: ${slugs.join(', ')}`);
      return;
    }
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || pending.length === 0) return;
    const lineNumber = index + 1;
    for (const kind of pending) {
      const target = {
        ruleid: result.expected,
        ok: result.ok,
        todoruleid: result.todoExpected,
        todook: result.todoOk,
      }[kind];
      target.add(lineNumber);
    }
    pending.length = 0;
  });
  return result;
}
