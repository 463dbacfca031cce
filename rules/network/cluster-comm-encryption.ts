import {
  callVisitors,
  defineRule,
  testAdjusted,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

const DASK_SECURITY = new Set(['distributed.Security', 'distributed.security.Security']);
const MONGO_CLIENTS = new Set([
  'pymongo.MongoClient',
  'pymongo.mongo_client.MongoClient',
  'pymongo.AsyncMongoClient',
  'motor.motor_asyncio.AsyncIOMotorClient',
  'motor.motor_tornado.MotorClient',
  'mongoengine.connect',
  'mongoengine.register_connection',
]);
const MONGODB_CR = /authMechanism=MONGODB-CR(?:&|$)/i;

export default defineRule({
  meta: {
    id: 'PGT018',
    slug: 'cluster-comm-encryption',
    title: 'Cluster traffic left unencrypted or weakly authenticated',
    category: 'network',
    severity: 'medium',
    confidence: 'high',
    cwe: [319, 477],
    owasp: ['A02:2021 Cryptographic Failures'],
    description:
      'Flags Dask `distributed.Security(...)` without `require_encryption=True` and MongoDB clients that authenticate with the removed `MONGODB-CR` mechanism (keyword or connection string).',
    why: 'Dask workers and schedulers exchange pickled task data and results; without required encryption a peer on the network can read that data, and a client speaking plain TCP is still accepted. `MONGODB-CR` is a legacy MD5-based challenge-response that MongoDB removed in 4.0; forcing it weakens authentication or breaks it on current servers.',
    fix: 'Pass `require_encryption=True` (with the TLS certificate options) to `distributed.Security`, or use `Security.temporary()` for ad-hoc clusters. For MongoDB use `authMechanism="SCRAM-SHA-256"` (or leave it out to negotiate SCRAM) and connect with `tls=True`.',
    example: {
      bad: 'from distributed import Security\n\nsecurity = Security(tls_ca_file="ca.pem", tls_client_cert="cert.pem", tls_client_key="key.pem")\n',
      good: 'from distributed import Security\n\nsecurity = Security(\n    tls_ca_file="ca.pem",\n    tls_client_cert="cert.pem",\n    tls_client_key="key.pem",\n    require_encryption=True,\n)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/319.html',
      'https://distributed.dask.org/en/stable/tls.html',
      'https://www.mongodb.com/docs/manual/core/security-scram/',
      'https://pymongo.readthedocs.io/en/stable/examples/authentication.html',
    ],
    bandit: [],
    ruff: [],
  },
  messages: {
    daskEncryption:
      '`{{callee}}` does not require encryption{{how}}, so Dask peers may talk in plain TCP and task data crosses the network unencrypted; pass `require_encryption=True`.',
    mongoCr:
      '`{{callee}}` authenticates with `MONGODB-CR`, a legacy MD5-based mechanism removed in MongoDB 4.0; use `SCRAM-SHA-256`.',
  },
  select: { calls: [...DASK_SECURITY, ...MONGO_CLIENTS] },
  create(context) {
    const { model } = context;
    if (!/Security|MONGODB-CR/i.test(context.text)) return {};

    const mentionsMongoCr = (node: SyntaxNode | undefined): boolean => {
      if (node === undefined) return false;
      const value = model.staticString(node);
      return (
        value !== undefined && (value.toUpperCase() === 'MONGODB-CR' || MONGODB_CR.test(value))
      );
    };

    return callVisitors(context, (node, call) => {
      const name = call.qualifiedName;
      if (name === undefined) return;
      const callee = context.textOf(call.callee);
      if (DASK_SECURITY.has(name)) {
        if (call.hasKwargs) return;
        const required = call.keywords.get('require_encryption');
        const truth = required === undefined ? undefined : model.truthiness(required);
        if (truth === true || (required !== undefined && truth === undefined)) return;
        context.report({
          node,
          messageId: 'daskEncryption',
          data: {
            callee,
            how:
              required === undefined ? '' : ` (\`require_encryption=${context.textOf(required)}\`)`,
          },
          confidence: testAdjusted(required === undefined ? 'medium' : 'high', context.isTestFile),
        });
        return;
      }
      if (!MONGO_CLIENTS.has(name)) return;
      const mechanism =
        call.keywords.get('authMechanism') ?? call.keywords.get('authentication_mechanism');
      const uri = call.keywords.get('host') ?? call.positional[0];
      if (mentionsMongoCr(mechanism) || mentionsMongoCr(uri))
        context.report({ node, messageId: 'mongoCr', data: { callee } });
    });
  },
});
