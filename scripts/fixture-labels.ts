/**
 * Reads the `# ruleid:` / `# auditid:` / `# ok:` / `# todoruleid:` / `# todook:` annotations of a
 * rule fixture. `auditid` marks a line only the audit profile reports (a rule that runs under
 * both profiles must not report it under `default`).
 * Template fixtures write them as template or HTML comments: `{# ruleid: slug #}`,
 * `<!-- ok: slug -->`. An annotation applies to the next line that is neither blank nor a
 * comment (`# ...`, or a line holding only `{# ... #}` or `<!-- ... -->`).
 */
export interface FixtureExpectations {
  /** Lines that must be reported. */
  expected: Set<number>;
  /** Lines that must be reported under the audit profile and not under the default profile. */
  audit: Set<number>;
  /** Lines that must not be reported. */
  ok: Set<number>;
  /** Known false negatives: reported lines here mean the gap was closed. */
  todoExpected: Set<number>;
  /** Known false positives. */
  todoOk: Set<number>;
  /** Annotations naming another rule's slug (a fixture may only speak of its own rule). */
  foreign: string[];
}

const LABEL = String.raw`(ruleid|auditid|ok|todoruleid|todook)\s*:\s*([\w-]+(?:\s*,\s*[\w-]+)*)\s*`;
const ANNOTATION = new RegExp(
  String.raw`^\s*(?:#\s*${LABEL}|\{#\s*${LABEL}#\}|<!--\s*${LABEL}-->)\s*$`,
);
type Label = 'ruleid' | 'auditid' | 'ok' | 'todoruleid' | 'todook';

/** A line holding nothing but a template or HTML comment. */
const TEMPLATE_COMMENT_LINE = /^(?:\{#.*#\}|<!--.*-->)$/;

/**
 * The annotations of a labelled file. With a slug, annotations naming other rules are collected
 * as `foreign`; without one, every annotation counts (a corpus labelled for several rules).
 */
export function readFixture(text: string, slug?: string): FixtureExpectations {
  const lines = text.split(/\r?\n/);
  const result: FixtureExpectations = {
    expected: new Set(),
    audit: new Set(),
    ok: new Set(),
    todoExpected: new Set(),
    todoOk: new Set(),
    foreign: [],
  };
  const pending: Label[] = [];
  lines.forEach((line, index) => {
    const match = ANNOTATION.exec(line);
    if (match !== null) {
      // One pair of groups per comment form: `#`, `{# #}`, `<!-- -->`.
      const kind = (match[1] ?? match[3] ?? match[5]) as Label;
      const slugs = (match[2] ?? match[4] ?? match[6] ?? '').split(',').map((s) => s.trim());
      if (slug === undefined || slugs.includes(slug)) pending.push(kind);
      else result.foreign.push(`line ${index + 1}: ${slugs.join(', ')}`);
      return;
    }
    const trimmed = line.trim();
    if (
      trimmed === '' ||
      trimmed.startsWith('#') ||
      TEMPLATE_COMMENT_LINE.test(trimmed) ||
      pending.length === 0
    )
      return;
    const lineNumber = index + 1;
    for (const kind of pending) {
      const target = {
        ruleid: result.expected,
        auditid: result.audit,
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
