/**
 * The PyGuard GitHub App's webhook side: which events schedule which work. `createApp` wires
 * the handlers to a scan queue and returns what a worker needs to scan (see worker.ts and
 * main.ts). The default export is what `probot run` loads (Probot's setup flow, and hosts
 * that run Probot apps themselves): one process, in-process queue.
 */
import type { Probot } from 'probot';

import { allRules } from '../../rules/index.js';
import type { AdvisorySource, PackageQuery } from '../deps/advisory-source.js';
import { OfflineOsvSource } from '../deps/offline-source.js';
import { OsvClient } from '../deps/osv-client.js';
import type { OsvRecord } from '../deps/osv-record.js';
import type { AdvisoryCache } from '../deps/cache.js';
import type { ScanProcessPool } from '../engine/process-pool.js';
import { RuleRegistry } from '../rules-api/registry.js';
import type { AnyRule } from '../rules-api/types.js';
import { readToolInfoSync } from '../cli/version.js';
import { ruleDocsUrl, type DocsSource } from '../report/docs-links.js';
import { baseChanged } from './events.js';
import {
  onCheckRun,
  onCheckSuite,
  onIssueComment,
  onMergeGroup,
  onPullRequest,
} from './handlers.js';
import type { HandlerDeps } from './handlers.js';
import { MemoryQueue } from './jobs/memory-queue.js';
import type { ScanQueue } from './jobs/queue.js';
import { errorFields } from './logger.js';
import type { ScanDeps } from './scan-pull-request.js';
import { BackgroundTasks } from './tasks.js';
import { createWorkerHooks } from './worker.js';

export interface AppOptions {
  queue: ScanQueue;
  tasks: BackgroundTasks;
  clock?: () => Date;
  rules?: readonly AnyRule[];
  /**
   * Base URL of the rule documentation; `<base>/<RULE-ID>.md` is linked from comments. Without
   * one, the rule pages of PyGuard's repository at the installed version are linked.
   */
  docsBaseUrl?: string | undefined;
  /** The version and repository the default rule links point at (default: package.json). */
  docsSource?: DocsSource | undefined;
  /** Child processes that scan the files; without one, files are scanned in this process. */
  pool?: ScanProcessPool | undefined;
  /** Where the dependency audit gets advisories (see {@link advisorySourceFromEnv}). */
  advisories?: AdvisorySource | undefined;
}

export interface PyGuardApp {
  /** The Probot app function: registers the webhook handlers. */
  handlers: (app: Probot) => void;
  /** What the scans of this app need (rules, clock, links). */
  scanDeps: ScanDeps;
}

export const DEFAULT_CONCURRENCY = 8;

/** The app, wired to its queue and background tasks. */
export function createApp(options: AppOptions): PyGuardApp {
  const rules = options.rules ?? allRules;
  const scanDeps: ScanDeps = {
    clock: options.clock ?? (() => new Date()),
    rules,
    registry: new RuleRegistry(rules),
    docsUrl: ruleDocsUrl(options.docsBaseUrl, options.docsSource ?? readToolInfoSync()),
    pool: options.pool,
    advisories: options.advisories,
  };
  const deps: HandlerDeps = { queue: options.queue, tasks: options.tasks, clock: scanDeps.clock };
  const handlers = (app: Probot): void => {
    app.on(
      [
        'pull_request.opened',
        'pull_request.synchronize',
        'pull_request.reopened',
        'pull_request.ready_for_review',
      ],
      (context) => onPullRequest(context, deps),
    );
    app.on('pull_request.edited', async (context) => {
      if (baseChanged(context.payload)) await onPullRequest(context, deps);
    });
    app.on('issue_comment.created', (context) => {
      onIssueComment(context, deps);
    });
    app.on(['check_run.rerequested', 'check_run.requested_action'], (context) =>
      onCheckRun(context, deps),
    );
    app.on('check_suite.rerequested', (context) => onCheckSuite(context, deps));
    app.on('merge_group.checks_requested', (context) => {
      onMergeGroup(context, deps);
    });
  };
  return { handlers, scanDeps };
}

/** The environment variable naming a directory of OSV records for offline advisories. */
export const OSV_DB_ENV = 'PYGUARD_OSV_DB';

/**
 * The process's advisory source: the OSV records of the directory `PYGUARD_OSV_DB` names
 * (read on first use; a failure to read it is retried by the next scan), else the OSV API
 * with its in-memory cache, shared by every scan of the process.
 */
export function advisorySourceFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  cache?: AdvisoryCache,
): AdvisorySource {
  const directory = env[OSV_DB_ENV]?.trim() ?? '';
  if (directory === '') return new OsvClient(cache === undefined ? {} : { cache });
  let loading: Promise<OfflineOsvSource> | undefined;
  const load = (): Promise<OfflineOsvSource> =>
    (loading ??= OfflineOsvSource.fromDirectory(directory).catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
  return {
    description: `offline OSV records in ${directory}`,
    advisoriesFor: async (queries: readonly PackageQuery[]): Promise<OsvRecord[][]> =>
      (await load()).advisoriesFor(queries),
  };
}

/** What `probot run` loads: the whole service in one process, scans in an in-process queue. */
export default function pyguardApp(app: Probot): void {
  const concurrency = Number.parseInt(process.env['PYGUARD_CONCURRENCY'] ?? '', 10);
  const queue = new MemoryQueue({
    concurrency:
      Number.isInteger(concurrency) && concurrency > 0 ? concurrency : DEFAULT_CONCURRENCY,
  });
  const tasks = new BackgroundTasks((error, key) => {
    app.log.error({ ...errorFields(error), key }, 'background task failed');
  });
  const pyguard = createApp({
    queue,
    tasks,
    docsBaseUrl: process.env['PYGUARD_DOCS_URL'],
    advisories: advisorySourceFromEnv(process.env),
  });
  pyguard.handlers(app);
  queue.startWorker(
    createWorkerHooks({
      auth: (installationId) => app.auth(installationId),
      log: app.log,
      scan: pyguard.scanDeps,
    }),
  );
}
