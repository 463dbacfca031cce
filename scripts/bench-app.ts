/**
 * `npm run bench:app`: the App under load on loopback, against a fake GitHub API
 * (scripts/fake-github.ts). Sends signed `pull_request.synchronize` deliveries spread over a
 * time window across many pull requests (each push a new head of 50 Python files), to the
 * in-process App and to one web process with two workers sharing Redis, then prints the
 * webhook answer time, delivery → completed check for every pull request's latest head, the
 * peak memory of the process trees, and whether every latest head completed.
 *
 * Options: --mode memory|redis|both (default both), --deliveries N (200), --pulls N (50),
 * --seconds N (60), --files N (50), --workers N (2). Redis: REDIS_URL, else a redis-server is
 * started on a free loopback port (Debian's `redis-server` must be installed).
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Redis } from 'ioredis';

import { FakeGitHub, type FakeFile } from './fake-github.js';
import { freePort, waitFor } from './loopback.js';

interface Options {
  modes: ('memory' | 'redis')[];
  deliveries: number;
  pulls: number;
  seconds: number;
  files: number;
  workers: number;
}

function parseOptions(argv: readonly string[]): Options {
  const value = (name: string, fallback: number): number => {
    const index = argv.indexOf(`--${name}`);
    const parsed = index < 0 ? NaN : Number(argv[index + 1]);
    return Number.isFinite(parsed) && parsed > 0 ? parsed : fallback;
  };
  const modeIndex = argv.indexOf('--mode');
  const mode = modeIndex < 0 ? 'both' : (argv[modeIndex + 1] ?? 'both');
  return {
    modes: mode === 'both' ? ['memory', 'redis'] : [mode === 'redis' ? 'redis' : 'memory'],
    deliveries: value('deliveries', 200),
    pulls: value('pulls', 50),
    seconds: value('seconds', 60),
    files: value('files', 50),
    workers: value('workers', 2),
  };
}

const OWNER = 'bench-org';
const REPO = 'service';
const SECRET = 'bench-webhook-secret';
const MAIN = fileURLToPath(new URL('../src/github/main.js', import.meta.url));

/** Ordinary application code with a few findings per file, different on every push. */
function filesFor(pull: number, push: number, count: number): FakeFile[] {
  const files: FakeFile[] = [];
  for (let index = 0; index < count; index++) {
    const lines = [
      'import subprocess',
      'import yaml',
      'from flask import Flask, request',
      '',
      'app = Flask(__name__)',
      '',
    ];
    for (let fn = 0; fn < 8; fn++) {
      lines.push(
        `def handler_${pull}_${push}_${index}_${fn}(items):`,
        '    total = 0',
        '    for item in items:',
        '        if item.get("enabled"):',
        '            total += int(item["count"])',
        `    label = "pull ${pull} push ${push} file ${index}"`,
        '    return {"total": total, "label": label}',
        '',
      );
    }
    lines.push(
      '@app.route("/run")',
      'def run():',
      '    subprocess.run(request.args["cmd"], shell=True)',
      '    return yaml.load(request.data)',
      '',
    );
    files.push({ filename: `pkg${pull}/module_${index}.py`, text: lines.join('\n') });
  }
  return files;
}

function headSha(delivery: number): string {
  return delivery.toString(16).padStart(8, '0').repeat(5);
}

function payload(pull: number, head: string, installation: number): string {
  const repository = {
    id: 4242,
    name: REPO,
    full_name: `${OWNER}/${REPO}`,
    private: false,
    owner: { login: OWNER, id: 1, type: 'Organization' },
  };
  return JSON.stringify({
    action: 'synchronize',
    number: pull,
    pull_request: {
      number: pull,
      state: 'open',
      draft: false,
      head: { sha: head, ref: `topic-${pull}`, repo: repository },
      base: { sha: 'b'.repeat(40), ref: 'main', repo: repository },
    },
    repository,
    sender: { login: 'dev', id: 2, type: 'User' },
    installation: { id: installation },
  });
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** Resident memory (KiB) of each process tree rooted at `roots`, summed. */
function treeRssKiB(roots: readonly number[]): number {
  let table: string;
  try {
    table = execFileSync('ps', ['-eo', 'pid=,ppid=,rss='], { encoding: 'utf8' });
  } catch {
    return 0;
  }
  const rows = table
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number));
  const members = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of rows) {
      if (pid !== undefined && ppid !== undefined && members.has(ppid) && !members.has(pid)) {
        members.add(pid);
        grew = true;
      }
    }
  }
  return rows.reduce((sum, [pid, , rss]) => sum + (members.has(pid ?? -1) ? (rss ?? 0) : 0), 0);
}

async function healthy(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    return response.ok;
  } catch {
    return false;
  }
}

interface Started {
  processes: ChildProcess[];
  webPort: number;
}

async function startApp(
  mode: 'memory' | 'redis',
  apiHost: string,
  redisUrl: string | undefined,
  workers: number,
): Promise<Started> {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const base: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    APP_ID: '1',
    PRIVATE_KEY: privateKey,
    WEBHOOK_SECRET: SECRET,
    GHE_HOST: apiHost,
    GHE_PROTOCOL: 'http',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  };
  const spawnRole = async (
    role: string,
    extra: NodeJS.ProcessEnv,
  ): Promise<{ child: ChildProcess; port: number }> => {
    const port = await freePort();
    const child = spawn(process.execPath, [MAIN], {
      env: { ...base, ...extra, PORT: String(port), PYGUARD_ROLE: role },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    return { child, port };
  };
  if (mode === 'memory') {
    const { child, port } = await spawnRole('all', {});
    if (!(await waitFor(() => healthy(port), 30_000))) throw new Error('the App did not start');
    return { processes: [child], webPort: port };
  }
  // A prefix of its own, so a Redis used before (or by others) holds nothing of this run.
  const redis = { REDIS_URL: redisUrl, PYGUARD_QUEUE_PREFIX: `pyguard-bench-${randomUUID()}` };
  const web = await spawnRole('web', redis);
  const started = [web];
  for (let index = 0; index < workers; index++) started.push(await spawnRole('worker', redis));
  for (const { port } of started) {
    if (!(await waitFor(() => healthy(port), 30_000))) throw new Error('a process did not start');
  }
  return { processes: started.map((entry) => entry.child), webPort: web.port };
}

interface RunResult {
  mode: string;
  answerMs: number[];
  completionMs: number[];
  latestCompleted: number;
  latestTotal: number;
  peakRssMiB: number;
  wallMs: number;
  statuses: Map<number, number>;
}

async function runOnce(
  mode: 'memory' | 'redis',
  options: Options,
  redisUrl: string | undefined,
): Promise<RunResult> {
  const fake = new FakeGitHub();
  const apiHost = await fake.listen();
  const app = await startApp(mode, apiHost, redisUrl, options.workers);
  const pids = app.processes.map((child) => child.pid ?? -1);
  let peakKiB = 0;
  const sampler = setInterval(() => {
    peakKiB = Math.max(peakKiB, treeRssKiB(pids));
  }, 250);
  const deliveredAt = new Map<string, number>();
  const latest = new Map<number, string>();
  const answerMs: number[] = [];
  const statuses = new Map<number, number>();
  const interval = (options.seconds * 1000) / options.deliveries;
  const started = Date.now();
  const sends: Promise<void>[] = [];
  for (let delivery = 0; delivery < options.deliveries; delivery++) {
    const due = started + delivery * interval;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const pull = (delivery % options.pulls) + 1;
    const head = headSha(delivery + 1);
    fake.push(OWNER, REPO, pull, head, filesFor(pull, delivery, options.files));
    latest.set(pull, head);
    // Ten installations share the load, as on a busy App.
    const body = payload(pull, head, (pull % 10) + 1);
    const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
    const sentAt = Date.now();
    deliveredAt.set(head, sentAt);
    sends.push(
      fetch(`http://127.0.0.1:${app.webPort}/api/github/webhooks`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'pull_request',
          'x-github-delivery': randomUUID(),
          'x-hub-signature-256': signature,
        },
        body,
      }).then(
        async (response) => {
          await response.arrayBuffer();
          answerMs.push(Date.now() - sentAt);
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        },
        () => {
          statuses.set(0, (statuses.get(0) ?? 0) + 1);
        },
      ),
    );
  }
  await Promise.all(sends);
  const completedLatest = (): number =>
    [...latest.values()].filter((head) =>
      fake.checksOf(head).some((run) => run.status === 'completed'),
    ).length;
  await waitFor(() => completedLatest() === latest.size, 180_000);
  const wallMs = Date.now() - started;
  clearInterval(sampler);
  const completionMs = [...latest.values()].flatMap((head) => {
    const done = fake.checksOf(head).find((run) => run.completedAt !== undefined)?.completedAt;
    const sent = deliveredAt.get(head);
    return done === undefined || sent === undefined ? [] : [done - sent];
  });
  for (const child of app.processes) child.kill('SIGTERM');
  await Promise.all(
    app.processes.map((child) => new Promise((resolve) => child.once('exit', resolve))),
  );
  await fake.close();
  return {
    mode,
    answerMs,
    completionMs,
    latestCompleted: completedLatest(),
    latestTotal: latest.size,
    peakRssMiB: Math.round(peakKiB / 1024),
    wallMs,
    statuses,
  };
}

async function startRedis(): Promise<{ url: string; stop: () => void }> {
  const existing = process.env['REDIS_URL'];
  if (existing !== undefined && existing !== '') return { url: existing, stop: () => undefined };
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'pyguard-bench-redis-'));
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  const up = await waitFor(async () => {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    try {
      await client.connect();
      await client.ping();
      return true;
    } catch {
      return false;
    } finally {
      client.disconnect();
    }
  }, 5_000);
  if (!up) throw new Error('redis-server did not start');
  return { url, stop: () => child.kill('SIGTERM') };
}

function report(result: RunResult, options: Options): void {
  const round = (value: number): string => (Number.isNaN(value) ? '—' : `${Math.round(value)}`);
  const statuses = [...result.statuses].map(([status, count]) => `${status}×${count}`).join(' ');
  process.stdout.write(
    [
      `${result.mode}: ${options.deliveries} deliveries across ${options.pulls} pull requests in ${options.seconds} s, ${options.files} files per push`,
      `  webhook answer       p50 ${round(percentile(result.answerMs, 50))} ms   p99 ${round(percentile(result.answerMs, 99))} ms   (${statuses})`,
      `  delivery → check     p50 ${round(percentile(result.completionMs, 50))} ms   p99 ${round(percentile(result.completionMs, 99))} ms   (latest heads)`,
      `  latest heads done    ${result.latestCompleted}/${result.latestTotal}   all done ${Math.round(result.wallMs / 1000)} s after the first delivery`,
      `  peak RSS             ${result.peakRssMiB} MiB (all processes of the App)`,
      '',
    ].join('\n'),
  );
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  for (const mode of options.modes) {
    let redis: { url: string; stop: () => void } | undefined;
    try {
      if (mode === 'redis') redis = await startRedis();
      report(await runOnce(mode, options, redis?.url), options);
    } finally {
      redis?.stop();
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:app failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
