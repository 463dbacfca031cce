/**
 * The App's HTTP front door, for a `node:http` server: GitHub webhooks, liveness, readiness and
 * metrics. A webhook body is capped before it is buffered (by `content-length`, then by counting
 * while it streams), its `x-hub-signature-256` is checked with a constant-time HMAC comparison
 * before any JSON parsing, and a failed check logs one line (delivery id and event), never the
 * payload or the headers. Answers follow Probot's webhook middleware (`ok`, 202 `still
 * processing`, JSON `{"error": …}`), with 401 for a bad or missing signature.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';

import { describeError } from './logger.js';
import { UNVERIFIED_EVENT } from './metrics.js';
import type { PyGuardMetrics, WebhookOutcome } from './metrics.js';

/** GitHub caps webhook payloads at 25 MB. */
export const DEFAULT_MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;
export const DEFAULT_WEBHOOK_PATH = '/api/github/webhooks';
/** GitHub gives up after 10 s; Probot answers 202 after 9. */
export const DEFAULT_ANSWER_WITHIN_MS = 9_000;
/** A readiness check that takes longer than this counts as failed. */
export const DEFAULT_CHECK_TIMEOUT_MS = 5_000;

/** A verified delivery. */
export interface WebhookDelivery {
  /** `x-github-delivery`. */
  id: string;
  /** `x-github-event`. */
  name: string;
  payload: unknown;
}

export interface HealthCheck {
  /** `redis`, `queue`, `credentials`… */
  name: string;
  ok: boolean;
  /** One line for an operator (no secrets). */
  detail?: string | undefined;
}

export interface HealthReport {
  checks: readonly HealthCheck[];
}

/** The pino methods the handler logs with. */
export interface HttpLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface WebhookOptions {
  /** Default `/api/github/webhooks`. */
  path?: string;
  secret: string;
  /** Largest body accepted (default 25 MiB, `PYGUARD_MAX_WEBHOOK_BYTES`). */
  maxBytes?: number;
  /** Handles a verified delivery; should enqueue and return. */
  receive: (delivery: WebhookDelivery) => Promise<void>;
  /** After this long `receive` keeps running and GitHub gets 202 (default 9 s). */
  answerWithinMs?: number;
}

export interface RequestHandlerOptions {
  /** Absent on processes that do not receive webhooks (the `worker` role). */
  webhooks?: WebhookOptions | undefined;
  /** Liveness; default: alive while the process answers. */
  health?: () => Promise<HealthReport>;
  /** Readiness: Redis reachable when configured, queue not stalled, credentials loaded. */
  ready: () => Promise<HealthReport>;
  metrics?: PyGuardMetrics | undefined;
  log: HttpLog;
  /** Time limit of `health` and `ready` (default 5 s). */
  checkTimeoutMs?: number;
}

/**
 * Answers the App's routes. Resolves true when it answered; for any other route it calls
 * `next` when given (Probot's setup pages, for instance), else answers 404.
 */
export type RequestHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  next?: () => void,
) => Promise<boolean>;

/** Creates the handler for `http.createServer`. */
export function createRequestHandler(options: RequestHandlerOptions): RequestHandler {
  const webhooks = options.webhooks;
  const webhookPath = webhooks?.path ?? DEFAULT_WEBHOOK_PATH;
  const checkTimeoutMs = options.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  return async (request, response, next) => {
    const path = pathOf(request.url);
    const method = request.method ?? 'GET';
    try {
      if (webhooks !== undefined && path === webhookPath) {
        if (method !== 'POST') {
          sendJson(response, 404, { error: `Unknown route: ${method} ${path}` });
        } else {
          await handleWebhook(request, response, options, webhooks);
        }
        return true;
      }
      if (method === 'GET' || method === 'HEAD') {
        if (path === '/healthz') {
          await sendReport(response, options.health, checkTimeoutMs, 'ok');
          return true;
        }
        if (path === '/readyz') {
          await sendReport(response, options.ready, checkTimeoutMs, 'ready');
          return true;
        }
        if (path === '/metrics' && options.metrics !== undefined) {
          const text = await options.metrics.metricsText();
          send(response, 200, text, { 'content-type': options.metrics.contentType });
          return true;
        }
      }
    } catch (error: unknown) {
      options.log.error({ path, reason: describeError(error) }, 'request failed');
      if (!response.headersSent) sendJson(response, 500, { error: 'internal error' });
      else response.end();
      return true;
    }
    if (next !== undefined) {
      next();
      return false;
    }
    sendJson(response, 404, { error: `Unknown route: ${method} ${path}` });
    return true;
  };
}

/** `PYGUARD_MAX_WEBHOOK_BYTES` (a positive integer), else 25 MiB. */
export function maxWebhookBytesFromEnv(env: NodeJS.ProcessEnv): number {
  const value = Number.parseInt(env['PYGUARD_MAX_WEBHOOK_BYTES'] ?? '', 10);
  return Number.isInteger(value) && value > 0 ? value : DEFAULT_MAX_WEBHOOK_BYTES;
}

async function handleWebhook(
  request: IncomingMessage,
  response: ServerResponse,
  options: RequestHandlerOptions,
  settings: WebhookOptions,
): Promise<void> {
  const { log, metrics } = options;
  const maxBytes = settings.maxBytes ?? DEFAULT_MAX_WEBHOOK_BYTES;
  const deliveryId = headerOf(request, 'x-github-delivery');
  const event = headerOf(request, 'x-github-event');
  // For the log: the values are untrusted until the signature matches.
  const who = { deliveryId: shortened(deliveryId), event: shortened(event) };
  const reject = (status: number, outcome: WebhookOutcome, error: string): void => {
    metrics?.recordWebhook(UNVERIFIED_EVENT, outcome);
    refuse(request, response, status, error);
  };

  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    log.warn({ ...who, maxBytes }, 'webhook refused: body too large');
    reject(413, 'too_large', `Payload larger than ${maxBytes} bytes`);
    return;
  }
  if (!/^\s*application\/json\s*(?:;|$)/i.test(request.headers['content-type'] ?? '')) {
    reject(
      415,
      'unsupported',
      'Unsupported "Content-Type" header value. Must be "application/json"',
    );
    return;
  }
  const signature = request.headers['x-hub-signature-256'];
  if (typeof signature !== 'string' || signature === '') {
    log.warn(who, 'webhook refused: no signature');
    reject(401, 'bad_signature', 'Signature missing');
    return;
  }
  if (deliveryId === undefined || event === undefined) {
    const missing = [
      event === undefined ? 'x-github-event' : '',
      deliveryId === undefined ? 'x-github-delivery' : '',
    ]
      .filter((name) => name !== '')
      .join(', ');
    reject(400, 'invalid', `Required headers missing: ${missing}`);
    return;
  }

  const body = await readSignedBody(request, { secret: settings.secret, signature, maxBytes });
  if (body.kind === 'too-large') {
    log.warn({ ...who, maxBytes }, 'webhook refused: body too large');
    reject(413, 'too_large', `Payload larger than ${maxBytes} bytes`);
    return;
  }
  if (body.kind === 'bad-signature') {
    log.warn(who, 'webhook refused: signature does not match');
    reject(401, 'bad_signature', 'Signature does not match the payload and secret');
    return;
  }
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder('utf-8').decode(body.bytes)) as unknown;
  } catch {
    metrics?.recordWebhook(event, 'invalid');
    sendJson(response, 400, { error: 'Invalid JSON' });
    return;
  }

  const answered = await settle(settings.receive({ id: deliveryId, name: event, payload }), {
    withinMs: settings.answerWithinMs ?? DEFAULT_ANSWER_WITHIN_MS,
    onLateFailure: (error) => {
      metrics?.recordWebhook(event, 'failed');
      log.error({ deliveryId, event, reason: describeError(error) }, 'webhook handler failed');
    },
  });
  if (answered.kind === 'failed') {
    metrics?.recordWebhook(event, 'failed');
    log.error(
      { deliveryId, event, reason: describeError(answered.error) },
      'webhook handler failed',
    );
    sendJson(response, 500, { error: 'The delivery could not be handled' });
    return;
  }
  metrics?.recordWebhook(event, 'accepted');
  if (answered.kind === 'done') send(response, 200, 'ok\n', { 'content-type': 'text/plain' });
  else send(response, 202, 'still processing\n', { 'content-type': 'text/plain' });
}

/** The body read from a request, or why it was refused. */
export type SignedBody =
  | { kind: 'ok'; bytes: Buffer }
  | { kind: 'too-large'; bytesRead: number }
  | { kind: 'bad-signature'; bytesRead: number };

/**
 * Reads a body while hashing it: stops (and drops what it read) as soon as it passes
 * `maxBytes`, and hands the bytes back only when their HMAC-SHA256 matches `signature`
 * (`sha256=<hex>`, compared in constant time). The body is never turned into a string here.
 */
export function readSignedBody(
  stream: Readable,
  options: { secret: string; signature: string; maxBytes: number },
): Promise<SignedBody> {
  return new Promise((resolve, reject) => {
    const hmac = createHmac('sha256', options.secret);
    let chunks: Buffer[] = [];
    let bytesRead = 0;
    const stop = (): void => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
    };
    const onData = (chunk: Buffer | string): void => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      bytesRead += buffer.length;
      if (bytesRead > options.maxBytes) {
        stop();
        stream.pause();
        chunks = [];
        resolve({ kind: 'too-large', bytesRead });
        return;
      }
      hmac.update(buffer);
      chunks.push(buffer);
    };
    const onEnd = (): void => {
      stop();
      if (!signatureMatches(options.signature, hmac.digest('hex'))) {
        chunks = [];
        resolve({ kind: 'bad-signature', bytesRead });
        return;
      }
      resolve({ kind: 'ok', bytes: Buffer.concat(chunks) });
    };
    const onError = (error: Error): void => {
      stop();
      chunks = [];
      reject(error);
    };
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', onError);
  });
}

/** `sha256=<hex>` against the computed digest, in constant time. */
export function signatureMatches(signature: string, digestHex: string): boolean {
  const expected = Buffer.from(`sha256=${digestHex}`);
  const given = Buffer.from(signature.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

type Settled = { kind: 'done' } | { kind: 'late' } | { kind: 'failed'; error: unknown };

/** Waits for `work` at most `withinMs`; a failure after that goes to `onLateFailure`. */
async function settle(
  work: Promise<void>,
  options: { withinMs: number; onLateFailure: (error: unknown) => void },
): Promise<Settled> {
  let timer: NodeJS.Timeout | undefined;
  let late = false;
  const outcome = work.then(
    (): Settled => ({ kind: 'done' }),
    (error: unknown): Settled => {
      if (late) options.onLateFailure(error);
      return { kind: 'failed', error };
    },
  );
  const deadline = new Promise<Settled>((resolve) => {
    timer = setTimeout(() => {
      late = true;
      resolve({ kind: 'late' });
    }, options.withinMs);
  });
  try {
    return await Promise.race([outcome, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function sendReport(
  response: ServerResponse,
  check: (() => Promise<HealthReport>) | undefined,
  timeoutMs: number,
  okStatus: string,
): Promise<void> {
  if (check === undefined) {
    sendJson(response, 200, { status: okStatus });
    return;
  }
  const checks = await runChecks(check, timeoutMs);
  const ok = checks.every((entry) => entry.ok);
  sendJson(response, ok ? 200 : 503, { status: ok ? okStatus : 'unavailable', checks });
}

async function runChecks(
  check: () => Promise<HealthReport>,
  timeoutMs: number,
): Promise<readonly HealthCheck[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<readonly HealthCheck[]>((resolve) => {
    timer = setTimeout(() => {
      resolve([{ name: 'checks', ok: false, detail: `no answer within ${timeoutMs} ms` }]);
    }, timeoutMs);
  });
  try {
    return await Promise.race([
      check().then(
        (report) => report.checks,
        (error: unknown) => [{ name: 'checks', ok: false, detail: describeError(error) }],
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Answers without reading (the rest of) the body, and closes the connection after the answer
 * so the unread bytes are never pulled off the wire.
 */
function refuse(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  error: string,
): void {
  request.pause();
  sendJson(response, status, { error }, { connection: 'close' });
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: object,
  headers: Record<string, string> = {},
): void {
  send(response, status, JSON.stringify(body), { 'content-type': 'application/json', ...headers });
}

function send(
  response: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string>,
): void {
  response.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
  response.end(body);
}

function headerOf(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A header value short enough to log. */
function shortened(value: string | undefined): string | undefined {
  return value !== undefined && value.length > 100 ? `${value.slice(0, 100)}…` : value;
}

function pathOf(url: string | undefined): string {
  const path = (url ?? '/').split('?')[0] ?? '/';
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}
