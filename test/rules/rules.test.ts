import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { scanSource } from '../../src/engine/scan.js';
import { scanTemplate } from '../../src/engine/templates.js';
import type { FileResult, Profile } from '../../src/engine/types.js';
import { hasPythonChecks } from '../../src/rules-api/define-rule.js';
import { profilesOf } from '../../src/rules-api/registry.js';
import { readFixture } from './fixture.js';
import { formatGolden } from './golden.js';

const rulesDir = fileURLToPath(new URL('../../rules/', import.meta.url));

const srcDir = fileURLToPath(new URL('../../src/', import.meta.url));

/** The engine module each name `src/rules-api/index.ts` re-exports comes from, by name. */
const rulesApiSources = new Map<string, string>();
for (const match of readFileSync(`${srcDir}rules-api/index.ts`, 'utf8').matchAll(
  /export \{([^}]*)\} from '\.\.\/(engine\/[\w/-]+)\.js'/g,
)) {
  for (const name of (match[1] ?? '').split(',')) {
    const bare = name.trim().replace(/^type /, '');
    if (bare !== '') rulesApiSources.set(bare, `${srcDir}${match[2] ?? ''}.ts`);
  }
}

/**
 * Texts of the `rules/_shared` modules a rule source imports (message ids may live there), and of
 * the engine analyses those modules word through `src/rules-api` (`rules/_shared/argv.ts` holds
 * the templates of the message ids `argvVerdict` reports).
 */
function sharedModulesImportedBy(source: string): string[] {
  return [...source.matchAll(/from '\.\.\/_shared\/([\w-]+)\.js'/g)].flatMap((match) => {
    const shared = readFileSync(`${rulesDir}_shared/${match[1] ?? ''}.ts`, 'utf8');
    const fromApi =
      /import (?:type )?\{([^}]*)\} from '\.\.\/\.\.\/src\/rules-api\/index\.js'/.exec(shared);
    const engineFiles = new Set(
      (fromApi?.[1] ?? '')
        .split(',')
        .map((name) => rulesApiSources.get(name.trim().replace(/^type /, '')))
        .filter((file) => file !== undefined),
    );
    return [shared, ...[...engineFiles].map((file) => readFileSync(file, 'utf8'))];
  });
}

function describeLines(lines: Iterable<number>): string {
  return [...lines].sort((a, b) => a - b).join(', ');
}

describe.each(allRules.map((rule) => [`${rule.meta.id} ${rule.meta.slug}`, rule] as const))(
  '%s',
  (_, rule) => {
    const relative = `${rule.meta.category}/${rule.meta.slug}`;

    const pythonChecks = hasPythonChecks(rule);
    const templateChecks = rule.template !== undefined;

    it('lives in rules/<category>/<slug>.ts with its fixtures beside it', () => {
      expect(existsSync(`${rulesDir}${relative}.ts`)).toBe(true);
      expect(
        existsSync(`${rulesDir}${relative}.py`),
        pythonChecks
          ? 'a rule with Python checks needs a .py fixture'
          : 'a template-only rule has no .py fixture',
      ).toBe(pythonChecks);
      expect(
        existsSync(`${rulesDir}${relative}.html`),
        templateChecks
          ? 'a rule with template checks needs a .html fixture'
          : 'only template rules have a .html fixture',
      ).toBe(templateChecks);
    });

    const fixtures = [
      ...(pythonChecks ? [{ extension: 'py', scan: scanSource }] : []),
      ...(templateChecks ? [{ extension: 'html', scan: scanTemplate }] : []),
    ];
    const inDefault = profilesOf(rule).includes('default');
    /** Each fixture is scanned once per profile, by the first test that needs it. */
    const runs = new Map<string, { text: string; result: FileResult }>();
    const fixtureRun = (
      extension: string,
      profile: Profile = 'audit',
    ): { text: string; result: FileResult } => {
      const key = `${extension}:${profile}`;
      const cached = runs.get(key);
      if (cached !== undefined) return cached;
      const scan = extension === 'html' ? scanTemplate : scanSource;
      const text = readFileSync(`${rulesDir}${relative}.${extension}`, 'utf8');
      const path = `rules/${relative}.${extension}`;
      const run = { text, result: scan(path, text, { rules: [rule], profile }) };
      runs.set(key, run);
      return run;
    };
    for (const { extension } of fixtures) {
      it(`reports exactly the .${extension} fixture lines marked ruleid`, () => {
        const { text, result } = fixtureRun(extension);
        const fixture = readFixture(text, rule.meta.slug);
        expect(fixture.foreign, 'annotations must name this rule').toEqual([]);
        expect(
          fixture.expected.size,
          'a fixture needs at least one "ruleid:" line',
        ).toBeGreaterThan(0);
        expect(fixture.ok.size, 'a fixture needs at least one "ok:" line').toBeGreaterThan(0);

        expect(
          result.notices.filter(
            (notice) => notice.kind !== 'syntax-error' || !text.includes('# fixture: syntax-error'),
          ),
        ).toEqual([]);
        const reported = new Set(result.findings.map((finding) => finding.span.start.line));
        const expected = new Set([...fixture.expected, ...fixture.audit]);
        expect(
          inDefault || fixture.audit.size === 0,
          'an audit-only rule marks its lines "ruleid", not "auditid"',
        ).toBe(true);

        const missing = [...expected].filter((line) => !reported.has(line));
        const unexpected = [...reported].filter(
          (line) =>
            !expected.has(line) && !fixture.todoOk.has(line) && !fixture.todoExpected.has(line),
        );
        const promotedTodos = [...fixture.todoExpected].filter((line) => reported.has(line));
        const fixedTodoOk = [...fixture.todoOk].filter((line) => !reported.has(line));
        expect({
          missing: describeLines(missing),
          unexpected: describeLines(unexpected),
          todoruleidNowReported: describeLines(promotedTodos),
          todookNoLongerReported: describeLines(fixedTodoOk),
        }).toEqual({
          missing: '',
          unexpected: '',
          todoruleidNowReported: '',
          todookNoLongerReported: '',
        });
      });
    }

    if (inDefault) {
      for (const { extension } of fixtures) {
        it(`reports the .${extension} lines marked auditid under the audit profile only`, () => {
          const { text, result } = fixtureRun(extension, 'default');
          const fixture = readFixture(text, rule.meta.slug);
          const reported = new Set(result.findings.map((finding) => finding.span.start.line));
          const auditLines = fixture.audit;
          const audit = fixtureRun(extension, 'audit').result.findings;
          const markedAudit = new Set(
            audit
              .filter((finding) => finding.profile === 'audit')
              .map((finding) => finding.span.start.line),
          );
          expect({
            auditidReportedByDefault: describeLines([...auditLines].filter((l) => reported.has(l))),
            ruleidMissingByDefault: describeLines(
              [...fixture.expected].filter((line) => !reported.has(line)),
            ),
            auditidNotMarked: describeLines([...auditLines].filter((l) => !markedAudit.has(l))),
          }).toEqual({
            auditidReportedByDefault: '',
            ruleidMissingByDefault: '',
            auditidNotMarked: '',
          });
        });
      }
    }

    it('records every finding of its fixtures in rules/<category>/<slug>.snap', async () => {
      const golden = formatGolden(
        `${rule.meta.id} ${rule.meta.slug}`,
        fixtures.map(({ extension }) => ({
          path: `rules/${relative}.${extension}`,
          findings: fixtureRun(extension).result.findings,
        })),
        inDefault,
      );
      await expect(golden).toMatchFileSnapshot(`${rulesDir}${relative}.snap`);
    });

    it('uses every message id it declares', () => {
      const source = readFileSync(`${rulesDir}${relative}.ts`, 'utf8');
      const shared = sharedModulesImportedBy(source);
      for (const id of Object.keys(rule.messages)) {
        const named = source.includes(`'${id}'`) || shared.some((text) => text.includes(`'${id}'`));
        expect(named, `message id ${id} is never reported`).toBe(true);
      }
    });
  },
);
