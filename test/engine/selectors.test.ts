import { describe, expect, it } from 'vitest';
import { defineRule } from '../../src/rules-api/define-rule.js';
import type { AnyRule, RuleSelect } from '../../src/rules-api/types.js';
import { scanSource } from '../../src/engine/scan.js';
import { textPrefilter, wordsPresent } from '../../src/engine/selectors.js';

/** A rule that reports every call its `call` visitor sees, and records files it was created for. */
function callRecorder(
  id: string,
  select?: RuleSelect,
  visits: string[] = [],
): { rule: AnyRule; created: string[] } {
  const created: string[] = [];
  const rule = defineRule({
    meta: {
      id,
      slug: `recorder-${id.toLowerCase()}`,
      title: 'Records calls',
      category: 'misc',
      severity: 'low',
      confidence: 'low',
      cwe: [],
      description: 'Reports every call it sees.',
      why: 'Test.',
      fix: 'Test.',
      example: { bad: 'f()', good: 'g' },
      bandit: [],
      ruff: [],
    },
    messages: { seen: 'saw {{callee}}' },
    ...(select === undefined ? {} : { select }),
    create(context) {
      created.push(context.path);
      return {
        call(node) {
          const callee = context.call(node).callee;
          visits.push(id);
          context.report({ node, messageId: 'seen', data: { callee: context.textOf(callee) } });
        },
      };
    },
  });
  return { rule, created };
}

const SOURCE = [
  'import subprocess',
  'import lxml.etree as etree',
  'subprocess.run(cmd)',
  'etree.parse(data)',
  'cursor.execute(query)',
  'print(x)',
  '',
].join('\n');

function seen(rules: readonly AnyRule[], source = SOURCE, path = 'app.py'): string[] {
  return scanSource(path, source, { rules }).findings.map(
    (finding) => `${finding.ruleId}:${finding.message}`,
  );
}

describe('rules routed by what they select', () => {
  it('hands a rule without selectors every call', () => {
    const { rule } = callRecorder('PGM901');
    expect(seen([rule])).toEqual([
      'PGM901:saw subprocess.run',
      'PGM901:saw etree.parse',
      'PGM901:saw cursor.execute',
      'PGM901:saw print',
    ]);
  });

  it('hands a rule only the calls whose qualified name, name prefix or method it selected', () => {
    const byName = callRecorder('PGM902', { calls: ['subprocess.run'] }).rule;
    const byPrefix = callRecorder('PGM903', { calls: ['lxml.*'] }).rule;
    const byMethod = callRecorder('PGM904', { methods: ['execute'] }).rule;
    expect(seen([byName, byPrefix, byMethod])).toEqual([
      'PGM902:saw subprocess.run',
      'PGM903:saw etree.parse',
      'PGM904:saw cursor.execute',
    ]);
  });

  it('calls a visitor once for a call selected both by name and by method', () => {
    const both = callRecorder('PGM905', { calls: ['subprocess.run'], methods: ['run'] }).rule;
    expect(seen([both])).toEqual(['PGM905:saw subprocess.run']);
  });

  it('does not select a name by a prefix that is not a whole dotted segment', () => {
    const rule = callRecorder('PGM906', { calls: ['subprocess.r.*', 'lxml.et.*'] }).rule;
    expect(seen([rule])).toEqual([]);
  });

  it('skips a rule on files whose text and path contain none of its words', () => {
    const skipped = callRecorder('PGM907', { text: ['pickle'] });
    const kept = callRecorder('PGM908', { text: ['pickle', 'subprocess'] });
    const byPath = callRecorder('PGM909', { text: ['handlers'] });
    scanSource('web/handlers.py', SOURCE, { rules: [skipped.rule, kept.rule, byPath.rule] });
    expect(skipped.created).toEqual([]);
    expect(kept.created).toEqual(['web/handlers.py']);
    expect(byPath.created).toEqual(['web/handlers.py']);
  });

  it('finds words that start inside or are contained in another word found', () => {
    const rules = [
      callRecorder('PGM910', { text: ['xmlrpc', 'rpc', 'xml', 'mlr'] }).rule,
      callRecorder('PGM911', { text: ['unrelated'] }).rule,
    ];
    const prefilter = textPrefilter(rules);
    expect(prefilter).not.toBeNull();
    if (prefilter === null) return;
    const found = wordsPresent(prefilter, ['import xmlrpc.client']);
    expect([...found].sort()).toEqual(['mlr', 'rpc', 'xml', 'xmlrpc']);
    expect([...wordsPresent(prefilter, ['xmxml'])]).toEqual(['xml']);
  });

  it('runs the visitors of one call in rule order, routed or not', () => {
    const visits: string[] = [];
    const rules = [
      callRecorder('PGM912', { methods: ['print'] }, visits).rule,
      callRecorder('PGM913', undefined, visits).rule,
      callRecorder('PGM914', { calls: ['print'] }, visits).rule,
      callRecorder('PGM915', undefined, visits).rule,
    ];
    scanSource('a.py', 'print(x)\n', { rules });
    expect(visits).toEqual(['PGM912', 'PGM913', 'PGM914', 'PGM915']);
  });

  it('routes by the rules each file runs when one rule set scans several files', () => {
    const visits: string[] = [];
    const rules = [
      callRecorder('PGM916', { calls: ['subprocess.run'], text: ['routed'] }, visits).rule,
      callRecorder('PGM917', { calls: ['subprocess.run'] }, visits).rule,
      callRecorder('PGM918', undefined, visits).rule,
    ];
    const source = 'from subprocess import run as go\ngo(cmd)\n';
    scanSource('a.py', `# routed\n${source}`, { rules });
    scanSource('b.py', 'import os\nos.run(cmd)\n', { rules });
    scanSource('c.py', source, { rules });
    expect(visits).toEqual(['PGM916', 'PGM917', 'PGM918', 'PGM918', 'PGM917', 'PGM918']);
  });
});
