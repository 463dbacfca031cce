import {
  callVisitors,
  defineRule,
  htmlStartTags,
  importsModule,
  inNamedScope,
  lastName,
  maskTemplate,
  receiverOf,
  templateLocator,
  templateTags,
  unwrapParens,
  type CallInfo,
  type Confidence,
  type HtmlStartTag,
  type Severity,
  type SyntaxNode,
} from '../../src/rules-api/index.js';
import { configOwner } from '../_shared/flask-app.js';

const CSRF_EXEMPT = new Set([
  'django.views.decorators.csrf.csrf_exempt',
  'django.views.decorators.csrf.csrf_exempt.csrf_exempt',
]);
const METHOD_DECORATOR = 'django.utils.decorators.method_decorator';
const FLASK_WTF_PROTECT = new Set(['flask_wtf.csrf.CSRFProtect', 'flask_wtf.CSRFProtect']);
/** Flask-WTF settings whose `False` turns protection off (globally, or unless views opt in). */
const FLASK_WTF_SETTINGS: ReadonlyMap<string, Severity> = new Map([
  ['WTF_CSRF_ENABLED', 'medium'],
  ['WTF_CSRF_CHECK_DEFAULT', 'low'],
]);
/** Pyramid switches, by keyword: where they turn CSRF checks off. */
const PYRAMID_KEYWORDS = new Set(['require_csrf', 'check_origin']);

/** Endpoints that are not browser forms: called by other servers with a signature. */
const WEBHOOK_NAME = /hook|callback|notify|notification|ipn|event|stripe|slack|github|twilio/i;
const SIGNATURE_CHECK =
  /hmac|compare_digest|signature|construct_event|verify_\w+|validate_request|X-Hub-Signature|Stripe-Signature/i;
/** Views authenticated by a token in a header, which browsers do not attach on their own. */
const TOKEN_AUTH =
  /TokenAuthentication|JWTAuthentication|authentication_classes|HTTP_AUTHORIZATION|headers(?:\.get\(|\[)\s*["']Authorization|Bearer/;
const TEST_SCOPE = /test/i;
/**
 * What a view does that can change state: it reads a submitted body, handles a write method
 * (`request.method == "POST"`, `methods=["POST"]`, a class-based `def post`), writes through the
 * ORM or SQL, or changes the session or login. An exempted view with none of these only renders.
 */
const STATE_CHANGE = new RegExp(
  [
    String.raw`\b\w*req\w*\.(?:POST|body|data|FILES|form|files|json|get_json|stream)\b`,
    String.raw`["'](?:POST|PUT|PATCH|DELETE)["']`,
    String.raw`\bmethod\s*!=\s*["']GET["']`,
    String.raw`\brequire_(?:POST|http_methods)\b`,
    String.raw`\bdef\s+(?:post|put|patch|delete)\s*\(`,
    String.raw`\.(?:save|create|delete|update|bulk_create|bulk_update|get_or_create|update_or_create|set_password|execute|executemany|commit)\s*\(`,
    String.raw`\bsession\s*\[[^\]]*\]\s*=(?!=)`,
    String.raw`\b(?:login|logout)\s*\(`,
  ].join('|'),
);

/** Template text that puts a CSRF token in a form (Django, Jinja2 backend, Flask-WTF). */
const TOKEN_TAG = /^csrf_token$/;
const TOKEN_EXPRESSION =
  /\bcsrf_token\b|\bcsrf_input\b|\.hidden_tag\s*\(|\bquick_form\s*\(|\brender_form\s*\(/;
/** A hidden field named like a CSRF token, written out by hand. */
const TOKEN_FIELD = /csrf/i;
/** Where a form's fields may come from another template: includes, macros, blocks. */
const INDIRECT_TAG = /^(?:include|block|call|import|from)$/;
/** Another site: the browser sends no cookies of ours with it, so no token of ours is needed. */
const EXTERNAL_ACTION = /^(?:https?:)?\/\/[^/{}%\s]+/i;

/** What a form's body shows about a CSRF token: present, maybe (from elsewhere), or absent. */
function tokenIn(masked: string, start: number, end: number): 'present' | 'maybe' | 'absent' {
  const body = masked.slice(start, end);
  let indirect = false;
  for (const tag of templateTags(body)) {
    if (tag.kind === 'block' && TOKEN_TAG.test(tag.name)) return 'present';
    if (tag.kind === 'variable' && TOKEN_EXPRESSION.test(tag.body)) return 'present';
    if (tag.kind === 'block' && INDIRECT_TAG.test(tag.name)) indirect = true;
    if (tag.kind === 'variable' && /\w\s*\(/.test(tag.body)) indirect = true;
  }
  const hiddenToken = htmlStartTags(body).some(
    (tag) =>
      tag.name === 'input' &&
      tag.attributes.some(
        (attribute) => attribute.name === 'name' && TOKEN_FIELD.test(attribute.value ?? ''),
      ),
  );
  if (hiddenToken) return 'present';
  return indirect ? 'maybe' : 'absent';
}

function attributeValue(tag: HtmlStartTag, name: string): string | undefined {
  return tag.attributes.find((attribute) => attribute.name === name)?.value?.trim();
}

export default defineRule({
  meta: {
    id: 'PGW006',
    slug: 'csrf-disabled',
    title: 'CSRF protection disabled',
    category: 'web',
    severity: 'medium',
    confidence: 'high',
    cwe: [352],
    owasp: ['A01:2021 Broken Access Control'],
    description:
      'Flags views exempted from CSRF checks (`@csrf_exempt`, `method_decorator(csrf_exempt)`, Flask-WTF `@csrf.exempt`), `WTF_CSRF_ENABLED = False`, Pyramid `require_csrf=False` / `check_origin=False`, and POST forms in Django/Jinja2 templates without a CSRF token; webhook views that verify a signature, token-authenticated APIs and forms posting to other sites are left alone.',
    why: "Browsers attach a site's cookies to requests that other sites trigger. Without a CSRF token check, a page the victim visits can submit forms to the exempted view as the victim: change their e-mail or password, move money, or act with their admin rights.",
    fix: 'Keep CSRF protection on and send the token with forms and AJAX requests (`{% csrf_token %}`, the `X-CSRFToken` header, `form.hidden_tag()`). Exempt only endpoints that never rely on cookies: webhooks that verify an HMAC signature, or APIs authenticated by a token in the `Authorization` header.',
    example: {
      bad: 'from django.views.decorators.csrf import csrf_exempt\n\n\n@csrf_exempt\ndef change_email(request):\n    request.user.email = request.POST["email"]\n    request.user.save()\n',
      good: 'from django.views.decorators.http import require_POST\n\n\n@require_POST\ndef change_email(request):\n    request.user.email = request.POST["email"]\n    request.user.save()\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/352.html',
      'https://docs.djangoproject.com/en/stable/ref/csrf/',
      'https://flask-wtf.readthedocs.io/en/stable/csrf/',
      'https://docs.pylonsproject.org/projects/pyramid/en/latest/narr/security.html#checking-csrf-tokens-automatically',
      'https://owasp.org/www-community/attacks/csrf',
    ],
    bandit: [],
    ruff: [],
  },
  messages: {
    formWithoutToken:
      'This POST form has no CSRF token before its `</form>`{{where}}, so the request it sends fails the CSRF check, or, where protection is off, can be forged by other sites; add `{% csrf_token %}` (Django) or print the Flask-WTF `form.csrf_token` field inside it.',
    exemptView:
      "`{{view}}` is exempted from CSRF checks by `{{how}}`, so other sites can submit requests to it with the user's cookies; remove the exemption and send the CSRF token.",
    settingOff: '`{{target}}` turns Flask-WTF CSRF protection off; keep it enabled outside tests.',
    pyramidOff:
      "`{{callee}}` with `{{keyword}}=False` turns off Pyramid's CSRF {{what}}; keep it on and send the token from forms.",
  },
  select: { text: ['csrf', 'CSRF', 'check_origin'] },
  create(context) {
    const { model } = context;
    if (context.isTestFile || !/csrf|CSRF|check_origin/.test(context.text)) return {};

    /** How sure we are that an expression disables CSRF for a view. */
    const exemption = (node: SyntaxNode): Confidence | undefined => {
      const target = unwrapParens(node);
      const name = model.qualifiedName(target);
      if (name !== undefined && CSRF_EXEMPT.has(name)) return 'high';
      if (target.type === 'call') {
        const call = context.call(target);
        if (call.qualifiedName !== METHOD_DECORATOR) return undefined;
        const decorator = call.positional[0];
        return decorator === undefined ? undefined : exemption(decorator);
      }
      // Flask-WTF: `csrf.exempt` on a `CSRFProtect` instance.
      if (target.type !== 'attribute') return undefined;
      const attribute = target.childForFieldName('attribute');
      const object = target.childForFieldName('object');
      if (attribute === null || object === null || context.textOf(attribute) !== 'exempt')
        return undefined;
      const maker = model.constructedBy(object);
      if (maker !== undefined) return FLASK_WTF_PROTECT.has(maker) ? 'high' : undefined;
      return /csrf/i.test(lastName(model, object) ?? '') && importsModule(model, 'flask_wtf')
        ? 'medium'
        : undefined;
    };

    /**
     * Lower or drop the finding for webhook and token-authenticated views, and lower it for views
     * that never change state (a forged request to them achieves nothing).
     */
    const viewConfidence = (
      definition: SyntaxNode,
      decorated: SyntaxNode,
      base: Confidence,
    ): Confidence | undefined => {
      const name = context.textOf(definition.childForFieldName('name') ?? definition);
      const body = context.textOf(definition);
      if (TOKEN_AUTH.test(body)) return undefined;
      if (WEBHOOK_NAME.test(name)) return SIGNATURE_CHECK.test(body) ? undefined : 'low';
      return STATE_CHANGE.test(context.textOf(decorated)) ? base : 'low';
    };

    const reportPyramid = (node: SyntaxNode, call: CallInfo, what: string): boolean => {
      for (const keyword of PYRAMID_KEYWORDS) {
        const value = call.keywords.get(keyword);
        if (value === undefined || model.literalValue(value) !== false) continue;
        context.report({
          node,
          messageId: 'pyramidOff',
          data: {
            callee: context.textOf(call.callee),
            keyword,
            what: keyword === 'check_origin' ? 'origin check' : what,
          },
        });
        return true;
      }
      return false;
    };

    const reportSetting = (
      node: SyntaxNode,
      target: SyntaxNode,
      key: string,
      value: SyntaxNode,
    ): void => {
      const severity = FLASK_WTF_SETTINGS.get(key);
      if (
        severity === undefined ||
        model.literalValue(value) !== false ||
        inNamedScope(model, node, TEST_SCOPE)
      )
        return;
      context.report({
        node,
        messageId: 'settingOff',
        data: { target: context.textOf(target) },
        severity,
      });
    };

    return {
      decorator(node) {
        const expression = node.namedChildren.find((child) => child.type !== 'comment');
        const decorated = node.parent;
        const definition = decorated?.childForFieldName('definition');
        if (expression === undefined || decorated === null) return;
        if (definition === null || definition === undefined) return;
        const base = exemption(expression);
        const confidence =
          base === undefined ? undefined : viewConfidence(definition, decorated, base);
        if (confidence === undefined) return;
        context.report({
          node,
          messageId: 'exemptView',
          data: {
            view: context.textOf(definition.childForFieldName('name') ?? definition),
            how: `@${context.textOf(expression).replace(/\s+/g, ' ')}`,
          },
          confidence,
        });
      },
      ...callVisitors(context, (node, call) => {
        const name = call.qualifiedName;
        // `path("hook/", csrf_exempt(view))` or `csrf.exempt(blueprint)` in a URL configuration.
        if (call.positional.length === 1 && node.parent?.type !== 'decorator') {
          const confidence = exemption(call.callee);
          const view = call.positional[0];
          if (confidence !== undefined && view !== undefined) {
            const viewText = context.textOf(view);
            context.report({
              node,
              messageId: 'exemptView',
              data: { view: viewText, how: context.textOf(call.callee) },
              confidence: WEBHOOK_NAME.test(viewText) ? 'low' : confidence,
            });
            return;
          }
        }
        if (call.methodName === 'set_default_csrf_options') {
          reportPyramid(node, call, 'token check for every view');
          return;
        }
        if (
          call.keywords.has('require_csrf') &&
          (name?.startsWith('pyramid.') === true || importsModule(model, 'pyramid'))
        ) {
          reportPyramid(node, call, 'token check for this view');
          return;
        }
        if (call.methodName !== 'update' && call.methodName !== 'from_mapping') return;
        const config = receiverOf(call);
        if (config === undefined || configOwner(model, config) === undefined) return;
        for (const key of FLASK_WTF_SETTINGS.keys()) {
          const value = call.keywords.get(key);
          if (value !== undefined) reportSetting(node, call.callee, key, value);
        }
      }),
      assignment(node) {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (left === null || right === null) return;
        if (left.type === 'identifier') {
          reportSetting(node, left, context.textOf(left), right);
          return;
        }
        if (left.type !== 'subscript') return;
        const container = left.childForFieldName('value');
        const subscript = left.childForFieldName('subscript');
        const key = subscript === null ? undefined : model.staticString(subscript);
        if (key !== undefined && container !== null && configOwner(model, container) !== undefined)
          reportSetting(node, left, key, right);
      },
    };
  },
  template(context) {
    if (!/<form/i.test(context.text)) return;
    const masked = maskTemplate(context.text, { htmlComments: true });
    const locate = templateLocator(context.text);
    const forms = htmlStartTags(masked).filter((tag) => tag.name === 'form');
    const closings = [...masked.matchAll(/<\/form\b/gi)].map((match) => match.index);
    let nextClosing = 0;
    forms.forEach((form, index) => {
      // A form ends at its `</form>`, or where the next form starts (forms do not nest).
      while ((closings[nextClosing] ?? Infinity) < form.end) nextClosing++;
      const closing = closings[nextClosing] ?? masked.length;
      const nextForm = forms[index + 1]?.start ?? masked.length;
      if (attributeValue(form, 'method')?.toLowerCase() !== 'post') return;
      if (EXTERNAL_ACTION.test(attributeValue(form, 'action') ?? '')) return;
      const unclosed = closing >= nextForm;
      const token = tokenIn(masked, form.end, Math.min(closing, nextForm));
      if (token === 'present') return;
      context.report({
        ...locate(form.start, form.end),
        messageId: 'formWithoutToken',
        data: { where: unclosed ? ' (the form is not closed in this file)' : '' },
        confidence: token === 'maybe' || unclosed || context.isTestFile ? 'low' : 'medium',
      });
    });
  },
});
