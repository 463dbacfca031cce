/**
 * Reading a pull request from GitHub: its changed files (paginated) and file contents.
 * Everything is read through the base repository, which also serves the commits of forks.
 */
import type { ProbotOctokit } from 'probot';

import { MAX_LISTED_FILES } from './constants.js';

export interface RepoRef {
  owner: string;
  repo: string;
}

/** One entry of the pull request files listing, with the fields PyGuard uses. */
export interface ChangedFile {
  filename: string;
  /** `added`, `removed`, `modified`, `renamed`, `copied`, `changed` or `unchanged`. */
  status: string;
  /** Blob SHA of the head version (null for a submodule). */
  sha: string | null;
  /** Absent for binary files, very large diffs and renames without changes. */
  patch?: string | undefined;
  previous_filename?: string | undefined;
  changes: number;
}

/** The pull request as a job needs it, fresh from the API. */
export interface PullRequestState {
  number: number;
  state: string;
  draft: boolean;
  headSha: string;
  baseSha: string;
  changedFiles: number;
}

export async function getPullRequest(
  octokit: ProbotOctokit,
  ref: RepoRef,
  pullNumber: number,
): Promise<PullRequestState> {
  const { data } = await octokit.rest.pulls.get({ ...ref, pull_number: pullNumber });
  return {
    number: data.number,
    state: data.state,
    draft: data.draft === true,
    headSha: data.head.sha,
    baseSha: data.base.sha,
    changedFiles: data.changed_files,
  };
}

/** The changed files, 100 per page, up to the 3,000 GitHub lists. */
export async function listChangedFiles(
  octokit: ProbotOctokit,
  ref: RepoRef,
  pullNumber: number,
): Promise<ChangedFile[]> {
  const files: ChangedFile[] = [];
  const pages = octokit.paginate.iterator(octokit.rest.pulls.listFiles, {
    ...ref,
    pull_number: pullNumber,
    per_page: 100,
  });
  for await (const page of pages) {
    if (page.data.length === 0) break;
    for (const file of page.data) {
      files.push({
        filename: file.filename,
        status: file.status,
        sha: file.sha,
        patch: file.patch,
        previous_filename: file.previous_filename,
        changes: file.changes,
      });
    }
    if (files.length >= MAX_LISTED_FILES) break;
  }
  return files.slice(0, MAX_LISTED_FILES);
}

/** The exact bytes of a blob (git blobs API: up to 100 MB, any content). */
export async function fetchBlob(
  octokit: ProbotOctokit,
  ref: RepoRef,
  sha: string,
): Promise<Uint8Array> {
  const { data } = await octokit.rest.git.getBlob({ ...ref, file_sha: sha });
  if (data.encoding === 'base64') return Buffer.from(data.content, 'base64');
  return Buffer.from(data.content, 'utf8');
}

/** A file's text at a commit, or null when the file does not exist there. */
export async function fetchTextAt(
  octokit: ProbotOctokit,
  ref: RepoRef,
  path: string,
  commit: string,
): Promise<string | null> {
  try {
    const response = await octokit.rest.repos.getContent({
      ...ref,
      path,
      ref: commit,
      mediaType: { format: 'raw' },
    });
    const data: unknown = response.data;
    if (typeof data === 'string') return data;
    if (data instanceof ArrayBuffer) return new TextDecoder().decode(data);
    return null;
  } catch (error: unknown) {
    if (statusOf(error) === 404) return null;
    throw error;
  }
}

/** The commit the pull request's diff is computed from (what GitHub's patches are against). */
export async function findMergeBase(
  octokit: ProbotOctokit,
  ref: RepoRef,
  baseSha: string,
  headSha: string,
): Promise<string> {
  const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
    ...ref,
    basehead: `${baseSha}...${headSha}`,
    per_page: 1,
  });
  return data.merge_base_commit.sha;
}

/** The HTTP status of an Octokit request error, if it is one. */
export function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('status' in error)) return undefined;
  return typeof error.status === 'number' ? error.status : undefined;
}
