/**
 * The baseline of a pull request's repository: `.pyguard-baseline.json` at the base commit,
 * never the head, so that a pull request cannot hide its own findings by adding them to the
 * baseline (as the configuration is read from the default branch).
 */
import type { ProbotOctokit } from 'probot';

import { BASELINE_FILE, BaselineError, parseBaseline, type Baseline } from '../engine/baseline.js';
import { escapeMarkdown } from '../report/markers.js';
import { isTransient } from './failures.js';
import { fetchTextAt, type RepoRef } from './fetch.js';
import { describeError } from './logger.js';

export type BaselineRead =
  | { kind: 'none' }
  | { kind: 'found'; baseline: Baseline }
  /** The file exists but cannot be used, or could not be read: every finding is reported. */
  | { kind: 'problem'; message: string };

/**
 * Reads the baseline file at `commit`. A temporary failure is thrown (the job is retried rather
 * than posting comments on every baselined finding); anything else becomes a `problem`.
 */
export async function readRepoBaseline(
  octokit: ProbotOctokit,
  ref: RepoRef,
  commit: string,
): Promise<BaselineRead> {
  let text: string | null;
  try {
    text = await fetchTextAt(octokit, ref, BASELINE_FILE, commit);
  } catch (error: unknown) {
    if (isTransient(error)) throw error;
    return { kind: 'problem', message: `it could not be read (${describeError(error)})` };
  }
  if (text === null) return { kind: 'none' };
  try {
    return { kind: 'found', baseline: parseBaseline(text) };
  } catch (error: unknown) {
    if (error instanceof BaselineError) return { kind: 'problem', message: error.message };
    throw error;
  }
}

/** The summary paragraph for a baseline that was not used. */
export function baselineProblemNote(message: string): string {
  return `**Baseline not used:** \`${BASELINE_FILE}\` at the base commit: ${escapeMarkdown(message)}. Every finding on the changed lines is reported.`;
}
