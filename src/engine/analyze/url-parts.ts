/**
 * The scheme and host of a URL held by a string expression: a literal, or a string built from
 * parts whose leading text is literal (`f"http://{host}/api"`, `BASE + "/users"` with
 * `BASE = "http://..."`). Hosts that name this machine or a private network are told apart, so
 * rules about cleartext transport can leave development and in-cluster URLs alone.
 */
import type { SemanticModel } from '../model.js';
import type { SyntaxNode } from '../parse.js';

export interface UrlParts {
  /** Lower-case scheme, e.g. `http`. */
  scheme: string;
  /** Lower-case host without port or brackets; undefined when a hole stands in for it. */
  host: string | undefined;
  /** The URL text, holes shown as `{}`. */
  text: string;
  /** Whether the whole URL is literal. */
  literal: boolean;
}

const URL_START = /^\s*([a-z][a-z0-9+.-]*):\/\/([^/?#]*)/i;

/** The URL parts of a string expression whose scheme is written out, else undefined. */
export function urlOf(model: SemanticModel, node: SyntaxNode): UrlParts | undefined {
  const shape = model.stringShape(node);
  if (shape.kind === 'dynamic') return undefined;
  const text = shape.kind === 'literal' ? shape.value : shape.template;
  const match = URL_START.exec(text);
  if (match === null) return undefined;
  const authority = match[2] ?? '';
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  let host: string | undefined = hostPort.startsWith('[')
    ? hostPort.slice(1, hostPort.indexOf(']') < 0 ? undefined : hostPort.indexOf(']'))
    : hostPort.replace(/:[^:]*$/, '');
  if (host.includes('{}') || host === '') host = undefined;
  return {
    scheme: (match[1] ?? '').toLowerCase(),
    host: host?.toLowerCase(),
    text,
    literal: shape.kind === 'literal',
  };
}

/** The URL text for messages, with any password in it masked (`http://user:***@host`). */
export function displayUrl(url: UrlParts): string {
  return url.text.replace(/^(\s*[a-z][a-z0-9+.-]*:\/\/[^/?#:@]*):[^/?#@]*@/i, '$1:***@');
}

/** Whether a URL carries user credentials in its authority (`http://user:pw@host`). */
export function hasUserInfo(url: UrlParts): boolean {
  const match = URL_START.exec(url.text);
  return match !== null && (match[2] ?? '').includes('@');
}

/**
 * This machine, or a name that only resolves inside a private network: `localhost`,
 * loopback addresses, `*.local`, `*.internal`, `*.localhost`, and single-label names such as
 * a container's service name (`http://api:8000`).
 */
export function isLocalHost(host: string): boolean {
  return (
    host === 'localhost' ||
    host === '::1' ||
    host === '0.0.0.0' ||
    /^127\.\d+\.\d+\.\d+$/.test(host) ||
    /\.(?:local|internal|localhost|localdomain|test|example)$/.test(host) ||
    !/[.:]/.test(host)
  );
}

/** RFC 1918 private, link-local and unique-local addresses. */
export function isPrivateAddress(host: string): boolean {
  return (
    /^10\.\d+\.\d+\.\d+$/.test(host) ||
    /^192\.168\.\d+\.\d+$/.test(host) ||
    /^172\.(?:1[6-9]|2\d|3[01])\.\d+\.\d+$/.test(host) ||
    /^169\.254\.\d+\.\d+$/.test(host) ||
    /^f[cd][0-9a-f]{2}:/.test(host)
  );
}
