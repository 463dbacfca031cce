import {
  callVisitors,
  defineRule,
  importsModule,
  lastSegment,
  testAdjusted,
  testAdjustedSeverity,
  unwrapParens,
  type Confidence,
  type ReportFix,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

/** Policies that accept an unknown host key (by name, with what they do for messages). */
const TRUSTING_POLICIES: ReadonlyMap<string, string> = new Map([
  ['AutoAddPolicy', 'accepts and saves any unknown host key'],
  ['WarningPolicy', 'only logs a warning for an unknown host key and connects anyway'],
]);
const ASYNCSSH_CONNECTS = new Set([
  'asyncssh.connect',
  'asyncssh.connect_reverse',
  'asyncssh.get_server_host_key',
  'asyncssh.SSHClientConnectionOptions',
  'asyncssh.connection.connect',
]);

export default defineRule({
  meta: {
    id: 'PGT010',
    slug: 'ssh-host-key-not-verified',
    title: 'SSH host key not verified',
    category: 'network',
    severity: 'high',
    confidence: 'high',
    cwe: [295, 322],
    owasp: ['A07:2021 Identification and Authentication Failures'],
    description:
      'Flags paramiko clients told to accept unknown host keys (`set_missing_host_key_policy(AutoAddPolicy())` or `WarningPolicy`) and asyncssh connections with `known_hosts=None`.',
    why: 'The host key is how an SSH client knows it reached the real server. Accepting whatever key is offered lets anyone who can intercept the connection (ARP/DNS spoofing, a rogue gateway) pose as the server, capture the password or agent-forwarded keys, and read or alter every command.',
    fix: "Load the known host keys (`client.load_system_host_keys()` or `client.load_host_keys(path)`) and keep paramiko's default `RejectPolicy`. Distribute host keys through configuration management or SSH certificates. With asyncssh pass a `known_hosts` file instead of `None`.",
    example: {
      bad: 'import paramiko\n\nclient = paramiko.SSHClient()\nclient.set_missing_host_key_policy(paramiko.AutoAddPolicy())\nclient.connect("build.example.com", username="deploy")\n',
      good: 'import paramiko\n\nclient = paramiko.SSHClient()\nclient.load_system_host_keys()\nclient.set_missing_host_key_policy(paramiko.RejectPolicy())\nclient.connect("build.example.com", username="deploy")\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/322.html',
      'https://docs.paramiko.org/en/stable/api/client.html#paramiko.client.SSHClient.set_missing_host_key_policy',
      'https://asyncssh.readthedocs.io/en/latest/api.html#specifying-known-hosts',
    ],
    fixable: true,
    bandit: ['B507'],
    ruff: ['S507'],
  },
  messages: {
    trustingPolicy:
      '`{{policy}}` {{effect}}, so a machine-in-the-middle can pose as the server; load known host keys and keep `RejectPolicy`.',
    knownHostsNone:
      '`{{callee}}` with `known_hosts=None` accepts any server host key, so a machine-in-the-middle can pose as the server; pass a known_hosts file.',
  },
  select: {
    calls: [...ASYNCSSH_CONNECTS],
    methods: ['set_missing_host_key_policy'],
    text: ['Policy', 'known_hosts'],
  },
  create(context) {
    const { model } = context;
    if (!/Policy|known_hosts/.test(context.text)) return {};

    /** The policy class an argument names or instantiates (`AutoAddPolicy` or `AutoAddPolicy()`). */
    function policyOf(node: SyntaxNode): { short: string; confidence: Confidence } | undefined {
      let value = unwrapParens(model.resolveValue(node));
      if (value.type === 'call') value = value.childForFieldName('function') ?? value;
      const name = model.qualifiedName(value);
      if (name !== undefined) {
        const short = lastSegment(name);
        return name.startsWith('paramiko.') && TRUSTING_POLICIES.has(short)
          ? { short, confidence: 'high' }
          : undefined;
      }
      // An unresolved `AutoAddPolicy` in a file that uses paramiko.
      const text = context.textOf(value);
      const short = lastSegment(text);
      return TRUSTING_POLICIES.has(short) && importsModule(model, 'paramiko')
        ? { short, confidence: 'medium' }
        : undefined;
    }

    /**
     * `paramiko.AutoAddPolicy()` → `paramiko.RejectPolicy()`: only where the policy is named
     * through the module (`paramiko.` or an alias of it), so the replacement resolves too.
     */
    function rejectPolicyFix(argument: SyntaxNode): ReportFix | undefined {
      const written = unwrapParens(argument);
      const reference =
        written.type === 'call' ? (written.childForFieldName('function') ?? written) : written;
      if (reference.type !== 'attribute') return undefined;
      const attribute = reference.childForFieldName('attribute');
      const name = model.qualifiedName(reference);
      if (attribute === null || name?.startsWith('paramiko.') !== true) return undefined;
      return {
        description: 'Reject unknown host keys',
        target: attribute,
        replacement: 'RejectPolicy',
      };
    }

    return callVisitors(context, (node, call) => {
      if (call.methodName === 'set_missing_host_key_policy') {
        const argument = model.argument(call, 'policy', 0);
        const policy = argument === undefined ? undefined : policyOf(argument);
        if (argument === undefined || policy === undefined) return;
        context.report({
          node,
          messageId: 'trustingPolicy',
          data: {
            policy: context.textOf(argument),
            effect: TRUSTING_POLICIES.get(policy.short) ?? '',
          },
          severity: testAdjustedSeverity('high', context.isTestFile),
          confidence: testAdjusted(policy.confidence, context.isTestFile),
          fix: rejectPolicyFix(argument),
        });
        return;
      }
      const name = call.qualifiedName;
      if (name === undefined || !ASYNCSSH_CONNECTS.has(name)) return;
      const knownHosts = call.keywords.get('known_hosts');
      if (knownHosts === undefined || model.literalValue(knownHosts) !== null) return;
      context.report({
        node,
        messageId: 'knownHostsNone',
        data: { callee: context.textOf(call.callee) },
        severity: testAdjustedSeverity('high', context.isTestFile),
        confidence: testAdjusted('high', context.isTestFile),
      });
    });
  },
});
