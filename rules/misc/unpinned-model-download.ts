import {
  callVisitors,
  defineRule,
  importsModule,
  lastName,
  receiverOf,
  testAdjusted,
  type CallInfo,
  type Confidence,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

/** Libraries whose classes download from the Hugging Face Hub with `from_pretrained`. */
const HUB_LIBRARIES = [
  'transformers',
  'diffusers',
  'peft',
  'sentence_transformers',
  'optimum',
  'timm',
];

/** Hub download functions and where their repository argument is. */
const HUB_FUNCTIONS: ReadonlyMap<string, string> = new Map([
  ['huggingface_hub.hf_hub_download', 'repo_id'],
  ['huggingface_hub.file_download.hf_hub_download', 'repo_id'],
  ['huggingface_hub.snapshot_download', 'repo_id'],
  ['huggingface_hub._snapshot_download.snapshot_download', 'repo_id'],
  ['datasets.load_dataset', 'path'],
  ['sentence_transformers.SentenceTransformer', 'model_name_or_path'],
]);

/** `datasets` loaders that read local files rather than a Hub repository. */
const LOCAL_DATASET_BUILDERS = new Set([
  'csv',
  'json',
  'parquet',
  'text',
  'arrow',
  'pandas',
  'sql',
  'xml',
  'generator',
  'spark',
  'webdataset',
  'imagefolder',
  'audiofolder',
  'videofolder',
]);

const HUB_CLASS_NAME =
  /^(?:[A-Z]\w*|cls|\w*(?:[Mm]odel|[Tt]okenizer|[Pp]rocessor|[Pp]ipeline|[Cc]onfig)\w*)$/;
const COMMIT_SHA = /^[0-9a-f]{40}$/i;
const LOCAL_PATH = /^(?:\.{1,2}[\\/]|[\\/]|~|[A-Za-z]:[\\/])/;

export default defineRule({
  meta: {
    id: 'PGM003',
    slug: 'unpinned-model-download',
    title: 'Model or dataset downloaded without a pinned revision',
    category: 'misc',
    severity: 'medium',
    confidence: 'high',
    cwe: [494],
    owasp: ['A08:2021 Software and Data Integrity Failures'],
    description:
      'Flags Hugging Face Hub downloads (`from_pretrained`, `hf_hub_download`, `snapshot_download`, `load_dataset`, `SentenceTransformer`) without `revision=` set to a 40-character commit hash; branch and tag names count as unpinned.',
    why: 'Without a pinned commit every run fetches whatever the repository holds now. If the repository owner, a compromised account or a renamed repository changes the files, the application silently loads different weights, tokenizer code or pickled data, which can change model behaviour or run code (`trust_remote_code`, pickle-based weights).',
    fix: 'Pass the full commit hash of a reviewed revision: `AutoModel.from_pretrained("org/model", revision="<40-hex commit>")`. Update the hash deliberately, like any other dependency. Prefer `safetensors` weights and keep `trust_remote_code` off.',
    example: {
      bad: 'from transformers import AutoModel\n\nmodel = AutoModel.from_pretrained("org/sentiment-model")\n',
      good: 'from transformers import AutoModel\n\nmodel = AutoModel.from_pretrained(\n    "org/sentiment-model",\n    revision="3f1c0e6a4b2d9e8f7a6b5c4d3e2f1a0b9c8d7e6f",\n)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/494.html',
      'https://huggingface.co/docs/huggingface_hub/guides/download#from-specific-version',
      'https://huggingface.co/docs/transformers/main_classes/model#transformers.PreTrainedModel.from_pretrained',
    ],
    bandit: ['B615'],
    ruff: [],
  },
  messages: {
    noRevision:
      '`{{callee}}` downloads `{{repo}}` without `revision=`, so it gets whatever the repository holds at run time; pin a 40-character commit hash.',
    movingRevision:
      '`{{callee}}` downloads `{{repo}}` at `revision={{revision}}`, a branch or tag that can move; pin a 40-character commit hash.',
  },
  select: {
    calls: [...HUB_FUNCTIONS.keys()],
    methods: ['from_pretrained'],
    text: [
      'from_pretrained',
      'hf_hub_download',
      'snapshot_download',
      'load_dataset',
      'SentenceTransformer',
    ],
  },
  create(context) {
    const { model } = context;
    if (
      !/from_pretrained|hf_hub_download|snapshot_download|load_dataset|SentenceTransformer/.test(
        context.text,
      )
    )
      return {};

    /** How sure we are that a `from_pretrained` call belongs to a Hub library. */
    const hubConfidence = (call: CallInfo): Confidence | undefined => {
      const receiver = receiverOf(call);
      const name = receiver === undefined ? undefined : model.qualifiedName(receiver);
      if (name !== undefined)
        return HUB_LIBRARIES.some((library) => name.startsWith(`${library}.`)) ? 'high' : undefined;
      // An unresolved receiver (`self.model_class`, `cls`) named like a model class.
      const last = receiver === undefined ? undefined : lastName(model, receiver);
      if (last === undefined || !HUB_CLASS_NAME.test(last)) return undefined;
      return HUB_LIBRARIES.some((library) => importsModule(model, library)) ? 'medium' : undefined;
    };

    const check = (
      node: SyntaxNode,
      call: CallInfo,
      repoKeyword: string,
      base: Confidence,
    ): void => {
      if (call.hasKwargs) return;
      const local = call.keywords.get('local_files_only');
      if (local !== undefined && model.truthiness(local) === true) return;
      const repo = model.argument(call, repoKeyword, 0);
      if (repo === undefined) return;
      const repoText = model.staticString(repo);
      if (repoText !== undefined && LOCAL_PATH.test(repoText)) return;
      if (repoText !== undefined && LOCAL_DATASET_BUILDERS.has(repoText)) return;
      const revision = call.keywords.get('revision');
      const data = { callee: context.textOf(call.callee), repo: repoText ?? context.textOf(repo) };
      // A literal repository id is certainly remote; a variable may hold a local directory.
      const confidence = testAdjusted(repoText === undefined ? 'low' : base, context.isTestFile);
      if (revision === undefined) {
        context.report({ node, messageId: 'noRevision', data, confidence });
        return;
      }
      const value = model.staticString(revision);
      // A revision taken from configuration is the project's own pinning scheme.
      if (value === undefined || COMMIT_SHA.test(value)) return;
      context.report({
        node,
        messageId: 'movingRevision',
        data: { ...data, revision: context.textOf(revision) },
        confidence,
      });
    };

    return callVisitors(context, (node, call) => {
      if (call.methodName === 'from_pretrained') {
        const confidence = hubConfidence(call);
        if (confidence !== undefined)
          check(node, call, 'pretrained_model_name_or_path', confidence);
        return;
      }
      const name = call.qualifiedName;
      const repoKeyword = name === undefined ? undefined : HUB_FUNCTIONS.get(name);
      if (repoKeyword !== undefined) check(node, call, repoKeyword, 'high');
    });
  },
});
