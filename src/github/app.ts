/**
 * The PyGuard GitHub App: `probot run ./dist/src/github/app.js` loads the default export.
 * `createApp` builds the same app with injectable clock, queue and rules (tests).
 */
import type { Probot } from 'probot';

import { allRules } from '../../rules/index.js';
import { RuleRegistry } from '../rules-api/registry.js';
import type { AnyRule } from '../rules-api/types.js';
import type { DocsUrl } from '../report/review.js';
import { baseChanged } from './events.js';
import {
  onCheckRun,
  onCheckSuite,
  onIssueComment,
  onMergeGroup,
  onPullRequest,
} from './handlers.js';
import type { HandlerDeps } from './handlers.js';
import { errorFields } from './logger.js';
import { JobQueue } from './queue.js';

export interface AppOptions {
  clock?: () => Date;
  /** Scans running at once (default 2). Ignored when `queue` is given. */
  concurrency?: number;
  queue?: JobQueue;
  rules?: readonly AnyRule[];
  /** Base URL of the rule documentation; `<base>/<RULE-ID>.md` is linked from comments. */
  docsBaseUrl?: string | undefined;
}

export const DEFAULT_CONCURRENCY = 2;

/** The app function, wired to its dependencies. */
export function createApp(options: AppOptions = {}): (app: Probot) => void {
  return (app: Probot) => {
    const rules = options.rules ?? allRules;
    const queue = options.queue ?? createQueue(app, options.concurrency);
    const deps: HandlerDeps = {
      queue,
      scan: {
        clock: options.clock ?? (() => new Date()),
        rules,
        registry: new RuleRegistry(rules),
        docsUrl: docsUrlFor(options.docsBaseUrl),
      },
    };
    app.on(
      [
        'pull_request.opened',
        'pull_request.synchronize',
        'pull_request.reopened',
        'pull_request.ready_for_review',
      ],
      (context) => {
        onPullRequest(context, deps);
      },
    );
    app.on('pull_request.edited', (context) => {
      if (baseChanged(context.payload)) onPullRequest(context, deps);
    });
    app.on('issue_comment.created', (context) => {
      onIssueComment(context, deps);
    });
    app.on(['check_run.rerequested', 'check_run.requested_action'], (context) => {
      onCheckRun(context, deps);
    });
    app.on('check_suite.rerequested', (context) => {
      onCheckSuite(context, deps);
    });
    app.on('merge_group.checks_requested', (context) => {
      onMergeGroup(context, deps);
    });
  };
}

/** The background queue; what escapes a job is logged (without request details). */
function createQueue(app: Probot, concurrency = DEFAULT_CONCURRENCY): JobQueue {
  return new JobQueue({
    concurrency,
    onError: (error, key) => {
      app.log.error({ ...errorFields(error), key }, 'background job failed');
    },
  });
}

function docsUrlFor(base: string | undefined): DocsUrl | undefined {
  if (base === undefined || base.trim() === '') return undefined;
  const root = base.trim().replace(/\/+$/, '');
  return (ruleId) => `${root}/${ruleId}.md`;
}

/** Options from the environment: `PYGUARD_CONCURRENCY`, `PYGUARD_DOCS_URL`. */
export function optionsFromEnv(env: NodeJS.ProcessEnv): AppOptions {
  const concurrency = Number.parseInt(env['PYGUARD_CONCURRENCY'] ?? '', 10);
  return {
    concurrency:
      Number.isInteger(concurrency) && concurrency > 0 ? concurrency : DEFAULT_CONCURRENCY,
    docsBaseUrl: env['PYGUARD_DOCS_URL'],
  };
}

/** What `probot run` loads. */
export default function pyguardApp(app: Probot): void {
  const options = optionsFromEnv(process.env);
  const queue = createQueue(app, options.concurrency);
  createApp({ ...options, queue })(app);
  drainOnShutdown(queue, app);
}

/** Time given to running scans to complete their check runs when the process is stopped. */
const SHUTDOWN_GRACE_MS = 25_000;

/**
 * On SIGTERM or SIGINT, waits (up to 25 s) for queued and running scans, so their check runs
 * are completed rather than left in progress, then exits.
 */
function drainOnShutdown(queue: JobQueue, app: Probot): void {
  // A second signal finds no listener left and stops the process at once.
  const stop = (signal: NodeJS.Signals): void => {
    app.log.info({ signal, ...queue.size }, 'stopping: waiting for running scans');
    const timer = setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS);
    timer.unref();
    void queue.idle().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
