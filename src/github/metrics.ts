/**
 * The App's Prometheus metrics: one prom-client registry of its own (never the global default),
 * filled by typed recording functions, and read as text by `GET /metrics`. Label values are
 * bounded: event names only once a delivery is verified, request routes as templates.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What happened to a webhook delivery. */
export type WebhookOutcome =
  'accepted' | 'bad_signature' | 'too_large' | 'invalid' | 'unsupported' | 'failed';

/** The label given to the event of a delivery that was never verified (its name is untrusted). */
export const UNVERIFIED_EVENT = 'unverified';

/** How the job queue looks right now, as its collector reports it. */
export interface QueueSnapshot {
  /** Jobs waiting (delayed ones included). */
  queued: number;
  /** Jobs being processed. */
  active: number;
  /** Jobs that failed for good and are still kept. */
  failed: number;
  /** Age of the oldest waiting or active job, in seconds; 0 when there is none. */
  oldestJobAgeSeconds: number;
}

/** Reads the queue's state each time the metrics are scraped. */
export type QueueCollector = () => QueueSnapshot | Promise<QueueSnapshot>;

/** One finished scan. */
export interface ScanRecord {
  durationSeconds: number;
  /** Files scanned. */
  files: number;
  /** Findings reported (after filtering to changed lines). */
  findings: number;
}

/** How a GitHub request ended: its HTTP status, or what kept it from having one. */
export type RequestStatus = number | 'timeout' | 'network_error';

/** The App's metrics and the functions that record them. */
export interface PyGuardMetrics {
  readonly registry: Registry;
  /** The `Content-Type` of {@link PyGuardMetrics.metricsText}. */
  readonly contentType: string;
  /** A webhook delivery arrived and was answered; `event` is trusted only once verified. */
  recordWebhook(event: string, outcome: WebhookOutcome): void;
  /** A scan completed its check run. */
  recordScan(scan: ScanRecord): void;
  /** One HTTP request to GitHub (each attempt, retries included). */
  recordGitHubRequest(route: string, method: string, status: RequestStatus): void;
  /** The `x-ratelimit-remaining` GitHub reported to an installation (or `app`). */
  recordRateLimitRemaining(installation: string, remaining: number): void;
  /** A job was dropped or stopped because a newer head of its pull request arrived. */
  recordSupersededJob(): void;
  /** A job failed with a transient error and was scheduled again. */
  recordRetriedJob(): void;
  /**
   * Makes the queue gauges read `collector` at each scrape. One collector at a time: a later
   * call replaces it. Returns a function that removes it (the gauges then read 0).
   */
  setQueueCollector(collector: QueueCollector): () => void;
  /** Every metric in the Prometheus text format. */
  metricsText(): Promise<string>;
}

export interface MetricsOptions {
  /** Also export Node's process metrics (`pyguard_process_*`, `pyguard_nodejs_*`); default true. */
  processMetrics?: boolean;
}

const PREFIX = 'pyguard_';

/** Creates the registry and every metric in it. */
export function createMetrics(options: MetricsOptions = {}): PyGuardMetrics {
  const registry = new Registry();
  if (options.processMetrics !== false)
    collectDefaultMetrics({ register: registry, prefix: PREFIX });

  const webhooks = new Counter({
    name: `${PREFIX}webhooks_received_total`,
    help: 'Webhook deliveries received, by event and outcome.',
    labelNames: ['event', 'outcome'] as const,
    registers: [registry],
  });
  const scanDuration = new Histogram({
    name: `${PREFIX}scan_duration_seconds`,
    help: 'Time from the start of a scan to its completed check run.',
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [registry],
  });
  const scanFiles = new Histogram({
    name: `${PREFIX}scan_files`,
    help: 'Files scanned per scan.',
    buckets: [0, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 3000],
    registers: [registry],
  });
  const scanFindings = new Histogram({
    name: `${PREFIX}scan_findings`,
    help: 'Findings reported per scan.',
    buckets: [0, 1, 2, 5, 10, 25, 50, 100, 250, 1000],
    registers: [registry],
  });
  const requests = new Counter({
    name: `${PREFIX}github_requests_total`,
    help: 'HTTP requests sent to the GitHub API (each attempt), by route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const rateLimit = new Gauge({
    name: `${PREFIX}github_rate_limit_remaining`,
    help: 'The x-ratelimit-remaining GitHub last reported, by installation.',
    labelNames: ['installation'] as const,
    registers: [registry],
  });
  const superseded = new Counter({
    name: `${PREFIX}jobs_superseded_total`,
    help: 'Jobs dropped or stopped because a newer head of their pull request arrived.',
    registers: [registry],
  });
  const retried = new Counter({
    name: `${PREFIX}jobs_retried_total`,
    help: 'Jobs scheduled again after a transient failure.',
    registers: [registry],
  });

  let collector: QueueCollector | undefined;
  let snapshot: Promise<QueueSnapshot> | undefined;
  /** One collector call per scrape, shared by the four gauges. */
  const readQueue = async (): Promise<QueueSnapshot> => {
    if (collector === undefined) return EMPTY_QUEUE;
    snapshot ??= Promise.resolve(collector()).finally(() => {
      snapshot = undefined;
    });
    return snapshot;
  };
  const queueGauge = (name: string, help: string, pick: (queue: QueueSnapshot) => number): void => {
    new Gauge({
      name: `${PREFIX}${name}`,
      help,
      registers: [registry],
      async collect() {
        this.set(pick(await readQueue()));
      },
    });
  };
  queueGauge('jobs_queued', 'Jobs waiting to run.', (queue) => queue.queued);
  queueGauge('jobs_active', 'Jobs running.', (queue) => queue.active);
  queueGauge(
    'jobs_failed',
    'Jobs that failed for good and are still kept.',
    (queue) => queue.failed,
  );
  queueGauge(
    'oldest_job_age_seconds',
    'Age of the oldest waiting or running job.',
    (queue) => queue.oldestJobAgeSeconds,
  );

  return {
    registry,
    contentType: registry.contentType,
    recordWebhook(event, outcome) {
      webhooks.inc({ event, outcome });
    },
    recordScan(scan) {
      scanDuration.observe(scan.durationSeconds);
      scanFiles.observe(scan.files);
      scanFindings.observe(scan.findings);
    },
    recordGitHubRequest(route, method, status) {
      requests.inc({ method, route, status: String(status) });
    },
    recordRateLimitRemaining(installation, remaining) {
      rateLimit.set({ installation }, remaining);
    },
    recordSupersededJob() {
      superseded.inc();
    },
    recordRetriedJob() {
      retried.inc();
    },
    setQueueCollector(next) {
      collector = next;
      return () => {
        if (collector === next) collector = undefined;
      };
    },
    metricsText: () => registry.metrics(),
  };
}

const EMPTY_QUEUE: QueueSnapshot = { queued: 0, active: 0, failed: 0, oldestJobAgeSeconds: 0 };
