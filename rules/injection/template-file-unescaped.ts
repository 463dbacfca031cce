import {
  callVisitors,
  defineRule,
  filterChain,
  htmlStartTags,
  isConstantText,
  maskTemplate,
  templateFileOutput,
  templateLocator,
  templateTags,
  testAdjusted,
  type Confidence,
  type TemplateFilter,
  type TemplateTag,
} from '../../src/rules-api/index.js';

/** Filters that mark a value as HTML, so autoescaping skips it. */
const SAFE_FILTERS = new Set(['safe', 'safeseq']);
/** Filters that escape even a value already marked safe. */
const FORCE_ESCAPES = new Set(['force_escape', 'forceescape']);
/** Filters that escape a value not yet marked safe (on a safe value they do nothing). */
const ESCAPES = new Set(['escape', 'e']);
/** Filters whose output cannot hold markup: encoded, serialised or numeric. */
const INERT_FILTERS = new Set([
  'urlencode',
  'escapejs',
  'tojson',
  'json_script',
  'int',
  'float',
  'length',
  'count',
  'wordcount',
  'slugify',
  'yesno',
  'pluralize',
]);
/** Filters whose output has no white space, so it cannot add attributes to an unquoted value. */
const NO_SPACE_FILTERS = new Set(['urlencode', 'int', 'length', 'count', 'slugify', 'wordcount']);
/** Values that are integers by convention (`obj.pk`, `user_id`, `loop.index`). */
const NUMERIC_NAME = /(?:^|[._])(?:pk|id|\w+_id|counter0?|index0?|revcounter0?|count)$/;
/** Django form renderings that are already safe HTML (`form.as_p`), where `|safe` is a no-op. */
const SAFE_RENDERINGS =
  /(?:^|\.)(?:as_p|as_ul|as_table|as_div|media|errors|non_field_errors|label_tag|csrf_input)(?:\(\))?$/;
/** Names that suggest pre-rendered markup (sanitised or not, the template cannot tell). */
const MARKUP_NAME = /html|markup|rendered|svg|icon/i;
/** Django settings and classes that take `autoescape`. */
const DJANGO_AUTOESCAPE_CALLS: ReadonlySet<string> = new Set([
  'django.template.Engine',
  'django.template.engine.Engine',
  'django.template.Context',
  'django.template.context.Context',
  'django.template.RequestContext',
  'django.template.context.RequestContext',
]);
const FLASK_RENDER: ReadonlySet<string> = new Set([
  'flask.render_template',
  'flask.templating.render_template',
  'flask.stream_template',
  'flask.templating.stream_template',
]);
/** Flask turns autoescaping on only for these extensions. */
const FLASK_ESCAPED = /\.(?:html|htm|xml|xhtml|svg)$/i;
/** Template extensions that say nothing of the output (`feed.jinja2`). */
const TEMPLATE_EXTENSION = /\.(?:jinja2?|j2|djhtml)$/i;

interface Escaping {
  /** The value was escaped (or turned into something that holds no markup). */
  escaped: boolean;
  /** `|safe` or `|safeseq` was applied while it was not escaped. */
  markedSafe: boolean;
}

/** What a filter chain does to a value, left to right. */
function escapingOf(filters: readonly TemplateFilter[]): Escaping {
  let escaped = false;
  let markedSafe = false;
  for (const { name } of filters) {
    if (FORCE_ESCAPES.has(name) || INERT_FILTERS.has(name)) escaped = true;
    else if (ESCAPES.has(name)) escaped ||= !markedSafe;
    else if (SAFE_FILTERS.has(name)) markedSafe ||= !escaped;
  }
  return { escaped, markedSafe };
}

/** The expression is a constant and no filter brings in a variable (`"<br>"|safe`). */
function isConstantOutput(base: string, filters: readonly TemplateFilter[]): boolean {
  return (
    isConstantText(base) &&
    filters.every((filter) => filter.args === '' || isConstantText(filter.args.replace(/^:/, '')))
  );
}

function filterText(filter: TemplateFilter): string {
  return filter.args === '' || filter.args.startsWith(':')
    ? `${filter.name}${filter.args}`
    : `${filter.name}${filter.args.startsWith('(') ? '' : ' '}${filter.args}`;
}

interface AutoescapeBlock {
  off: boolean;
  tag: TemplateTag;
  /** Variable outputs (and includes) that print unescaped inside the block. */
  outputs: TemplateTag[];
}

export default defineRule({
  meta: {
    id: 'PGI045',
    slug: 'template-file-unescaped',
    title: 'Template output that is not HTML-escaped',
    category: 'injection',
    severity: 'medium',
    confidence: 'medium',
    cwe: [79],
    owasp: ['A03:2021 Injection'],
    description:
      'In Django and Jinja2 templates, flags `|safe` and `|safeseq` on values that are not constants or escaped first, `{% autoescape off %}` / `{% autoescape false %}` blocks that print variables, variables in unquoted HTML attribute values, and translations printed without escaping (`{% blocktranslate %}`, `{% translate ... as var %}`); in Python, Django `TEMPLATES` `OPTIONS` and `Engine`/`Context` with `autoescape=False`, and Flask templates rendered from a file whose extension turns autoescaping off (`page.html.j2`).',
    why: "Django and Flask escape every value a template prints, which is what keeps a comment body or a user name containing `<script>` from running in visitors' browsers. `|safe`, `{% autoescape off %}` and `autoescape=False` switch that protection off for the values concerned, so any of them that a user can influence becomes stored or reflected XSS. Escaping does not help an unquoted attribute value: `<a href={{ url }}>` lets a value with a space add attributes such as `onmouseover=...`. Django does not escape translated text, so a malicious or compromised translation can inject markup too.",
    fix: 'Remove `|safe` and `{% autoescape off %}`; when a value really is HTML, sanitise it where it is produced (for example with `bleach` or `nh3`) and mark only that result safe, or escape first (`{{ value|escape|safe }}` is harmless). Quote every attribute value: `<a href="{{ url }}">`. Print translations through `{% filter force_escape %}` when translators are not trusted. Keep `autoescape` on in Django settings and `Engine`/`Context`, and name Flask templates `.html` so Flask escapes them.',
    example: {
      bad: '<div class="comment">\n  {{ comment.body|safe }}\n</div>\n',
      good: '<div class="comment">\n  {{ comment.body }}\n</div>\n',
    },
    exampleLanguage: 'template',
    references: [
      'https://cwe.mitre.org/data/definitions/79.html',
      'https://docs.djangoproject.com/en/stable/ref/templates/builtins/#safe',
      'https://docs.djangoproject.com/en/stable/ref/templates/builtins/#autoescape',
      'https://docs.djangoproject.com/en/stable/topics/i18n/translation/#blocktranslate-template-tag',
      'https://jinja.palletsprojects.com/en/stable/templates/#html-escaping',
      'https://flask.palletsprojects.com/en/stable/templating/#jinja-setup',
      'https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Prevention_Cheat_Sheet.html',
    ],
    bandit: [],
    ruff: [],
  },
  messages: {
    safeFilter:
      '`{{filter}}` marks `{{value}}` as safe HTML, so it is printed without escaping; remove the filter, or sanitise the value where it is produced.',
    autoescapeOff:
      '`{% {{tag}} %}` turns HTML escaping off for {{count}} printed here (first on line {{line}}); remove it and mark only sanitised values safe.',
    unquotedAttribute:
      'The `{{attribute}}` attribute value `{{value}}` is not quoted, so a value with a space can add attributes such as `onmouseover=` despite escaping; put the value in double quotes.',
    translationUnescaped:
      'Django does not escape translated text, so `{% {{tag}} %}` prints whatever the translation holds; wrap it in `{% filter force_escape %}` unless translators are trusted.',
    translationVariable:
      '`{{name}}` holds the translation of `{% {{tag}} %}` (line {{line}}), which Django does not escape; print it through the `force_escape` filter unless translators are trusted.',
    settingsOff:
      '`"autoescape": False` in the Django template `OPTIONS` turns HTML escaping off for every template of this engine; remove it.',
    callOff:
      '`{{callee}}(autoescape=False)` renders templates without HTML escaping; leave `autoescape` on and mark only sanitised values safe.',
    flaskExtension:
      'Flask escapes only templates named `.html`, `.htm`, `.xml`, `.xhtml` or `.svg`, so `{{name}}` is rendered without HTML escaping; rename it to end in `.html`.',
  },
  select: {
    calls: [...DJANGO_AUTOESCAPE_CALLS, ...FLASK_RENDER],
    text: ['autoescape', 'render_template', 'stream_template'],
  },
  create(context) {
    const { model } = context;
    if (!/autoescape|render_template|stream_template/.test(context.text)) return {};
    return {
      pair(node) {
        const key = node.childForFieldName('key');
        const value = node.childForFieldName('value');
        if (key?.type !== 'string' || value === null || model.staticString(key) !== 'autoescape')
          return;
        if (model.literalValue(value) !== false) return;
        const options = node.parent?.parent;
        const optionsKey = options?.type === 'pair' ? options.childForFieldName('key') : null;
        if (optionsKey === null || model.staticString(optionsKey) !== 'OPTIONS') return;
        context.report({
          node,
          messageId: 'settingsOff',
          confidence: testAdjusted('high', context.isTestFile),
        });
      },
      ...callVisitors(context, (node, call) => {
        const name = call.qualifiedName;
        if (name === undefined) return;
        if (DJANGO_AUTOESCAPE_CALLS.has(name)) {
          const autoescape = call.keywords.get('autoescape');
          if (autoescape === undefined || model.literalValue(autoescape) !== false) return;
          context.report({
            node,
            messageId: 'callOff',
            data: { callee: name.slice(name.lastIndexOf('.') + 1) },
            confidence: testAdjusted('high', context.isTestFile),
          });
          return;
        }
        if (!FLASK_RENDER.has(name)) return;
        const template = model.argument(call, 'template_name_or_list', 0);
        const file = template === undefined ? undefined : model.staticString(template);
        if (file === undefined || FLASK_ESCAPED.test(file)) return;
        // `page.html.j2` renders HTML; `feed.jinja2` may; `mail.txt.j2` does not.
        const output = templateFileOutput(file);
        const confidence: Confidence | undefined =
          output === 'html'
            ? 'medium'
            : output === 'unknown' && TEMPLATE_EXTENSION.test(file)
              ? 'low'
              : undefined;
        if (confidence === undefined || template === undefined) return;
        context.report({
          node: template,
          messageId: 'flaskExtension',
          data: { name: file },
          confidence: testAdjusted(confidence, context.isTestFile),
        });
      }),
    };
  },
  template(context) {
    // `nginx.conf.j2`, `mail.txt.jinja`: text output, where HTML escaping has no part.
    if (templateFileOutput(context.path) === 'text') return;
    const masked = maskTemplate(context.text);
    if (!/safe|autoescape|trans|=\s*\{\{/.test(masked)) return;
    const locate = templateLocator(context.text);
    const confidence = (base: Confidence): Confidence => testAdjusted(base, context.isTestFile);

    const autoescapes: AutoescapeBlock[] = [];
    const forceEscapeFilters: boolean[] = [];
    /** Variables holding translations (`{% translate "x" as title %}`), by name. */
    const translations = new Map<string, TemplateTag>();
    const reportedOutputs = new Set<number>();

    const closeAutoescape = (block: AutoescapeBlock | undefined): void => {
      const first = block?.outputs[0];
      if (block === undefined || !block.off || first === undefined) return;
      const count = block.outputs.length;
      context.report({
        ...locate(block.tag.start, block.tag.end),
        messageId: 'autoescapeOff',
        data: {
          tag: block.tag.body,
          count: count === 1 ? '1 value' : `${count} values`,
          line: locate(first.start, first.end).line,
        },
        severity: 'medium',
        confidence: confidence('high'),
      });
    };

    const onVariable = (tag: TemplateTag): void => {
      const { base, filters } = filterChain(tag.body);
      const constant = isConstantOutput(base, filters);
      const escaping = escapingOf(filters);
      const block = autoescapes.at(-1);
      if (block?.off === true) {
        if (!constant && !escaping.escaped) block.outputs.push(tag);
        return;
      }
      const forced = forceEscapeFilters.includes(true);
      if (escaping.markedSafe && !escaping.escaped && !constant && !forced) {
        if (SAFE_RENDERINGS.test(base)) return;
        const index = filters.findIndex((candidate) => SAFE_FILTERS.has(candidate.name));
        const value = [base, ...filters.slice(0, index).map(filterText)].join('|');
        context.report({
          ...locate(tag.start, tag.end),
          messageId: 'safeFilter',
          data: { filter: `|${filters[index]?.name ?? 'safe'}`, value },
          confidence: confidence(MARKUP_NAME.test(base) ? 'low' : 'medium'),
        });
        reportedOutputs.add(tag.start);
        return;
      }
      const translation = translations.get(base);
      if (translation !== undefined && !forced && !escaping.escaped) {
        context.report({
          ...locate(tag.start, tag.end),
          messageId: 'translationVariable',
          data: {
            name: base,
            tag: translation.body,
            line: locate(translation.start, translation.end).line,
          },
          severity: 'low',
          confidence: 'low',
        });
      }
    };

    for (const tag of templateTags(masked)) {
      if (tag.kind === 'variable') {
        onVariable(tag);
        continue;
      }
      const argument = tag.args.split(/\s+/)[0] ?? '';
      switch (tag.name) {
        case 'autoescape':
          autoescapes.push({ off: /^(?:off|false)$/i.test(argument), tag, outputs: [] });
          break;
        case 'endautoescape':
          closeAutoescape(autoescapes.pop());
          break;
        case 'include':
        case 'block': {
          // Included templates and child blocks render with this block's autoescaping.
          const block = autoescapes.at(-1);
          if (block?.off === true) block.outputs.push(tag);
          break;
        }
        case 'filter':
          forceEscapeFilters.push(
            filterChain(`x|${tag.args}`).filters.some((filter) => FORCE_ESCAPES.has(filter.name)),
          );
          break;
        case 'endfilter':
          forceEscapeFilters.pop();
          break;
        case 'blocktranslate':
        case 'blocktrans': {
          const asvar = /\basvar\s+(\w+)/.exec(tag.args)?.[1];
          if (asvar !== undefined) translations.set(asvar, tag);
          else if (!forceEscapeFilters.includes(true)) {
            context.report({
              ...locate(tag.start, tag.end),
              messageId: 'translationUnescaped',
              data: { tag: tag.body },
              severity: 'low',
              confidence: 'low',
            });
          }
          break;
        }
        case 'translate':
        case 'trans': {
          const asName = /\bas\s+(\w+)$/.exec(tag.args)?.[1];
          if (asName !== undefined) translations.set(asName, tag);
          break;
        }
        default:
          break;
      }
    }
    // A block left open runs to the end of the file.
    while (autoescapes.length > 0) closeAutoescape(autoescapes.pop());

    for (const element of htmlStartTags(masked)) {
      for (const attribute of element.attributes) {
        const { value } = attribute;
        if (attribute.quoted || value === undefined || !value.includes('{{')) continue;
        const risky = templateTags(value).some((tag) => {
          if (tag.kind !== 'variable' || reportedOutputs.has(attribute.valueStart + tag.start))
            return false;
          const { base, filters } = filterChain(tag.body);
          if (isConstantOutput(base, filters) || NUMERIC_NAME.test(base)) return false;
          return !filters.some((filter) => NO_SPACE_FILTERS.has(filter.name));
        });
        if (!risky) continue;
        context.report({
          ...locate(attribute.valueStart, attribute.valueStart + value.length),
          messageId: 'unquotedAttribute',
          data: { attribute: attribute.name, value },
          confidence: confidence('medium'),
        });
      }
    }
  },
});
