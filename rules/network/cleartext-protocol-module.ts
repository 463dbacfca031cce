import {
  callVisitors,
  defineRule,
  isLocalHost,
  testAdjustedSeverity,
  type Severity,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

interface Protocol {
  /** What the call opens and why that is a problem, for the message. */
  risk: string;
  instead: string;
  /** Position of the host argument, when the call takes one. */
  hostPosition: number | undefined;
}

const TELNET: Protocol = {
  risk: 'a Telnet session, which sends the login and all data unencrypted',
  instead: 'SSH (`paramiko`, `asyncssh`)',
  hostPosition: 0,
};
const FTP: Protocol = {
  risk: 'a plain FTP session, which sends the password and the files unencrypted',
  instead: '`ftplib.FTP_TLS` (then `prot_p()`) or SFTP',
  hostPosition: 0,
};
const IPMI: Protocol = {
  risk: 'an IPMI session, whose RAKP handshake discloses a crackable password hash',
  instead: 'a management API over HTTPS (Redfish) on an isolated network',
  hostPosition: undefined,
};

const CLIENTS: ReadonlyMap<string, Protocol> = new Map([
  ['telnetlib.Telnet', TELNET],
  ['telnetlib3.open_connection', TELNET],
  ['telnetlib3.create_server', { ...TELNET, hostPosition: undefined }],
  ['ftplib.FTP', FTP],
  ['pyghmi.ipmi.command.Command', IPMI],
  ['pyghmi.ipmi.console.Console', IPMI],
  ['pyghmi.ipmi.private.session.Session', IPMI],
]);

const HOST_KEYWORDS = ['host', 'bmc'];

export default defineRule({
  meta: {
    id: 'PGT007',
    slug: 'cleartext-protocol-module',
    title: 'Cleartext protocol client (Telnet, FTP, IPMI)',
    category: 'network',
    severity: 'high',
    confidence: 'high',
    cwe: [319],
    owasp: ['A02:2021 Cryptographic Failures'],
    description:
      'Flags connections made with `telnetlib`, `ftplib.FTP` (not `FTP_TLS`) and `pyghmi` IPMI sessions; importing these modules alone is not reported.',
    why: 'Telnet and plain FTP send the login, the password and every byte of data unencrypted, so anyone on the network path can read or change them. IPMI authentication is weak by design (RAKP hash disclosure) and its consoles reach the hardware directly. `telnetlib` was removed in Python 3.13.',
    fix: 'Use an encrypted protocol: SSH (`paramiko`, `asyncssh`, `fabric`) instead of Telnet, `ftplib.FTP_TLS` followed by `prot_p()` or SFTP instead of FTP, and keep IPMI on an isolated management network or use Redfish over HTTPS.',
    example: {
      bad: 'import ftplib\n\nftp = ftplib.FTP("files.example.com")\nftp.login("deploy", password)\n',
      good: 'import ftplib\n\nftp = ftplib.FTP_TLS("files.example.com")\nftp.login("deploy", password)\nftp.prot_p()\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/319.html',
      'https://docs.python.org/3/library/ftplib.html#ftplib.FTP_TLS',
      'https://peps.python.org/pep-0594/#telnetlib',
      'https://docs.openstack.org/pyghmi/latest/',
    ],
    bandit: ['B312', 'B321', 'B401', 'B402', 'B415'],
    ruff: ['S312', 'S321', 'S401', 'S402', 'S415'],
    auditAdds:
      '`ftplib.FTP_TLS` sessions in files that never call `prot_p()`, whose data channel stays unencrypted',
  },
  messages: {
    cleartextClient: '`{{callee}}` opens {{risk}}; use {{instead}}.',
    unprotectedData:
      '`{{callee}}` encrypts the login, but the files travel unencrypted until `prot_p()` is called, and this code never calls it; call `prot_p()` after `login()`.',
  },
  select: { calls: [...CLIENTS.keys(), 'ftplib.FTP_TLS'], text: ['telnetlib', 'ftplib', 'pyghmi'] },
  create(context) {
    const { model } = context;
    if (!/telnetlib|ftplib|pyghmi/.test(context.text)) return {};

    function severityFor(host: SyntaxNode | undefined): Severity {
      const value = host === undefined ? undefined : model.staticString(host);
      if (value !== undefined && isLocalHost(value.toLowerCase())) return 'low';
      return testAdjustedSeverity('high', context.isTestFile);
    }

    /**
     * `ftplib.FTP_TLS(...)` in a function (or module) that never calls `prot_p()`: the login is
     * encrypted but the files are not. Audit only (bandit and ruff report every `FTP_TLS`), as
     * the session may be protected elsewhere.
     */
    function reportUnprotectedTls(node: SyntaxNode, callee: string): void {
      let scope: SyntaxNode = node;
      while (scope.parent !== null && scope.type !== 'function_definition') scope = scope.parent;
      if (/\.prot_p\s*\(/.test(context.textOf(scope))) return;
      context.report({
        node,
        messageId: 'unprotectedData',
        data: { callee },
        severity: 'low',
        confidence: 'low',
        profile: 'audit',
      });
    }

    return callVisitors(context, (node, call) => {
      const name = call.qualifiedName;
      const protocol = name === undefined ? undefined : CLIENTS.get(name);
      if (protocol === undefined) {
        if (name === 'ftplib.FTP_TLS') reportUnprotectedTls(node, context.textOf(call.callee));
        return;
      }
      const host =
        protocol.hostPosition === undefined
          ? undefined
          : (HOST_KEYWORDS.map((keyword) => call.keywords.get(keyword)).find(
              (value) => value !== undefined,
            ) ?? call.positional[protocol.hostPosition]);
      context.report({
        node,
        messageId: 'cleartextClient',
        data: {
          callee: context.textOf(call.callee),
          risk: protocol.risk,
          instead: protocol.instead,
        },
        severity: severityFor(host),
      });
    });
  },
});
