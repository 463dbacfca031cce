/**
 * The built service (`node dist/src/github/main.js`) as an operator runs it, against a fake
 * GitHub API on loopback: webhooks in, check runs out, health and metrics answered, and — with
 * Redis — scans that survive every worker being killed mid-scan.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { FakeGitHub, type FakeFile } from '../../scripts/fake-github.js';
import { freePort, waitFor } from '../../scripts/loopback.js';

const MAIN = fileURLToPath(new URL('../../dist/src/github/main.js', import.meta.url));
const built = existsSync(MAIN);
const redisUrl = process.env['PYGUARD_TEST_REDIS_URL'];
const SECRET = 'service-test-secret';
const OWNER = 'octo-org';
const REPO = 'service';

const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
});

async function until(predicate: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  if (!(await waitFor(predicate, ms, 50))) throw new Error('condition not reached in time');
}

interface Running {
  child: ChildProcess;
  port: number;
  exited: Promise<number | null>;
}

const started: Running[] = [];

async function startService(apiHost: string, env: NodeJS.ProcessEnv): Promise<Running> {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env['PATH'],
      APP_ID: '1',
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: SECRET,
      GHE_HOST: apiHost,
      GHE_PROTOCOL: 'http',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      PYGUARD_SCAN_PROCESSES: '1',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      resolve(code);
    });
  });
  const running = { child, port, exited };
  started.push(running);
  await until(async () => (await get(port, '/healthz')).status === 200, 30_000);
  return running;
}

async function get(port: number, path: string): Promise<{ status: number; text: string }> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}${path}`);
    return { status: response.status, text: await response.text() };
  } catch {
    return { status: 0, text: '' };
  }
}

function pythonFiles(count: number, push: string): FakeFile[] {
  return Array.from({ length: count }, (_, index) => ({
    filename: `app/module_${index}.py`,
    text: [
      'import subprocess',
      'from flask import request',
      '',
      `def handler_${index}():`,
      `    label = "${push} ${index}"`,
      '    subprocess.run(request.args["cmd"], shell=True)',
      '    return label',
      '',
    ].join('\n'),
  }));
}

async function deliver(
  port: number,
  pull: number,
  head: string,
  delivery: string,
): Promise<number> {
  const repository = { id: 7, name: REPO, full_name: `${OWNER}/${REPO}`, owner: { login: OWNER } };
  const body = JSON.stringify({
    action: 'synchronize',
    number: pull,
    pull_request: {
      number: pull,
      state: 'open',
      draft: false,
      head: { sha: head, ref: 'topic', repo: repository },
      base: { sha: 'b'.repeat(40), ref: 'main', repo: repository },
    },
    repository,
    sender: { login: 'dev', type: 'User' },
    installation: { id: 3 },
  });
  const response = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'pull_request',
      'x-github-delivery': delivery,
      'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
    },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

const completed = (fake: FakeGitHub, head: string): boolean =>
  fake.checksOf(head).some((run) => run.status === 'completed');

beforeEach(() => {
  // The service and the fake API talk over loopback; nothing else is reachable.
  nock.enableNetConnect('127.0.0.1');
});

afterEach(async () => {
  for (const running of started.splice(0)) {
    running.child.kill('SIGKILL');
    await running.exited;
  }
});

describe.skipIf(!built)('the service in one process', () => {
  it('answers health, readiness and metrics, scans a pull request and stops cleanly', async () => {
    const fake = new FakeGitHub();
    const apiHost = await fake.listen();
    try {
      const service = await startService(apiHost, {});
      expect(JSON.parse((await get(service.port, '/healthz')).text)).toEqual({ status: 'ok' });
      const ready = await get(service.port, '/readyz');
      expect(ready.status).toBe(200);
      expect(JSON.parse(ready.text)).toMatchObject({ status: 'ready' });

      const head = 'a'.repeat(40);
      fake.push(OWNER, REPO, 1, head, pythonFiles(3, 'one'));
      expect(await deliver(service.port, 1, head, randomUUID())).toBe(200);
      await until(() => completed(fake, head), 30_000);
      const [check] = fake.checksOf(head);
      expect(check).toMatchObject({ status: 'completed', conclusion: 'failure' });
      expect(check?.output.title).toMatch(/^3 new findings/);
      expect(fake.checkRuns.filter((run) => run.head_sha === head)).toHaveLength(1);

      // The scan is recorded once its review is posted, just after the check completes.
      await until(
        async () =>
          (await get(service.port, '/metrics')).text.includes(
            'pyguard_scan_duration_seconds_count 1',
          ),
        10_000,
      );
      const metrics = await get(service.port, '/metrics');
      expect(metrics.text).toMatch(/pyguard_webhooks_received_total\{[^}]*event="pull_request"/);

      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(0);
    } finally {
      await fake.close();
    }
  });

  it('refuses a delivery with a wrong signature without scanning', async () => {
    const fake = new FakeGitHub();
    const apiHost = await fake.listen();
    try {
      const service = await startService(apiHost, {});
      const response = await fetch(`http://127.0.0.1:${service.port}/api/github/webhooks`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'pull_request',
          'x-github-delivery': 'forged',
          'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
        },
        body: '{"action":"opened"}',
      });
      expect(response.status).toBe(401);
      expect(fake.requests).toEqual([]);
    } finally {
      await fake.close();
    }
  });
});

describe.skipIf(!built || redisUrl === undefined)('web and workers sharing Redis', () => {
  it('completes a scan accepted before every worker was killed, once a worker is back', async () => {
    const fake = new FakeGitHub();
    const apiHost = await fake.listen();
    const redis = {
      REDIS_URL: redisUrl ?? '',
      PYGUARD_QUEUE_PREFIX: `pyguard-test-${randomUUID()}`,
    };
    try {
      const web = await startService(apiHost, { ...redis, PYGUARD_ROLE: 'web' });
      const workers = [
        await startService(apiHost, { ...redis, PYGUARD_ROLE: 'worker' }),
        await startService(apiHost, { ...redis, PYGUARD_ROLE: 'worker' }),
      ];
      const head = 'c'.repeat(40);
      // Enough files (one page of the listing) that the scan is still running when the workers
      // are killed.
      fake.push(OWNER, REPO, 2, head, pythonFiles(100, 'two'));
      expect(await deliver(web.port, 2, head, randomUUID())).toBe(200);
      await until(() => fake.checksOf(head).some((run) => run.status === 'in_progress'), 30_000);
      for (const worker of workers) worker.child.kill('SIGKILL');
      await Promise.all(workers.map((worker) => worker.exited));
      expect(completed(fake, head)).toBe(false);

      const restartedAt = Date.now();
      await startService(apiHost, { ...redis, PYGUARD_ROLE: 'worker' });
      // The dead workers' locks expire (10 s), the job is found stalled and scanned again.
      await until(() => completed(fake, head), 90_000);
      expect(Date.now() - restartedAt).toBeLessThan(90_000);
      const runs = fake.checkRuns.filter((run) => run.head_sha === head);
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
      // The result of the scan, every annotation sent once (not an error completing it): the
      // 75 findings over the 25 inline comments of the review (`comments.max`).
      expect(runs[0]?.output.title).toMatch(/^100 new findings/);
      expect(runs[0]?.annotations).toBe(75);
      // The review follows the completed check.
      await until(() => fake.reviews.some((review) => review.pull === 2), 10_000);
      expect(fake.reviews.filter((review) => review.pull === 2)).toHaveLength(1);
    } finally {
      await fake.close();
    }
  }, 180_000);
});
