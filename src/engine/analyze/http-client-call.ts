/**
 * The URL a call sends an HTTP request to, for the common client libraries: `requests` and
 * `httpx` functions and sessions/clients, `urllib.request`, `urllib3` pools and `aiohttp`
 * sessions. Sessions are recognised by what built them (`s = requests.Session()`, `with
 * httpx.Client() as c`), or, in a file that imports the library, by a session-like name.
 */
import { unwrapParens, type CallInfo, type SemanticModel } from '../model.js';
import type { SyntaxNode } from '../parse.js';
import type { Confidence } from '../types.js';
import { importsModule } from './imports-module.js';
import { lastName, receiverOf } from './receiver.js';
import { hasUserInfo, type UrlParts } from './url-parts.js';
import type { RuleSelect } from '../../rules-api/types.js';

const VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'];

/** Module functions: qualified name → position of the URL (`request(method, url)` takes it second). */
const FUNCTIONS: ReadonlyMap<string, number> = new Map([
  ...['requests', 'requests.api', 'httpx'].flatMap((module) => [
    ...VERBS.map((verb) => [`${module}.${verb}`, 0] as const),
    [`${module}.request`, 1] as const,
  ]),
  ['httpx.stream', 1],
  ['urllib.request.urlopen', 0],
  ['urllib.request.urlretrieve', 0],
  ['urllib.request.Request', 0],
  ['urllib3.request', 1],
  ['aiohttp.request', 1],
]);

/** Client objects, by the library module whose import makes a session-like name count. */
const CLIENTS: ReadonlyMap<string, string> = new Map([
  ['requests.Session', 'requests'],
  ['requests.session', 'requests'],
  ['requests.sessions.Session', 'requests'],
  ['httpx.Client', 'httpx'],
  ['httpx.AsyncClient', 'httpx'],
  ['aiohttp.ClientSession', 'aiohttp'],
  ['urllib3.PoolManager', 'urllib3'],
  ['urllib3.ProxyManager', 'urllib3'],
]);
const CLIENT_LIBRARIES = ['requests', 'httpx', 'aiohttp'];
const SESSION_LIBRARIES = [...CLIENT_LIBRARIES, 'urllib3'];
const SESSION_NAME = /(?:^|_)(?:session|sess|client|http)$|Session$|Client$/i;

export interface HttpRequestTarget {
  /** The URL argument. */
  url: SyntaxNode;
  /** How sure we are that this is an HTTP client call. */
  confidence: Confidence;
}

/** The URL argument of an HTTP client call, or undefined when the call is not one. */
export function httpRequestTarget(
  model: SemanticModel,
  call: CallInfo,
): HttpRequestTarget | undefined {
  const name = call.qualifiedName;
  const position = name === undefined ? undefined : FUNCTIONS.get(name);
  if (position !== undefined) {
    const url = model.argument(call, 'url', position);
    return url === undefined ? undefined : { url, confidence: 'high' };
  }
  const method = call.methodName;
  if (
    method === undefined ||
    !(VERBS.includes(method) || method === 'request' || method === 'urlopen')
  )
    return undefined;
  const receiver = receiverOf(call);
  // `dict.get(...)` and friends are far more common than sessions: ask about imports first.
  if (receiver === undefined || !SESSION_LIBRARIES.some((library) => importsModule(model, library)))
    return undefined;
  const maker = model.constructedBy(receiver);
  let confidence: Confidence | undefined;
  if (maker !== undefined) {
    if (!CLIENTS.has(maker)) return undefined;
    confidence = 'high';
  } else if (
    model.qualifiedName(unwrapParens(receiver)) === undefined &&
    SESSION_NAME.test(lastName(model, receiver) ?? '') &&
    CLIENT_LIBRARIES.some((library) => importsModule(model, library))
  ) {
    confidence = 'medium';
  }
  if (confidence === undefined) return undefined;
  const url = model.argument(call, 'url', method === 'request' || method === 'urlopen' ? 1 : 0);
  return url === undefined ? undefined : { url, confidence };
}

/** The calls `httpRequestTarget` can take for HTTP client calls, for a rule's `select`. */
export const HTTP_REQUEST_CALLS = {
  calls: [...FUNCTIONS.keys()],
  methods: [...VERBS, 'request', 'urlopen'],
} as const satisfies RuleSelect;

/** Request headers that carry credentials. */
const CREDENTIAL_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'x-api-key',
  'x-auth-token',
  'api-key',
  'apikey',
]);

/**
 * What credentials a request sends, described for messages: `auth=...`, a credential header in a
 * literal `headers={...}` dictionary, or a `user:password@` URL; undefined when none is seen.
 */
export function requestCredential(
  model: SemanticModel,
  call: CallInfo,
  url: UrlParts,
): string | undefined {
  const auth = call.keywords.get('auth');
  if (auth !== undefined && model.literalValue(auth) !== null) return '`auth` credentials';
  const headers = call.keywords.get('headers');
  const mapping = headers === undefined ? undefined : unwrapParens(model.resolveValue(headers));
  if (mapping?.type === 'dictionary') {
    for (const pair of mapping.namedChildren) {
      const key = pair.childForFieldName('key');
      const name = key === null ? undefined : model.staticString(key);
      if (name !== undefined && CREDENTIAL_HEADERS.has(name.toLowerCase()))
        return `the \`${name}\` header`;
    }
  }
  return hasUserInfo(url) ? 'the user name and password in the URL' : undefined;
}
