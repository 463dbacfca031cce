/**
 * `/pyguard` commands in pull request conversation comments. The command is the first line of
 * the comment. `rescan` needs write, maintain or admin permission; bots (the App included) are
 * ignored; anyone else gets a polite refusal and no scan.
 */
import type { ProbotOctokit } from 'probot';

import { getPullRequest, statusOf } from './fetch.js';
import type { RepoRef } from './fetch.js';
import { helpReply, refusalReply, unknownCommandReply } from './messages.js';

export type Command = { name: 'rescan' } | { name: 'help' } | { name: 'unknown'; word: string };

/** `/pyguard`, a command word and anything after it (ignored) on one line. */
const COMMAND_LINE = /^\/pyguard(?:\s+(\S+)(?:\s.*)?)?$/i;

/** The command on the first non-blank line of a comment, if that line is a `/pyguard` command. */
export function parseCommand(body: string): Command | undefined {
  const firstLine = body.split(/\r\n|\r|\n/).find((line) => line.trim() !== '');
  if (firstLine === undefined) return undefined;
  const match = COMMAND_LINE.exec(firstLine.trim());
  if (match === null) return undefined;
  const word = (match[1] ?? 'help').toLowerCase();
  if (word === 'rescan') return { name: 'rescan' };
  if (word === 'help') return { name: 'help' };
  return { name: 'unknown', word: match[1] ?? '' };
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

/** Carries out a command: a reply, or a reaction and a scan. */
export async function runCommand(event: CommandEvent): Promise<void> {
  const { octokit, ref, pullNumber, command } = event;
  if (command.name !== 'rescan') {
    const body = command.name === 'help' ? helpReply() : unknownCommandReply(command.word);
    await octokit.rest.issues.createComment({ ...ref, issue_number: pullNumber, body });
    return;
  }
  if (!(await canWrite(octokit, ref, event.author))) {
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
