import { describe, expect, it } from 'vitest';

import { allRules } from '../../rules/index.js';
import { scanSource } from '../../src/engine/scan.js';
import type { Finding } from '../../src/engine/types.js';
import {
  REVIEW_MARKER,
  codeSpan,
  escapeMarkdown,
  findFingerprintMarkers,
  fingerprintMarker,
  inlineMarkdown,
  tableCell,
} from '../../src/report/markers.js';
import { commentBody, planReview, ruleMetaById, suggestedLine } from '../../src/report/review.js';
import { finding } from './findings.js';

const RULES = ruleMetaById(allRules);

const SAMPLE = `import hashlib
import subprocess

import yaml

DB_PASSWORD = "hunter2-secret"


def load_config(path):
    with open(path) as handle:
        return yaml.load(handle)


def archive(name):
    subprocess.run(f"tar czf {name}.tgz {name}", shell=True)


def checksum(data):
    return hashlib.md5(data).hexdigest()
`;

/** The rules the snapshots were taken with, so adding a rule elsewhere does not change them. */
const SNAPSHOT_RULES = allRules.filter((rule) =>
  ['PGC001', 'PGD003', 'PGI006', 'PGS001'].includes(rule.meta.id),
);

function sampleFindings(): Finding[] {
  return scanSource('app/service.py', SAMPLE, { rules: SNAPSHOT_RULES }).findings;
}

function lines(...numbers: number[]): Set<number> {
  return new Set(numbers);
}

function range(from: number, to: number): Set<number> {
  const set = new Set<number>();
  for (let line = from; line <= to; line++) set.add(line);
  return set;
}

const multiLine = finding({
  ruleId: 'PGI006',
  slug: 'subprocess-shell-true',
  title: 'subprocess call with shell=True',
  span: { start: { line: 10, column: 5 }, end: { line: 12, column: 20 } },
  snippet: '    subprocess.run(\n        cmd,\n        shell=True)',
  fingerprint: 'aaaa',
});

function plan(findings: Finding[], added: Set<number>, maxComments = 10) {
  return planReview({
    findings,
    addedLines: new Map([['app.py', added]]),
    maxComments,
    headSha: '0123456789abcdef0123456789abcdef01234567',
    rules: RULES,
  });
}

describe('markers', () => {
  it('round-trips fingerprints, including ones that could end a comment', () => {
    for (const fp of ['0123456789abcdef', 'a b-->c', 'ünï/cøde%']) {
      expect(findFingerprintMarkers(`text\n${fingerprintMarker(fp)}\n`)).toEqual([fp]);
    }
    expect(fingerprintMarker('abc')).toBe('<!-- pyguard:fp=abc -->');
  });

  it('finds every marker once, only on lines of their own', () => {
    const body = [
      fingerprintMarker('one'),
      `code <!-- pyguard:fp=forged --> here`,
      fingerprintMarker('two'),
      fingerprintMarker('one'),
    ].join('\r\n');
    expect(findFingerprintMarkers(body)).toEqual(['one', 'two']);
    expect(findFingerprintMarkers('nothing here')).toEqual([]);
  });

  it('escapes untrusted Markdown', () => {
    expect(escapeMarkdown('<img src=x onerror=alert(1)> *a* [l](u) @octocat')).toBe(
      '\\<img src=x onerror=alert(1)\\> \\*a\\* \\[l\\](u) @&#8203;octocat',
    );
    expect(codeSpan('a`b')).toBe('``a`b``');
    expect(codeSpan('`x')).toBe('`` `x ``');
    expect(inlineMarkdown('`yaml.load` of <b>')).toBe('`yaml.load` of \\<b\\>');
    expect(tableCell(codeSpan('a|b'))).toBe('`a\\|b`');
  });
});

describe('planReview anchoring', () => {
  it('anchors on the first line when it is added', () => {
    const result = plan([multiLine], lines(10, 12));
    expect(result?.comments).toHaveLength(1);
    expect(result?.comments[0]).toMatchObject({ path: 'app.py', line: 10, side: 'RIGHT' });
    expect(result?.comments[0]).not.toHaveProperty('start_line');
  });

  it('anchors on a later line when only that one is added', () => {
    const result = plan([multiLine], lines(11));
    expect(result?.comments[0]?.line).toBe(11);
    expect(result?.unanchored).toEqual([]);
  });

  it('uses a range when every line of the span is added', () => {
    const result = plan([multiLine], range(9, 13));
    expect(result?.comments[0]).toMatchObject({
      start_line: 10,
      start_side: 'RIGHT',
      line: 12,
      side: 'RIGHT',
    });
  });

  it('does not span a range across lines that are not added', () => {
    const result = plan([multiLine], lines(10, 12));
    expect(result?.comments[0]?.line).toBe(10);
    expect(result?.comments[0]?.start_line).toBeUndefined();
  });

  it('treats a span ending at column 1 as ending on the line before', () => {
    const whole = finding({
      span: { start: { line: 3, column: 1 }, end: { line: 5, column: 1 } },
      snippet: 'a\nb\n',
    });
    expect(plan([whole], lines(3, 4))?.comments[0]).toMatchObject({ start_line: 3, line: 4 });
  });

  it('puts findings that touch no added line in unanchored, listed in the body', () => {
    const result = plan([multiLine], lines(1, 2, 13));
    expect(result?.comments).toEqual([]);
    expect(result?.unanchored).toEqual([multiLine]);
    expect(result?.body).toContain('`app.py:10`');
    const other = planReview({
      findings: [multiLine],
      addedLines: new Map([['other.py', lines(10)]]),
      maxComments: 5,
      headSha: 'abc',
      rules: RULES,
    });
    expect(other?.unanchored).toEqual([multiLine]);
  });

  it('returns undefined when there is nothing to post', () => {
    expect(plan([], lines(1))).toBeUndefined();
  });
});

describe('planReview limits', () => {
  const low = finding({
    severity: 'low',
    fingerprint: 'f-low',
    span: { start: { line: 1, column: 1 }, end: { line: 1, column: 5 } },
  });
  const medium = finding({
    severity: 'medium',
    fingerprint: 'f-medium',
    span: { start: { line: 2, column: 1 }, end: { line: 2, column: 5 } },
  });
  const high = finding({
    severity: 'high',
    fingerprint: 'f-high',
    span: { start: { line: 3, column: 1 }, end: { line: 3, column: 5 } },
  });

  it('comments on the most severe findings and lists the rest in the body', () => {
    const result = plan([low, medium, high], range(1, 3), 2);
    expect(result?.comments.map((comment) => comment.line)).toEqual([2, 3]);
    expect(result?.overflow).toEqual([low]);
    expect(result?.body.startsWith(REVIEW_MARKER)).toBe(true);
    expect(result?.body).toContain(
      'PyGuard found 3 new problems in this push (1 high, 1 medium, 1 low) at 0123456.',
    );
    expect(result?.body).toContain('`app.py:1`');
    expect(findFingerprintMarkers(result?.body ?? '')).toEqual(['f-low']);
  });

  it('lists everything in the body when no inline comments are allowed', () => {
    const result = plan([low, high], range(1, 3), 0);
    expect(result?.comments).toEqual([]);
    expect(result?.overflow).toEqual([low, high]);
  });

  it('keeps the review body under the size limit with thousands of findings', () => {
    const many = Array.from({ length: 5000 }, (_, index) =>
      finding({
        fingerprint: `fp${index}`,
        span: { start: { line: index + 1, column: 1 }, end: { line: index + 1, column: 5 } },
      }),
    );
    const result = plan(many, range(1, 5000), 25);
    expect(result?.comments).toHaveLength(25);
    expect(result?.overflow).toHaveLength(4975);
    const body = result?.body ?? '';
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(65_535);
    expect(body).toMatch(/- … and \d+ more/);
    const listed = findFingerprintMarkers(body);
    expect(listed.length).toBeGreaterThan(50);
    expect(body).toContain('`app.py:26`');
  });
});

describe('suggestions', () => {
  const yaml = finding({
    span: { start: { line: 3, column: 8 }, end: { line: 3, column: 23 } },
    snippet: 'conf = yaml.load(data)',
    fix: {
      description: 'Use safe_load',
      span: { start: { line: 3, column: 13 }, end: { line: 3, column: 17 } },
      replacement: 'safe_load',
    },
  });

  it('offers the whole new line for a one-line fix on the anchored line', () => {
    const result = plan([yaml], lines(3));
    const body = result?.comments[0]?.body ?? '';
    expect(body).toContain('```suggestion\nconf = yaml.safe_load(data)\n```');
  });

  it('counts fix columns in UTF-16 units', () => {
    const [wide] = scanSource('app.py', 'import yaml\ns = "é€😀"; y = yaml.load(s)\n', {
      rules: SNAPSHOT_RULES,
    }).findings;
    expect(wide && suggestedLine(wide)).toBe('s = "é€😀"; y = yaml.safe_load(s)');
  });

  it('applies every edit of a fix on the suggested line', () => {
    const shell = finding({
      span: { start: { line: 3, column: 1 }, end: { line: 3, column: 37 } },
      snippet: 'subprocess.run("ls -l", shell=True)',
      fix: {
        description: 'Pass an argument list without a shell',
        span: { start: { line: 3, column: 16 }, end: { line: 3, column: 23 } },
        replacement: '["ls", "-l"]',
        additionalEdits: [
          {
            span: { start: { line: 3, column: 31 }, end: { line: 3, column: 35 } },
            replacement: 'False',
          },
        ],
      },
    });
    expect(suggestedLine(shell)).toBe('subprocess.run(["ls", "-l"], shell=False)');
    const body = plan([shell], lines(3))?.comments[0]?.body ?? '';
    expect(body).not.toContain('Also ');
  });

  it('says in words what a suggestion cannot show, and shows none for an edit it cannot say', () => {
    const importEdit = {
      span: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } },
      replacement: 'import secrets\n',
    };
    const mainEdit = {
      description: 'Use `secrets.choice`',
      span: { start: { line: 3, column: 9 }, end: { line: 3, column: 22 } },
      replacement: 'secrets.choice',
    };
    const where = {
      snippet: 'token = random.choice(ALPHABET)',
      span: { start: { line: 3, column: 9 }, end: { line: 3, column: 32 } },
    };
    const described = finding({
      ...where,
      fix: {
        ...mainEdit,
        additionalEdits: [
          { ...importEdit, description: "add `import secrets` with the file's imports" },
        ],
      },
    });
    const body = plan([described], lines(3))?.comments[0]?.body ?? '';
    expect(body).toContain(
      "Also add `import secrets` with the file's imports (line 1) when you commit this suggestion, which cannot change other lines; `pyguard scan --fix` makes both changes.",
    );
    expect(body).toContain('```suggestion\ntoken = secrets.choice(ALPHABET)\n```');
    const silent = finding({ ...where, fix: { ...mainEdit, additionalEdits: [importEdit] } });
    expect(suggestedLine(silent)).toBeUndefined();
    expect(plan([silent], lines(3))?.comments[0]?.body).not.toContain('```suggestion');
  });

  it('offers no suggestion for a fix spanning lines', () => {
    const spread = finding({
      ...multiLine,
      fix: {
        description: 'Drop shell',
        span: { start: { line: 10, column: 5 }, end: { line: 12, column: 19 } },
        replacement: 'subprocess.run(cmd)',
      },
    });
    const result = plan([spread], range(10, 12));
    expect(result?.comments[0]?.body).not.toContain('suggestion');
    expect(result?.comments[0]?.start_line).toBe(10);
  });

  it('offers no suggestion when the fix line is not the commented line', () => {
    const later = finding({
      ...multiLine,
      fix: {
        description: 'Turn the shell off',
        span: { start: { line: 12, column: 15 }, end: { line: 12, column: 19 } },
        replacement: 'False',
      },
    });
    const onlyFirst = plan([later], lines(10));
    expect(onlyFirst?.comments[0]?.line).toBe(10);
    expect(onlyFirst?.comments[0]?.body).not.toContain('```suggestion');
    const fixLineAdded = plan([later], lines(10, 12));
    expect(fixLineAdded?.comments[0]?.line).toBe(12);
    expect(fixLineAdded?.comments[0]?.body).toContain('```suggestion\n        shell=False)\n```');
  });

  it('offers one suggestion per line, in the one comment of that line', () => {
    const second = { ...yaml, ruleId: 'PGX001', fingerprint: 'other' };
    const result = plan([yaml, second], lines(3));
    expect(result?.comments).toHaveLength(1);
    const body = result?.comments[0]?.body ?? '';
    expect(body.split('```suggestion')).toHaveLength(2);
    const [first, rest] = body.split('\n\n---\n\n');
    expect(first).toContain('**PGD003');
    expect(first).toContain('```suggestion');
    expect(rest).toContain('**PGX001');
    expect(findFingerprintMarkers(body)).toEqual([yaml.fingerprint, 'other']);
    expect(result?.commented).toEqual([yaml, second]);
  });

  it('uses a fence longer than any backtick run in the line', () => {
    const ticks = finding({
      span: { start: { line: 3, column: 1 }, end: { line: 3, column: 25 } },
      snippet: 'yaml.load("````") # ```',
      fix: {
        description: 'Use safe_load',
        span: { start: { line: 3, column: 6 }, end: { line: 3, column: 10 } },
        replacement: 'safe_load',
      },
    });
    const body = commentBody(ticks, { withSuggestion: true });
    expect(body).toContain('`````suggestion\nyaml.safe_load("````") # ```\n`````');
  });

  it('shows no suggestion for lines with bidi overrides or markers', () => {
    const tricky = finding({
      snippet: 'conf = yaml.load(data) # \u202e',
      fix: {
        description: 'Use safe_load',
        span: { start: { line: 3, column: 13 }, end: { line: 3, column: 17 } },
        replacement: 'safe_load',
      },
    });
    expect(suggestedLine(tricky)).toBeUndefined();
    expect(
      suggestedLine({ ...tricky, snippet: 'conf = yaml.load(data) # <!-- x -->' }),
    ).toBeUndefined();
  });
});

describe('comment body', () => {
  it('names the rule, explains, links the docs, tells how to suppress and ends with the marker', () => {
    const body = commentBody(finding(), {
      withSuggestion: false,
      docsUrl: (id) => `https://example.com/rules/${id}.md`,
    });
    expect(body).toContain('**PGD003 · YAML loaded with an unsafe loader** (high severity');
    expect(body).toContain('[PGD003 documentation](https://example.com/rules/PGD003.md)');
    expect(body).toContain('`# pyguard: ignore[PGD003] <reason>`');
    expect(body.endsWith(fingerprintMarker(finding().fingerprint))).toBe(true);
    expect(findFingerprintMarkers(body)).toEqual([finding().fingerprint]);
  });

  it('escapes the message', () => {
    const body = commentBody(finding({ message: 'bad <script>alert(1)</script> from @admin' }), {
      withSuggestion: false,
    });
    expect(body).not.toContain('<script>');
    expect(body).toContain('@&#8203;admin');
  });
});

describe('snapshots of what people read', () => {
  it('comment body with a suggestion', () => {
    const yamlFinding = sampleFindings().find((f) => f.ruleId === 'PGD003');
    expect(yamlFinding).toBeDefined();
    if (yamlFinding === undefined) return;
    expect(
      commentBody(yamlFinding, {
        withSuggestion: true,
        docsUrl: (id) => `https://github.com/acme/pyguard/blob/main/docs/rules/${id}.md`,
        rules: RULES,
      }),
    ).toMatchSnapshot();
  });

  it('comment body with a suggestion that needs an import', () => {
    const source = [
      '"""Password reset codes."""',
      'import random',
      'import string',
      '',
      '',
      'def new_reset_code():',
      '    reset_code = "".join(random.choice(string.digits) for _ in range(6))',
      '    return reset_code',
      '',
    ].join('\n');
    const [reset] = scanSource('app/reset.py', source, {
      rules: allRules.filter((rule) => rule.meta.slug === 'insecure-randomness'),
    }).findings;
    expect(reset?.fix?.additionalEdits).toHaveLength(1);
    if (reset === undefined) return;
    expect(
      commentBody(reset, {
        withSuggestion: true,
        docsUrl: (id) => `https://github.com/acme/pyguard/blob/main/docs/rules/${id}.md`,
        rules: RULES,
      }),
    ).toMatchSnapshot();
  });

  it('review body with overflow', () => {
    const findings = sampleFindings();
    const result = planReview({
      findings,
      addedLines: new Map([['app/service.py', range(1, 20)]]),
      maxComments: 2,
      headSha: '9fceb02d0ae598e95dc970b74767f19372d61af8',
      rules: RULES,
    });
    expect(result?.comments.map((comment) => comment.line)).toEqual([6, 11]);
    expect(result?.body).toMatchSnapshot();
  });
});
