/**
 * The service's settings from the environment, validated once at start-up: a wrong value stops
 * the process with one line naming the variable, instead of a surprise later.
 */
import { readFileSync } from 'node:fs';

export type Role = 'web' | 'worker' | 'all';

export interface ServiceSettings {
  appId: string | undefined;
  privateKey: string | undefined;
  webhookSecret: string | undefined;
  /** `https://<GHE_HOST>/api/v3` for GitHub Enterprise Server; undefined for github.com. */
  baseUrl: string | undefined;
  host: string;
  port: number;
  logLevel: string;
  role: Role;
  redisUrl: string | undefined;
  /** Prefix of PyGuard's keys in Redis, so several deployments can share one server. */
  queuePrefix: string;
  /** Scans one worker process runs at once. */
  concurrency: number;
  /** Child processes scanning files for one worker. */
  scanProcesses: number | undefined;
  requestTimeoutMs: number;
  /** Largest webhook body accepted. */
  maxWebhookBytes: number;
  /** Time given to running scans at shutdown. */
  shutdownGraceMs: number;
  /** Time one attempt at a scan may take. */
  jobDeadlineMs: number;
  /** Attempts per scan job. */
  jobAttempts: number;
  docsBaseUrl: string | undefined;
}

export class SettingsError extends Error {
  override readonly name = 'SettingsError';
}

const ROLES: readonly Role[] = ['web', 'worker', 'all'];

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new SettingsError(`${name}: got "${raw}", expected a whole number above 0`);
  }
  return value;
}

function optionalInteger(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new SettingsError(`${name}: got "${raw}", expected a whole number (0 or more)`);
  }
  return value;
}

function text(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}

/** `PRIVATE_KEY` (PEM, with `\n` escapes or base64) or the file named by `PRIVATE_KEY_PATH`. */
export function readPrivateKey(env: NodeJS.ProcessEnv): string | undefined {
  const inline = text(env, 'PRIVATE_KEY');
  if (inline !== undefined) {
    const unescaped = inline.replace(/\\n/g, '\n');
    if (unescaped.includes('-----BEGIN')) return unescaped;
    const decoded = Buffer.from(inline, 'base64').toString('utf8');
    if (decoded.includes('-----BEGIN')) return decoded;
    throw new SettingsError('PRIVATE_KEY: not a PEM private key (nor a base64-encoded one)');
  }
  const path = text(env, 'PRIVATE_KEY_PATH');
  if (path === undefined) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SettingsError(`PRIVATE_KEY_PATH: cannot read ${path} (${reason})`);
  }
}

export function readSettings(env: NodeJS.ProcessEnv): ServiceSettings {
  const role = (text(env, 'PYGUARD_ROLE') ?? 'all').toLowerCase();
  if (!ROLES.includes(role as Role)) {
    throw new SettingsError(`PYGUARD_ROLE: got "${role}", expected one of ${ROLES.join(', ')}`);
  }
  const redisUrl = text(env, 'REDIS_URL');
  if (role !== 'all' && redisUrl === undefined) {
    throw new SettingsError(
      `PYGUARD_ROLE=${role} needs REDIS_URL: separate web and worker processes share jobs through Redis`,
    );
  }
  const gheHost = text(env, 'GHE_HOST');
  return {
    appId: text(env, 'APP_ID'),
    privateKey: readPrivateKey(env),
    webhookSecret: text(env, 'WEBHOOK_SECRET'),
    baseUrl:
      gheHost === undefined
        ? undefined
        : `${text(env, 'GHE_PROTOCOL') ?? 'https'}://${gheHost}/api/v3`,
    host: text(env, 'HOST') ?? '0.0.0.0',
    port: positiveInteger(env, 'PORT', 3000),
    logLevel: text(env, 'LOG_LEVEL') ?? 'info',
    role: role as Role,
    redisUrl,
    queuePrefix: text(env, 'PYGUARD_QUEUE_PREFIX') ?? 'pyguard',
    concurrency: positiveInteger(env, 'PYGUARD_CONCURRENCY', 8),
    scanProcesses: optionalInteger(env, 'PYGUARD_SCAN_PROCESSES'),
    requestTimeoutMs: positiveInteger(env, 'PYGUARD_REQUEST_TIMEOUT_MS', 30_000),
    maxWebhookBytes: positiveInteger(env, 'PYGUARD_MAX_WEBHOOK_BYTES', 25 * 1024 * 1024),
    shutdownGraceMs: positiveInteger(env, 'PYGUARD_SHUTDOWN_GRACE_MS', 25_000),
    jobDeadlineMs: positiveInteger(env, 'PYGUARD_JOB_DEADLINE_MS', 5 * 60_000),
    jobAttempts: positiveInteger(env, 'PYGUARD_JOB_ATTEMPTS', 3),
    docsBaseUrl: text(env, 'PYGUARD_DOCS_URL'),
  };
}
