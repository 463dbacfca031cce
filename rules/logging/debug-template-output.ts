import {
  defineRule,
  maskTemplate,
  templateLocator,
  templateTags,
  testAdjusted,
  type Severity,
} from '../../src/rules-api/index.js';

/** Jinja2 file names, and syntax Django templates do not have. */
const JINJA_FILE = /\.(?:jinja2?|j2)$/i;
const JINJA_SYNTAX = /\{%-?\s*(?:set|macro|call|import|from)\b|\{%-|-%\}|\bloop\.index\b/;

export default defineRule({
  meta: {
    id: 'PGL005',
    slug: 'debug-template-output',
    title: 'Debug tag left in a template',
    category: 'logging',
    severity: 'low',
    confidence: 'high',
    cwe: [489],
    owasp: ['A05:2021 Security Misconfiguration'],
    description:
      'Flags the `{% debug %}` tag in Django and Jinja2 templates (outside comments and `{% verbatim %}` / `{% raw %}` blocks).',
    why: "`{% debug %}` prints the whole template context into the page: every variable the view passed (user records, tokens, settings objects) and, in Django, the list of loaded modules. Django prints it only while `DEBUG` is on, so it leaks from any staging or misconfigured server; Jinja2's debug extension prints it always. Either way it tells an attacker what the application holds and which library versions it runs.",
    fix: 'Delete the tag before committing. To inspect a context while developing, use the Django Debug Toolbar or a breakpoint in the view instead of template output.',
    example: {
      bad: '<div class="profile">\n  {% debug %}\n  {{ user.name }}\n</div>\n',
      good: '<div class="profile">\n  {{ user.name }}\n</div>\n',
    },
    exampleLanguage: 'template',
    references: [
      'https://cwe.mitre.org/data/definitions/489.html',
      'https://docs.djangoproject.com/en/stable/ref/templates/builtins/#debug',
      'https://jinja.palletsprojects.com/en/stable/extensions/#debug-extension',
    ],
    bandit: [],
    ruff: [],
  },
  messages: {
    debugTag:
      '`{% {{tag}} %}` prints the template context{{what}} into the page; remove it before it reaches a server.',
  },
  template(context) {
    if (!context.text.includes('debug')) return;
    const masked = maskTemplate(context.text);
    const locate = templateLocator(context.text);
    const jinja = JINJA_FILE.test(context.path) || JINJA_SYNTAX.test(masked);
    // Django prints it only with DEBUG on; Jinja2's extension prints it always.
    const severity: Severity = jinja ? 'medium' : 'low';
    for (const tag of templateTags(masked)) {
      if (tag.kind !== 'block' || tag.name !== 'debug' || tag.args !== '') continue;
      context.report({
        ...locate(tag.start, tag.end),
        messageId: 'debugTag',
        data: {
          tag: tag.body,
          what: jinja
            ? ' (variables, filters and tests)'
            : ' and the loaded modules (when DEBUG is on)',
        },
        severity,
        confidence: testAdjusted('high', context.isTestFile),
      });
    }
  },
});
