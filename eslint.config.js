import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Packages that talk to GitHub (and its test double). */
const GITHUB_PACKAGES = {
  group: ['probot', 'probot/*', 'octokit', 'octokit/*', '@octokit/*', 'nock'],
  message: 'The engine, rules API, config and report stay free of GitHub code.',
};

/** A relative import into src/github, src/cli or src/action. */
const APP_LAYERS = {
  regex: String.raw`^\.\.?/(?:.*/)?(?:github|cli|action)(?:/|\.js$|$)`,
  message:
    'The engine, rules API, config and report import nothing from src/github, src/cli or src/action.',
};

/** The built-in rule set: the pure zone takes rules (and their metadata) as input instead. */
const BUILT_IN_RULES = {
  regex: String.raw`^(?:\.\./)+rules/`,
  message:
    'Take the rules (or their metadata) as input; only entry points import the built-in set.',
};

/** Any import of src/ but the rules API's index. */
const OUTSIDE_RULES_API = {
  regex: String.raw`^(?:\.\./)+src/(?!rules-api/index\.js$)`,
  message: "Rules import the engine only through 'src/rules-api/index.js'.",
};

export default tseslint.config(
  { ignores: ['dist/**', 'build/**', 'node_modules/**', 'coverage/**', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    },
  },
  // Plain JavaScript (test rule modules loaded by scan children) is linted without type information.
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], extends: [tseslint.configs.disableTypeChecked] },
  // The install-time build script of the native addon is CommonJS run by plain Node.
  {
    files: ['native/**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', process: 'readonly', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // Layers: the pure zone (engine, rules API, config, report) never reaches GitHub or the command
  // line, by package name or by relative path, nor imports the built-in rule set; rules reach the engine through src/rules-api alone.
  {
    files: [
      'src/engine/**/*.ts',
      'src/rules-api/**/*.ts',
      'src/config/**/*.ts',
      'src/report/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [GITHUB_PACKAGES, APP_LAYERS, BUILT_IN_RULES] },
      ],
    },
  },
  {
    files: ['rules/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [GITHUB_PACKAGES, OUTSIDE_RULES_API] }],
    },
  },
);
