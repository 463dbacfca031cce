import {
  callVisitors,
  defineRule,
  importsModule,
  type Severity,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

/** OpenSSL cipher-string words that enable broken or no encryption, and how bad each is. */
const WEAK_WORDS: ReadonlyMap<string, { what: string; severity: Severity }> = new Map([
  ['NULL', { what: 'no encryption (NULL)', severity: 'high' }],
  ['eNULL', { what: 'no encryption (eNULL)', severity: 'high' }],
  ['aNULL', { what: 'no authentication (aNULL)', severity: 'high' }],
  ['ADH', { what: 'anonymous Diffie-Hellman (ADH)', severity: 'high' }],
  ['AECDH', { what: 'anonymous ECDH (AECDH)', severity: 'high' }],
  ['EXPORT', { what: 'export-grade ciphers (EXPORT)', severity: 'high' }],
  ['EXP', { what: 'export-grade ciphers (EXP)', severity: 'high' }],
  ['LOW', { what: 'low-strength ciphers (LOW)', severity: 'high' }],
  ['RC4', { what: 'RC4', severity: 'high' }],
  ['DES', { what: 'DES', severity: 'high' }],
  ['3DES', { what: '3DES', severity: 'medium' }],
  ['CBC3', { what: '3DES', severity: 'medium' }],
  ['MD5', { what: 'MD5-based suites', severity: 'medium' }],
  ['RC2', { what: 'RC2', severity: 'high' }],
  ['IDEA', { what: 'IDEA', severity: 'medium' }],
]);

const SET_CIPHERS_METHODS = new Set(['set_ciphers', 'set_cipher_list']);
/** Keyword arguments that take an OpenSSL cipher string. */
const CIPHER_KEYWORDS = ['ciphers', 'ssl_ciphers', 'cipher_list'];

/** The weak words an OpenSSL cipher string enables (ignoring `!X`, `-X` and `+X` entries). */
function weakIn(cipherString: string): { what: string; severity: Severity }[] {
  const found = new Map<string, { what: string; severity: Severity }>();
  for (const entry of cipherString.split(/[:,\s]+/)) {
    if (entry === '' || /^[!+-]/.test(entry)) continue;
    const words = entry.split(/[-+]/);
    // `DES-CBC3-SHA` is triple DES, not single DES.
    const tripleDes = words.includes('CBC3');
    for (const word of words) {
      if (word === 'DES' && tripleDes) continue;
      const weak = WEAK_WORDS.get(word);
      if (weak !== undefined) found.set(weak.what, weak);
    }
  }
  return [...found.values()];
}

export default defineRule({
  meta: {
    id: 'PGT006',
    slug: 'weak-cipher-suite',
    title: 'TLS cipher string enables weak ciphers',
    category: 'network',
    severity: 'high',
    confidence: 'high',
    cwe: [326, 327],
    owasp: ['A02:2021 Cryptographic Failures'],
    description:
      'Flags `set_ciphers(...)` / `set_cipher_list(...)` and `ciphers=` arguments whose OpenSSL cipher string enables NULL, anonymous, EXPORT, LOW, RC4, DES, 3DES or MD5 suites; exclusions such as `!RC4` are understood.',
    why: 'These suites give no encryption, no server authentication, or encryption that can be broken in practice (RC4 biases, SWEET32 against 3DES, export-grade keys behind FREAK and Logjam). If both sides allow one, an attacker on the path can force it and read or change the traffic.',
    fix: 'Do not set ciphers at all: the defaults of `ssl.create_default_context()` and current OpenSSL are safe. If you must restrict them, start from a modern policy such as `"ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL:!MD5"` and keep exclusions for the weak families.',
    example: {
      bad: 'import ssl\n\nctx = ssl.create_default_context()\nctx.set_ciphers("ALL:RC4:3DES")\n',
      good: 'import ssl\n\nctx = ssl.create_default_context()\nctx.set_ciphers("ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL:!MD5")\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/327.html',
      'https://docs.python.org/3/library/ssl.html#ssl.SSLContext.set_ciphers',
      'https://docs.openssl.org/master/man1/openssl-ciphers/',
      'https://wiki.mozilla.org/Security/Server_Side_TLS',
    ],
    bandit: [],
    ruff: [],
  },
  messages: {
    weakCiphers:
      '`{{callee}}` enables {{weak}} with `{{ciphers}}`; drop them or exclude them (`!RC4:!3DES:!aNULL:!MD5`), or keep the library defaults.',
  },
  select: { text: ['set_cipher', 'ciphers', 'cipher_list'] },
  create(context) {
    const { model } = context;
    if (!/set_cipher|cipher(?:s|_list)\s*=/.test(context.text)) return {};

    const check = (node: SyntaxNode, callee: string, argument: SyntaxNode): void => {
      const value = model.staticString(argument);
      if (value === undefined) return;
      const weak = weakIn(value);
      if (weak.length === 0) return;
      context.report({
        node,
        messageId: 'weakCiphers',
        data: { callee, weak: weak.map((entry) => entry.what).join(', '), ciphers: value },
        severity: weak.some((entry) => entry.severity === 'high') ? 'high' : 'medium',
      });
    };

    return callVisitors(context, (node, call) => {
      const callee = context.textOf(call.callee);
      if (call.methodName !== undefined && SET_CIPHERS_METHODS.has(call.methodName)) {
        // Any object's `set_ciphers`, as long as TLS is in play in this file.
        if (
          !importsModule(model, 'ssl') &&
          !importsModule(model, 'OpenSSL') &&
          !importsModule(model, 'urllib3')
        )
          return;
        const argument = call.positional[0] ?? call.keywords.get('cipherlist');
        if (argument !== undefined) check(node, callee, argument);
        return;
      }
      for (const keyword of CIPHER_KEYWORDS) {
        const argument = call.keywords.get(keyword);
        if (argument !== undefined) {
          check(node, callee, argument);
          return;
        }
      }
    });
  },
});
