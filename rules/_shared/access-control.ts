/**
 * The tables the access-control rules (`django-unscoped-object-fetch`, `drf-open-write-view`,
 * `drf-unscoped-viewset`, `flask-unscoped-object-load`, `fastapi-route-missing-auth`) share:
 * lookup keywords that name one object or its owner, value converters, and the names of views
 * that are public by design. How views, classes and routes are read is the engine's
 * (`src/engine/analyze/framework-views.ts`).
 */
import { nameWords } from '../../src/rules-api/index.js';
import { findTerm } from './name-terms.js';

/**
 * Lookup keywords that name one object: `pk`, `id`, `uuid`, `order_id` (slugs are left out: they
 * mostly name public pages).
 */
export const ID_KEYWORD = /^(?:pk|id|uuid|\w+_(?:id|pk|uuid))(?:__(?:i?exact|in))?$/;
/** Lookup keywords that tie a row to its owner: `owner=`, `user=`, `created_by_id=`. */
export const OWNER_KEYWORD =
  /^(?:owner|user|created_by|author|creator|tenant|organi[sz]ation|members?)(?:_id|_pk)?(?:__\w+)?$/;
/** Calls that change a value's type but not who chose it. */
export const CONVERTERS: ReadonlySet<string> = new Set([
  'int',
  'str',
  'uuid.UUID',
  'decimal.Decimal',
]);

/** Words naming views that are public by design: sign-up, log-in, password reset, health checks. */
const PUBLIC_TERMS = [
  'register',
  'registration',
  'signup',
  'sign_up',
  'signin',
  'sign_in',
  'login',
  'log_in',
  'logout',
  'log_out',
  'token',
  'password',
  'passwd',
  'reset',
  'forgot',
  'verify',
  'verification',
  'activate',
  'activation',
  'confirm',
  'confirmation',
  'invite',
  'invitation',
  'webhook',
  'callback',
  'health',
  'healthcheck',
  'healthz',
  'ping',
  'contact',
  'subscribe',
  'newsletter',
  'feedback',
  'otp',
  'public',
  'metrics',
];

/** Whether a view, class or path name says it is public by design (`RegisterView`, `/health`). */
export function publicByDesign(name: string): boolean {
  return findTerm(nameWords(name), PUBLIC_TERMS) !== undefined;
}
