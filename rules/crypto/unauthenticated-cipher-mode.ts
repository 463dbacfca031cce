import {
  callVisitors,
  defineRule,
  functionScopeOf,
  testAdjusted,
  type Scope,
  type SyntaxNode,
} from '../../src/rules-api/index.js';
import { cryptographyModeOf, pycryptoCipherOf, pycryptoModeOf } from '../_shared/cipher-apis.js';

/** Modes that encrypt without authenticating. */
const UNAUTHENTICATED = new Set(['CBC', 'CTR', 'CFB', 'CFB8', 'OFB', 'OPENPGP']);

/** Calls that compute or check a MAC: their presence means the ciphertext is authenticated. */
const MAC_CALLS = new Set([
  'hmac.new',
  'hmac.HMAC',
  'hmac.digest',
  'hmac.compare_digest',
  'secrets.compare_digest',
  ...['Crypto', 'Cryptodome'].flatMap((root) => [
    `${root}.Hash.HMAC.new`,
    `${root}.Hash.CMAC.new`,
    `${root}.Hash.Poly1305.new`,
  ]),
  'cryptography.hazmat.primitives.hmac.HMAC',
  'cryptography.hazmat.primitives.cmac.CMAC',
  'cryptography.hazmat.primitives.poly1305.Poly1305',
]);

interface Pending {
  node: SyntaxNode;
  callee: string;
  mode: string;
  scope: Scope;
}

export default defineRule({
  meta: {
    id: 'PGC005',
    slug: 'unauthenticated-cipher-mode',
    title: 'Encryption without authentication (CBC, CTR, CFB, OFB and no MAC)',
    category: 'crypto',
    severity: 'medium',
    confidence: 'medium',
    cwe: [327, 353],
    owasp: ['A02:2021 Cryptographic Failures'],
    description:
      'Flags CBC, CTR, CFB and OFB modes from `cryptography` and PyCrypto/PyCryptodome in functions that compute or check no MAC (HMAC, CMAC, Poly1305).',
    why: 'These modes hide the plaintext but do not detect changes to the ciphertext. An attacker can flip chosen bits of a CTR, CFB or OFB plaintext, rewrite CBC blocks, and, when the application reveals whether decryption or unpadding failed, decrypt CBC messages entirely (a padding oracle).',
    fix: 'Use an authenticated mode: `AESGCM` or `ChaCha20Poly1305` from `cryptography`, `AES.new(key, AES.MODE_GCM)` or `MODE_EAX` in PyCryptodome, or the `Fernet` recipe. If the format must stay CBC or CTR, add an HMAC over the IV and ciphertext with a separate key (encrypt-then-MAC) and check it with `hmac.compare_digest` before decrypting.',
    example: {
      bad: 'from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes\n\nencryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()\n',
      good: 'from cryptography.hazmat.primitives.ciphers.aead import AESGCM\n\nciphertext = AESGCM(key).encrypt(nonce, data, None)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/353.html',
      'https://cryptography.io/en/latest/hazmat/primitives/aead/',
      'https://www.pycryptodome.org/src/cipher/modern',
      'https://en.wikipedia.org/wiki/Padding_oracle_attack',
    ],
    bandit: [],
    ruff: [],
  },
  messages: {
    unauthenticated:
      '`{{callee}}` uses {{mode}} mode and no MAC is computed or checked in this function, so {{consequence}}; use AES-GCM or ChaCha20-Poly1305, or add an HMAC over the IV and ciphertext.',
  },
  select: { calls: [...MAC_CALLS, 'Crypto.*', 'Cryptodome.*', 'cryptography.*'] },
  create(context) {
    const { model } = context;
    const pending: Pending[] = [];
    const macScopes = new Set<Scope>();

    return {
      ...callVisitors(context, (node, call) => {
        const callee = call.qualifiedName;
        if (callee === undefined) return;
        if (MAC_CALLS.has(callee)) {
          macScopes.add(functionScopeOf(model, node));
          return;
        }
        const first = callee.charCodeAt(0);
        if (first !== 67 && first !== 99) return; // Crypto, Cryptodome, cryptography
        let mode = cryptographyModeOf(callee);
        if (mode === undefined && pycryptoCipherOf(callee) !== undefined) {
          const selected = pycryptoModeOf(model, call);
          mode = typeof selected === 'string' ? selected : undefined;
        }
        if (mode === undefined || !UNAUTHENTICATED.has(mode)) return;
        pending.push({
          node,
          callee: context.textOf(call.callee),
          mode,
          scope: functionScopeOf(model, node),
        });
      }),
      end() {
        for (const { node, callee, mode, scope } of pending) {
          if (macScopes.has(scope)) continue;
          // A MAC elsewhere in the file (a helper method) may well cover this cipher.
          const confidence = macScopes.size > 0 ? 'low' : 'medium';
          context.report({
            node,
            messageId: 'unauthenticated',
            data: {
              callee,
              mode,
              consequence:
                mode === 'CBC'
                  ? 'ciphertext blocks can be altered and padding errors can reveal the plaintext'
                  : 'an attacker can flip chosen bits of the plaintext without being noticed',
            },
            confidence: testAdjusted(confidence, context.isTestFile),
          });
        }
      },
    };
  },
});
