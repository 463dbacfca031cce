import { describe, expect, it } from 'vitest';

import { allRules } from '../../rules/index.js';
import { defaultConfig } from '../../src/config/index.js';
import {
  createPooledScanner,
  type ScanConfig,
  type ScanProcessPool,
} from '../../src/engine/process-pool.js';
import type { ScanFileInput } from '../../src/engine/scanner.js';
import type { FileResult } from '../../src/engine/types.js';

/** A pool with children that records what each file is sent with. */
function recordingPool(sent: ScanConfig[]): ScanProcessPool {
  const pool = {
    available: true,
    isClosed: false,
    scan: (input: ScanFileInput, config: ScanConfig): Promise<FileResult> => {
      sent.push(config);
      return Promise.resolve({
        path: input.path,
        findings: [],
        notices: [],
      } as unknown as FileResult);
    },
  };
  return pool as unknown as ScanProcessPool;
}

describe('the configuration scan children get', () => {
  it('carries the profile, the per-path rule settings and the path base', async () => {
    const sent: ScanConfig[] = [];
    const config = {
      ...defaultConfig(),
      profile: 'audit' as const,
      rules: {
        ...defaultConfig().rules,
        perPath: [{ pattern: 'tests/**', enable: [], disable: ['PGC001'], severity: {} }],
      },
    };
    const scanner = createPooledScanner(
      { ...config, pathBase: 'src' },
      allRules,
      recordingPool(sent),
    );
    await scanner.scanFile({ path: 'a.py', source: 'x = 1\n' });
    expect(sent).toEqual([
      {
        rules: config.rules,
        minConfidence: 'medium',
        profile: 'audit',
        pathBase: 'src',
      },
    ]);
  });

  it('says default when the caller gives no profile', async () => {
    const sent: ScanConfig[] = [];
    const { rules, minConfidence } = defaultConfig();
    await createPooledScanner({ rules, minConfidence }, allRules, recordingPool(sent)).scanFile({
      path: 'a.py',
      source: 'x = 1\n',
    });
    expect(sent[0]?.profile).toBe('default');
  });
});
