/**
 * A finding that stands for several rules (one finding per place) names the others in every
 * report format; a finding of one rule renders exactly as before.
 */
import { describe, expect, it } from 'vitest';
import { formatText } from '../../src/report/text.js';
import { orderFinding } from '../../src/report/json.js';
import { buildSarif } from '../../src/report/sarif.js';
import { commentBody } from '../../src/report/review.js';
import { annotationFor, renderCheckRun } from '../../src/report/check-run.js';
import { findFingerprintMarkers } from '../../src/report/markers.js';
import type { AlongsideFinding } from '../../src/engine/types.js';
import { fileResult, finding, report, ruleMeta } from './findings.js';

const grouped = finding({ alsoReportedBy: ['PGI001', 'PGM008'] });
const single = finding();

describe('a finding other rules also reported', () => {
  it('lists them at the end of the text header', () => {
    const text = formatText([fileResult('app.py', [grouped])], { color: false });
    expect(text.split('\n')[0]).toBe(
      `app.py:3:8: PGD003 [high] ${grouped.message} (also reported by PGI001, PGM008)`,
    );
    const plain = formatText([fileResult('app.py', [single])], { color: false });
    expect(plain.split('\n')[0]).toBe(`app.py:3:8: PGD003 [high] ${single.message}`);
  });

  it('has alsoReportedBy in JSON only when there are other rules', () => {
    expect(orderFinding(grouped)['alsoReportedBy']).toEqual(['PGI001', 'PGM008']);
    expect(Object.keys(orderFinding(single))).not.toContain('alsoReportedBy');
  });

  it('has them in the SARIF result properties', () => {
    const options = { version: '1.0.0', cwd: '/repo', rules: [ruleMeta()] };
    const [withOthers] = buildSarif([fileResult('app.py', [grouped])], options).runs[0].results;
    expect(withOthers?.properties).toEqual({ alsoReportedBy: ['PGI001', 'PGM008'] });
    const [alone] = buildSarif([fileResult('app.py', [single])], options).runs[0].results;
    expect(alone).not.toHaveProperty('properties');
  });

  it('names them in the pull request comment', () => {
    const body = commentBody(grouped, { withSuggestion: false });
    expect(body).toContain(
      'Also reported by PGI001, PGM008, whose findings on this code are shown as this one.',
    );
    expect(commentBody(single, { withSuggestion: false })).not.toContain('Also reported by');
  });
});

describe('a finding that carries findings of other rules on its line', () => {
  const other: AlongsideFinding = {
    ruleId: 'PGC006',
    title: 'Static key, IV or nonce',
    messageId: 'constantIv',
    severity: 'medium',
    confidence: 'high',
    message: 'The IV `ZERO_IV` is a constant.',
    span: { start: { line: 3, column: 30 }, end: { line: 3, column: 37 } },
    fingerprint: 'fedcba9876543210fedcba9876543210',
  };
  const carrying = finding({ alongside: [other] });

  it('says what the other rule says below the text header', () => {
    const text = formatText([fileResult('app.py', [carrying])], { color: false });
    expect(text.split('\n').slice(0, 2)).toEqual([
      `app.py:3:8: PGD003 [high] ${carrying.message}`,
      '  also 3:30: PGC006 [medium] The IV `ZERO_IV` is a constant.',
    ]);
  });

  it('has every field of the other finding in JSON, and nothing when there is none', () => {
    expect(orderFinding(carrying)['alongside']).toStrictEqual([{ ...other }]);
    expect(Object.keys(orderFinding(single))).not.toContain('alongside');
  });

  it('points SARIF at the other finding as a related location', () => {
    const options = { version: '1.0.0', cwd: '/repo', rules: [ruleMeta()] };
    const both = finding({ alsoReportedBy: ['PGI001'], alongside: [other] });
    const [result] = buildSarif([fileResult('app.py', [both])], options).runs[0].results;
    expect(result?.properties).toEqual({ alsoReportedBy: ['PGI001'], alongside: ['PGC006'] });
    expect(result?.relatedLocations).toEqual([
      {
        id: 1,
        physicalLocation: {
          artifactLocation: { uri: 'app.py', uriBaseId: '%SRCROOT%' },
          region: { startLine: 3, startColumn: 30, endLine: 3, endColumn: 37 },
        },
        message: { text: 'PGC006 (medium severity): The IV `ZERO_IV` is a constant.' },
      },
    ]);
  });

  it('lists the other finding in the pull request comment and the annotation', () => {
    const body = commentBody(carrying, { withSuggestion: false });
    expect(body).toContain(
      '**Also on this line:**\n- **PGC006 · Static key, IV or nonce** (medium severity, column 30): The IV `ZERO_IV` is a constant.',
    );
    expect(body).not.toContain('Also reported by');
    expect(findFingerprintMarkers(body)).toEqual([carrying.fingerprint, other.fingerprint]);
    const { summary } = renderCheckRun(report({ findings: [carrying] }));
    expect(summary).toContain(`${carrying.message} Also on this line: PGC006. |`);
    expect(annotationFor(carrying).message).toContain(
      'Also on this line, PGC006 (medium severity, column 30): The IV ZERO_IV is a constant.',
    );
  });
});
