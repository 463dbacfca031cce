import { describe, expect, it } from 'vitest';

import { plainArgv } from '../../rules/_shared/shell-split.js';

describe('plainArgv', () => {
  it('splits plain words at spaces and tabs, as a shell would', () => {
    expect(plainArgv('git status --short')).toEqual(['git', 'status', '--short']);
    expect(plainArgv('  ls\t-l   /var/log ')).toEqual(['ls', '-l', '/var/log']);
    expect(plainArgv('pip install pkg==1.2 --index-url=https://pypi.org/simple')).toEqual([
      'pip',
      'install',
      'pkg==1.2',
      '--index-url=https://pypi.org/simple',
    ]);
  });

  it('refuses what the shell would change or run itself', () => {
    for (const command of [
      '',
      'ls *.py',
      'ls ~/src',
      'echo $HOME',
      'cat a | wc -l',
      'make && make install',
      'grep "a b" file',
      "grep 'a' file",
      'ls # comment',
      'cp a{1,2}',
      'tar xf a.tar > log',
      'LANG=C make',
      'cd /tmp',
      'export A=1',
      'echo hello',
      'ECHO hello',
      'if',
    ]) {
      expect(plainArgv(command), command).toBeUndefined();
    }
  });
});
