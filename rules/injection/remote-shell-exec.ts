import {
  callVisitors,
  defineRule,
  importsModule,
  receiverOf,
  shortText,
  unwrapParens,
  type CallInfo,
  type SemanticModel,
  type SyntaxNode,
} from '../../src/rules-api/index.js';
import {
  COMMAND_MESSAGES,
  commandVerdict,
  reportCommandVerdict,
} from '../_shared/command-verdict.js';

/** Module-level functions that run a command line through a shell (local or remote). */
const FUNCTIONS: ReadonlyMap<string, string> = new Map([
  ['fabric.api.run', 'the remote host'],
  ['fabric.api.sudo', 'the remote host'],
  ['fabric.api.local', 'the local machine'],
  ['fabric.operations.run', 'the remote host'],
  ['fabric.operations.sudo', 'the remote host'],
  ['fabric.operations.local', 'the local machine'],
  ['invoke.run', 'the local machine'],
  ['invoke.sudo', 'the local machine'],
]);

/** Classes whose `run`/`sudo`/`local` methods run a command line through a shell. */
const RUNNERS: ReadonlyMap<string, string> = new Map([
  ['fabric.Connection', 'the remote host'],
  ['fabric.connection.Connection', 'the remote host'],
  ['fabric.Group', 'the remote hosts'],
  ['fabric.SerialGroup', 'the remote hosts'],
  ['fabric.ThreadingGroup', 'the remote hosts'],
  ['fabric.group.SerialGroup', 'the remote hosts'],
  ['fabric.group.ThreadingGroup', 'the remote hosts'],
  ['invoke.Context', 'the local machine'],
  ['invoke.context.Context', 'the local machine'],
]);
const RUNNER_METHODS: ReadonlySet<string> = new Set(['run', 'sudo', 'local']);
const TASK_DECORATORS: ReadonlySet<string> = new Set([
  'fabric.task',
  'fabric.tasks.task',
  'fabric.api.task',
  'invoke.task',
  'invoke.tasks.task',
]);

export default defineRule({
  meta: {
    id: 'PGI013',
    slug: 'remote-shell-exec',
    title: 'Command line built at run time sent to paramiko, Fabric or Invoke',
    category: 'injection',
    severity: 'high',
    confidence: 'medium',
    cwe: [78],
    owasp: ['A03:2021 Injection'],
    description:
      'Flags paramiko `exec_command`, Fabric `run`/`sudo`/`local` and Invoke `run`/`sudo` called with a command that is not a literal, rated high when request data reaches it unquoted.',
    why: "These APIs hand their command string to a shell: paramiko's `exec_command` to the remote user's login shell, Fabric and Invoke to `/bin/bash` (remote or local). A spliced-in value containing `;`, `|`, a backtick or `$(…)` therefore runs commands of its own, on the server you are managing, often with `sudo`.",
    fix: 'Keep the command text constant and quote every value spliced into it with `shlex.quote()` (or `shlex.join()` for a whole argument list). Check values such as branch, user or file names against an allowlist before they reach the command.',
    example: {
      bad: 'import paramiko\n\ndef deploy(client: paramiko.SSHClient, branch):\n    client.exec_command(f"cd /srv/app && git checkout {branch}")\n',
      good: 'import paramiko\n\nBRANCHES = {"main", "release"}\n\ndef deploy(client: paramiko.SSHClient, branch):\n    if branch not in BRANCHES:\n        raise ValueError(branch)\n    client.exec_command(f"cd /srv/app && git checkout {branch}")\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/78.html',
      'https://docs.paramiko.org/en/stable/api/client.html#paramiko.client.SSHClient.exec_command',
      'https://docs.fabfile.org/en/latest/api/connection.html#fabric.connection.Connection.run',
      'https://docs.pyinvoke.org/en/stable/api/context.html#invoke.context.Context.run',
      'https://docs.python.org/3/library/shlex.html#shlex.quote',
    ],
    auditAdds: 'constant command lines run on a host (`client.exec_command("uptime")`)',
    bandit: ['B601'],
    ruff: ['S601'],
  },
  messages: {
    literalCommand:
      '`{{callee}}` runs the constant command `{{command}}` through a shell on {{where}}; nothing from outside reaches it, but check that it stays constant.',
    taintedCommand:
      '`{{callee}}` runs a command built from {{origin}} through a shell on {{where}}: {{path}}. A value containing `;`, `|` or `$(…)` runs commands of its own there; quote it with `shlex.quote()` or check it against an allowlist.',
    builtCommand:
      '`{{callee}}` runs a command built with {{how}} through a shell on {{where}}; a value containing `;`, `|` or `$(…)` runs commands of its own. Quote every spliced-in value with `shlex.quote()`.',
    dynamicCommand:
      '`{{callee}}` runs `{{command}}` through a shell on {{where}}; if any part of it comes from outside, it can run arbitrary commands there. Build it from constants and `shlex.quote()`d values.',
    quotedCommand:
      '`{{callee}}` runs a command on {{where}} whose spliced-in values are `shlex.quote`d; check that every value is quoted, including later edits.',
  },
  select: { calls: [...FUNCTIONS.keys()], methods: ['exec_command', ...RUNNER_METHODS] },
  create(context) {
    const { model } = context;
    return callVisitors(context, (node, call) => {
      const target = targetOf(model, call);
      if (target === undefined) return;
      const command = model.argument(call, 'command', 0);
      if (command === undefined) return;
      const verdict = commandVerdict(context, command, node, target.label);
      reportCommandVerdict(context, node, verdict, {
        messages: COMMAND_MESSAGES,
        data: { callee: target.label, where: target.where },
      });
    });
  },
});

/** What a call runs its command on, when it is one of the APIs above. */
function targetOf(
  model: SemanticModel,
  call: CallInfo,
): { label: string; where: string } | undefined {
  const name = call.qualifiedName;
  const method = call.methodName;
  const functionTarget = name === undefined ? undefined : FUNCTIONS.get(name);
  if (functionTarget !== undefined && name !== undefined)
    return { label: name, where: functionTarget };
  if (method === 'exec_command') {
    return importsModule(model, 'paramiko')
      ? { label: `${receiverLabel(model, call)}.exec_command`, where: 'the remote host' }
      : undefined;
  }
  if (method === undefined || !RUNNER_METHODS.has(method)) return undefined;
  if (!importsModule(model, 'fabric') && !importsModule(model, 'invoke')) return undefined;
  const receiver = receiverOf(call);
  if (receiver === undefined) return undefined;
  const built = model.constructedBy(receiver);
  const where =
    (built === undefined ? undefined : RUNNERS.get(built)) ?? taskContext(model, receiver);
  if (where === undefined) return undefined;
  return {
    label: `${receiverLabel(model, call)}.${method}`,
    where: method === 'local' ? 'the local machine' : where,
  };
}

function receiverLabel(model: SemanticModel, call: CallInfo): string {
  const receiver = receiverOf(call);
  return receiver === undefined ? '' : shortText(model.textOf(receiver), 24);
}

/** `@task def deploy(c): c.run(...)`: the context parameter of a Fabric or Invoke task. */
function taskContext(model: SemanticModel, receiver: SyntaxNode): string | undefined {
  const id = unwrapParens(receiver);
  if (id.type !== 'identifier') return undefined;
  const found = model.lookup(model.textOf(id), model.scopeAt(id));
  const binding = found?.bindings.length === 1 ? found.bindings[0] : undefined;
  if (binding?.kind !== 'param') return undefined;
  let definition: SyntaxNode | null = binding.node.parent;
  while (definition !== null && definition.type !== 'function_definition')
    definition = definition.parent;
  const decorated = definition?.parent;
  if (decorated?.type !== 'decorated_definition') return undefined;
  for (const decorator of decorated.namedChildren) {
    if (decorator.type !== 'decorator') continue;
    let expression = decorator.namedChildren[0];
    if (expression?.type === 'call')
      expression = expression.childForFieldName('function') ?? undefined;
    const name = expression === undefined ? undefined : model.qualifiedName(expression);
    if (name !== undefined && TASK_DECORATORS.has(name))
      return name.startsWith('fabric') ? 'the hosts the task runs on' : 'the local machine';
  }
  return undefined;
}
