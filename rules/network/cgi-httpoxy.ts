import { callVisitors, defineRule } from '../../src/rules-api/index.js';

/** CGI gateways that copy the request's `Proxy` header into the `HTTP_PROXY` environment variable. */
const CGI_GATEWAYS = new Set([
  'wsgiref.handlers.CGIHandler',
  'twisted.web.twcgi.CGIScript',
  'twisted.web.twcgi.CGIDirectory',
  'twisted.web.twcgi.FilteredScript',
  'twisted.web.twcgi.PHPScript',
  'twisted.web.twcgi.PHP3Script',
]);

export default defineRule({
  meta: {
    id: 'PGT017',
    slug: 'cgi-httpoxy',
    title: 'CGI gateway exposed to httpoxy',
    category: 'network',
    severity: 'medium',
    confidence: 'low',
    cwe: [284],
    owasp: ['A05:2021 Security Misconfiguration'],
    description:
      'Flags use of `wsgiref.handlers.CGIHandler` and Twisted `twcgi.CGIScript`/`CGIDirectory`, which run code under CGI where a request header can set `HTTP_PROXY` (httpoxy).',
    why: "Under CGI every request header becomes an `HTTP_*` environment variable, so a client sending `Proxy: http://attacker:8080` sets `HTTP_PROXY`. HTTP clients that read proxy settings from the environment then route the application's outgoing requests, with their credentials, through the attacker. Python's own urllib ignores `HTTP_PROXY` under CGI, but other clients and subprocesses may not.",
    fix: 'Serve the application with a WSGI server (gunicorn, uWSGI, mod_wsgi) instead of CGI. If CGI cannot be avoided, delete `HTTP_PROXY` from the environment before any outgoing request and block the `Proxy` header at the front-end web server.',
    example: {
      bad: 'from wsgiref.handlers import CGIHandler\n\nfrom app import application\n\nCGIHandler().run(application)\n',
      good: '# Serve with a WSGI server instead of CGI:\n#   gunicorn app:application\nfrom app import application\n',
    },
    references: [
      'https://httpoxy.org/',
      'https://cwe.mitre.org/data/definitions/284.html',
      'https://docs.python.org/3/library/wsgiref.html#wsgiref.handlers.CGIHandler',
      'https://docs.twisted.org/en/stable/api/twisted.web.twcgi.CGIScript.html',
    ],
    bandit: ['B412'],
    ruff: ['S412'],
    enabledByDefault: false,
  },
  messages: {
    cgiGateway:
      "`{{name}}` runs the application under CGI, where a client's `Proxy` header becomes `HTTP_PROXY` (httpoxy); serve it with a WSGI server or drop `HTTP_PROXY` from the environment.",
  },
  select: { calls: [...CGI_GATEWAYS], text: ['CGIHandler', 'twcgi'] },
  create(context) {
    const { model } = context;
    if (!/CGIHandler|twcgi/.test(context.text)) return {};
    return {
      ...callVisitors(context, (node, call) => {
        if (call.qualifiedName === undefined || !CGI_GATEWAYS.has(call.qualifiedName)) return;
        context.report({
          node,
          messageId: 'cgiGateway',
          data: { name: context.textOf(call.callee) },
        });
      }),
      class_definition(node) {
        const bases = node.childForFieldName('superclasses');
        for (const base of bases?.namedChildren ?? []) {
          const name = model.qualifiedName(base);
          if (name === undefined || !CGI_GATEWAYS.has(name)) continue;
          context.report({ node, messageId: 'cgiGateway', data: { name: context.textOf(base) } });
          return;
        }
      },
    };
  },
});
