/**
 * Terminal styling for the text report, and escaping of untrusted text before it reaches a
 * terminal.
 */
import type { Severity } from '../engine/types.js';

type Paint = (text: string) => string;

export interface Style {
  bold: Paint;
  dim: Paint;
  /** The colour of a severity (red, yellow, blue). */
  severity: (severity: Severity, text: string) => string;
  caret: Paint;
}

const plain: Paint = (text) => text;

function sgr(open: number, close: number): Paint {
  return (text) => `\u001b[${open}m${text}\u001b[${close}m`;
}

const SEVERITY_COLOURS: Readonly<Record<Severity, Paint>> = {
  high: sgr(31, 39),
  medium: sgr(33, 39),
  low: sgr(34, 39),
};

/** ANSI styling when `enabled`, else the identity. */
export function createStyle(enabled: boolean): Style {
  if (!enabled) {
    return { bold: plain, dim: plain, severity: (_, text) => text, caret: plain };
  }
  return {
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    severity: (severity, text) => SEVERITY_COLOURS[severity](text),
    caret: sgr(31, 39),
  };
}

// Control characters (other than tab), DEL, C1 controls and the bidirectional overrides that
// make code display differently from how it runs ("Trojan Source").
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Replaces characters that could drive a terminal or reorder text with visible stand-ins of
 * the same UTF-16 length (`␛` for ESC, `�` for the rest), so columns still line up.
 */
export function escapeForTerminal(text: string): string {
  return text.replace(UNSAFE, (char) => {
    const code = char.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return '\u2421';
    return '\ufffd';
  });
}
