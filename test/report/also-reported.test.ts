/**
 * A finding that stands for several rules (one finding per place) names the others in every
 * report format; a finding of one rule renders exactly as before.
 */
import { describe, expect, it } from 'vitest';
import { formatText } from '../../src/report/text.js';
import { orderFinding } from '../../src/report/json.js';
import { buildSarif } from '../../src/report/sarif.js';
import { commentBody } from '../../src/report/review.js';
import { fileResult, finding, ruleMeta } from './findings.js';

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
