import {
  callVisitors,
  compileCall,
  defineRule,
  lastName,
  unwrapParens,
  type Confidence,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

const CODE_RUNNERS = new Set(['exec', 'eval', 'builtins.exec', 'builtins.eval']);

/** Calls that turn an opaque blob into text or bytes. */
const DECODERS = new Set([
  ...[
    'b64decode',
    'b32decode',
    'b16decode',
    'b85decode',
    'a85decode',
    'urlsafe_b64decode',
    'standard_b64decode',
    'decodebytes',
    'decodestring',
  ].map((name) => `base64.${name}`),
  'zlib.decompress',
  'bz2.decompress',
  'lzma.decompress',
  'gzip.decompress',
  'marshal.loads',
  'codecs.decode',
  'binascii.unhexlify',
  'binascii.a2b_hex',
  'binascii.a2b_base64',
  'bytes.fromhex',
]);
/** Decoders reached through `__import__("base64")` and other unresolvable spellings. */
const DECODER_TEXT =
  /\b(?:b64decode|b32decode|b85decode|a85decode|decompress|unhexlify|fromhex)\s*\(/;

/** Calls that fetch data from the network. */
const FETCHERS = new Set([
  ...['get', 'post', 'request'].flatMap((verb) => [`requests.${verb}`, `httpx.${verb}`]),
  'urllib.request.urlopen',
  'urllib2.urlopen',
  'urllib.urlopen',
]);
/** Calls and attributes that pass their data through unchanged in kind. */
const PASS_THROUGH_METHODS = new Set([
  'decode',
  'encode',
  'read',
  'strip',
  'json',
  'replace',
  'format',
]);
const PASS_THROUGH_ATTRIBUTES = new Set(['text', 'content', 'body', 'data']);
const PASS_THROUGH_CALLS = new Set(['str', 'bytes', 'compile', 'builtins.compile']);

/** Functions that start a program; a shell bound to a socket is a reverse shell. */
const SPAWNERS = /^(?:pty\.spawn|subprocess\.\w+|os\.(?:system|popen|exec\w*|spawn\w*))$/;
const SHELL_BINARY = /(?:^|\/)(?:ba|z|da|k|c|tc)?sh(?:\s+-i)?$|\bcmd(?:\.exe)?$|powershell/i;
/** Shell one-liners that connect a shell to a remote host. */
const REVERSE_SHELL_TEXT =
  /\/dev\/tcp\/|\b(?:nc|ncat|netcat)\b[^|;]*\s-[a-z]*e\s|\bbash\s+-i\s*>&|socket\.socket\(.*dup2|mkfifo[^;]*;\s*(?:nc|ncat)\b/;

type Origin = 'decoded' | 'remote';
const MAX_DEPTH = 8;

export default defineRule({
  meta: {
    id: 'PGM008',
    slug: 'malicious-code-patterns',
    title: 'Obfuscated or remote code execution, reverse shell',
    category: 'misc',
    severity: 'high',
    confidence: 'high',
    cwe: [506, 553],
    owasp: ['A08:2021 Software and Data Integrity Failures'],
    description:
      'Flags patterns typical of malicious packages and backdoors: `exec`/`eval` of base64-, hex- or zlib-decoded data, `exec` of code downloaded at run time, and reverse shells (a socket wired to a shell with `os.dup2`, or `/dev/tcp`, `nc -e` and `bash -i >&` one-liners).',
    why: 'Legitimate code has no reason to hide what it runs. Encoded payloads passed to `exec` are how malicious packages and compromised `setup.py` files smuggle in code that reviewers cannot read, downloaded code runs whatever the remote host serves, and a reverse shell hands an attacker an interactive shell on the machine.',
    fix: 'Remove the code and find out how it got there: check the commit author, the dependency it came with, and whether the package or CI was compromised. Legitimate needs have readable alternatives: import modules normally, ship data as data (`json.loads`), and never run code fetched over the network.',
    example: {
      bad: 'import base64\n\nexec(base64.b64decode("cHJpbnQoJ2hlbGxvJyk="))\n',
      good: "print('hello')\n",
    },
    references: [
      'https://cwe.mitre.org/data/definitions/506.html',
      'https://cwe.mitre.org/data/definitions/553.html',
      'https://docs.python.org/3/library/functions.html#exec',
      'https://owasp.org/www-project-top-10-ci-cd-security-risks/CICD-SEC-03-Dependency-Chain-Abuse',
    ],
    bandit: [],
    ruff: [],
    supersedes: ['PGI010', 'PGI016', 'PGI017'],
  },
  messages: {
    decodedExec:
      '`{{callee}}` runs code decoded from an encoded blob (`{{decoder}}`), which hides what it does from review; this is typical of malicious packages. Remove it or replace it with readable code.',
    remoteExec:
      '`{{callee}}` runs code downloaded at run time (`{{fetcher}}`), so whoever controls that URL controls this process; remove it.',
    reverseShell:
      '`{{call}}` wires a shell to a network connection (a reverse shell); remove it and check how it got into the code.',
  },
  select: {
    calls: [...CODE_RUNNERS, 'pty.spawn', 'subprocess.*', 'os.*'],
    text: ['exec', 'eval', 'dup2', 'system', 'subprocess', 'spawn', 'popen'],
  },
  create(context) {
    const { model } = context;
    if (!/\b(?:exec|eval)\s*\(|dup2|system|subprocess|spawn|popen/.test(context.text)) return {};

    /** What kind of data an expression holds, following decode/read/str wrappers. */
    const originOf = (
      node: SyntaxNode,
      depth = 0,
    ): { kind: Origin; via: SyntaxNode; confidence: Confidence } | undefined => {
      if (depth > MAX_DEPTH) return undefined;
      const compiled = compileCall(model, node);
      const value = unwrapParens(model.resolveValue(node));
      if (compiled !== undefined) {
        const source = model.call(compiled).positional[0];
        return source === undefined ? undefined : originOf(source, depth + 1);
      }
      if (value.type === 'attribute') {
        const attribute = value.childForFieldName('attribute');
        const object = value.childForFieldName('object');
        if (
          attribute === null ||
          object === null ||
          !PASS_THROUGH_ATTRIBUTES.has(context.textOf(attribute))
        )
          return undefined;
        return originOf(object, depth + 1);
      }
      if (value.type !== 'call') return undefined;
      const call = context.call(value);
      const name = call.qualifiedName;
      if (name !== undefined && DECODERS.has(name))
        return { kind: 'decoded', via: value, confidence: 'high' };
      if (name !== undefined && FETCHERS.has(name))
        return { kind: 'remote', via: value, confidence: 'high' };
      if (name !== undefined && PASS_THROUGH_CALLS.has(name)) {
        const inner = call.positional[0];
        return inner === undefined ? undefined : originOf(inner, depth + 1);
      }
      if (call.methodName !== undefined && PASS_THROUGH_METHODS.has(call.methodName)) {
        const receiver =
          call.callee.type === 'attribute' ? call.callee.childForFieldName('object') : null;
        if (receiver !== null) return originOf(receiver, depth + 1);
      }
      if (name === undefined && DECODER_TEXT.test(context.textOf(call.callee) + '('))
        return { kind: 'decoded', via: value, confidence: 'medium' };
      return undefined;
    };

    /** Whether a spawned command names a shell (`"/bin/sh"`, `["/bin/bash", "-i"]`). */
    const spawnsShell = (argument: SyntaxNode): boolean => {
      const value = unwrapParens(model.resolveValue(argument));
      const items =
        value.type === 'list' || value.type === 'tuple' ? value.namedChildren.slice(0, 1) : [value];
      return items.some((item) => {
        const text = model.staticString(item);
        return text !== undefined && SHELL_BINARY.test(text.trim());
      });
    };

    /** `sock.fileno()` where `sock` is a socket (built by `socket.*`, or named like one). */
    const isSocketDescriptor = (node: SyntaxNode): boolean => {
      const value = unwrapParens(node);
      if (value.type !== 'call') return false;
      const call = context.call(value);
      const owner =
        call.callee.type === 'attribute' ? call.callee.childForFieldName('object') : null;
      if (call.methodName !== 'fileno' || owner === null) return false;
      const maker = model.constructedBy(owner);
      if (maker !== undefined) return maker.startsWith('socket.');
      return /sock|conn/i.test(lastName(model, owner) ?? '');
    };

    const socketDup2: SyntaxNode[] = [];
    let shellSpawned = false;

    return {
      ...callVisitors(context, (node, call) => {
        const name = call.qualifiedName;
        if (name === undefined) return;
        if (CODE_RUNNERS.has(name)) {
          const source = call.positional[0];
          const origin = source === undefined ? undefined : originOf(source);
          if (origin === undefined) return;
          const callee = context.textOf(call.callee);
          if (origin.kind === 'decoded') {
            const decoder = context.textOf(context.call(origin.via).callee);
            context.report({
              node,
              messageId: 'decodedExec',
              data: { callee, decoder },
              confidence: origin.confidence,
            });
          } else {
            const fetcher = context.textOf(context.call(origin.via).callee);
            context.report({ node, messageId: 'remoteExec', data: { callee, fetcher } });
          }
          return;
        }
        if (name === 'os.dup2') {
          const source = call.positional[0];
          if (source !== undefined && isSocketDescriptor(source)) socketDup2.push(node);
          return;
        }
        if (!SPAWNERS.test(name)) return;
        const command = call.positional[0] ?? call.keywords.get('args');
        if (command === undefined) return;
        if (spawnsShell(command)) shellSpawned = true;
        const literal = model.staticString(command) ?? context.textOf(command);
        const wiredToSocket = ['stdin', 'stdout'].some((stream) => {
          const target = call.keywords.get(stream);
          return target !== undefined && isSocketDescriptor(target);
        });
        if (REVERSE_SHELL_TEXT.test(literal) || (wiredToSocket && spawnsShell(command))) {
          context.report({
            node,
            messageId: 'reverseShell',
            data: { call: context.textOf(call.callee) },
          });
        }
      }),
      end() {
        const first = socketDup2[0];
        if (first === undefined || !shellSpawned) return;
        context.report({ node: first, messageId: 'reverseShell', data: { call: 'os.dup2' } });
      },
    };
  },
});
