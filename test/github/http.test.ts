import { createHmac } from 'node:crypto';
import { createServer, request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';

import { afterEach, describe, expect, it } from 'vitest';

import {
  createRequestHandler,
  maxWebhookBytesFromEnv,
  readSignedBody,
  signatureMatches,
} from '../../src/github/http.js';
import type {
  HealthReport,
  HttpLog,
  RequestHandlerOptions,
  WebhookDelivery,
} from '../../src/github/http.js';
import { createMetrics } from '../../src/github/metrics.js';
import type { PyGuardMetrics } from '../../src/github/metrics.js';

const SECRET = "It's a Secret to Everybody";
/** Text that must never reach the log. */
const MARKER = 'payload-text-that-must-not-be-logged';

function sign(body: Buffer | string, secret = SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** Body bytes the client managed to hand to the socket before the answer. */
  written: number;
}

interface Setup {
  url: string;
  deliveries: WebhookDelivery[];
  logs: string[];
  metrics: PyGuardMetrics;
}

let server: Server | undefined;

afterEach(async () => {
  const current = server;
  server = undefined;
  if (current === undefined) return;
  current.closeAllConnections();
  await new Promise((resolve) => current.close(resolve));
});

async function start(
  overrides: Partial<RequestHandlerOptions> = {},
  maxBytes = 1024 * 1024,
): Promise<Setup> {
  const deliveries: WebhookDelivery[] = [];
  const logs: string[] = [];
  const line =
    (level: string) =>
    (fields: object, message: string): void => {
      logs.push(JSON.stringify({ level, ...fields, msg: message }));
    };
  const log: HttpLog = { info: line('info'), warn: line('warn'), error: line('error') };
  const metrics = createMetrics({ processMetrics: false });
  const handler = createRequestHandler({
    webhooks: {
      secret: SECRET,
      maxBytes,
      receive: (delivery) => {
        deliveries.push(delivery);
        return Promise.resolve();
      },
    },
    ready: () => Promise.resolve({ checks: [{ name: 'credentials', ok: true }] }),
    metrics,
    log,
    ...overrides,
  });
  const created = createServer((request, response) => {
    void handler(request, response);
  });
  server = created;
  await new Promise<void>((resolve) => created.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(created.address() as AddressInfo).port}`,
    deliveries,
    logs,
    metrics,
  };
}

/**
 * Sends a request; `body` chunks are written one after the other (waiting for the socket to
 * drain) until the answer arrives or the server closes the connection.
 */
function send(
  url: string,
  options: {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    chunks?: Iterable<Buffer>;
  },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let written = 0;
    let answered = false;
    const request = httpRequest(`${url}${options.path ?? '/api/github/webhooks'}`, {
      method: options.method ?? 'POST',
      headers: options.headers ?? {},
    });
    request.on('response', (response) => {
      answered = true;
      const parts: Buffer[] = [];
      response.on('data', (chunk: Buffer) => parts.push(chunk));
      response.on('end', () => {
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(parts).toString('utf8'),
          written,
        });
      });
      response.on('error', reject);
    });
    request.on('error', (error) => {
      if (!answered) reject(error);
    });
    const chunks = options.chunks?.[Symbol.iterator]();
    const writeNext = (): void => {
      while (!answered && !request.destroyed && chunks !== undefined) {
        const next = chunks.next();
        if (next.done === true) break;
        written += next.value.length;
        if (!request.write(next.value)) {
          request.once('drain', writeNext);
          return;
        }
      }
      if (!answered && !request.destroyed) request.end();
    };
    if (chunks === undefined) request.flushHeaders();
    else writeNext();
  });
}

function webhookHeaders(
  body: Buffer | string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    'x-github-event': 'issue_comment',
    'x-github-delivery': 'delivery-7',
    'x-hub-signature-256': sign(body),
    ...extra,
  };
}

function* repeat(chunk: Buffer, times: number): Generator<Buffer> {
  for (let index = 0; index < times; index++) yield chunk;
}

const PAYLOAD = JSON.stringify({ action: 'created', comment: { body: MARKER } });

describe('POST /api/github/webhooks', () => {
  it('hands a signed delivery to receive and answers ok', async () => {
    const { url, deliveries, metrics } = await start();

    const answer = await send(url, {
      headers: webhookHeaders(PAYLOAD),
      chunks: [Buffer.from(PAYLOAD)],
    });

    expect(answer.status).toBe(200);
    expect(answer.body).toBe('ok\n');
    expect(deliveries).toEqual([
      { id: 'delivery-7', name: 'issue_comment', payload: JSON.parse(PAYLOAD) as unknown },
    ]);
    expect(await metrics.metricsText()).toContain(
      'pyguard_webhooks_received_total{event="issue_comment",outcome="accepted"} 1',
    );
  });

  it('refuses a wrong signature with 401 and logs one line without payload or headers', async () => {
    const { url, deliveries, logs, metrics } = await start();
    const headers = webhookHeaders(PAYLOAD, {
      'x-hub-signature-256': sign(PAYLOAD, 'not the secret'),
    });

    const answer = await send(url, { headers, chunks: [Buffer.from(PAYLOAD)] });

    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toEqual({
      error: 'Signature does not match the payload and secret',
    });
    expect(deliveries).toEqual([]);
    expect(logs).toHaveLength(1);
    expect(JSON.parse(logs[0] ?? '')).toEqual({
      level: 'warn',
      deliveryId: 'delivery-7',
      event: 'issue_comment',
      msg: 'webhook refused: signature does not match',
    });
    expect(logs.join('\n')).not.toContain(MARKER);
    expect(logs.join('\n')).not.toContain(headers['x-hub-signature-256']);
    expect(await metrics.metricsText()).toContain(
      'pyguard_webhooks_received_total{event="unverified",outcome="bad_signature"} 1',
    );
  });

  it('refuses a delivery with no signature before reading its body', async () => {
    const { url, deliveries } = await start();
    const headers = webhookHeaders(PAYLOAD);
    delete headers['x-hub-signature-256'];
    headers['content-length'] = String(512 * 1024);

    // Only the headers are sent: the answer cannot wait for the body.
    const answer = await send(url, { headers });

    expect(answer.status).toBe(401);
    expect(answer.headers.connection).toBe('close');
    expect(deliveries).toEqual([]);
  });

  it('refuses a declared content-length above the cap with 413 before reading', async () => {
    const { url, logs } = await start({}, 1024 * 1024);
    const headers = webhookHeaders(PAYLOAD, { 'content-length': String(30 * 1024 * 1024) });

    const answer = await send(url, { headers });

    expect(answer.status).toBe(413);
    expect(answer.headers.connection).toBe('close');
    expect(logs.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual([
      'webhook refused: body too large',
    ]);
  });

  it('stops reading a chunked body at the cap and answers 413', async () => {
    const { url, deliveries } = await start({}, 1024 * 1024);
    const headers = webhookHeaders(PAYLOAD);
    delete headers['content-length'];
    const chunk = Buffer.alloc(64 * 1024, 0x61);

    // 30 MB offered; the server stops after 1 MiB, so most of it is never sent.
    const answer = await send(url, { headers, chunks: repeat(chunk, 480) });

    expect(answer.status).toBe(413);
    expect(answer.written).toBeLessThan(16 * 1024 * 1024);
    expect(deliveries).toEqual([]);
  });

  it('answers 400 to a signed body that is not JSON', async () => {
    const { url, deliveries } = await start();
    const body = '{"action": ';

    const answer = await send(url, { headers: webhookHeaders(body), chunks: [Buffer.from(body)] });

    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({ error: 'Invalid JSON' });
    expect(deliveries).toEqual([]);
  });

  it('answers 415 to a body that is not declared JSON, like Probot', async () => {
    const { url } = await start();
    const headers = webhookHeaders(PAYLOAD, {
      'content-type': 'application/x-www-form-urlencoded',
    });

    const answer = await send(url, { headers, chunks: [Buffer.from(PAYLOAD)] });

    expect(answer.status).toBe(415);
  });

  it('answers 400 when the event or delivery header is missing', async () => {
    const { url } = await start();
    const headers = webhookHeaders(PAYLOAD);
    delete headers['x-github-event'];

    const answer = await send(url, { headers, chunks: [Buffer.from(PAYLOAD)] });

    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({ error: 'Required headers missing: x-github-event' });
  });

  it('answers 500 without details when the handler throws', async () => {
    const { url, logs } = await start({
      webhooks: {
        secret: SECRET,
        receive: () => Promise.reject(new Error('queue is down at redis://10.0.0.1')),
      },
    });

    const answer = await send(url, {
      headers: webhookHeaders(PAYLOAD),
      chunks: [Buffer.from(PAYLOAD)],
    });

    expect(answer.status).toBe(500);
    expect(answer.body).not.toContain('redis');
    expect(logs.join('\n')).toContain('queue is down');
    expect(logs.join('\n')).not.toContain(MARKER);
  });

  it('answers 202 when the handler takes longer than the answer limit', async () => {
    let finish: () => void = () => undefined;
    const { url } = await start({
      webhooks: {
        secret: SECRET,
        answerWithinMs: 20,
        receive: () =>
          new Promise<void>((resolve) => {
            finish = resolve;
          }),
      },
    });

    const answer = await send(url, {
      headers: webhookHeaders(PAYLOAD),
      chunks: [Buffer.from(PAYLOAD)],
    });
    finish();

    expect(answer.status).toBe(202);
    expect(answer.body).toBe('still processing\n');
  });

  it('answers 404 to other methods', async () => {
    const { url } = await start();

    const answer = await send(url, { method: 'GET' });

    expect(answer.status).toBe(404);
  });
});

describe('health, readiness and metrics', () => {
  it('says the process is alive', async () => {
    const { url } = await start();

    const answer = await send(url, { method: 'GET', path: '/healthz' });

    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ status: 'ok' });
  });

  it('lists the readiness checks', async () => {
    const checks: HealthReport = {
      checks: [
        { name: 'redis', ok: true },
        { name: 'queue', ok: true, detail: 'oldest job 2 s' },
        { name: 'credentials', ok: true },
      ],
    };
    const { url } = await start({ ready: () => Promise.resolve(checks) });

    const answer = await send(url, { method: 'GET', path: '/readyz' });

    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ status: 'ready', ...checks });
  });

  it('answers 503 when a check fails, throws or hangs', async () => {
    const failing = await start({
      ready: () =>
        Promise.resolve({ checks: [{ name: 'redis', ok: false, detail: 'ECONNREFUSED' }] }),
    });
    const failed = await send(failing.url, { method: 'GET', path: '/readyz' });
    expect(failed.status).toBe(503);
    expect(JSON.parse(failed.body)).toEqual({
      status: 'unavailable',
      checks: [{ name: 'redis', ok: false, detail: 'ECONNREFUSED' }],
    });

    const throwing = await start({ ready: () => Promise.reject(new Error('no credentials')) });
    const thrown = await send(throwing.url, { method: 'GET', path: '/readyz' });
    expect(thrown.status).toBe(503);
    expect(thrown.body).toContain('no credentials');

    const hanging = await start({ ready: () => new Promise(() => undefined), checkTimeoutMs: 20 });
    expect((await send(hanging.url, { method: 'GET', path: '/readyz' })).status).toBe(503);
  });

  it('serves the metrics in the Prometheus text format', async () => {
    const { url } = await start();

    const answer = await send(url, { method: 'GET', path: '/metrics' });

    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(answer.body).toContain('# TYPE pyguard_webhooks_received_total counter');
  });

  it('answers 404 elsewhere, or passes the request on', async () => {
    const { url } = await start();
    expect((await send(url, { method: 'GET', path: '/nothing' })).status).toBe(404);

    const handler = createRequestHandler({
      webhooks: { secret: SECRET, receive: () => Promise.resolve() },
      ready: () => Promise.resolve({ checks: [] }),
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    });
    let passed = 0;
    const other = createServer((request, response) => {
      void handler(request, response, () => {
        passed++;
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const port = (other.address() as AddressInfo).port;
    const answer = await send(`http://127.0.0.1:${port}`, { method: 'GET', path: '/probot' });
    await new Promise((resolve) => other.close(resolve));
    expect(answer.status).toBe(204);
    expect(passed).toBe(1);
  });
});

describe('readSignedBody', () => {
  /** A 25 MB body made on demand, counting the chunks the reader pulled. */
  function lazyBody(
    totalBytes: number,
    chunkBytes = 64 * 1024,
  ): { stream: Readable; pulled: () => number } {
    let pulled = 0;
    const chunk = Buffer.alloc(chunkBytes, 0x7b);
    const stream = new Readable({
      highWaterMark: chunkBytes,
      read() {
        if (pulled * chunkBytes >= totalBytes) {
          this.push(null);
          return;
        }
        pulled++;
        this.push(chunk);
      },
    });
    return { stream, pulled: () => pulled };
  }

  it('stops pulling a body as soon as it passes the cap', async () => {
    const body = lazyBody(25_000_000);

    const result = await readSignedBody(body.stream, {
      secret: SECRET,
      signature: sign('x'),
      maxBytes: 1024 * 1024,
    });

    expect(result.kind).toBe('too-large');
    // 16 chunks fill the cap; the 17th passes it; a few more may sit in the stream's buffer.
    expect(body.pulled()).toBeLessThanOrEqual(20);
  });

  it('hashes a 25 MB body with a wrong signature and hands none of it back', async () => {
    const body = lazyBody(25_000_000);

    const result = await readSignedBody(body.stream, {
      secret: SECRET,
      signature: sign('something else'),
      maxBytes: 25 * 1024 * 1024,
    });

    expect(result).toEqual({ kind: 'bad-signature', bytesRead: body.pulled() * 64 * 1024 });
  });

  it('compares signatures exactly (GitHub documentation test vector)', () => {
    const digest = createHmac('sha256', SECRET).update('Hello, World!').digest('hex');
    expect(digest.startsWith('757107ea')).toBe(true);
    expect(signatureMatches(`sha256=${digest}`, digest)).toBe(true);
    expect(signatureMatches(`sha256=${digest.toUpperCase()}`, digest)).toBe(false);
    expect(signatureMatches(`sha1=${digest}`, digest)).toBe(false);
    expect(signatureMatches('', digest)).toBe(false);
  });

  it('reads the cap from the environment', () => {
    expect(maxWebhookBytesFromEnv({})).toBe(25 * 1024 * 1024);
    expect(maxWebhookBytesFromEnv({ PYGUARD_MAX_WEBHOOK_BYTES: '1000' })).toBe(1000);
  });
});
