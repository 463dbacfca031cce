import {
  callVisitors,
  argvOf,
  argvRisks,
  argvVerdict,
  defineRule,
  isTrustedArgument,
  reportArgvVerdict,
  type ArgvRisk,
} from '../../src/rules-api/index.js';
import { ARGV_MESSAGES } from '../_shared/argv.js';
import { SUBPROCESS_FUNCTIONS } from '../_shared/process-apis.js';

export default defineRule({
  meta: {
    id: 'PGI008',
    slug: 'subprocess-untrusted-argv',
    title: 'subprocess started with a program or arguments that are not constants',
    category: 'injection',
    severity: 'low',
    confidence: 'medium',
    cwe: [78, 88],
    owasp: ['A03:2021 Injection'],
    description:
      'Flags `subprocess.Popen`/`run`/`call`/`check_call`/`check_output` without a shell when the program, an argument or inline interpreter code (`["sh", "-c", cmd]`, `[sys.executable, "-c", code]`) is not a constant, and rates it high when request data chooses the program, the script or the inline code.',
    why: 'Without a shell each list element reaches the program as exactly one argument, which is the safe way to run commands. It stops being safe when the program itself is chosen at run time, when the list hands code to a shell or interpreter (`["sh", "-c", cmd]` is `shell=True` by another name), or when a value that starts with `-` is read as an option (`git clone --upload-pack=...`). Lists of constants, `sys.executable` and paths next to the script are not reported.',
    fix: 'Keep the program a constant (an absolute path, `sys.executable`, or `shutil.which("name")`). Never pass outside input as `sh -c` or `python -c` code: call the program directly with an argument list instead. Put `--` before values that must not be read as options, and check values against an allowlist where you can.',
    example: {
      bad: 'import subprocess\n\ndef thumbnail(name):\n    subprocess.run(["sh", "-c", f"convert {name} -resize 64x64 thumb.png"], check=True)\n',
      good: 'import subprocess\n\ndef thumbnail(name):\n    subprocess.run(["convert", "--", name, "-resize", "64x64", "thumb.png"], check=True)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/78.html',
      'https://cwe.mitre.org/data/definitions/88.html',
      'https://docs.python.org/3/library/subprocess.html#security-considerations',
      'https://docs.python.org/3/library/shutil.html#shutil.which',
    ],
    auditAdds: 'calls whose argument list holds nothing risky (`subprocess.run(["ls", "-l"])`)',
    bandit: ['B603', 'B404'],
    ruff: ['S603', 'S404'],
    supersedes: ['PGI010'],
  },
  messages: {
    ...ARGV_MESSAGES,
  },
  select: { calls: [...SUBPROCESS_FUNCTIONS] },
  create(context) {
    const { model } = context;
    return callVisitors(context, (node, call) => {
      const callee = call.qualifiedName;
      if (callee === undefined || !SUBPROCESS_FUNCTIONS.has(callee)) return;
      // A shell (or possibly one) is subprocess-shell-true's concern.
      const shell = call.keywords.get('shell');
      if (shell !== undefined && model.truthiness(shell) !== false) return;
      const args = model.argument(call, 'args', 0);
      if (args === undefined) return;
      const executable = call.keywords.get('executable');
      const risks: ArgvRisk[] = argvRisks(model, argvOf(model, args));
      if (executable !== undefined && !isTrustedArgument(model, executable))
        risks.unshift({ kind: 'program', node: executable });
      const verdict = argvVerdict(context, risks, node, callee);
      if (verdict !== undefined) reportArgvVerdict(context, node, callee, verdict);
    });
  },
});
