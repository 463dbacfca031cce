/**
 * The short comments the App writes in reply to `/pyguard` commands. Pure functions, so the
 * wording is snapshot-tested. Untrusted text (user names, command words) is never echoed
 * except as a code span or an escaped mention-free name.
 */
import { codeSpan, escapeMarkdown } from '../report/markers.js';
import { CONFIG_FILE } from './constants.js';

export function helpReply(): string {
  return [
    'PyGuard reviews the Python and template lines this pull request adds and reports security problems in the **PyGuard** check and as review comments.',
    '',
    'Commands, for people with write access (each on a line of its own, outside code blocks and quotes):',
    '',
    '- `/pyguard rescan`: scan this pull request again.',
    '- `/pyguard help`: show this message.',
    '',
    `The configuration is read from ${codeSpan(`.github/${CONFIG_FILE}`)} on the default branch (or the organisation's ${codeSpan('.github')} repository), so a pull request cannot change its own settings. Silence one finding with ${codeSpan('# pyguard: ignore[RULE-ID] reason')} on the flagged line.`,
  ].join('\n');
}

export function unknownCommandReply(word: string): string {
  return [
    `PyGuard does not know the command ${codeSpan(`/pyguard ${word}`)}.`,
    '',
    helpReply(),
  ].join('\n');
}

export function refusalReply(login: string): string {
  return `Sorry ${escapeMarkdown(login)}, only people with write access to this repository can ask PyGuard to rescan. A maintainer can comment ${codeSpan('/pyguard rescan')}, or push a new commit to scan again.`;
}
