/**
 * `npm start`: the PyGuard service. One process by default (`PYGUARD_ROLE=all`, in-process
 * queue, no Redis); with `REDIS_URL`, any number of webhook receivers (`web`) and scan workers
 * (`worker`) sharing one Redis. Every role serves `/healthz`, `/readyz` and `/metrics`.
 *
 * Without App credentials it hands over to Probot's setup flow, which registers the App from
 * `app.yml` and writes them to `.env`.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';

import { Redis } from 'ioredis';
import { pino } from 'pino';
import { Probot, run } from 'probot';
import type { Logger } from 'probot';

import pyguardApp, { advisorySourceFromEnv, createApp } from './app.js';
import { ScanProcessPool } from '../engine/process-pool.js';
import { createRequestHandler } from './http.js';
import { MemoryQueue } from './jobs/memory-queue.js';
import type { ScanQueue } from './jobs/queue.js';
import { RedisQueue } from './jobs/redis-queue.js';
import { createMetrics, type PyGuardMetrics } from './metrics.js';
import { createPyGuardOctokit } from './octokit.js';
import { RedisAdvisoryCache } from './redis-advisory-cache.js';
import { readSettings, SettingsError, type ServiceSettings } from './settings.js';
import { BackgroundTasks } from './tasks.js';
import { createWorkerHooks } from './worker.js';
import { ruleSetModuleUrl } from '../rule-set.js';

interface Service {
  server: Server;
  /** Connections to close last at shutdown. */
  cacheRedis: Redis | undefined;
  queue: ScanQueue;
  pool: ScanProcessPool | undefined;
  tasks: BackgroundTasks;
  log: Logger;
}

function createQueue(settings: ServiceSettings): ScanQueue {
  const retry = { attempts: settings.jobAttempts, deadlineMs: settings.jobDeadlineMs };
  return settings.redisUrl === undefined
    ? new MemoryQueue({ concurrency: settings.concurrency, retry })
    : new RedisQueue({
        url: settings.redisUrl,
        prefix: settings.queuePrefix,
        concurrency: settings.concurrency,
        retry,
      });
}

async function readiness(
  settings: ServiceSettings,
  queue: ScanQueue,
): Promise<{ ok: boolean; checks: { name: string; ok: boolean; detail?: string }[] }> {
  const checks = [
    { name: 'credentials', ok: settings.appId !== undefined && settings.privateKey !== undefined },
    ...(await queue.readiness().catch((error: unknown) => [
      {
        name: 'queue',
        ok: false,
        detail: error instanceof Error ? error.message : String(error),
      },
    ])),
  ];
  return { ok: checks.every((check) => check.ok), checks };
}

function watchQueue(metrics: PyGuardMetrics, queue: ScanQueue): void {
  metrics.setQueueCollector(async () => {
    const stats = await queue.stats();
    return {
      queued: stats.waiting + stats.delayed,
      active: stats.active,
      failed: stats.failed,
      oldestJobAgeSeconds: stats.oldestWaitingMs / 1000,
    };
  });
}

async function startService(settings: ServiceSettings): Promise<Service> {
  const log = pino({ level: settings.logLevel, name: 'pyguard' });
  const metrics = createMetrics();
  const Octokit = createPyGuardOctokit({
    requestTimeoutMs: settings.requestTimeoutMs,
    metrics,
    log,
  });
  const probot = new Probot({
    appId: settings.appId,
    privateKey: settings.privateKey,
    secret: settings.webhookSecret,
    log,
    Octokit,
    ...(settings.baseUrl === undefined ? {} : { baseUrl: settings.baseUrl }),
    ...(settings.redisUrl === undefined ? {} : { redisConfig: settings.redisUrl }),
  });
  const queue = createQueue(settings);
  watchQueue(metrics, queue);
  const tasks = new BackgroundTasks((error, key) => {
    log.error(
      { key, reason: error instanceof Error ? error.message : String(error) },
      'background task failed',
    );
  });
  // Workers parse and check files in child processes: a file that crashes native code costs
  // that file, never the service, and scans never run on the thread that answers webhooks.
  const pool =
    settings.role === 'web'
      ? undefined
      : new ScanProcessPool({
          size: settings.scanProcesses,
          rulesModule: ruleSetModuleUrl(),
          log: (message) => {
            log.warn({ component: 'scan-pool' }, message);
          },
        });
  pool?.warmUp();
  // One advisory source per process: its cache is shared by every scan.
  // With Redis, OSV answers are cached there, shared by every worker.
  const cacheRedis =
    settings.redisUrl === undefined || settings.role === 'web'
      ? undefined
      : new Redis(settings.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  const advisories =
    settings.role === 'web'
      ? undefined
      : advisorySourceFromEnv(
          process.env,
          cacheRedis === undefined
            ? undefined
            : new RedisAdvisoryCache(cacheRedis, settings.queuePrefix),
        );
  const app = createApp({ queue, tasks, pool, docsBaseUrl: settings.docsBaseUrl, advisories });
  if (settings.role !== 'worker') await probot.load(app.handlers);
  if (settings.role !== 'web') {
    queue.startWorker(
      createWorkerHooks({
        auth: (installationId) => probot.auth(installationId),
        log,
        scan: app.scanDeps,
        metrics,
      }),
    );
  }
  const handler = createRequestHandler({
    webhooks:
      settings.role === 'worker' || settings.webhookSecret === undefined
        ? undefined
        : {
            path: '/api/github/webhooks',
            secret: settings.webhookSecret,
            maxBytes: settings.maxWebhookBytes,
            // The payload is GitHub's, verified by its signature; Probot routes it by name.
            receive: (event) => probot.receive(event as Parameters<Probot['receive']>[0]),
          },
    ready: () => readiness(settings, queue),
    metrics,
    log,
  });
  const server = createServer((request, response) => {
    void handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(settings.port, settings.host, resolve));
  log.info(
    { role: settings.role, queue: queue.backend, port: settings.port, host: settings.host },
    'PyGuard is listening',
  );
  return { server, queue, pool, tasks, log, cacheRedis };
}

/**
 * SIGTERM or SIGINT: stop answering webhooks, give running scans the grace period, leave the
 * rest to other workers (Redis) or complete their check runs as cancelled (in-process).
 */
function stopOnSignal(service: Service, graceMs: number): void {
  const stop = (signal: NodeJS.Signals): void => {
    service.log.info({ signal }, 'stopping: finishing running scans');
    const hardStop = setTimeout(() => process.exit(1), graceMs + 15_000);
    hardStop.unref();
    service.server.close();
    service.server.closeIdleConnections();
    void service.queue
      .close(graceMs)
      .then(() => service.tasks.idle())
      .then(() => service.pool?.close())
      .then(() => service.cacheRedis?.disconnect())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/**
 * Values from `.env` (written by the setup flow) for variables the environment does not set:
 * the real environment always wins.
 */
function loadDotEnv(): void {
  try {
    process.loadEnvFile('.env');
  } catch {
    // No .env: the environment is the configuration.
  }
}

async function main(): Promise<void> {
  loadDotEnv();
  let settings: ServiceSettings;
  try {
    settings = readSettings(process.env);
  } catch (error: unknown) {
    if (!(error instanceof SettingsError)) throw error;
    process.stderr.write(`pyguard: ${error.message}\n`);
    process.exit(2);
  }
  if (settings.appId === undefined || settings.privateKey === undefined) {
    // No App yet: Probot's setup page registers one from app.yml.
    await run(pyguardApp);
    return;
  }
  const service = await startService(settings);
  stopOnSignal(service, settings.shutdownGraceMs);
}

await main();
