import { describe, expect, it } from 'vitest';

import { shouldUseColor } from '../../src/cli/color.js';

const tty = { noColorFlag: false, toFile: false, stdoutIsTTY: true, env: {} };

describe('shouldUseColor', () => {
  it('colours a terminal', () => {
    expect(shouldUseColor(tty)).toBe(true);
    expect(shouldUseColor({ ...tty, stdoutIsTTY: false })).toBe(false);
    expect(shouldUseColor({ ...tty, toFile: true })).toBe(false);
  });

  it('honours NO_COLOR, FORCE_COLOR and --no-color', () => {
    expect(shouldUseColor({ ...tty, env: { NO_COLOR: '1' } })).toBe(false);
    expect(shouldUseColor({ ...tty, env: { NO_COLOR: '' } })).toBe(true);
    expect(shouldUseColor({ ...tty, stdoutIsTTY: false, env: { FORCE_COLOR: '1' } })).toBe(true);
    expect(shouldUseColor({ ...tty, env: { FORCE_COLOR: '0' } })).toBe(false);
    expect(shouldUseColor({ ...tty, noColorFlag: true, env: { FORCE_COLOR: '1' } })).toBe(false);
  });
});
