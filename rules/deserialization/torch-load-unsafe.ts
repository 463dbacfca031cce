import {
  callVisitors,
  defineRule,
  taintedSink,
  testAdjusted,
  type Confidence,
  type Severity,
} from '../../src/rules-api/index.js';

const TORCH_LOADERS = new Set(['torch.load', 'torch.serialization.load']);

export default defineRule({
  meta: {
    id: 'PGD004',
    slug: 'torch-load-unsafe',
    title: '`torch.load` without `weights_only=True`',
    category: 'deserialization',
    severity: 'medium',
    confidence: 'high',
    cwe: [502],
    owasp: ['A08:2021 Software and Data Integrity Failures'],
    description:
      'Flags `torch.load` and `torch.serialization.load` called with `weights_only=False`, with a custom `pickle_module`, or without `weights_only=True`.',
    why: 'A PyTorch checkpoint is a pickle. Unless `weights_only=True` restricts the unpickler to tensors and plain containers, loading a checkpoint runs whatever code its author embedded, so a model downloaded from a hub, a shared drive or a user upload can take over the machine that loads it. PyTorch 2.6 made `weights_only=True` the default, but older versions, and any call that sets it to `False` or passes a `pickle_module`, still unpickle everything.',
    fix: 'Pass `weights_only=True` (and load the state dict into a model built in code), or store weights as `safetensors` and load them with `safetensors.torch.load_file`. If a checkpoint needs extra classes, allow exactly those with `torch.serialization.add_safe_globals` instead of turning the check off.',
    example: {
      bad: 'import torch\n\nstate = torch.load(checkpoint_path)\n',
      good: 'import torch\n\nstate = torch.load(checkpoint_path, weights_only=True)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/502.html',
      'https://pytorch.org/docs/stable/generated/torch.load.html',
      'https://pytorch.org/docs/stable/notes/serialization.html#weights-only',
      'https://huggingface.co/docs/safetensors/index',
    ],
    bandit: ['B614'],
    ruff: [],
  },
  messages: {
    taintedCheckpoint:
      '`{{callee}}` {{how}} loads a checkpoint from {{origin}}: {{path}}. A crafted checkpoint runs code when loaded; pass `weights_only=True` or accept `safetensors` files.',
    weightsOnlyFalse:
      '`{{callee}}` with `weights_only=False` unpickles arbitrary objects, so a crafted checkpoint runs code when loaded; use `weights_only=True` or `safetensors`.',
    pickleModule:
      '`{{callee}}` with a custom `pickle_module` unpickles arbitrary objects, so a crafted checkpoint runs code when loaded; use `weights_only=True` or `safetensors`.',
    weightsOnlyMissing:
      '`{{callee}}` without `weights_only=True` unpickles arbitrary objects on PyTorch before 2.6, so a crafted checkpoint runs code when loaded; pass `weights_only=True` explicitly.',
    weightsOnlyUnknown:
      '`{{callee}}` sets `weights_only` from `{{value}}`; if that is ever false, a crafted checkpoint runs code when loaded. Pass `weights_only=True`.',
  },
  select: { calls: [...TORCH_LOADERS] },
  create(context) {
    const { model } = context;
    return callVisitors(context, (node, call) => {
      const callee = call.qualifiedName;
      if (callee === undefined || !TORCH_LOADERS.has(callee)) return;
      const source = model.argument(call, 'f', 0);
      const data = { callee: context.textOf(call.callee) };
      // Not traced to input: an audit finding, at medium confidence at most.
      const confidence = (level: Confidence): Confidence => testAdjusted(level, context.isTestFile);

      /** Reports the load as a traced flow when the checkpoint comes from input. */
      const reportTainted = (how: string): boolean => {
        if (source === undefined) return false;
        const tainted = taintedSink(context, source, 'deserialization', node, data.callee);
        if (tainted === undefined) return false;
        context.report({
          node,
          messageId: 'taintedCheckpoint',
          data: { ...data, how, origin: tainted.origin, path: tainted.path },
          severity: tainted.severity,
          confidence: tainted.confidence,
          flow: tainted.flow,
        });
        return true;
      };

      const weightsOnly = call.keywords.get('weights_only');
      if (weightsOnly !== undefined) {
        const flag = model.truthiness(weightsOnly);
        if (flag === true) return;
        const value = context.textOf(weightsOnly);
        if (reportTainted(`with \`weights_only=${value}\``)) return;
        const severity: Severity | undefined = flag === false ? 'high' : undefined;
        context.report({
          node,
          messageId: flag === false ? 'weightsOnlyFalse' : 'weightsOnlyUnknown',
          data: flag === false ? data : { ...data, value },
          severity,
          confidence: flag === false ? confidence('medium') : 'low',
        });
        return;
      }
      if (call.hasKwargs) return; // `**options` may carry weights_only
      // A pickle_module (positional 3rd or keyword) turns weights_only off even on 2.6+.
      if (model.argument(call, 'pickle_module', 2) !== undefined) {
        if (reportTainted('with a custom `pickle_module`')) return;
        context.report({
          node,
          messageId: 'pickleModule',
          data,
          severity: 'high',
          confidence: confidence('medium'),
        });
        return;
      }
      if (reportTainted('without `weights_only=True`')) return;
      context.report({
        node,
        messageId: 'weightsOnlyMissing',
        data,
        confidence: confidence('medium'),
      });
    });
  },
});
