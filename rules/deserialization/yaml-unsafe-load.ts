import { callVisitors, defineRule, ownEntry } from '../../src/rules-api/index.js';

const SAFE_LOADERS = new Set(
  ['SafeLoader', 'CSafeLoader', 'BaseLoader', 'CBaseLoader'].flatMap((name) => [
    `yaml.${name}`,
    `yaml.loader.${name}`,
    `yaml.cyaml.${name}`,
  ]),
);

/** Unsafe PyYAML loaders (reached as attributes of the module) and their safe counterparts. */
const SAFE_REPLACEMENTS: ReadonlyMap<string, string> = new Map(
  [
    ['Loader', 'SafeLoader'],
    ['FullLoader', 'SafeLoader'],
    ['UnsafeLoader', 'SafeLoader'],
    ['CLoader', 'CSafeLoader'],
    ['CFullLoader', 'CSafeLoader'],
    ['CUnsafeLoader', 'CSafeLoader'],
  ].map(([unsafe = '', safe = '']) => [`yaml.${unsafe}`, safe]),
);

const ALWAYS_UNSAFE: Readonly<Record<string, string>> = {
  'yaml.unsafe_load': 'yaml.safe_load',
  'yaml.unsafe_load_all': 'yaml.safe_load_all',
  'yaml.full_load': 'yaml.safe_load',
  'yaml.full_load_all': 'yaml.safe_load_all',
};

const LOADER_TAKING: ReadonlySet<string> = new Set(['yaml.load', 'yaml.load_all']);

export default defineRule({
  meta: {
    id: 'PGD003',
    slug: 'yaml-unsafe-load',
    title: 'YAML loaded with an unsafe loader',
    category: 'deserialization',
    severity: 'high',
    confidence: 'high',
    cwe: [502],
    owasp: ['A08:2021 Software and Data Integrity Failures'],
    description:
      'Flags `yaml.load` without a safe `Loader`, `yaml.unsafe_load`, `yaml.full_load` and ruamel.yaml in unsafe mode.',
    why: "PyYAML's full and unsafe loaders build arbitrary Python objects from tags such as `!!python/object/apply`, so a crafted document runs code when it is loaded.",
    fix: 'Use `yaml.safe_load(data)` (or `yaml.load(data, Loader=yaml.SafeLoader)`), which builds only plain data: dicts, lists, strings and numbers.',
    example: {
      bad: 'import yaml\n\nconfig = yaml.load(request.data)\n',
      good: 'import yaml\n\nconfig = yaml.safe_load(request.data)\n',
    },
    references: [
      'https://pyyaml.org/wiki/PyYAMLDocumentation',
      'https://cwe.mitre.org/data/definitions/502.html',
    ],
    bandit: ['B506'],
    ruff: ['S506'],
    fixable: true,
  },
  messages: {
    noLoader:
      '`{{callee}}` without a safe `Loader` can construct arbitrary Python objects; use `yaml.safe_load`.',
    unsafeLoader:
      '`{{callee}}` with `Loader={{loader}}` can construct arbitrary Python objects; use `yaml.SafeLoader`.',
    unsafeFunction: '`{{callee}}` can construct arbitrary Python objects; use `{{safe}}`.',
    ruamelUnsafe:
      "ruamel.yaml `YAML(typ='{{typ}}')` can construct arbitrary Python objects; use `typ='safe'`.",
  },
  select: { calls: [...Object.keys(ALWAYS_UNSAFE), 'ruamel.yaml.YAML', ...LOADER_TAKING] },
  create(context) {
    return callVisitors(context, (node, call) => {
      const callee = call.qualifiedName;
      if (callee === undefined) return;
      const safe = ownEntry(ALWAYS_UNSAFE, callee);
      if (safe !== undefined) {
        context.report({ node, messageId: 'unsafeFunction', data: { callee, safe } });
        return;
      }
      if (callee === 'ruamel.yaml.YAML') {
        const typ = context.model.argument(call, 'typ');
        const value = typ === undefined ? undefined : context.model.staticString(typ);
        if (value === 'unsafe' || value === 'full')
          context.report({ node, messageId: 'ruamelUnsafe', data: { typ: value } });
        return;
      }
      if (!LOADER_TAKING.has(callee)) return;
      const loader = context.model.argument(call, 'Loader', 1);
      if (loader === undefined) {
        if (call.hasKwargs || call.hasStarArgs) return;
        const safeName = callee === 'yaml.load' ? 'safe_load' : 'safe_load_all';
        context.report({
          node,
          messageId: 'noLoader',
          data: { callee },
          fix:
            call.callee.type === 'attribute'
              ? {
                  description: `Use ${safeName}`,
                  target: call.callee.childForFieldName('attribute') ?? call.callee,
                  replacement: safeName,
                }
              : undefined,
        });
        return;
      }
      const loaderName = context.model.qualifiedName(loader);
      if (loaderName !== undefined && SAFE_LOADERS.has(loaderName)) return;
      // `yaml.Loader` → `yaml.SafeLoader` (the C loaders likewise), through the same module name.
      const safeLoader = loaderName === undefined ? undefined : SAFE_REPLACEMENTS.get(loaderName);
      const attribute = loader.type === 'attribute' ? loader.childForFieldName('attribute') : null;
      context.report({
        node,
        messageId: 'unsafeLoader',
        data: { callee, loader: context.textOf(loader) },
        confidence: loaderName === undefined ? 'medium' : 'high',
        fix:
          safeLoader !== undefined && attribute !== null
            ? { description: `Use ${safeLoader}`, target: attribute, replacement: safeLoader }
            : undefined,
      });
    });
  },
});
