import { defineRule, type SyntaxNode } from '../../src/rules-api/index.js';

/** `Crypto` or `Crypto.<anything>`: the namespace of the unmaintained PyCrypto. */
function isPycryptoModule(name: string): boolean {
  return name === 'Crypto' || name.startsWith('Crypto.');
}

/**
 * Modules that exist only in PyCryptodome: a file importing one of them shows that its `Crypto`
 * package is PyCryptodome, so none of its `Crypto` imports is reported.
 */
const PYCRYPTODOME_ONLY = new Set([
  'Crypto.Util.Padding',
  'Crypto.Cipher.ChaCha20',
  'Crypto.Cipher.ChaCha20_Poly1305',
  'Crypto.Cipher.Salsa20',
  'Crypto.PublicKey.ECC',
  'Crypto.Signature.pkcs1_15',
  'Crypto.Signature.pss',
  'Crypto.Signature.DSS',
  'Crypto.Signature.eddsa',
  'Crypto.Hash.SHA3_224',
  'Crypto.Hash.SHA3_256',
  'Crypto.Hash.SHA3_384',
  'Crypto.Hash.SHA3_512',
  'Crypto.Hash.BLAKE2b',
  'Crypto.Hash.BLAKE2s',
  'Crypto.Hash.keccak',
  'Crypto.Hash.SHAKE128',
  'Crypto.Hash.SHAKE256',
  'Crypto.Hash.Poly1305',
  'Crypto.IO',
  'Crypto.Math',
  'Crypto.Protocol.SecretSharing',
]);

function provesPycryptodome(name: string): boolean {
  for (const module of PYCRYPTODOME_ONLY) {
    if (name === module || name.startsWith(`${module}.`)) return true;
  }
  return false;
}

export default defineRule({
  meta: {
    id: 'PGC009',
    slug: 'deprecated-crypto-lib',
    title: 'Import from the `Crypto` namespace of the unmaintained PyCrypto',
    category: 'crypto',
    severity: 'high',
    confidence: 'low',
    cwe: [327, 1104],
    owasp: ['A06:2021 Vulnerable and Outdated Components'],
    description:
      'Flags `import Crypto…` and `from Crypto… import …`, which load PyCrypto when that package is what is installed; an audit check, off by default.',
    why: 'PyCrypto has had no release since 2013 and has known, unfixed vulnerabilities, including a heap buffer overflow in its AES implementation (CVE-2013-7459). PyCryptodome installs a compatible package under the same `Crypto` name, so an import alone cannot tell which one a project uses: the rule stays quiet in files that import a module only PyCryptodome has (such as `Crypto.Util.Padding`), and the requirements should be checked before acting on a finding.',
    fix: 'Depend on `pycryptodome` (a maintained, mostly compatible replacement that keeps the `Crypto` name) or `pycryptodomex` (which installs as `Cryptodome`), or move to `cryptography`, and remove `pycrypto` from the requirements. If the project already uses PyCryptodome, leave this rule disabled.',
    example: {
      bad: '# requirements.txt: pycrypto==2.6.1\nfrom Crypto.Cipher import AES\n',
      good: '# requirements.txt: pycryptodomex>=3.20\nfrom Cryptodome.Cipher import AES\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/1104.html',
      'https://www.pycryptodome.org/src/installation',
      'https://nvd.nist.gov/vuln/detail/CVE-2013-7459',
    ],
    bandit: ['B413', 'B414'],
    ruff: ['S413'],
    enabledByDefault: false,
  },
  messages: {
    pycryptoImport:
      '`{{module}}` belongs to the `Crypto` namespace of PyCrypto, which is unmaintained and has known vulnerabilities; if `pycrypto` is what is installed, replace it with `pycryptodome` or `pycryptodomex`.',
  },
  create(context) {
    const found: { node: SyntaxNode; module: string }[] = [];
    let isPycryptodome = false;
    return {
      import_statement(node) {
        let reported = false;
        for (const clause of node.childrenForFieldName('name')) {
          const name = clause.type === 'aliased_import' ? clause.childForFieldName('name') : clause;
          if (name === null) continue;
          const module = context.textOf(name).replace(/\s+/g, '');
          if (!isPycryptoModule(module)) continue;
          if (provesPycryptodome(module)) isPycryptodome = true;
          if (!reported) found.push({ node, module });
          reported = true;
        }
      },
      import_from_statement(node) {
        const moduleNode = node.childForFieldName('module_name');
        if (moduleNode?.type !== 'dotted_name') return; // relative imports are the project's own
        const module = context.textOf(moduleNode).replace(/\s+/g, '');
        if (!isPycryptoModule(module)) return;
        found.push({ node, module });
        for (const clause of node.childrenForFieldName('name')) {
          const name = clause.type === 'aliased_import' ? clause.childForFieldName('name') : clause;
          if (name !== null && provesPycryptodome(`${module}.${context.textOf(name)}`))
            isPycryptodome = true;
        }
      },
      end() {
        if (isPycryptodome) return;
        for (const { node, module } of found) {
          context.report({ node, messageId: 'pycryptoImport', data: { module } });
        }
      },
    };
  },
});
