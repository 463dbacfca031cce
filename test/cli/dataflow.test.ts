import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { DATAFLOW_VIEW } from '../fixtures/dataflow-view.js';
import { pyguard, removeDir, tempDir, writeFiles } from './helpers.js';

const VIEW = DATAFLOW_VIEW;

const ONLY_EVAL = ['--rule', 'eval-used'];

let dir: string;

beforeEach(async () => {
  dir = await tempDir();
  await writeFiles(dir, { 'app.py': VIEW });
});

afterEach(async () => {
  await removeDir(dir);
});

describe('findings from the dataflow pass', () => {
  it('name the source and every step in the text report', async () => {
    const { code, stdout } = await pyguard(dir, ['scan', ...ONLY_EVAL]);
    expect(code).toBe(1);
    expect(stdout).toContain(
      '`request.args.get("expr", "")` (line 8) → `expression` (line 8) → `cleaned` (line 9) → `eval` (line 10)',
    );
  });

  it('carry the steps in JSON', async () => {
    const { stdout } = await pyguard(dir, ['scan', '--format', 'json', ...ONLY_EVAL]);
    const report = JSON.parse(stdout) as {
      findings: {
        severity: string;
        confidence: string;
        flow?: { line: number; label: string }[];
      }[];
    };
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ severity: 'high', confidence: 'high' });
    expect(report.findings[0]?.flow?.map((step) => [step.line, step.label])).toEqual([
      [8, 'request.args.get("expr", "")'],
      [8, 'expression'],
      [9, 'cleaned'],
      [10, 'eval'],
    ]);
  });

  it('carry the steps as a SARIF code flow', async () => {
    const { stdout } = await pyguard(dir, ['scan', '--format', 'sarif', ...ONLY_EVAL]);
    const sarif = JSON.parse(stdout) as {
      runs: {
        results: {
          codeFlows?: {
            threadFlows: {
              locations: {
                location: {
                  physicalLocation: { region: { startLine: number } };
                  message: { text: string };
                };
              }[];
            }[];
          }[];
        }[];
      }[];
    };
    const locations = sarif.runs[0]?.results[0]?.codeFlows?.[0]?.threadFlows[0]?.locations ?? [];
    expect(
      locations.map((step) => [
        step.location.physicalLocation.region.startLine,
        step.location.message.text,
      ]),
    ).toEqual([
      [8, 'request.args.get("expr", "")'],
      [8, 'expression'],
      [9, 'cleaned'],
      [10, 'eval'],
    ]);
  });
});
