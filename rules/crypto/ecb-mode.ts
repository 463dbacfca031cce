import { callVisitors, defineRule } from '../../src/rules-api/index.js';
import {
  PYCRYPTO_BLOCK_CIPHERS,
  cryptographyModeOf,
  pycryptoCipherOf,
  pycryptoModeOf,
} from '../_shared/cipher-apis.js';

/** The pure-Python `pyaes` package's ECB mode object. */
const PYAES_ECB = new Set(['pyaes.AESModeOfOperationECB', 'pyaes.aes.AESModeOfOperationECB']);

export default defineRule({
  meta: {
    id: 'PGC004',
    slug: 'ecb-mode',
    title: 'Block cipher in ECB mode',
    category: 'crypto',
    severity: 'medium',
    confidence: 'high',
    cwe: [327],
    owasp: ['A02:2021 Cryptographic Failures'],
    description:
      "Flags ECB mode: `cryptography`'s `modes.ECB()`, PyCrypto/PyCryptodome `X.new(key, X.MODE_ECB)`, `X.new(key)` with no mode (ECB in PyCrypto 2.x), and pyaes's ECB mode object.",
    why: 'ECB encrypts every 16-byte block on its own, so equal plaintext blocks give equal ciphertext blocks: patterns in the data stay visible, blocks can be cut and pasted between messages, and a chosen-plaintext attacker can decrypt secrets appended to their input one byte at a time.',
    fix: 'Use an authenticated mode with a fresh random nonce per message: `AESGCM(key).encrypt(os.urandom(12), data, aad)` from `cryptography`, or `AES.new(key, AES.MODE_GCM)` in PyCryptodome, or the `Fernet` recipe.',
    example: {
      bad: 'from Crypto.Cipher import AES\n\nciphertext = AES.new(key, AES.MODE_ECB).encrypt(pad(data, 16))\n',
      good: 'from Crypto.Cipher import AES\n\ncipher = AES.new(key, AES.MODE_GCM)\nciphertext, tag = cipher.encrypt_and_digest(data)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/327.html',
      'https://cryptography.io/en/latest/hazmat/primitives/symmetric-encryption/#cryptography.hazmat.primitives.ciphers.modes.ECB',
      'https://www.pycryptodome.org/src/cipher/classic#ecb-mode',
    ],
    bandit: ['B305'],
    ruff: ['S305'],
  },
  messages: {
    ecbMode:
      '`{{callee}}` encrypts in ECB mode, which shows patterns in the plaintext and lets blocks be swapped; use an authenticated mode such as GCM.',
    defaultEcb:
      '`{{callee}}` is called without a mode, which means ECB in PyCrypto 2.x (PyCryptodome rejects it); pass an authenticated mode such as `{{cipher}}.MODE_GCM`.',
  },
  select: { calls: ['Crypto.*', 'Cryptodome.*', 'cryptography.*', ...PYAES_ECB] },
  create(context) {
    const { model } = context;
    return callVisitors(context, (node, call) => {
      const callee = call.qualifiedName;
      if (callee === undefined) return;
      const first = callee.charCodeAt(0);
      // Crypto, Cryptodome, cryptography, pyaes.
      if (first !== 67 && first !== 99 && first !== 112) return;
      if (cryptographyModeOf(callee) === 'ECB' || PYAES_ECB.has(callee)) {
        context.report({
          node,
          messageId: 'ecbMode',
          data: { callee: context.textOf(call.callee) },
        });
        return;
      }
      const cipher = pycryptoCipherOf(callee);
      if (cipher === undefined || !PYCRYPTO_BLOCK_CIPHERS.has(cipher)) return;
      const mode = pycryptoModeOf(model, call);
      if (mode === 'ECB') {
        context.report({
          node,
          messageId: 'ecbMode',
          data: { callee: context.textOf(call.callee) },
        });
      } else if (mode === null) {
        context.report({
          node,
          messageId: 'defaultEcb',
          data: { callee: context.textOf(call.callee), cipher },
          confidence: 'medium',
        });
      }
    });
  },
});
