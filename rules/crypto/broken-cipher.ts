import { callVisitors, defineRule, type Severity } from '../../src/rules-api/index.js';
import { cryptographyAlgorithmOf, pycryptoCipherOf } from '../_shared/cipher-apis.js';

interface BrokenCipher {
  /** Name for messages. */
  label: string;
  /** What is wrong with it. */
  flaw: string;
  severity: Severity;
}

const DES: BrokenCipher = {
  label: 'DES',
  flaw: 'its 56-bit key can be brute-forced in hours',
  severity: 'high',
};
const TRIPLE_DES: BrokenCipher = {
  label: 'Triple DES',
  flaw: 'its 64-bit block makes long-lived keys vulnerable to birthday attacks (Sweet32), and NIST has withdrawn it',
  severity: 'medium',
};
const RC2: BrokenCipher = {
  label: 'RC2',
  flaw: 'it has known related-key attacks and a 64-bit block',
  severity: 'high',
};
const RC4: BrokenCipher = {
  label: 'RC4',
  flaw: 'its keystream is biased enough to recover plaintext (RFC 7465 bans it from TLS)',
  severity: 'high',
};
const BLOWFISH: BrokenCipher = {
  label: 'Blowfish',
  flaw: 'its 64-bit block makes long-lived keys vulnerable to birthday attacks (Sweet32)',
  severity: 'medium',
};
const IDEA: BrokenCipher = {
  label: 'IDEA',
  flaw: 'it has a 64-bit block and classes of weak keys',
  severity: 'medium',
};
const CAST5: BrokenCipher = {
  label: 'CAST5',
  flaw: 'its 64-bit block makes long-lived keys vulnerable to birthday attacks (Sweet32)',
  severity: 'medium',
};
const SEED: BrokenCipher = {
  label: 'SEED',
  flaw: 'it is a legacy cipher that `cryptography` has moved to its `decrepit` module',
  severity: 'low',
};
const XOR: BrokenCipher = {
  label: 'XOR',
  flaw: 'a repeating-key XOR is not encryption and is undone by frequency analysis',
  severity: 'high',
};

/** PyCrypto/PyCryptodome `Crypto.Cipher.<module>.new`. */
const PYCRYPTO: ReadonlyMap<string, BrokenCipher> = new Map([
  ['DES', DES],
  ['DES3', TRIPLE_DES],
  ['ARC2', RC2],
  ['ARC4', RC4],
  ['Blowfish', BLOWFISH],
  ['CAST', CAST5],
  ['XOR', XOR],
]);

/** `cryptography` algorithm classes (in `primitives` or `decrepit`). */
const CRYPTOGRAPHY: ReadonlyMap<string, BrokenCipher> = new Map([
  ['TripleDES', TRIPLE_DES],
  ['ARC4', RC4],
  ['RC2', RC2],
  ['Blowfish', BLOWFISH],
  ['IDEA', IDEA],
  ['CAST5', CAST5],
  ['SEED', SEED],
]);

/** The pure-Python `pyDes` package. */
const PYDES: ReadonlyMap<string, BrokenCipher> = new Map([
  ['pyDes.des', DES],
  ['pyDes.triple_des', TRIPLE_DES],
]);

export default defineRule({
  meta: {
    id: 'PGC003',
    slug: 'broken-cipher',
    title: 'Broken or obsolete cipher (DES, 3DES, RC2, RC4, Blowfish, IDEA, CAST5, SEED, XOR)',
    category: 'crypto',
    severity: 'high',
    confidence: 'high',
    cwe: [327],
    owasp: ['A02:2021 Cryptographic Failures'],
    description:
      'Flags DES, Triple DES, RC2, RC4, Blowfish, IDEA, CAST5, SEED and XOR ciphers created with PyCrypto, PyCryptodome, `cryptography` or pyDes.',
    why: 'These ciphers no longer protect data: DES keys are brute-forced in hours, RC4 leaks plaintext through keystream biases, XOR is trivially reversed, and the 64-bit block ciphers (3DES, Blowfish, IDEA, CAST5) leak plaintext once a key has encrypted a few tens of gigabytes (Sweet32).',
    fix: 'Use AES in an authenticated mode (`AESGCM` or `ChaCha20Poly1305` from `cryptography`, `AES.new(key, AES.MODE_GCM)` in PyCryptodome), or the high-level `Fernet` recipe. Keep the old cipher only to decrypt legacy data while migrating it.',
    example: {
      bad: 'from Crypto.Cipher import DES\n\ncipher = DES.new(key, DES.MODE_CBC, iv)\n',
      good: 'from cryptography.hazmat.primitives.ciphers.aead import AESGCM\n\nciphertext = AESGCM(key).encrypt(nonce, data, None)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/327.html',
      'https://cryptography.io/en/latest/hazmat/decrepit/ciphers/',
      'https://www.pycryptodome.org/src/cipher/cipher',
      'https://sweet32.info/',
    ],
    bandit: ['B304'],
    ruff: ['S304'],
    supersedes: ['PGC004', 'PGC005'],
  },
  messages: {
    brokenCipher:
      '`{{callee}}` uses {{cipher}}: {{flaw}}. Use AES-GCM or ChaCha20-Poly1305 instead.',
  },
  select: { calls: ['Crypto.*', 'Cryptodome.*', 'cryptography.*', ...PYDES.keys()] },
  create(context) {
    return callVisitors(context, (node, call) => {
      const callee = call.qualifiedName;
      if (callee === undefined) return;
      const first = callee.charCodeAt(0);
      // Every name of interest starts with `C` (Crypto, Cryptodome, cryptography) or `p` (pyDes).
      if (first !== 67 && first !== 99 && first !== 112) return;
      const cipher =
        lookup(PYCRYPTO, pycryptoCipherOf(callee)) ??
        lookup(CRYPTOGRAPHY, cryptographyAlgorithmOf(callee)) ??
        PYDES.get(callee);
      if (cipher === undefined) return;
      context.report({
        node,
        messageId: 'brokenCipher',
        data: { callee: context.textOf(call.callee), cipher: cipher.label, flaw: cipher.flaw },
        severity: cipher.severity,
      });
    });
  },
});

function lookup(
  table: ReadonlyMap<string, BrokenCipher>,
  key: string | undefined,
): BrokenCipher | undefined {
  return key === undefined ? undefined : table.get(key);
}
