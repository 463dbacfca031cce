import {
  builtWithFixedHost,
  callsWhenInputPossible,
  checkedBefore,
  defineRule,
  lastSegment,
  tabledArgument,
  taintedSink,
} from '../../src/rules-api/index.js';

/** Redirecting calls: qualified name → keyword and position of the target URL. */
const REDIRECTS: ReadonlyMap<string, readonly [string, number]> = new Map<
  string,
  readonly [string, number]
>([
  ...[
    'flask.redirect',
    'flask.helpers.redirect',
    'werkzeug.redirect',
    'werkzeug.utils.redirect',
  ].map((name) => [name, ['location', 0]] as const),
  ['quart.redirect', ['location', 0]],
  ['bottle.redirect', ['url', 0]],
  ['django.shortcuts.redirect', ['to', 0]],
  ...['HttpResponseRedirect', 'HttpResponsePermanentRedirect'].flatMap((name) => [
    [`django.http.${name}`, ['redirect_to', 0]] as const,
    [`django.http.response.${name}`, ['redirect_to', 0]] as const,
  ]),
  ...['starlette.responses.RedirectResponse', 'fastapi.responses.RedirectResponse'].map(
    (name) => [name, ['url', 0]] as const,
  ),
  ...['HTTPFound', 'HTTPSeeOther', 'HTTPMovedPermanently', 'HTTPTemporaryRedirect'].map(
    (name) => [`pyramid.httpexceptions.${name}`, ['location', 0]] as const,
  ),
]);

/**
 * The URL of the current request (`redirect(request.url)` after a form post, an HTTPS upgrade):
 * it points back at this site, so it is not an open redirect.
 */
const OWN_URL =
  /^(?:self\.)?request\.(?:url|base_url|url_root|host_url|path|full_path|script_root|path_info|get_full_path|build_absolute_uri)(?!\w)/;

/** Checks that confine a URL to this site (the taint pass models the helper calls themselves). */
const HOST_CHECK =
  /\.netloc\b|\.hostname\b|\.scheme\b|\bis_absolute\b|\burl_has_allowed_host_and_scheme\b|\bis_safe_url\b/;

export default defineRule({
  meta: {
    id: 'PGW008',
    slug: 'open-redirect',
    title: 'Redirect to a URL taken from the request',
    category: 'web',
    severity: 'medium',
    confidence: 'high',
    cwe: [601],
    owasp: ['A01:2021 Broken Access Control'],
    description:
      'Flags request data used as the target of `redirect()`, `HttpResponseRedirect`, `RedirectResponse` and similar redirecting responses.',
    why: 'A link to a trusted site that bounces the visitor to any URL the link names is a ready-made phishing tool, and it can leak OAuth codes and tokens carried in the redirect to an attacker-chosen host.',
    fix: 'Redirect to URLs you build (`url_for(...)`, `reverse(...)`), or check a `next` parameter with `url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()})` (Django) or by requiring an empty `urlparse(url).netloc`, and fall back to a fixed page otherwise.',
    example: {
      bad: 'from flask import redirect, request\n\n\n@app.route("/login", methods=["POST"])\ndef login():\n    return redirect(request.args.get("next", "/"))\n',
      good: 'from urllib.parse import urlparse\n\nfrom flask import redirect, request, url_for\n\n\n@app.route("/login", methods=["POST"])\ndef login():\n    target = request.args.get("next", "")\n    if urlparse(target).netloc or urlparse(target).scheme:\n        target = url_for("home")\n    return redirect(target)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/601.html',
      'https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html',
      'https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.http.url_has_allowed_host_and_scheme',
      'https://flask.palletsprojects.com/en/stable/api/#flask.redirect',
    ],
    bandit: [],
    ruff: [],
  },
  messages: {
    taintedRedirect:
      'The target of `{{sink}}` comes from {{origin}}: {{path}}. Anyone can craft a link that sends visitors to a site of their choice; redirect to URLs you build (`url_for`, `reverse`) or accept only local paths checked with `url_has_allowed_host_and_scheme`.',
  },
  select: { calls: [...REDIRECTS.keys()] },
  create(context) {
    const { model } = context;
    return callsWhenInputPossible(context, (node, call) => {
      const redirect = tabledArgument(model, call, REDIRECTS);
      if (redirect === undefined) return;
      const { name, argument: target } = redirect;
      if (builtWithFixedHost(model, target, true)) return;
      const sink = lastSegment(name);
      const tainted = taintedSink(context, target, 'redirect', node, sink);
      if (tainted === undefined || OWN_URL.test(tainted.trace.source)) return;
      if (checkedBefore(model, target, HOST_CHECK)) return;
      const web = tainted.trace.trust === 'web';
      context.report({
        node,
        messageId: 'taintedRedirect',
        data: { sink, origin: tainted.origin, path: tainted.path },
        severity: web ? 'medium' : 'low',
        confidence: tainted.confidence,
        flow: tainted.flow,
      });
    });
  },
});
