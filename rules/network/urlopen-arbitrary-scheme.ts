import {
  callVisitors,
  checkedBefore,
  defineRule,
  holdsOnlyCheckedValues,
  receiverOf,
  shortText,
  taintedSink,
  testAdjusted,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

const URLLIB_MODULES = ['urllib.request', 'urllib', 'urllib2', 'six.moves.urllib.request'];

/** Functions that fetch (or describe a fetch of) a URL given first or as `url=`. */
const FETCHERS = new Set(
  URLLIB_MODULES.flatMap((module) =>
    ['urlopen', 'urlretrieve', 'Request'].map((name) => `${module}.${name}`),
  ),
);
const REQUEST_CLASSES = new Set(URLLIB_MODULES.map((module) => `${module}.Request`));

/** Openers whose `open(url)` / `retrieve(url)` accept any scheme, `file:` included. */
const OPENERS = new Set(
  URLLIB_MODULES.flatMap((module) =>
    ['URLopener', 'FancyURLopener', 'build_opener', 'OpenerDirector'].map(
      (name) => `${module}.${name}`,
    ),
  ),
);
/** Openers used directly rather than through `build_opener()` (the first two deprecated). */
const LEGACY_OPENERS = new Set(
  URLLIB_MODULES.flatMap((module) =>
    ['URLopener', 'FancyURLopener', 'OpenerDirector'].map((name) => `${module}.${name}`),
  ),
);
const OPENER_METHODS = new Set(['open', 'retrieve']);
/** The scheme a URL's written text starts with (`file`, `ftp`), lower case. */
const URL_SCHEME = /^\s*([A-Za-z][A-Za-z\d+.-]*):/;
/** A check of the scheme before the fetch (`urlsplit(url).scheme in {...}`, `url.startswith("https://")`). */
const SCHEME_CHECK = /\.scheme\b|\.startswith\s*\(\s*\(?\s*[rbuRBU]?['"]https?:/;

export default defineRule({
  meta: {
    id: 'PGT016',
    slug: 'urlopen-arbitrary-scheme',
    title: 'urllib opens a URL whose scheme is not fixed',
    category: 'network',
    severity: 'medium',
    confidence: 'medium',
    cwe: [22, 939],
    owasp: ['A01:2021 Broken Access Control', 'A10:2021 Server-Side Request Forgery'],
    description:
      'Flags `urllib.request.urlopen`, `urlretrieve`, `Request` and `URLopener`/opener `open()` calls whose URL is not a literal (or constant) starting with `http://` or `https://`: URLs of unknown scheme, and written-out `file://`, `ftp://` or other schemes; the legacy `URLopener`, `FancyURLopener` and `OpenerDirector` also for written-out `http://`.',
    why: 'urllib handles `file://` (and `ftp://`, `data:`) URLs as readily as `https://`. When the URL comes from a variable, a value such as `file:///etc/passwd` or `file:///proc/self/environ` makes the call read local files and hand them back, and other schemes reach services the program was never meant to talk to.',
    fix: 'Check the scheme before fetching (`urllib.parse.urlsplit(url).scheme in {"http", "https"}`), build the URL from a fixed `https://` prefix, or use an HTTP-only client such as `requests` or `httpx`.',
    example: {
      bad: 'import urllib.request\n\n\ndef fetch(url):\n    return urllib.request.urlopen(url, timeout=10).read()\n',
      good: 'import urllib.parse\nimport urllib.request\n\n\ndef fetch(url):\n    if urllib.parse.urlsplit(url).scheme not in {"http", "https"}:\n        raise ValueError("only http(s) URLs are allowed")\n    return urllib.request.urlopen(url, timeout=10).read()\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/939.html',
      'https://docs.python.org/3/library/urllib.request.html#urllib.request.urlopen',
      'https://docs.python.org/3/library/urllib.parse.html#urllib.parse.urlsplit',
    ],
    bandit: ['B310'],
    ruff: ['S310'],
    supersedes: ['PGT015'],
  },
  messages: {
    dynamicUrl:
      '`{{callee}}` is given the URL `{{url}}`, whose scheme is not fixed, so `file://` and other schemes are accepted too; check that the scheme is http or https first.',
    fixedScheme:
      '`{{callee}}` opens the `{{scheme}}:` URL `{{url}}`: urllib reads local files and cleartext services as readily as web pages. Open local files with `open()`, and fetch only `https://` URLs.',
    legacyOpener:
      '`{{callee}}` fetches `{{url}}` over cleartext `{{scheme}}` with a low-level urllib opener that takes any scheme it is given; anyone on the network path can read and change the response. Fetch an `https://` URL with `urllib.request.urlopen` or an HTTP client.',
    taintedUrl:
      '`{{callee}}` opens a URL taken from {{origin}}: {{path}}. A `file://` URL reads local files this way; allow only the http and https schemes (and known hosts) before opening it.',
  },
  select: {
    calls: [...FETCHERS],
    methods: [...OPENER_METHODS],
    text: ['urllib', 'urlopen', 'urlretrieve', 'URLopener', 'build_opener'],
  },
  create(context) {
    const { model } = context;
    if (!/urllib|urlopen|urlretrieve|URLopener|build_opener/.test(context.text)) return {};
    const usesOpeners = /URLopener|build_opener|OpenerDirector/.test(context.text);

    /** Whether the string's scheme is written out in the code (`"https://..."`, `f"https://{host}"`). */
    const schemeFixed = (node: SyntaxNode): boolean => {
      const shape = model.stringShape(node);
      if (shape.kind === 'literal') return true;
      return shape.kind === 'built' && !shape.template.trimStart().startsWith('{}');
    };

    /** A `Request(...)` object is judged where it is built. */
    const isRequestObject = (node: SyntaxNode): boolean => {
      const maker = model.constructedBy(node);
      return maker !== undefined && REQUEST_CLASSES.has(maker);
    };

    /** The scheme a literal (or fixed-prefix) URL is written with, lower case. */
    const writtenScheme = (node: SyntaxNode): string | undefined => {
      const shape = model.stringShape(node);
      const text =
        shape.kind === 'literal' ? shape.value : shape.kind === 'built' ? shape.template : '';
      return URL_SCHEME.exec(text)?.[1]?.toLowerCase();
    };

    /** A written-out scheme other than https (or http, unless the opener is a legacy one). */
    const checkFixed = (
      node: SyntaxNode,
      label: string,
      url: SyntaxNode,
      legacy: boolean,
    ): void => {
      const scheme = writtenScheme(url);
      if (scheme === undefined || scheme === 'https') return;
      if (scheme === 'http' && !legacy) return;
      const cleartext = legacy && (scheme === 'http' || scheme === 'ftp');
      context.report({
        node,
        messageId: cleartext ? 'legacyOpener' : 'fixedScheme',
        data: { callee: label, url: shortText(context.textOf(url)), scheme },
        severity: 'low',
        confidence: testAdjusted('medium', context.isTestFile),
      });
    };

    const check = (
      node: SyntaxNode,
      callee: SyntaxNode,
      url: SyntaxNode | undefined,
      legacy = false,
    ): void => {
      if (url === undefined || isRequestObject(url)) return;
      if (schemeFixed(url)) {
        checkFixed(node, context.textOf(callee), url, legacy);
        return;
      }
      // This rule is about the scheme (`file://`): a scheme check settles it, traced or not.
      if (checkedBefore(model, url, SCHEME_CHECK)) return;
      const label = context.textOf(callee);
      const tainted = taintedSink(context, url, 'ssrf', node, label);
      if (tainted !== undefined) {
        context.report({
          node,
          messageId: 'taintedUrl',
          data: { callee: label, origin: tainted.origin, path: tainted.path },
          severity: tainted.severity,
          confidence: tainted.confidence,
          flow: tainted.flow,
        });
        return;
      }
      // No path from outside input was found: an audit finding, unless the scheme is checked.
      if (holdsOnlyCheckedValues(model, url)) return;
      context.report({
        node,
        messageId: 'dynamicUrl',
        data: { callee: label, url: shortText(context.textOf(url)) },
        severity: 'medium',
        confidence: testAdjusted('medium', context.isTestFile),
      });
    };

    return callVisitors(context, (node, call) => {
      const name = call.qualifiedName;
      if (name !== undefined && FETCHERS.has(name)) {
        check(node, call.callee, model.argument(call, 'url', 0));
        return;
      }
      if (!usesOpeners || call.methodName === undefined || !OPENER_METHODS.has(call.methodName))
        return;
      const receiver = receiverOf(call);
      const maker = receiver === undefined ? undefined : model.constructedBy(receiver);
      if (maker === undefined || !OPENERS.has(maker)) return;
      check(
        node,
        call.callee,
        model.argument(call, 'fullurl', 0) ?? call.keywords.get('url'),
        LEGACY_OPENERS.has(maker),
      );
    });
  },
});
