/**
 * The SARIF of a CLI scan validated against the official SARIF 2.1.0 schema: a repository with
 * findings of every kind (a dataflow path, mechanical fixes, suppressed findings, a baseline,
 * dependency findings, notices, a path that needs URI escaping) under a custom category.
 */
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { DATAFLOW_VIEW } from '../fixtures/dataflow-view.js';
import { sarifSchemaViolations } from '../report/sarif-validator.js';
import { offlineWorkDir, pyguard, writeFiles } from './helpers.js';

const OSV_DB = fileURLToPath(new URL('../deps/fixtures/osv', import.meta.url));

const LEGACY = 'import yaml\n\n\ndef load(text):\n    return yaml.load(text)\n';

const CLIENT = `import requests
import yaml


def fetch(url):
    return requests.get(url, verify=False)


def settings(text):
    return yaml.load(text)
`;

const SUPPRESSED = `import pickle
import yaml


def trusted(text):
    return yaml.load(text)  # pyguard: ignore[PGD003] written by our own build


def cached(blob):
    return pickle.loads(blob)  # nosec
`;

interface Location {
  physicalLocation: { artifactLocation: { uri: string } };
}

interface Log {
  runs: {
    tool: { driver: { rules: { id: string; helpUri?: string }[] } };
    automationDetails: { id: string };
    invocations: { toolExecutionNotifications: { properties: { kind: string } }[] }[];
    results: {
      ruleId: string;
      locations: Location[];
      codeFlows?: unknown[];
      fixes?: unknown[];
      suppressions?: unknown[];
    }[];
  }[];
}

const work = offlineWorkDir();

describe('pyguard scan --format sarif', () => {
  it('validates against the SARIF 2.1.0 schema with findings and notices of every kind', async () => {
    await writeFiles(work.path, { 'app/legacy.py': LEGACY });
    expect((await pyguard(work.path, ['baseline'])).code).toBe(0);
    await writeFiles(work.path, {
      'app/view.py': DATAFLOW_VIEW,
      'dir with space/client.py': CLIENT,
      'app/suppressed.py': SUPPRESSED,
      'app/broken.py': 'def broken(:\n    pass\n',
      'app/latin.py': Buffer.from('name = "caf\xe9"\nimport yaml\nyaml.load(name)\n', 'latin1'),
      'requirements.txt': 'flask==3.0.3\njinja2==2.10\n',
    });

    const { code, stdout, stderr } = await pyguard(work.path, [
      'scan',
      '--format',
      'sarif',
      '--osv-db',
      OSV_DB,
      '--sarif-category',
      'pyguard/backend',
    ]);

    expect(stderr).toBe('');
    expect(code).toBe(1);
    const log = JSON.parse(stdout) as Log;
    expect(sarifSchemaViolations(log)).toEqual([]);

    // The log really holds every kind the test is about.
    const [run] = log.runs;
    if (run === undefined) throw new Error('no run');
    const uris = (result: { locations: Location[] }): string[] =>
      result.locations.map((location) => location.physicalLocation.artifactLocation.uri);
    expect(run.results.flatMap(uris)).not.toContain('app/legacy.py');
    expect(run.results.some((result) => (result.codeFlows ?? []).length > 0)).toBe(true);
    expect(run.results.some((result) => (result.fixes ?? []).length > 0)).toBe(true);
    expect(run.results.filter((result) => (result.suppressions ?? []).length > 0)).toHaveLength(2);
    expect(run.results.filter((result) => result.ruleId === 'PGV001').flatMap(uris)).toContain(
      'requirements.txt',
    );
    expect(run.results.flatMap(uris)).toContain('dir%20with%20space/client.py');
    expect(run.tool.driver.rules.length).toBeGreaterThan(50);
    expect(run.tool.driver.rules.filter((rule) => rule.helpUri === undefined)).toEqual([]);
    expect(run.automationDetails.id).toBe('pyguard/backend/');
    expect(
      run.invocations[0]?.toolExecutionNotifications.map((notice) => notice.properties.kind),
    ).toEqual(expect.arrayContaining(['syntax-error', 'decoding']));
  });

  it('reports each schema violation on a readable line', () => {
    const violations = sarifSchemaViolations({
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'PyGuard' } },
          results: [
            {
              message: { text: 'x' },
              locations: [{ physicalLocation: { region: { startLine: 0 } } }],
            },
          ],
        },
      ],
    });
    expect(violations).toContain(
      '/runs/0/results/0/locations/0/physicalLocation/region/startLine: should be >= 1 [#/properties/startLine/minimum] (value: 0)',
    );
    expect(violations).toContain(
      '/runs/0/results/0/locations/0/physicalLocation: should have required property \'artifactLocation\' [#/anyOf/1/required] (value: {"region":{"startLine":0}})',
    );
  });
});
