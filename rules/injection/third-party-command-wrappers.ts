import {
  callVisitors,
  analyseString,
  argvOf,
  argvOfArguments,
  argvRisks,
  argvVerdict,
  commandShape,
  defineRule,
  describeBuild,
  importsModule,
  isCheckedValue,
  isInertValue,
  isTrustedArgument,
  lastName,
  positionalWithSplats,
  receiverOf,
  reportArgvVerdict,
  shortText,
  taintedSink,
  testAdjusted,
  unwrapParens,
  type Argv,
  type ArgvRisk,
  type CallInfo,
  type Confidence,
  type RuleContext,
  type SemanticModel,
  type Severity,
  type SyntaxNode,
} from '../../src/rules-api/index.js';
import { ARGV_MESSAGES } from '../_shared/argv.js';

/** Airflow operators that run a templated command line through bash (or a remote shell). */
const OPERATORS: ReadonlyMap<string, string> = new Map([
  ['airflow.operators.bash.BashOperator', 'bash_command'],
  ['airflow.operators.bash_operator.BashOperator', 'bash_command'],
  ['airflow.providers.standard.operators.bash.BashOperator', 'bash_command'],
  ['airflow.providers.ssh.operators.ssh.SSHOperator', 'command'],
  ['airflow.contrib.operators.ssh_operator.SSHOperator', 'command'],
]);
/** Jinja expressions in an Airflow command that print what whoever triggers the DAG sent. */
const TRIGGER_INPUT = /\{\{[^}]*\bdag_run\.conf\b[^}]*\}\}/;
/** `sh` names that are not programs. */
const SH_HELPERS = new Set(['glob', 'pushd', 'contrib', 'which', 'bake']);
/** A command line that starts a shell on the rest (`sh -c ...`, `/bin/bash -lc ...`). */
const SHELL_PREFIX = /^\s*(?:\S*\/)?(?:sh|bash|ash|dash|zsh|ksh)\s+-[a-zA-Z]*c\b/;

type Finding =
  | { kind: 'argv'; risks: ArgvRisk[]; callee: string }
  | { kind: 'line'; node: SyntaxNode; callee: string; engine: 'airflow' | 'docker' }
  | { kind: 'conf'; node: SyntaxNode; callee: string; expression: string }
  | { kind: 'image'; node: SyntaxNode; callee: string };

export default defineRule({
  meta: {
    id: 'PGI014',
    slug: 'third-party-command-wrappers',
    title: 'Command built at run time for Airflow, sh or Docker',
    category: 'injection',
    severity: 'high',
    confidence: 'medium',
    cwe: [78, 250],
    owasp: ['A03:2021 Injection'],
    description:
      'Flags Airflow `BashOperator`/`SSHOperator` commands built with f-strings or filled from `dag_run.conf`, `sh` library calls whose program, arguments or `-c` code are not constants, and Docker `containers.run`/`create` with an image or command chosen at run time, rated high when request data reaches them.',
    why: "These libraries start processes on your behalf. Airflow's `bash_command` goes to `bash -c` after Jinja rendering, so a value spliced in with an f-string, or a `dag_run.conf` field whoever triggers the DAG controls, can run any command on the worker. The `sh` package runs programs directly but happily runs `bash -c` code or a program named at run time. Docker runs whatever image and command it is given, often with access to the host's network and volumes.",
    fix: 'For Airflow, keep `bash_command` literal and pass values through `env={"NAME": value}`, referring to them as `"$NAME"` (quoted) in the script. For `sh`, call the program by its constant name and pass each value as its own argument after `"--"`. For Docker, pick images from a fixed list and pass commands as lists of constant arguments.',
    example: {
      bad: 'from airflow.operators.bash import BashOperator\n\ndef make_task(path):\n    return BashOperator(task_id="sync", bash_command=f"rsync -a {path} /backup/")\n',
      good: 'from airflow.operators.bash import BashOperator\n\ndef make_task(path):\n    return BashOperator(task_id="sync", bash_command=\'rsync -a -- "$SRC" /backup/\', env={"SRC": path})\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/78.html',
      'https://airflow.apache.org/docs/apache-airflow/stable/howto/operator/bash.html',
      'https://sh.readthedocs.io/en/latest/',
      'https://docker-py.readthedocs.io/en/stable/containers.html',
    ],
    bandit: [],
    ruff: [],
  },
  messages: {
    ...ARGV_MESSAGES,
    builtLine:
      '`{{callee}}` runs a command built with {{how}} through a shell; a spliced-in value containing `;`, `|` or `$(…)` runs commands of its own. {{advice}}',
    builtWords:
      '`{{callee}}` splits a command built with {{how}} into words; a spliced-in value can add words, options and arguments of its own. {{advice}}',
    taintedLine:
      '`{{callee}}` runs a shell command built from {{origin}}: {{path}}. A value containing `;`, `|` or `$(…)` runs commands of its own. {{advice}}',
    taintedWords:
      '`{{callee}}` splits a command built from {{origin}} into words: {{path}}. The value can add options and arguments of its own. {{advice}}',
    triggerInput:
      '`{{callee}}` renders `{{expression}}` into its shell command, and whoever triggers the DAG chooses that text; pass it through `env=` and quote it as `"$NAME"`.',
    taintedImage:
      '`{{callee}}` starts a container from an image named by {{origin}}: {{path}}. Whoever sends it runs any image they like; pick images from a fixed allowlist.',
    dynamicImage:
      '`{{callee}}` starts a container from the image `{{value}}`, which is chosen at run time; pick images from a fixed allowlist.',
  },
  select: {
    calls: [...OPERATORS.keys(), 'sh.*'],
    methods: ['run', 'create', 'create_container'],
  },
  create(context) {
    const { model } = context;
    return callVisitors(context, (node, call) => {
      const finding = findingOf(model, call);
      if (finding === undefined) return;
      if (finding.kind === 'argv') {
        const verdict = argvVerdict(context, finding.risks, node, finding.callee);
        if (verdict !== undefined) reportArgvVerdict(context, node, finding.callee, verdict);
        return;
      }
      if (finding.kind === 'conf') {
        context.report({
          node,
          messageId: 'triggerInput',
          data: { callee: finding.callee, expression: shortText(finding.expression, 50) },
          severity: 'high',
          confidence: testAdjusted('medium', context.isTestFile),
        });
        return;
      }
      if (finding.kind === 'image') {
        const value = shortText(context.textOf(finding.node));
        const tainted = taintedSink(context, finding.node, 'command', node, finding.callee);
        context.report({
          node,
          messageId: tainted === undefined ? 'dynamicImage' : 'taintedImage',
          data: {
            callee: finding.callee,
            value,
            origin: tainted?.origin ?? '',
            path: tainted?.path ?? '',
          },
          severity: tainted?.severity ?? 'medium',
          confidence: tainted?.confidence ?? testAdjusted('low', context.isTestFile),
          flow: tainted?.flow,
        });
        return;
      }
      reportLine(context, node, finding);
    });
  },
});

function reportLine(
  context: RuleContext<'builtLine' | 'builtWords' | 'taintedLine' | 'taintedWords'>,
  node: SyntaxNode,
  finding: Extract<Finding, { kind: 'line' }>,
): void {
  const { model } = context;
  const shape = commandShape(model, finding.node);
  if (shape.kind === 'literal' || shape.quoted) return;
  const build = analyseString(model, finding.node);
  const head = build?.pieces[0];
  // Docker splits a command string into words without a shell, unless it starts one.
  const shell =
    finding.engine === 'airflow' || (head?.kind === 'text' && SHELL_PREFIX.test(head.text));
  const advice =
    finding.engine === 'airflow'
      ? 'Keep the command literal and pass values as environment variables, quoted as `"$NAME"`.'
      : 'Pass the command as a list of constant arguments.';
  const tainted = taintedSink(context, finding.node, 'command', node, finding.callee);
  if (tainted !== undefined) {
    // Split into words without a shell, outside input adds arguments rather than commands.
    const lower = tainted.severity === 'high' ? 'medium' : 'low';
    context.report({
      node,
      messageId: shell ? 'taintedLine' : 'taintedWords',
      data: { callee: finding.callee, origin: tainted.origin, path: tainted.path, advice },
      severity: shell ? tainted.severity : lower,
      confidence: tainted.confidence,
      flow: tainted.flow,
    });
    return;
  }
  // A value of unknown origin is not reported: the call says nothing more than that it runs it.
  if (shape.kind !== 'built') return;
  let severity: Severity;
  let confidence: Confidence;
  if (shell) [severity, confidence] = ['high', 'medium'];
  else [severity, confidence] = ['medium', 'medium'];
  context.report({
    node,
    messageId: shell ? 'builtLine' : 'builtWords',
    data: { callee: finding.callee, how: describeBuild(shape.how), advice },
    severity,
    confidence: testAdjusted(confidence, context.isTestFile),
  });
}

function findingOf(model: SemanticModel, call: CallInfo): Finding | undefined {
  const name = call.qualifiedName;
  if (name !== undefined) {
    const keyword = OPERATORS.get(name);
    if (keyword !== undefined) return operatorFinding(model, call, name, keyword);
    if (name.startsWith('sh.')) return shFinding(model, call, name);
  }
  return dockerFinding(model, call);
}

function operatorFinding(
  model: SemanticModel,
  call: CallInfo,
  callee: string,
  keyword: string,
): Finding | undefined {
  const command = call.keywords.get(keyword);
  if (command === undefined) return undefined;
  const label = callee.slice(callee.lastIndexOf('.') + 1);
  const literal = model.staticString(command);
  if (literal !== undefined) {
    const expression = TRIGGER_INPUT.exec(literal)?.[0];
    return expression === undefined
      ? undefined
      : { kind: 'conf', node: command, callee: label, expression };
  }
  return { kind: 'line', node: command, callee: label, engine: 'airflow' };
}

/** `sh.git("clone", url)`, `sh.bash("-c", code)`, `sh.Command(path)`. */
function shFinding(model: SemanticModel, call: CallInfo, callee: string): Finding | undefined {
  const program = callee.slice(3);
  if (program.includes('.') || SH_HELPERS.has(program)) return undefined;
  if (program === 'Command') {
    const path = model.argument(call, 'path', 0);
    return path === undefined || isTrustedArgument(model, path)
      ? undefined
      : { kind: 'argv', risks: [{ kind: 'program', node: path }], callee };
  }
  if (/^[A-Z]/.test(program)) return undefined;
  const args = argvOfArguments(model, positionalWithSplats(call.node));
  const argv: Argv = {
    items: [{ node: call.callee, value: program, exact: true }, ...args.items],
    opaque: args.opaque,
  };
  const risks = argvRisks(model, argv);
  return risks.length === 0 ? undefined : { kind: 'argv', risks, callee };
}

/** `client.containers.run(image, command)`, `client.api.create_container(image, command)`. */
function dockerFinding(model: SemanticModel, call: CallInfo): Finding | undefined {
  const method = call.methodName;
  if (method !== 'run' && method !== 'create' && method !== 'create_container') return undefined;
  const receiver = receiverOf(call);
  if (receiver === undefined || !importsModule(model, 'docker')) return undefined;
  const owner = lastName(model, receiver);
  const containers =
    method === 'create_container'
      ? owner === 'api' || isDockerClient(model, receiver)
      : owner === 'containers' && isDockerClient(model, clientOf(receiver));
  if (!containers) return undefined;
  const callee = `${owner ?? ''}.${method}`;
  const image = model.argument(call, 'image', 0);
  if (image !== undefined && !isInertValue(model, image) && !isCheckedValue(model, image)) {
    return { kind: 'image', node: image, callee };
  }
  const command = model.argument(call, 'command', 1);
  if (command === undefined) return undefined;
  const value = unwrapParens(model.resolveValue(command));
  if (value.type === 'list' || value.type === 'tuple') {
    const risks = argvRisks(model, argvOf(model, command));
    return risks.length === 0 ? undefined : { kind: 'argv', risks, callee };
  }
  return { kind: 'line', node: command, callee, engine: 'docker' };
}

const DOCKER_CLIENTS: ReadonlySet<string> = new Set([
  'docker.from_env',
  'docker.client.from_env',
  'docker.DockerClient',
  'docker.client.DockerClient',
  'docker.APIClient',
  'docker.api.APIClient',
]);

/** `client` in `client.containers`. */
function clientOf(receiver: SyntaxNode): SyntaxNode | undefined {
  const target = unwrapParens(receiver);
  return target.type === 'attribute'
    ? (target.childForFieldName('object') ?? undefined)
    : undefined;
}

/** A Docker client: built by `docker.from_env()`/`DockerClient()`, or named like one. */
function isDockerClient(model: SemanticModel, node: SyntaxNode | undefined): boolean {
  if (node === undefined) return false;
  const built = model.constructedBy(node);
  if (built !== undefined) return DOCKER_CLIENTS.has(built);
  return /docker|client/i.test(lastName(model, node) ?? '');
}
