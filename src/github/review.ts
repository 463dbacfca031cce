/**
 * Posting PyGuard's one review per scan, and knowing what earlier scans already posted (the
 * fingerprint markers in PyGuard's review comments and review bodies).
 */
import type { ProbotOctokit } from 'probot';

import { REVIEW_MARKER, findFingerprintMarkers } from '../report/markers.js';
import type { ReviewPlan } from '../report/review.js';
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
  plan: ReviewPlan;
  /** The same findings with no inline comment, all listed in the body (for the retry). */
  fallback: () => ReviewPlan | undefined;
}

const REJECTED_NOTE =
  'GitHub did not accept the inline comments of this review, so every finding is listed here instead.';

/**
 * Posts the review (event COMMENT, on the head SHA). When GitHub answers 422 (an anchor it
 * does not accept; the error does not say which), it is posted once more with every finding
 * listed in the body instead, so no finding is lost.
 */
export async function publishReview(input: PublishReviewInput): Promise<ReviewOutcome> {
  const { octokit, ref, pullNumber, headSha, plan } = input;
  const post = (body: string, comments: ReviewPlan['comments']) =>
    octokit.rest.pulls.createReview({
      ...ref,
      pull_number: pullNumber,
      commit_id: headSha,
      event: 'COMMENT',
      body,
      comments,
    });
  try {
    await post(plan.body, plan.comments);
    return { comments: plan.comments.length };
  } catch (error: unknown) {
    if (statusOf(error) !== 422 || plan.comments.length === 0) throw error;
    const fallback = input.fallback() ?? plan;
    await post(`${REJECTED_NOTE}\n\n${fallback.body}`, []);
    return { comments: 0, rejected: describeRejection(error) };
  }
}

/** GitHub's 422 message, one line, without anything from the request. */
function describeRejection(error: unknown): string {
  const message = error instanceof Error ? error.message : 'Unprocessable Entity';
  return message.split('\n')[0]?.slice(0, 300) ?? 'Unprocessable Entity';
}
