/**
 * Posting PyGuard's one review per scan, and knowing what earlier scans already posted (the
 * fingerprint markers in PyGuard's review comments and review bodies).
 */
import type { ProbotOctokit } from 'probot';

import { fingerprintsOf, type Finding } from '../engine/types.js';
import { REVIEW_MARKER, findFingerprintMarkers } from '../report/markers.js';
import type { ReviewPlan } from '../report/review.js';
import { mayHaveBeenProcessed } from './failures.js';
import { statusOf } from './fetch.js';
import type { RepoRef } from './fetch.js';

interface Authored {
  body?: string | null | undefined;
  user?: { type?: string | undefined } | null | undefined;
}

/** Markers count only in bodies a bot wrote: anyone can type a marker into a comment. */
function markersByBots(items: readonly Authored[], isOurs: (body: string) => boolean): string[] {
  return items.flatMap((item) => {
    const body = item.body ?? '';
    return item.user?.type === 'Bot' && isOurs(body) ? findFingerprintMarkers(body) : [];
  });
}

export interface PostedFingerprints {
  /** Findings with an inline comment (each comment starts a review thread). */
  inline: Set<string>;
  /** Findings listed in the body of a PyGuard review. */
  listed: Set<string>;
}

/**
 * The findings not yet posted: a finding is new when it, or a finding it carries on its line,
 * is in none of `seen` (for example the commented and the listed fingerprints).
 */
export function unpostedFindings(
  findings: readonly Finding[],
  ...seen: readonly ReadonlySet<string>[]
): Finding[] {
  return findings.filter((finding) =>
    fingerprintsOf(finding).some((fingerprint) => seen.every((set) => !set.has(fingerprint))),
  );
}

/**
 * Fingerprints of the active findings that have an inline comment: from an earlier review
 * (`earlier`, the commented fingerprints), or planned for this one.
 */
export function commentedFingerprints(
  active: readonly Finding[],
  earlier: ReadonlySet<string> | undefined,
  planned: readonly Finding[],
): Set<string> {
  const commented = new Set(planned.map((finding) => finding.fingerprint));
  for (const finding of active) {
    if (earlier?.has(finding.fingerprint) === true) commented.add(finding.fingerprint);
  }
  return commented;
}

/** What PyGuard already commented on or listed in this pull request. */
export async function postedFingerprints(
  octokit: ProbotOctokit,
  ref: RepoRef,
  pullNumber: number,
): Promise<PostedFingerprints> {
  const params = { ...ref, pull_number: pullNumber, per_page: 100 };
  const comments = await octokit.paginate(octokit.rest.pulls.listReviewComments, params);
  const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, params);
  return {
    inline: new Set(markersByBots(comments, () => true)),
    listed: new Set(markersByBots(reviews, (body) => body.includes(REVIEW_MARKER))),
  };
}

export interface ReviewOutcome {
  /** Inline comments posted. */
  comments: number;
  /** Set when GitHub rejected the inline comments and the review was posted without them. */
  rejected?: string;
}

export interface PublishReviewInput {
  octokit: ProbotOctokit;
  ref: RepoRef;
  pullNumber: number;
  headSha: string;
  /**
   * The review of the findings whose fingerprint is not in `posted` (undefined when none is
   * left); with `inline: false` every finding is listed in the body, none commented inline.
   */
  plan: (posted: ReadonlySet<string>, inline: boolean) => ReviewPlan | undefined;
}

const REJECTED_NOTE =
  'GitHub did not accept the inline comments of this review, so every finding is listed here instead.';

/** Review posts per scan at most: the first, one after a 422, and retries after resets. */
const POST_ROUNDS = 4;

/**
 * Posts the review (event COMMENT, on the head SHA), never twice. When GitHub answers 422 (an
 * anchor it does not accept; the error does not say which), it is posted once more with every
 * finding listed in the body instead, so no finding is lost. When a post fails so that GitHub
 * may have carried it out (a broken connection, a 5xx), PyGuard's comments and reviews are
 * read back and only the findings whose fingerprint marker is missing are posted again.
 */
export async function publishReview(input: PublishReviewInput): Promise<ReviewOutcome> {
  const { octokit, ref, pullNumber, headSha } = input;
  const post = (body: string, comments: ReviewPlan['comments']) =>
    octokit.rest.pulls.createReview({
      ...ref,
      pull_number: pullNumber,
      commit_id: headSha,
      event: 'COMMENT',
      body,
      comments,
    });
  let posted: ReadonlySet<string> = new Set();
  let inline = true;
  let rejected: string | undefined;
  let lastComments = 0;
  for (let round = 1; ; round++) {
    const plan = input.plan(posted, inline);
    // Everything is on the pull request already: the post that seemed to fail went through.
    if (plan === undefined) return outcome(lastComments, rejected);
    lastComments = plan.comments.length;
    try {
      await post(inline ? plan.body : `${REJECTED_NOTE}\n\n${plan.body}`, plan.comments);
      return outcome(plan.comments.length, rejected);
    } catch (error: unknown) {
      if (round >= POST_ROUNDS) throw error;
      if (statusOf(error) === 422 && inline && plan.comments.length > 0) {
        inline = false;
        rejected = describeRejection(error);
        continue;
      }
      if (!mayHaveBeenProcessed(error)) throw error;
      const found = await postedFingerprints(octokit, ref, pullNumber);
      posted = new Set([...posted, ...found.inline, ...found.listed]);
    }
  }
}

function outcome(comments: number, rejected: string | undefined): ReviewOutcome {
  return rejected === undefined ? { comments } : { comments: 0, rejected };
}

/** GitHub's 422 message, one line, without anything from the request. */
function describeRejection(error: unknown): string {
  const message = error instanceof Error ? error.message : 'Unprocessable Entity';
  return message.split('\n')[0]?.slice(0, 300) ?? 'Unprocessable Entity';
}
