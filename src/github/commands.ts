/**
 * `/pyguard` commands in pull request conversation comments. A command is a line of its own
 * (any line of the comment) outside code blocks and quotes. Every command needs write, maintain
 * or admin permission; bots (the App included) are ignored. `help` and unknown commands get a
 * reply only when the author may run commands; a `rescan` from anyone else gets a polite refusal
 * and no scan.
 */
import type { ProbotOctokit } from 'probot';

import { getPullRequest, statusOf } from './fetch.js';
import type { RepoRef } from './fetch.js';
import { helpReply, refusalReply, unknownCommandReply } from './messages.js';

export type Command = { name: 'rescan' } | { name: 'help' } | { name: 'unknown'; word: string };

/** `/pyguard`, a command word and anything after it (ignored), at most 3 spaces indented. */
const COMMAND_LINE = /^ {0,3}\/pyguard(?:[ \t]+(\S+)(?:\s.*)?)?[ \t]*$/i;
/** The opening or closing line of a fenced code block: its fence and what follows. */
const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
/** A block quote line. */
const QUOTE = /^ {0,3}>/;

/** The first command of a comment, if a line of it is a `/pyguard` command. */
export function parseCommand(body: string): Command | undefined {
  for (const line of commandCandidates(body)) {
    const match = COMMAND_LINE.exec(line);
    if (match === null) continue;
    const word = (match[1] ?? 'help').toLowerCase();
    if (word === 'rescan') return { name: 'rescan' };
    if (word === 'help') return { name: 'help' };
    return { name: 'unknown', word: match[1] ?? '' };
  }
  return undefined;
}

/**
 * The lines of a comment that Markdown shows as plain text at the start of a block: not in a
 * fenced code block (backticks or tildes), not indented four columns or more (an indented code
 * block, or the continuation of a paragraph), not in a block quote (nor a line continuing one).
 */
export function commandCandidates(body: string): string[] {
  const candidates: string[] = [];
  let fence: { char: string; length: number } | undefined;
  let quoted = false;
  for (const line of body.split(/\r\n|\r|\n/)) {
    const opening = FENCE.exec(line);
    const marker = opening?.[1] ?? '';
    const rest = opening?.[2] ?? '';
    if (fence !== undefined) {
      const closes =
        marker.startsWith(fence.char) && marker.length >= fence.length && rest.trim() === '';
      if (closes) fence = undefined;
      continue;
    }
    // A backtick fence's info string has no backticks (else the line is inline code).
    if (opening !== null && !(marker.startsWith('`') && rest.includes('`'))) {
      fence = { char: marker.charAt(0), length: marker.length };
      quoted = false;
      continue;
    }
    if (line.trim() === '') {
      quoted = false;
      continue;
    }
    if (QUOTE.test(line)) {
      quoted = true;
      continue;
    }
    if (quoted || indentation(line) >= 4) continue;
    candidates.push(line);
  }
  return candidates;
}

/** Leading whitespace in columns, a tab reaching the next multiple of four. */
function indentation(line: string): number {
  let columns = 0;
  for (const char of line) {
    if (char === ' ') columns++;
    else if (char === '\t') columns += 4 - (columns % 4);
    else break;
  }
  return columns;
}

/** Repository permissions that may ask for a rescan (`maintain` is reported as `write`). */
const WRITERS = new Set(['admin', 'maintain', 'write']);

/** True when the user has write, maintain or admin permission on the repository. */
export async function canWrite(
  octokit: ProbotOctokit,
  ref: RepoRef,
  username: string,
): Promise<boolean> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...ref, username });
    return WRITERS.has(data.permission) || WRITERS.has(data.role_name);
  } catch (error: unknown) {
    if (statusOf(error) === 404) return false;
    throw error;
  }
}

export interface CommandEvent {
  octokit: ProbotOctokit;
  ref: RepoRef;
  pullNumber: number;
  commentId: number;
  author: string;
  command: Command;
  /** Schedules a scan of the pull request at the given head SHA. */
  rescan: (headSha: string) => Promise<void>;
}

/**
 * Carries out a command. The author's permission is checked first: `help` and unknown commands
 * are answered only to people who may run commands (nothing at all for anyone else); a
 * `rescan` is acknowledged with a reaction and scheduled, or refused politely.
 */
export async function runCommand(event: CommandEvent): Promise<void> {
  const { octokit, ref, pullNumber, command } = event;
  const allowed = await canWrite(octokit, ref, event.author);
  if (command.name !== 'rescan') {
    if (!allowed) return;
    const body = command.name === 'help' ? helpReply() : unknownCommandReply(command.word);
    await octokit.rest.issues.createComment({ ...ref, issue_number: pullNumber, body });
    return;
  }
  if (!allowed) {
    await octokit.rest.issues.createComment({
      ...ref,
      issue_number: pullNumber,
      body: refusalReply(event.author),
    });
    return;
  }
  await octokit.rest.reactions.createForIssueComment({
    ...ref,
    comment_id: event.commentId,
    content: 'eyes',
  });
  const pull = await getPullRequest(octokit, ref, pullNumber);
  await event.rescan(pull.headSha);
}
