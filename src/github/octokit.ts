/**
 * The Octokit class the App gives Probot (`new Probot({ Octokit })`): Probot's own Octokit
 * (throttling, retry, pagination, config) with PyGuard's policy on top:
 *
 * - every HTTP attempt has a timeout (an `AbortSignal` per request); the answer's body is read
 *   inside it, and a request that never answers fails with a {@link GitHubTimeoutError};
 * - rate limits (403/429 with `retry-after`, an exhausted quota, a secondary limit) are waited
 *   out and the request sent again, a bounded number of times; a wait longer than the cap fails
 *   at once with a {@link GitHubRateLimitError} carrying `retryAfterMs`, for the queue to
 *   reschedule the whole job;
 * - transport retries (plugin-retry, after a 5xx, a reset or a timeout) only for requests that
 *   are safe to repeat: reads, `PATCH`/`PUT`/`DELETE`, GraphQL queries. A `POST` that creates
 *   something is never repeated blindly: its caller lists what exists before trying again;
 * - writes are throttled per installation (plugin-throttling keys its limiters by
 *   `throttle.id`, which Probot leaves at one shared `"no-id"` for webhook clients), clustered
 *   over Redis when Probot is given `redisConfig`;
 * - each attempt is counted in the metrics by route template and status, with the
 *   `x-ratelimit-remaining` GitHub reported.
 */
import type { Octokit, OctokitOptions } from '@octokit/core';
import type { Logger } from 'probot';
import { ProbotOctokit } from 'probot';

import type { PyGuardMetrics, RequestStatus } from './metrics.js';
import {
  GitHubRateLimitError,
  GitHubTimeoutError,
  RequestTimeoutError,
  isRateLimitError,
  isRequestTimeout,
  rateLimitWaitMs,
} from './transient.js';

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Rate-limit waits one request may sit through before failing. */
export const DEFAULT_RATE_LIMIT_RETRIES = 2;
/** The longest rate-limit wait a request sleeps through; a longer one fails the request. */
export const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 60_000;
/** Transport retries of a request that is safe to repeat. */
export const DEFAULT_TRANSPORT_RETRIES = 3;

export interface PyGuardOctokitOptions {
  /** Timeout of each HTTP attempt, headers and body (default 30 s). */
  requestTimeoutMs?: number;
  /** Counts requests and records rate-limit headroom. */
  metrics?: PyGuardMetrics | undefined;
  /** Where rate-limit waits are logged when the client has no logger of its own. */
  log?: Logger | undefined;
  /** Rate-limit waits per request (default 2) and the longest wait (default 60 s). */
  rateLimit?: { retries?: number; maxWaitMs?: number };
  /**
   * Transport retries for safe requests: how many (default 3; 0 turns them off) and the base
   * of plugin-retry's quadratic backoff (default 1000 ms).
   */
  retry?: { retries?: number; baseDelayMs?: number };
  /** Throttling (plugin-throttling); default on. Tests against nock turn it off. */
  throttle?: boolean;
  /** The sleep used for rate-limit waits (tests). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** The class to give Probot. */
export type PyGuardOctokit = typeof ProbotOctokit;

/** Statuses plugin-retry never repeats: permanent answers, and rate limits (handled here). */
const DO_NOT_RETRY = [400, 401, 403, 404, 410, 422, 429, 451];

/** Creates the App's Octokit class. */
export function createPyGuardOctokit(options: PyGuardOctokitOptions = {}): PyGuardOctokit {
  const settings = resolveSettings(options);
  const plugin = (octokit: Octokit, octokitOptions: OctokitOptions): Record<string, never> => {
    installPolicy(octokit, installationLabel(octokitOptions), settings);
    return {};
  };
  return ProbotOctokit.plugin(plugin).defaults((instanceOptions: OctokitOptions) =>
    withPolicyDefaults(instanceOptions, settings),
  );
}

/**
 * Options for `new Probot({...})`: the Octokit class and, with a Redis URL, the `redisConfig`
 * Probot builds its clustered throttling connection from (ioredis, installed with the App).
 */
export function probotOctokitOptions(
  options: PyGuardOctokitOptions & { redis?: { url: string } | undefined },
): { Octokit: PyGuardOctokit; redisConfig?: string } {
  const Octokit = createPyGuardOctokit(options);
  return options.redis === undefined ? { Octokit } : { Octokit, redisConfig: options.redis.url };
}

/** `PYGUARD_REQUEST_TIMEOUT_MS` (a positive integer), else the default. */
export function requestTimeoutFromEnv(env: NodeJS.ProcessEnv): number {
  const value = Number.parseInt(env['PYGUARD_REQUEST_TIMEOUT_MS'] ?? '', 10);
  return Number.isInteger(value) && value > 0 ? value : DEFAULT_REQUEST_TIMEOUT_MS;
}

interface Settings {
  timeoutMs: number;
  metrics: PyGuardMetrics | undefined;
  log: Logger | undefined;
  rateLimitRetries: number;
  maxWaitMs: number;
  transportRetries: number;
  retryBaseMs: number;
  throttle: boolean;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

function resolveSettings(options: PyGuardOctokitOptions): Settings {
  return {
    timeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    metrics: options.metrics,
    log: options.log,
    rateLimitRetries: options.rateLimit?.retries ?? DEFAULT_RATE_LIMIT_RETRIES,
    maxWaitMs: options.rateLimit?.maxWaitMs ?? DEFAULT_MAX_RATE_LIMIT_WAIT_MS,
    transportRetries: options.retry?.retries ?? DEFAULT_TRANSPORT_RETRIES,
    retryBaseMs: options.retry?.baseDelayMs ?? 1000,
    throttle: options.throttle ?? true,
    sleep: options.sleep ?? sleep,
  };
}

/**
 * The options every instance is built with. Probot's own throttle options (and the Redis
 * connection it made) are kept; the limiter key becomes the installation, and plugin-throttling's
 * own retries are off (rate limits are retried by {@link installPolicy}, bounded).
 */
function withPolicyDefaults(instance: OctokitOptions, settings: Settings): OctokitOptions {
  const throttle: Record<string, unknown> = settings.throttle
    ? {
        ...(instance['throttle'] as Record<string, unknown> | undefined),
        enabled: true,
        id: `pyguard-${installationLabel(instance)}`,
        onRateLimit: declineRetry,
        onSecondaryRateLimit: declineRetry,
      }
    : { enabled: false };
  return {
    ...instance,
    throttle,
    retry: {
      enabled: settings.transportRetries > 0,
      retries: settings.transportRetries,
      retryAfterBaseValue: settings.retryBaseMs,
      doNotRetry: DO_NOT_RETRY,
    },
    request: {
      ...(instance.request ?? {}),
      // Requests made below the hooks (installation tokens) still get the timeout.
      fetch: timedFetch(
        baseFetchOf(instance.request),
        settings,
        undefined,
        installationLabel(instance),
      ),
    },
  };
}

/** plugin-throttling calls these on a rate limit; PyGuard retries in its own hook instead. */
function declineRetry(): boolean {
  return false;
}

function installPolicy(octokit: Octokit, installation: string, settings: Settings): void {
  const log = (octokit.log as Logger | undefined) ?? settings.log;
  octokit.hook.wrap('request', async (request, options) => {
    const route = routeOf(options.method, options.url);
    const baseRequest = options.request;
    const signal = baseRequest.signal;
    // plugin-retry repeats whatever error carries `request.retries` > 0: only set it to 0.
    const noRetries = isSafeToRepeat(options.method, options.url, options['query'])
      ? {}
      : { retries: 0 };
    for (let waits = 0; ; waits++) {
      // The hooks below read this very options object (before-after-hook binds it), so it is
      // changed in place; `request` is replaced, never mutated: it may be the shared defaults.
      options.request = {
        ...baseRequest,
        ...noRetries,
        retryCount: 0,
        fetch: timedFetch(baseFetchOf(baseRequest), settings, route, installation),
      };
      try {
        return await request(options);
      } catch (error: unknown) {
        if (isRequestTimeout(error)) {
          throw new GitHubTimeoutError(route, settings.timeoutMs, { cause: error });
        }
        if (!isRateLimitError(error)) throw error;
        const waitMs = rateLimitWaitMs(error);
        if (waits >= settings.rateLimitRetries || waitMs > settings.maxWaitMs) {
          throw new GitHubRateLimitError(route, statusOf(error), waitMs, { cause: error });
        }
        log?.warn(
          { route, installation, waitMs, attempt: waits + 1 },
          'GitHub rate limit: waiting before sending the request again',
        );
        await settings.sleep(waitMs, signal);
      }
    }
  });
}

/**
 * True when sending the request twice does no harm: reads, `PUT`/`PATCH`/`DELETE` (they set a
 * state), GraphQL queries, and the installation-token `POST`. Other `POST`s create something.
 */
export function isSafeToRepeat(method: string, url: string, query?: unknown): boolean {
  const verb = method.toUpperCase();
  if (verb !== 'POST') return true;
  const path = pathOf(url);
  if (path === '/graphql') return typeof query === 'string' && !isGraphqlMutation(query);
  return /^\/app\/installations\/[^/]+\/access_tokens$/.test(path);
}

/** True when a GraphQL document's operation is a mutation (comments and whitespace skipped). */
export function isGraphqlMutation(query: string): boolean {
  const withoutComments = query.replace(/#[^\n\r]*/g, ' ');
  return /^\s*mutation\b/.test(withoutComments);
}

/**
 * A bounded label for a request: `METHOD /route/{template}`. Octokit passes templates; the
 * absolute URLs of pagination links have their owner, repository and numbers replaced.
 */
export function routeOf(method: string, url: string): string {
  return `${method.toUpperCase()} ${normalisePath(pathOf(url))}`;
}

function normalisePath(path: string): string {
  if (path.includes('{')) return path;
  return path
    .replace(/^\/repos\/[^/]+\/[^/]+/, '/repos/{owner}/{repo}')
    .replace(/\/\d+(?=\/|$)/g, '/{id}');
}

function pathOf(url: string): string {
  const withoutQuery = url.split('?')[0] ?? url;
  if (!/^https?:\/\//i.test(withoutQuery)) return withoutQuery;
  try {
    // GitHub Enterprise serves the API under /api/v3.
    return new URL(withoutQuery).pathname.replace(/^\/api\/v3(?=\/)/, '');
  } catch {
    return withoutQuery;
  }
}

/** `installation-<id>` for an installation's client, `app` for the App's own. */
function installationLabel(options: OctokitOptions): string {
  const auth = options.auth as { installationId?: unknown } | string | undefined;
  const id = typeof auth === 'object' ? auth.installationId : undefined;
  return typeof id === 'number' || typeof id === 'string' ? `installation-${String(id)}` : 'app';
}

type Fetch = typeof globalThis.fetch;

function baseFetchOf(request: OctokitOptions['request']): Fetch {
  const custom = (request as { fetch?: unknown } | undefined)?.fetch;
  if (typeof custom === 'function' && !isTimedFetch(custom)) return custom as Fetch;
  const inner = (custom as { [INNER]?: Fetch } | undefined)?.[INNER];
  // Looked up at call time: nock and other interceptors replace globalThis.fetch.
  return inner ?? ((input, init) => globalThis.fetch(input, init));
}

const INNER = Symbol('pyguard.innerFetch');

function isTimedFetch(value: unknown): boolean {
  return typeof value === 'function' && INNER in value;
}

/**
 * `fetch` with a timer: the attempt (answer and body) must finish within the timeout, or it is
 * aborted with a {@link RequestTimeoutError}. Each attempt is recorded in the metrics.
 */
function timedFetch(
  base: Fetch,
  settings: Settings,
  knownRoute: string | undefined,
  installation: string,
): Fetch {
  const timed: Fetch = async (input, init) => {
    const route = knownRoute ?? routeOf(init?.method ?? 'GET', urlOf(input));
    const record = (status: RequestStatus, headers?: Headers): void => {
      const metrics = settings.metrics;
      if (metrics === undefined) return;
      metrics.recordGitHubRequest(route, route.split(' ')[0] ?? 'GET', status);
      const remaining = Number.parseInt(headers?.get('x-ratelimit-remaining') ?? '', 10);
      if (Number.isInteger(remaining)) metrics.recordRateLimitRemaining(installation, remaining);
    };
    const controller = new AbortController();
    const timer = setTimeout(() => {
      controller.abort(new RequestTimeoutError(settings.timeoutMs));
    }, settings.timeoutMs);
    const callerSignal = init?.signal ?? undefined;
    const signal =
      callerSignal === undefined ? controller.signal : anySignal(callerSignal, controller.signal);
    try {
      const response = await base(input, { ...init, signal });
      const body = await response.arrayBuffer();
      record(response.status, response.headers);
      return rebuildResponse(response, body);
    } catch (error: unknown) {
      if (controller.signal.aborted) {
        record('timeout');
        throw controller.signal.reason as Error;
      }
      record('network_error');
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };
  return Object.assign(timed, { [INNER]: base });
}

/** A response whose body was read already (so Octokit never waits on the network for it). */
function rebuildResponse(response: Response, body: ArrayBuffer): Response {
  const nullBody = [101, 103, 204, 205, 304].includes(response.status);
  const rebuilt = new Response(nullBody ? null : body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  Object.defineProperty(rebuilt, 'url', { value: response.url });
  return rebuilt;
}

function urlOf(input: Parameters<Fetch>[0]): string {
  if (typeof input === 'string') return input;
  return input instanceof URL ? input.href : input.url;
}

function anySignal(first: AbortSignal, second: AbortSignal): AbortSignal {
  return AbortSignal.any([first, second]);
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('status' in error)) return undefined;
  return typeof error.status === 'number' ? error.status : undefined;
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason as Error);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
