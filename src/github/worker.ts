/**
 * What a worker does with scan jobs, whichever queue carries them: accept a job (its `queued`
 * check run), scan it (with an installation client of its own, since a job may run in another
 * process than the webhook that asked for it), and complete the check run of a job nobody will
 * scan any more.
 */
import type { Logger, ProbotOctokit } from 'probot';

import { loadRepoConfig, repoConfigReader } from './config.js';
import {
  renderCancelledCheckRun,
  renderErrorCheckRun,
  renderSupersededCheckRun,
} from '../report/check-run.js';
import { completeCheckRunWith, createQueuedCheckRun, externalIdFor } from './checks.js';
import type { RepoRef } from './fetch.js';
import type { WorkerHooks } from './jobs/queue.js';
import { TransientError, type ScanJob } from './jobs/types.js';
import { describeError, errorFields, jobLogger } from './logger.js';
import type { PyGuardMetrics } from './metrics.js';
import { scanPullRequest, type ScanDeps } from './scan-pull-request.js';
import { isTransientError, retryAfterMs } from './transient.js';

export interface WorkerDeps {
  /** An installation client (Probot's `app.auth(installationId)`). */
  auth: (installationId: number) => Promise<ProbotOctokit>;
  log: Logger;
  scan: ScanDeps;
  metrics?: PyGuardMetrics | undefined;
}

function refOf(job: ScanJob): RepoRef {
  return { owner: job.owner, repo: job.repo };
}

function logFor(deps: WorkerDeps, job: ScanJob): Logger {
  return jobLogger(deps.log, {
    deliveryId: job.deliveryId,
    repo: `${job.owner}/${job.repo}`,
    pullNumber: job.pullNumber,
    headSha: job.headSha,
    trigger: job.trigger,
  });
}

/** An installation client, or a transient error (a token request can fail like any other). */
async function clientFor(deps: WorkerDeps, installationId: number): Promise<ProbotOctokit> {
  try {
    return await deps.auth(installationId);
  } catch (error: unknown) {
    if (!isTransientError(error)) throw error;
    throw new TransientError(`installation token: ${describeError(error)}`, retryAfterMs(error), {
      cause: error,
    });
  }
}

export function createWorkerHooks(deps: WorkerDeps): WorkerHooks {
  return {
    accept: async (job) => {
      try {
        const octokit = await clientFor(deps, job.installationId);
        const queued = await createQueuedCheckRun(octokit, refOf(job), {
          headSha: job.headSha,
          externalId: externalIdFor(job.pullNumber, job.trigger),
          at: new Date(job.acceptedAt),
        });
        // A pending check run found instead of created is the scan's to look up again: it may
        // hold what an earlier, interrupted scan sent.
        return queued.created ? queued.id : undefined;
      } catch (error: unknown) {
        logFor(deps, job).warn(errorFields(error), 'could not create the queued check run');
        return undefined;
      }
    },
    process: async (job, run) => {
      const octokit = await clientFor(deps, job.installationId);
      const started = performance.now();
      const stats = await scanPullRequest(
        {
          octokit,
          log: deps.log,
          readConfig: repoConfigReader(octokit, refOf(job)),
          deliveryId: job.deliveryId,
          trigger: job.trigger,
          ref: refOf(job),
          pullNumber: job.pullNumber,
          headSha: job.headSha,
        },
        deps.scan,
        run,
      );
      if (stats !== undefined) {
        deps.metrics?.recordScan({
          durationSeconds: (performance.now() - started) / 1000,
          files: stats.files,
          findings: stats.findings,
        });
      }
    },
    onAbandoned: async (job, checkRunId, reason) => {
      const log = logFor(deps, job);
      log.info({ checkRunId, reason: reason.kind }, 'scan job ended without a scan');
      if (reason.kind === 'superseded') deps.metrics?.recordSupersededJob();
      if (checkRunId === undefined) return;
      try {
        const octokit = await deps.auth(job.installationId);
        const ref = refOf(job);
        const message =
          reason.kind === 'superseded'
            ? renderSupersededCheckRun(reason.newerSha)
            : reason.kind === 'cancelled'
              ? renderCancelledCheckRun('the service was stopped before this scan ran')
              : renderErrorCheckRun({
                  reason: describeError(reason.error),
                  onError: (await loadRepoConfig(repoConfigReader(octokit, ref), {})).config
                    .onError,
                });
        await completeCheckRunWith(octokit, ref, checkRunId, message, deps.scan.clock(), {
          rescanButton: reason.kind !== 'superseded',
        });
      } catch (error: unknown) {
        log.error({ checkRunId, ...errorFields(error) }, 'could not complete the check run');
      }
    },
    onRetry: (job, attempt, delayMs, error) => {
      deps.metrics?.recordRetriedJob();
      logFor(deps, job).warn({ attempt, delayMs, ...errorFields(error) }, 'scan will be retried');
    },
    onError: (error, context) => {
      deps.log.error({ context, ...errorFields(error) }, 'job queue error');
    },
  };
}
