/**
 * The open pull requests whose head is a given commit. Check run and check suite events of
 * pull requests from forks come with an empty `pull_requests` list, so the App looks them up.
 */
import type { ProbotOctokit } from 'probot';

import { statusOf } from './fetch.js';
import type { RepoRef } from './fetch.js';

/** Pages of open pull requests searched when the commit lookup finds nothing (100 each). */
const MAX_OPEN_PULL_PAGES = 10;

interface PullSummary {
  number: number;
  state: string;
  head: { sha: string };
  base: { repo: { full_name: string } };
}

/** Numbers of the open pull requests of `ref` whose head SHA is `sha`, ascending. */
export async function findPullRequestsForSha(
  octokit: ProbotOctokit,
  ref: RepoRef,
  sha: string,
): Promise<number[]> {
  const found = matching(await pullsOfCommit(octokit, ref, sha), ref, sha);
  if (found.length > 0) return found;
  return searchOpenPullRequests(octokit, ref, sha);
}

/** `GET /repos/{o}/{r}/commits/{sha}/pulls`; a commit GitHub cannot place gives no pulls. */
async function pullsOfCommit(
  octokit: ProbotOctokit,
  ref: RepoRef,
  sha: string,
): Promise<PullSummary[]> {
  try {
    const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
      ...ref,
      commit_sha: sha,
    });
    return data;
  } catch (error: unknown) {
    const status = statusOf(error);
    if (status === 404 || status === 422) return [];
    throw error;
  }
}

async function searchOpenPullRequests(
  octokit: ProbotOctokit,
  ref: RepoRef,
  sha: string,
): Promise<number[]> {
  const found: number[] = [];
  let pages = 0;
  const iterator = octokit.paginate.iterator(octokit.rest.pulls.list, {
    ...ref,
    state: 'open',
    per_page: 100,
  });
  for await (const page of iterator) {
    found.push(...matching(page.data, ref, sha));
    if (++pages >= MAX_OPEN_PULL_PAGES) break;
  }
  return found.sort((a, b) => a - b);
}

function matching(pulls: readonly PullSummary[], ref: RepoRef, sha: string): number[] {
  const fullName = `${ref.owner}/${ref.repo}`.toLowerCase();
  return pulls
    .filter(
      (pull) =>
        pull.state === 'open' &&
        pull.head.sha === sha &&
        pull.base.repo.full_name.toLowerCase() === fullName,
    )
    .map((pull) => pull.number);
}
