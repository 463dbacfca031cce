import { callVisitors, type SyntaxNode, defineRule } from '../../src/rules-api/index.js';

/** Why importing a module deserves a look, by module (a prefix: `xml.sax` covers `xml.sax.saxutils`). */
const RISKY_MODULES: ReadonlyMap<string, string> = new Map([
  ['telnetlib', 'Telnet sends everything, passwords included, in clear text; use SSH instead'],
  ['ftplib', 'FTP sends credentials and files in clear text; use SFTP or `ftplib.FTP_TLS`'],
  ...['pickle', 'cPickle', '_pickle', 'dill', 'shelve'].map(
    (module) =>
      [
        module,
        'loading its data runs whatever code the data names; never load data from outside with it',
      ] as const,
  ),
  [
    'subprocess',
    'it starts other programs; check that no program, argument or command line comes from outside',
  ],
  ...[
    'xml.etree.cElementTree',
    'xml.etree.ElementTree',
    'xml.sax',
    'xml.dom.expatbuilder',
    'xml.dom.minidom',
    'xml.dom.pulldom',
  ].map(
    (module) =>
      [
        module,
        'the standard XML parsers are open to entity-expansion attacks on untrusted XML; parse it with `defusedxml`',
      ] as const,
  ),
  [
    'lxml',
    'lxml resolves entities and can load external documents unless told not to; parse untrusted XML with `resolve_entities=False, no_network=True` or `defusedxml`',
  ],
  ...['xmlrpc', 'xmlrpclib'].map(
    (module) =>
      [
        module,
        'XML-RPC parses untrusted XML with the standard parsers; call `defusedxml.xmlrpc.monkey_patch()` first',
      ] as const,
  ),
  ...[
    'wsgiref.handlers.CGIHandler',
    'twisted.web.twcgi.CGIScript',
    'twisted.web.twcgi.CGIDirectory',
  ].map(
    (module) =>
      [
        module,
        'a CGI handler copies the `Proxy` request header into `HTTP_PROXY`, which HTTP clients then use (httpoxy)',
      ] as const,
  ),
  [
    'Crypto',
    'PyCrypto is unmaintained and has known vulnerabilities; use `cryptography` (or PyCryptodome as `Cryptodome`)',
  ],
  [
    'pyghmi',
    'IPMI authenticates weakly and sends much in clear text; keep it off untrusted networks',
  ],
]);

/** Calls that import a module named by a string. */
const IMPORT_CALLS = new Set(['__import__', 'importlib.import_module', 'importlib.__import__']);

/** The risky module a dotted name is, or is inside of. */
function riskyModule(name: string): string | undefined {
  const parts = name.split('.');
  for (let length = parts.length; length > 0; length--) {
    const prefix = parts.slice(0, length).join('.');
    if (RISKY_MODULES.has(prefix)) return prefix;
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: 'PGM018',
    slug: 'risky-module-import',
    title: 'Import of a module that deserves a security look',
    category: 'misc',
    severity: 'low',
    confidence: 'high',
    cwe: [319, 327, 502, 611, 78],
    owasp: ['A06:2021 Vulnerable and Outdated Components'],
    description:
      'Flags imports (and `__import__`/`importlib.import_module` of a constant name) of `telnetlib`, `ftplib`, the pickle family, `subprocess`, the standard XML parsers, `lxml`, XML-RPC, CGI handlers open to httpoxy, PyCrypto (`Crypto`) and `pyghmi`: the bare imports bandit (B401–B415) and ruff (S401–S415) report.',
    why: 'An import is not a vulnerability; it says where one may be. These modules speak clear-text protocols, run code from the data they load, start programs or parse XML in ways that trust the document. The rules of the default profile look at how each is used; an audit that wants every place such a module enters the code base, as bandit and ruff list them, gets this list.',
    fix: 'Review what the module is used for, and prefer the safer alternative the message names (SSH or SFTP instead of Telnet or FTP, JSON instead of pickle, `defusedxml` for untrusted XML, `cryptography` instead of PyCrypto). Where the use is sound, suppress the finding with a reason.',
    example: {
      bad: 'import telnetlib\n\n\ndef connect(host):\n    return telnetlib.Telnet(host)\n',
      good: 'import paramiko\n\n\ndef connect(host):\n    client = paramiko.SSHClient()\n    client.load_system_host_keys()\n    client.connect(host)\n    return client\n',
    },
    references: [
      'https://bandit.readthedocs.io/en/latest/blacklists/blacklist_imports.html',
      'https://docs.astral.sh/ruff/rules/#flake8-bandit-s',
      'https://pypi.org/project/defusedxml/',
    ],
    bandit: [
      'B401',
      'B402',
      'B403',
      'B404',
      'B405',
      'B406',
      'B407',
      'B408',
      'B409',
      'B410',
      'B411',
      'B412',
      'B413',
      'B415',
    ],
    ruff: [
      'S401',
      'S402',
      'S403',
      'S404',
      'S405',
      'S406',
      'S407',
      'S408',
      'S409',
      'S410',
      'S411',
      'S412',
      'S413',
      'S415',
    ],
    profile: 'audit',
  },
  messages: {
    riskyImport: '`{{module}}` is imported: {{reason}}.',
  },
  select: { calls: [...IMPORT_CALLS] },
  create(context) {
    const { model } = context;

    const report = (node: SyntaxNode, names: readonly string[]): void => {
      const modules = [...new Set(names.map(riskyModule).filter((m) => m !== undefined))];
      const module = modules[0];
      if (module === undefined) return;
      context.report({
        node,
        messageId: 'riskyImport',
        data: { module: modules.join('`, `'), reason: RISKY_MODULES.get(module) ?? '' },
      });
    };

    const dotted = (node: SyntaxNode): string => context.textOf(node).replace(/\s+/g, '');
    const importedName = (clause: SyntaxNode): SyntaxNode | null =>
      clause.type === 'aliased_import' ? clause.childForFieldName('name') : clause;

    return {
      import_statement(node) {
        const names = node
          .childrenForFieldName('name')
          .map(importedName)
          .filter((name) => name !== null)
          .map(dotted);
        report(node, names);
      },
      import_from_statement(node) {
        const source = node.childForFieldName('module_name');
        if (source === null || source.type === 'relative_import') return;
        const from = dotted(source);
        const names = node
          .childrenForFieldName('name')
          .map(importedName)
          .filter((name) => name !== null)
          .map((name) => `${from}.${dotted(name)}`);
        report(node, [from, ...names]);
      },
      ...callVisitors(context, (node, call) => {
        if (call.qualifiedName === undefined || !IMPORT_CALLS.has(call.qualifiedName)) return;
        const first = call.positional[0] ?? call.keywords.get('name');
        const name = first === undefined ? undefined : model.staticString(first);
        if (name !== undefined) report(node, [name]);
      }),
    };
  },
});
