import {
  callVisitors,
  defineRule,
  type CallInfo,
  type Severity,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

/**
 * RSA, DSA, ElGamal and Diffie-Hellman moduli below this many bits are too small (NIST SP
 * 800-131A): the default of the `min_rsa_bits` option.
 */
const MIN_MODULUS_BITS = 2048;
/** Moduli of this size or less are within reach of well-funded attackers today: high severity. */
const BROKEN_MODULUS_BITS = 1024;
/**
 * Elliptic curves below this many bits are too small (bandit's threshold; CodeQL uses 256): the
 * default of the `min_ec_bits` option.
 */
const MIN_CURVE_BITS = 224;
/** Curves of this size or less give at most about 80 bits of security: high severity. */
const BROKEN_CURVE_BITS = 163;

/** Calls that take a modulus size, with the algorithm and where the size argument sits. */
interface SizedCall {
  algorithm: string;
  keyword: string;
  position: number;
  /** The size used when the argument is left out, if the default is itself too small. */
  defaultBits?: number;
}

const CRYPTOGRAPHY_ASYMMETRIC = 'cryptography.hazmat.primitives.asymmetric';

const SIZED_CALLS: ReadonlyMap<string, SizedCall> = new Map<string, SizedCall>([
  [
    `${CRYPTOGRAPHY_ASYMMETRIC}.rsa.generate_private_key`,
    { algorithm: 'RSA', keyword: 'key_size', position: 1 },
  ],
  [
    `${CRYPTOGRAPHY_ASYMMETRIC}.dsa.generate_private_key`,
    { algorithm: 'DSA', keyword: 'key_size', position: 0 },
  ],
  [
    `${CRYPTOGRAPHY_ASYMMETRIC}.dsa.generate_parameters`,
    { algorithm: 'DSA', keyword: 'key_size', position: 0 },
  ],
  [
    `${CRYPTOGRAPHY_ASYMMETRIC}.dh.generate_parameters`,
    { algorithm: 'Diffie-Hellman', keyword: 'key_size', position: 1 },
  ],
  ...['Crypto', 'Cryptodome'].flatMap((root) => [
    [`${root}.PublicKey.RSA.generate`, { algorithm: 'RSA', keyword: 'bits', position: 0 }] as const,
    [`${root}.PublicKey.DSA.generate`, { algorithm: 'DSA', keyword: 'bits', position: 0 }] as const,
    [
      `${root}.PublicKey.ElGamal.generate`,
      { algorithm: 'ElGamal', keyword: 'bits', position: 0 },
    ] as const,
  ]),
  ['rsa.newkeys', { algorithm: 'RSA', keyword: 'nbits', position: 0 }],
  ['rsa.key.newkeys', { algorithm: 'RSA', keyword: 'nbits', position: 0 }],
  ['paramiko.RSAKey.generate', { algorithm: 'RSA', keyword: 'bits', position: 0 }],
  ['paramiko.rsakey.RSAKey.generate', { algorithm: 'RSA', keyword: 'bits', position: 0 }],
  [
    'paramiko.DSSKey.generate',
    { algorithm: 'DSA', keyword: 'bits', position: 0, defaultBits: 1024 },
  ],
  [
    'paramiko.dsskey.DSSKey.generate',
    { algorithm: 'DSA', keyword: 'bits', position: 0, defaultBits: 1024 },
  ],
]);

/** pyOpenSSL: `PKey().generate_key(TYPE_RSA, bits)`. */
const PYOPENSSL_PKEY = 'OpenSSL.crypto.PKey';
const PYOPENSSL_TYPES: ReadonlyMap<string, string> = new Map([
  ['OpenSSL.crypto.TYPE_RSA', 'RSA'],
  ['OpenSSL.crypto.TYPE_DSA', 'DSA'],
]);

/** `cryptography` curve classes by size in bits. */
const CRYPTOGRAPHY_CURVES: ReadonlyMap<string, number> = new Map([
  ['SECP192R1', 192],
  ['SECP224R1', 224],
  ['SECP256K1', 256],
  ['SECP256R1', 256],
  ['SECP384R1', 384],
  ['SECP521R1', 521],
  ['SECT163K1', 163],
  ['SECT163R2', 163],
  ['SECT233K1', 233],
  ['SECT233R1', 233],
  ['SECT283K1', 283],
  ['SECT283R1', 283],
  ['SECT409K1', 409],
  ['SECT409R1', 409],
  ['SECT571K1', 571],
  ['SECT571R1', 571],
  ['BrainpoolP256R1', 256],
  ['BrainpoolP384R1', 384],
  ['BrainpoolP512R1', 512],
]);

/**
 * PyCryptodome `ECC.generate(curve=...)` names (lower case, letters and digits only) by size in
 * bits. Curve25519 and Curve448 count as 256 and 448 bits, the strength class they belong to.
 */
const PYCRYPTODOME_CURVES: ReadonlyMap<string, number> = new Map(
  (
    [
      [192, ['p192', 'nistp192', 'prime192v1', 'secp192r1']],
      [224, ['p224', 'nistp224', 'prime224v1', 'secp224r1']],
      [256, ['p256', 'nistp256', 'prime256v1', 'secp256r1', 'ed25519', 'curve25519']],
      [384, ['p384', 'nistp384', 'prime384v1', 'secp384r1']],
      [521, ['p521', 'nistp521', 'prime521v1', 'secp521r1']],
      [448, ['ed448', 'curve448']],
    ] as const
  ).flatMap(([bits, names]) => names.map((name) => [name, bits] as const)),
);

/** `cryptography` calls taking a curve, with the position of the curve argument. */
const CURVE_CALLS: ReadonlyMap<string, number> = new Map([
  [`${CRYPTOGRAPHY_ASYMMETRIC}.ec.generate_private_key`, 0],
  [`${CRYPTOGRAPHY_ASYMMETRIC}.ec.derive_private_key`, 1],
]);

/**
 * Where a finding about one argument goes: the whole `key_size=1024` keyword argument, or the
 * positional value. In a call spread over several lines this is the line that sets the weak
 * value, the one a pull request changes and the one bandit and ruff report.
 */
function argumentSite(value: SyntaxNode): SyntaxNode {
  const parent = value.parent;
  return parent?.type === 'keyword_argument' ? parent : value;
}

export default defineRule({
  meta: {
    id: 'PGC007',
    slug: 'weak-key-size',
    title: 'Asymmetric key too small',
    category: 'crypto',
    severity: 'medium',
    confidence: 'high',
    cwe: [326],
    owasp: ['A02:2021 Cryptographic Failures'],
    description:
      'Flags RSA, DSA, ElGamal and Diffie-Hellman keys under 2048 bits (`min_rsa_bits`) and elliptic curves under 224 bits (`min_ec_bits`) generated with `cryptography`, PyCrypto/PyCryptodome, `rsa`, paramiko or pyOpenSSL.',
    why: 'The work needed to factor a modulus or solve a discrete logarithm drops steeply with the key size: 512-bit RSA is factored in hours on rented machines, 1024-bit keys are within reach of well-funded attackers, and data signed or encrypted today has to stay safe for years. Standards (NIST SP 800-131A) require at least 2048-bit RSA/DSA and 224-bit curves.',
    fix: 'Generate RSA keys of at least 2048 bits (3072 for data that must stay safe past 2030), or prefer elliptic curves: `ec.generate_private_key(ec.SECP256R1())` or Ed25519.',
    example: {
      bad: 'from cryptography.hazmat.primitives.asymmetric import rsa\n\nkey = rsa.generate_private_key(public_exponent=65537, key_size=1024)\n',
      good: 'from cryptography.hazmat.primitives.asymmetric import rsa\n\nkey = rsa.generate_private_key(public_exponent=65537, key_size=3072)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/326.html',
      'https://cryptography.io/en/latest/hazmat/primitives/asymmetric/rsa/#generation',
      'https://www.pycryptodome.org/src/public_key/rsa',
      'https://csrc.nist.gov/pubs/sp/800/131/a/r2/final',
    ],
    bandit: ['B505'],
    ruff: ['S505'],
  },
  options: {
    min_rsa_bits: {
      kind: 'integer',
      default: MIN_MODULUS_BITS,
      min: 512,
      max: 16384,
      description:
        'Smallest RSA, DSA, ElGamal or Diffie-Hellman key size in bits that is not reported.',
    },
    min_ec_bits: {
      kind: 'integer',
      default: MIN_CURVE_BITS,
      min: 160,
      max: 571,
      description:
        'Smallest elliptic curve size in bits that is not reported (Curve25519 counts as 256).',
    },
  },
  messages: {
    smallModulus:
      '`{{callee}}` generates a {{bits}}-bit {{algorithm}} key; use at least {{min}} bits.',
    defaultModulus:
      '`{{callee}}` generates a {{bits}}-bit {{algorithm}} key by default, and SSH DSA keys cannot be larger; generate an Ed25519, ECDSA or {{min}}-bit RSA key instead.',
    smallCurve:
      '`{{callee}}` uses the {{bits}}-bit curve {{curve}}; use a curve of at least {{min}} bits, such as {{suggestion}}.',
  },
  select: {
    calls: [
      ...SIZED_CALLS.keys(),
      ...CURVE_CALLS.keys(),
      'Crypto.PublicKey.ECC.generate',
      'Cryptodome.PublicKey.ECC.generate',
    ],
    methods: ['generate_key'],
  },
  create(context) {
    const { model } = context;
    const { min_rsa_bits: minModulusBits, min_ec_bits: minCurveBits } = context.options;

    const reportModulus = (
      node: SyntaxNode,
      call: CallInfo,
      algorithm: string,
      sizeNode: SyntaxNode | undefined,
      defaultBits: number | undefined,
    ): void => {
      if (sizeNode === undefined) {
        if (defaultBits === undefined || defaultBits >= minModulusBits) return;
        if (call.hasStarArgs || call.hasKwargs) return;
        context.report({
          node,
          messageId: 'defaultModulus',
          data: {
            callee: context.textOf(call.callee),
            bits: defaultBits,
            algorithm,
            min: Math.max(minModulusBits, MIN_MODULUS_BITS),
          },
          severity: modulusSeverity(defaultBits),
        });
        return;
      }
      const bits = model.literalValue(sizeNode);
      if (typeof bits !== 'number' || bits >= minModulusBits) return;
      context.report({
        node: argumentSite(sizeNode),
        messageId: 'smallModulus',
        data: { callee: context.textOf(call.callee), bits, algorithm, min: minModulusBits },
        severity: modulusSeverity(bits),
      });
    };

    const reportCurve = (
      call: CallInfo,
      curveNode: SyntaxNode,
      curve: string,
      bits: number,
    ): void => {
      if (bits >= minCurveBits) return;
      context.report({
        node: argumentSite(curveNode),
        messageId: 'smallCurve',
        data: {
          callee: context.textOf(call.callee),
          bits,
          curve,
          min: minCurveBits,
          suggestion: curveSuggestion(minCurveBits),
        },
        severity: bits <= BROKEN_CURVE_BITS ? 'high' : 'medium',
      });
    };

    return callVisitors(context, (node, call) => {
      const callee = call.qualifiedName;
      if (callee !== undefined) {
        const sized = SIZED_CALLS.get(callee);
        if (sized !== undefined) {
          const size = model.argument(call, sized.keyword, sized.position);
          reportModulus(node, call, sized.algorithm, size, sized.defaultBits);
          return;
        }
        const curvePosition = CURVE_CALLS.get(callee);
        if (curvePosition !== undefined) {
          const curve = model.argument(call, 'curve', curvePosition);
          const name = curve === undefined ? undefined : curveClass(curve);
          const bits = name === undefined ? undefined : CRYPTOGRAPHY_CURVES.get(name);
          if (curve !== undefined && name !== undefined && bits !== undefined)
            reportCurve(call, curve, name, bits);
          return;
        }
        if (
          callee === 'Crypto.PublicKey.ECC.generate' ||
          callee === 'Cryptodome.PublicKey.ECC.generate'
        ) {
          const curve = model.argument(call, 'curve');
          const name = curve === undefined ? undefined : model.staticString(curve);
          const bits =
            name === undefined
              ? undefined
              : PYCRYPTODOME_CURVES.get(name.toLowerCase().replace(/[^a-z0-9]/g, ''));
          if (curve !== undefined && name !== undefined && bits !== undefined)
            reportCurve(call, curve, name, bits);
          return;
        }
      }
      if (call.methodName === 'generate_key') {
        const object =
          call.callee.type === 'attribute' ? call.callee.childForFieldName('object') : null;
        if (object === null || model.constructedBy(object) !== PYOPENSSL_PKEY) return;
        const typeNode = model.argument(call, 'type', 0);
        const typeName = typeNode === undefined ? undefined : model.qualifiedName(typeNode);
        const algorithm = typeName === undefined ? undefined : PYOPENSSL_TYPES.get(typeName);
        if (algorithm === undefined) return;
        reportModulus(node, call, algorithm, model.argument(call, 'bits', 1), undefined);
      }
    });

    /** `ec.SECP192R1()` or `ec.SECP192R1` → `SECP192R1`, when it is a `cryptography` curve. */
    function curveClass(node: SyntaxNode): string | undefined {
      const value = model.resolveValue(node);
      const reference = value.type === 'call' ? value.childForFieldName('function') : value;
      const name = reference === null ? undefined : model.qualifiedName(reference);
      const prefix = `${CRYPTOGRAPHY_ASYMMETRIC}.ec.`;
      return name?.startsWith(prefix) === true ? name.slice(prefix.length) : undefined;
    }
  },
});

/** Curves to suggest that are at least `minBits` strong. */
function curveSuggestion(minBits: number): string {
  if (minBits <= 256) return 'SECP256R1 or Ed25519';
  return minBits <= 384 ? 'SECP384R1' : 'SECP521R1';
}

function modulusSeverity(bits: number): Severity {
  return bits <= BROKEN_MODULUS_BITS ? 'high' : 'medium';
}
