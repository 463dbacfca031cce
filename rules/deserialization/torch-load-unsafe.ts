import type { Confidence } from '../../src/engine/types.js';
import { defineRule } from '../../src/rules-api/define-rule.js';
import { mentions } from '../_shared/mentions.js';
import { testAdjusted } from '../_shared/test-confidence.js';
import { UNTRUSTED_INPUT } from '../_shared/untrusted-input.js';

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
    weightsOnlyFalse:
      '`{{callee}}` with `weights_only=False` unpickles arbitrary objects, so a crafted checkpoint runs code when loaded; use `weights_only=True` or `safetensors`.',
    pickleModule:
      '`{{callee}}` with a custom `pickle_module` unpickles arbitrary objects, so a crafted checkpoint runs code when loaded; use `weights_only=True` or `safetensors`.',
    weightsOnlyMissing:
      '`{{callee}}` without `weights_only=True` unpickles arbitrary objects on PyTorch before 2.6, so a crafted checkpoint runs code when loaded; pass `weights_only=True` explicitly.',
    weightsOnlyUnknown:
      '`{{callee}}` sets `weights_only` from `{{value}}`; if that is ever false, a crafted checkpoint runs code when loaded. Pass `weights_only=True`.',
  },
  create(context) {
    const { model } = context;
    return {
      call(node) {
        const call = context.call(node);
        const callee = call.qualifiedName;
        if (callee === undefined || !TORCH_LOADERS.has(callee)) return;
        const source = model.argument(call, 'f', 0);
        const untrusted = source !== undefined && mentions(model, source, UNTRUSTED_INPUT);
        const severity = untrusted ? 'high' : undefined;
        const data = { callee: context.textOf(call.callee) };
        const confidence = (level: Confidence): Confidence =>
          testAdjusted(level, context.isTestFile);
        const weightsOnly = call.keywords.get('weights_only');
        if (weightsOnly !== undefined) {
          const flag = model.truthiness(weightsOnly);
          if (flag === true) return;
          if (flag === false) {
            context.report({
              node,
              messageId: 'weightsOnlyFalse',
              data,
              severity: severity ?? 'high',
              confidence: confidence('high'),
            });
            return;
          }
          context.report({
            node,
            messageId: 'weightsOnlyUnknown',
            data: { ...data, value: context.textOf(weightsOnly) },
            severity,
            confidence: 'low',
          });
          return;
        }
        if (call.hasKwargs) return; // `**options` may carry weights_only
        // A pickle_module (positional 3rd or keyword) turns weights_only off even on 2.6+.
        if (model.argument(call, 'pickle_module', 2) !== undefined) {
          context.report({
            node,
            messageId: 'pickleModule',
            data,
            severity: severity ?? 'high',
            confidence: confidence('high'),
          });
          return;
        }
        context.report({
          node,
          messageId: 'weightsOnlyMissing',
          data,
          severity,
          confidence: confidence('medium'),
        });
      },
    };
  },
});
