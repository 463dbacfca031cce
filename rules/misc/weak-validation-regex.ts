import {
  callVisitors,
  defineRule,
  shortText,
  testAdjusted,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

/** Functions of `re` (and the compatible `regex` module) whose first argument is a pattern. */
const REGEX_FUNCTIONS = new Set(
  ['compile', 'match', 'search', 'fullmatch', 'sub', 'subn'].flatMap((name) => [
    `re.${name}`,
    `regex.${name}`,
  ]),
);

/** Common top-level domains: a dot in front of one of these in a pattern separates host labels. */
const TLD =
  /^(?:com|org|net|io|dev|app|edu|gov|mil|int|co|uk|de|fr|jp|cn|ru|info|biz|us|eu|ca|au|in|me|ai|cloud|local|internal|localhost)(?![A-Za-z0-9_])/;

/** A host with no path: `example.com`, `api.example.com:8443`, optionally after a scheme. */
const HOST_ONLY = /^(?:[a-z][a-z0-9+.-]*:\/\/)?(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d+)?$/i;

/** Names of values that hold a URL or host, for `"example.com" in url` checks. */
const URL_NAME =
  /url|uri|host|domain|referr?er|origin|redirect|next|netloc|location|href|link|target|callback/i;

const COLLECTION_TYPES = new Set([
  'list',
  'set',
  'tuple',
  'dictionary',
  'list_comprehension',
  'set_comprehension',
]);

/** A pattern that matches `<script` or `</script` tags: a hand-written HTML filter. */
const SCRIPT_TAG = /<[\\/]{0,2}script/i;

interface RegexProblem {
  kind: 'dot' | 'range';
  text: string;
}

/**
 * Walks a pattern once, outside and inside character classes: an unescaped `.` between a host
 * label and a top-level domain (or inside the host part after `://`), and a class range from an
 * upper-case to a lower-case letter (`[A-z]`, which also takes `[`, `\`, `]`, `^`, `_`, backtick).
 */
function regexProblem(pattern: string): RegexProblem | undefined {
  const hasScheme = pattern.includes('://');
  let inClass = false;
  let afterScheme = false;
  let hostEnded = false;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] ?? '';
    if (char === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (char === ']') inClass = false;
      else if (pattern[i + 1] === '-' && /[A-Z]/.test(char) && /[a-z]/.test(pattern[i + 2] ?? ''))
        return { kind: 'range', text: pattern.slice(i, i + 3) };
      continue;
    }
    if (char === '[') {
      inClass = true;
      if (pattern[i + 1] === '^') i++;
      if (pattern[i + 1] === ']') i++;
      continue;
    }
    if (pattern.startsWith('://', i)) {
      afterScheme = true;
      i += 2;
      continue;
    }
    if (afterScheme && (char === '/' || char === '$' || char === '?')) hostEnded = true;
    if (char !== '.') continue;
    const before = pattern[i - 1] ?? '';
    const after = pattern.slice(i + 1);
    if (!/[\w)]/.test(before) || !/^[A-Za-z]/.test(after)) continue;
    const inHost = hasScheme && afterScheme && !hostEnded;
    if (TLD.test(after) || inHost) return { kind: 'dot', text: `.${after.slice(0, 12)}` };
  }
  return undefined;
}

function lastLabel(host: string): string {
  return host.slice(host.lastIndexOf('.') + 1).replace(/:\d+$/, '');
}

export default defineRule({
  meta: {
    id: 'PGM005',
    slug: 'weak-validation-regex',
    title: 'Host or URL check that accepts more than intended',
    category: 'misc',
    severity: 'medium',
    confidence: 'medium',
    cwe: [20, 116, 185, 186],
    owasp: ['A01:2021 Broken Access Control', 'A03:2021 Injection'],
    description:
      'Flags host and URL allowlist regexes with an unescaped `.`, character ranges such as `[A-z]`, substring URL checks (`"example.com" in url`, `url.startswith("https://example.com")` without a trailing `/`), and regexes that filter `<script>` tags.',
    why: 'In a regular expression `.` matches any character, so `^https://www.example.com` also accepts `https://wwwXexample.com`, a domain anyone can register. `[A-z]` silently admits `[`, `\\`, `]`, `^`, `_` and the backtick. A substring test accepts `https://evil.test/?example.com`, and a prefix without `/` accepts `https://example.com.evil.test`. Regexes that strip `<script>` tags miss `</script >`, mixed case and nested tags. Such checks guard redirects, CORS origins and webhooks, so the bypass leads to open redirects, SSRF or credential leaks.',
    fix: 'Parse the URL with `urllib.parse.urlsplit` and compare the `hostname` exactly against a set of allowed hosts. If a regex is needed, escape every dot (`r"^https://www\\.example\\.com/"`) and anchor it; write `[A-Za-z]` instead of `[A-z]`; end a prefix check with the `/` after the host. Escape HTML on output or sanitise it with a real HTML parser (`nh3`, `bleach`) instead of stripping tags with `re.sub`.',
    example: {
      bad: 'import re\n\nif re.match(r"^https://www.example.com", url):\n    return redirect(url)\n',
      good: 'from urllib.parse import urlsplit\n\nif urlsplit(url).hostname in {"www.example.com"}:\n    return redirect(url)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/20.html',
      'https://cwe.mitre.org/data/definitions/185.html',
      'https://cwe.mitre.org/data/definitions/186.html',
      'https://codeql.github.com/codeql-query-help/python/py-incomplete-hostname-regexp/',
      'https://codeql.github.com/codeql-query-help/python/py-incomplete-url-substring-sanitization/',
      'https://docs.python.org/3/library/urllib.parse.html#urllib.parse.urlsplit',
    ],
    bandit: [],
    ruff: [],
  },
  messages: {
    unescapedDot:
      'The pattern `{{pattern}}` has an unescaped `.` in a host name (`{{where}}`), which matches any character; escape it as `\\.` or compare the parsed hostname exactly.',
    tagFilter:
      '`{{callee}}` with `{{pattern}}` filters HTML with a regular expression, which misses variants such as `</script >`, upper case, line breaks or nested tags; escape the output or use an HTML sanitiser such as `nh3`/`bleach`.',
    wideRange:
      'The character range `{{range}}` in `{{pattern}}` also matches `[`, `\\`, `]`, `^`, `_` and the backtick; write `[A-Za-z]`.',
    substring:
      '`{{check}}` accepts any URL that merely contains `{{host}}` (such as `https://evil.test/?{{host}}`); parse the URL and compare `urlsplit(url).hostname` exactly.',
    prefix:
      '`{{check}}` also accepts `{{host}}.evil.test`; end the prefix with `/` after the host, or compare `urlsplit(url).hostname` exactly.',
  },
  select: { calls: [...REGEX_FUNCTIONS], methods: ['startswith'] },
  create(context) {
    const { model } = context;

    const checkPattern = (argument: SyntaxNode, callee: string): void => {
      const pattern = model.staticString(model.resolveValue(argument));
      if (pattern === undefined) return;
      if (SCRIPT_TAG.test(pattern)) {
        const stripping = callee.endsWith('.sub') || callee.endsWith('.subn');
        context.report({
          node: argument,
          messageId: 'tagFilter',
          data: { callee, pattern: shortText(pattern, 50) },
          confidence: testAdjusted(stripping ? 'medium' : 'low', context.isTestFile),
        });
        return;
      }
      if (callee.endsWith('.sub') || callee.endsWith('.subn')) return;
      const problem = regexProblem(pattern);
      if (problem === undefined) return;
      const shown = shortText(pattern, 50);
      if (problem.kind === 'dot') {
        context.report({
          node: argument,
          messageId: 'unescapedDot',
          data: { pattern: shown, where: problem.text },
          confidence: testAdjusted(pattern.includes('://') ? 'high' : 'medium', context.isTestFile),
        });
      } else {
        context.report({
          node: argument,
          messageId: 'wideRange',
          data: { pattern: shown, range: problem.text },
          severity: 'low',
          confidence: testAdjusted('high', context.isTestFile),
        });
      }
    };

    const checkPrefix = (node: SyntaxNode, argument: SyntaxNode): void => {
      const candidates =
        argument.type === 'tuple' ? argument.namedChildren : [model.resolveValue(argument)];
      for (const candidate of candidates) {
        const prefix = model.staticString(candidate);
        if (prefix === undefined || !prefix.includes('://') || !HOST_ONLY.test(prefix)) continue;
        context.report({
          node,
          messageId: 'prefix',
          data: { check: shortText(context.textOf(node), 60), host: prefix },
          confidence: testAdjusted('medium', context.isTestFile),
        });
        return;
      }
    };

    return {
      ...callVisitors(context, (node, call) => {
        const callee = call.qualifiedName;
        if (callee !== undefined && REGEX_FUNCTIONS.has(callee)) {
          const pattern = model.argument(call, 'pattern', 0);
          if (pattern !== undefined) checkPattern(pattern, callee);
          return;
        }
        if (call.methodName !== 'startswith' || call.callee.type !== 'attribute') return;
        const first = call.positional[0];
        if (first !== undefined) checkPrefix(node, first);
      }),
      comparison_operator(node) {
        if (node.firstNamedChild?.type !== 'string') return;
        const operators = node.children.filter((child) => !child.isNamed).map((c) => c.type);
        if (operators.length !== 1 || (operators[0] !== 'in' && operators[0] !== 'not in')) return;
        const [left, right] = node.namedChildren;
        if (left === undefined || right === undefined) return;
        const host = model.staticString(left);
        if (host === undefined || !HOST_ONLY.test(host)) return;
        if (model.staticString(right) !== undefined) return;
        if (COLLECTION_TYPES.has(model.resolveValue(right).type)) return;
        const scheme = host.includes('://');
        if (!scheme && !(URL_NAME.test(context.textOf(right)) && TLD.test(lastLabel(host)))) return;
        context.report({
          node,
          messageId: 'substring',
          data: { check: shortText(context.textOf(node), 60), host },
          confidence: testAdjusted(scheme ? 'high' : 'medium', context.isTestFile),
        });
      },
    };
  },
});
