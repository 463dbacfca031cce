import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { parseCommand } from '../../src/github/commands.js';
import { helpReply, refusalReply, unknownCommandReply } from '../../src/github/messages.js';
import {
  CHECK_LIST_QUERY,
  HEAD,
  REPO_PATH,
  createHarness,
  fileEntry,
  fixture,
  github,
  mockCreateCheck,
  mockFiles,
  mockNoConfig,
  mockPull,
  mockToken,
  mockUpdateCheck,
  queuedCheckRun,
  requestLines,
  setUpNock,
  tearDownNock,
  updatesAfterStart,
} from './harness.js';

beforeEach(() => {
  setUpNock();
});

afterEach(() => {
  tearDownNock();
});

function comment(body: string, sender?: { login: string; type: string }): Record<string, unknown> {
  const payload = fixture('issue_comment.created');
  (payload['comment'] as { body: string }).body = body;
  if (sender !== undefined) {
    payload['sender'] = { ...(payload['sender'] as object), ...sender };
    (payload['comment'] as { user: object }).user = {
      ...(payload['comment'] as { user: object }).user,
      ...sender,
    };
  }
  return payload;
}

function mockPermission(
  api: nock.Scope,
  login: string,
  permission: string,
  roleName: string,
): void {
  api
    .get(`${REPO_PATH}/collaborators/${login}/permission`)
    .reply(200, { permission, role_name: roleName, user: { login } });
}

describe('parseCommand', () => {
  it('reads a command on any line of its own', () => {
    expect(parseCommand('/pyguard rescan')).toEqual({ name: 'rescan' });
    expect(parseCommand('  /PyGuard   Rescan  \nplease, the runner was down')).toEqual({
      name: 'rescan',
    });
    expect(parseCommand('\n\n/pyguard help')).toEqual({ name: 'help' });
    expect(parseCommand('/pyguard')).toEqual({ name: 'help' });
    expect(parseCommand('/pyguard frobnicate')).toEqual({ name: 'unknown', word: 'frobnicate' });
    expect(parseCommand('/pyguard rescan now, please')).toEqual({ name: 'rescan' });
    expect(parseCommand('Thanks!\r\n/PYGUARD RESCAN')).toEqual({ name: 'rescan' });
    expect(parseCommand('Runner was down.\n\n   /pyguard rescan\n\nThanks')).toEqual({
      name: 'rescan',
    });
  });

  it('ignores commands inside a line, and look-alikes', () => {
    expect(parseCommand('LGTM, but could someone /pyguard rescan?')).toBeUndefined();
    expect(parseCommand('/pyguardian rescan')).toBeUndefined();
    expect(parseCommand('`/pyguard rescan`')).toBeUndefined();
    expect(parseCommand('- /pyguard rescan')).toBeUndefined();
    expect(parseCommand('')).toBeUndefined();
  });

  it('ignores commands in fenced code blocks, backticks or tildes', () => {
    expect(parseCommand('Try this:\n```\n/pyguard rescan\n```')).toBeUndefined();
    expect(parseCommand('~~~text\n/pyguard rescan\n~~~')).toBeUndefined();
    expect(parseCommand('````md\n```\n/pyguard rescan\n````')).toBeUndefined();
    // A fence closes only with the same character: the block runs to the end.
    expect(parseCommand('```\n~~~\n/pyguard rescan')).toBeUndefined();
    expect(parseCommand('```\nx\n```\n/pyguard rescan')).toEqual({ name: 'rescan' });
  });

  it('ignores commands in indented code blocks', () => {
    expect(parseCommand('    /pyguard rescan')).toBeUndefined();
    expect(parseCommand('Example:\n\n    /pyguard rescan')).toBeUndefined();
    expect(parseCommand('\t/pyguard rescan')).toBeUndefined();
    expect(parseCommand('Example:\n\n  \t/pyguard rescan')).toBeUndefined();
  });

  it('ignores commands in block quotes, continued lines included', () => {
    expect(parseCommand('> /pyguard rescan')).toBeUndefined();
    expect(parseCommand('   > /pyguard rescan')).toBeUndefined();
    expect(parseCommand('> You wrote:\n/pyguard rescan')).toBeUndefined();
    expect(parseCommand('> You wrote: x\n\n/pyguard rescan')).toEqual({ name: 'rescan' });
  });
});

describe('replies', () => {
  it('read as intended', () => {
    expect(helpReply()).toMatchSnapshot('help');
    expect(refusalReply('octo_cat')).toMatchSnapshot('refusal');
    expect(unknownCommandReply('`rm -rf`')).toMatchSnapshot('unknown');
  });
});

describe('/pyguard rescan', () => {
  it('from a user with maintain permission is acknowledged and scans the head', async () => {
    const harness = await createHarness();
    const api = github();
    mockToken(api);
    mockPermission(api, 'Codertocat', 'write', 'maintain');
    api
      .post(`${REPO_PATH}/issues/comments/492700400/reactions`)
      .reply(201, { id: 1, content: 'eyes' });
    mockPull(api);
    const checkId = mockCreateCheck(api);
    mockPull(api);
    mockNoConfig(api);
    mockFiles(api, [fileEntry('README.md', '# x\n', '@@ -0,0 +1 @@\n+# x', 'added')]);
    mockUpdateCheck(api, checkId);

    await harness.deliver('issue_comment', comment('/pyguard rescan\nThe runner was down.'));

    expect(harness.jobErrors).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
    expect(requestLines(harness.requests)).toEqual([
      'POST /app/installations/2/access_tokens',
      `GET ${REPO_PATH}/collaborators/Codertocat/permission`,
      `POST ${REPO_PATH}/issues/comments/492700400/reactions`,
      `GET ${REPO_PATH}/pulls/2`,
      // The job is accepted with a queued check run of its own trigger kind, then scanned.
      `GET ${REPO_PATH}/commits/${HEAD}/check-runs?${CHECK_LIST_QUERY}`,
      `POST ${REPO_PATH}/check-runs`,
      `PATCH ${REPO_PATH}/check-runs/${checkId}`,
      `GET ${REPO_PATH}/pulls/2`,
      `GET ${REPO_PATH}/contents/.github%2Fpyguard.yml`,
      'GET /repos/Codertocat/.github/contents/.github%2Fpyguard.yml',
      `GET ${REPO_PATH}/pulls/2/files?per_page=100`,
      `PATCH ${REPO_PATH}/check-runs/${checkId}`,
    ]);
    expect(harness.bodies('POST', `${REPO_PATH}/check-runs`)).toEqual([
      queuedCheckRun('pull:2:command'),
    ]);
    expect(harness.bodies('POST', `${REPO_PATH}/issues/comments/492700400/reactions`)).toEqual([
      { content: 'eyes' },
    ]);
    const [update, ...later] = updatesAfterStart<{ status: string; conclusion: string }>(
      harness,
      checkId,
    );
    expect(later).toEqual([]);
    expect(update?.status).toBe('completed');
    expect(update?.conclusion).toBe('success');
  });

  it('from a reader gets a polite refusal and no scan', async () => {
    const harness = await createHarness();
    const api = github();
    mockToken(api);
    mockPermission(api, 'Codertocat', 'read', 'triage');
    api.post(`${REPO_PATH}/issues/2/comments`).reply(201, { id: 2 });

    await harness.deliver('issue_comment', comment('/pyguard rescan'));

    expect(harness.jobErrors).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
    expect(requestLines(harness.requests)).toEqual([
      'POST /app/installations/2/access_tokens',
      `GET ${REPO_PATH}/collaborators/Codertocat/permission`,
      `POST ${REPO_PATH}/issues/2/comments`,
    ]);
    expect(harness.bodies('POST', `${REPO_PATH}/issues/2/comments`)).toEqual([
      { body: refusalReply('Codertocat') },
    ]);
  });

  it('from someone who is not a collaborator gets the refusal too', async () => {
    const harness = await createHarness();
    const api = github();
    mockToken(api);
    api
      .get(`${REPO_PATH}/collaborators/Codertocat/permission`)
      .reply(404, { message: 'Not Found' });
    api.post(`${REPO_PATH}/issues/2/comments`).reply(201, { id: 2 });

    await harness.deliver('issue_comment', comment('/pyguard rescan'));

    expect(nock.pendingMocks()).toEqual([]);
    expect(harness.bodies('POST', `${REPO_PATH}/issues/2/comments`)).toHaveLength(1);
  });

  it('from a bot, on an issue, as plain talk or in code, is ignored without any API call', async () => {
    const harness = await createHarness();
    github();
    await harness.deliver(
      'issue_comment',
      comment('/pyguard rescan', { login: 'pyguard[bot]', type: 'Bot' }),
    );
    const onIssue = comment('/pyguard rescan');
    delete (onIssue['issue'] as { pull_request?: unknown }).pull_request;
    await harness.deliver('issue_comment', onIssue);
    await harness.deliver('issue_comment', comment('LGTM, but could someone /pyguard rescan?'));
    await harness.deliver('issue_comment', comment('To rescan, write:\n\n    /pyguard rescan'));
    await harness.deliver('issue_comment', comment('```\n/pyguard rescan\n```'));

    expect(harness.requests).toEqual([]);
    expect(harness.jobErrors).toEqual([]);
  });

  it('on a later line of the comment is carried out', async () => {
    const harness = await createHarness();
    const api = github();
    mockToken(api);
    mockPermission(api, 'Codertocat', 'read', 'read');
    api.post(`${REPO_PATH}/issues/2/comments`).reply(201, { id: 2 });

    await harness.deliver('issue_comment', comment('The runner was down.\n/pyguard rescan'));

    expect(nock.pendingMocks()).toEqual([]);
    expect(requestLines(harness.requests)).toEqual([
      'POST /app/installations/2/access_tokens',
      `GET ${REPO_PATH}/collaborators/Codertocat/permission`,
      `POST ${REPO_PATH}/issues/2/comments`,
    ]);
  });
});

describe('/pyguard help', () => {
  it('answers someone with write access with the commands and the config file location', async () => {
    const harness = await createHarness();
    const api = github();
    mockToken(api);
    mockPermission(api, 'Codertocat', 'admin', 'admin');
    api.post(`${REPO_PATH}/issues/2/comments`).reply(201, { id: 3 });

    await harness.deliver('issue_comment', comment('/pyguard help'));

    expect(nock.pendingMocks()).toEqual([]);
    expect(requestLines(harness.requests)).toEqual([
      'POST /app/installations/2/access_tokens',
      `GET ${REPO_PATH}/collaborators/Codertocat/permission`,
      `POST ${REPO_PATH}/issues/2/comments`,
    ]);
    const [reply] = harness.bodies('POST', `${REPO_PATH}/issues/2/comments`) as { body: string }[];
    expect(reply?.body).toBe(helpReply());
    expect(reply?.body).toContain('.github/pyguard.yml');
  });

  it('gets no answer from anyone else: only the permission is looked up', async () => {
    const harness = await createHarness();
    const api = github();
    mockToken(api);
    mockPermission(api, 'Codertocat', 'read', 'triage');

    await harness.deliver('issue_comment', comment('/pyguard help'));

    expect(harness.jobErrors).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
    expect(requestLines(harness.requests)).toEqual([
      'POST /app/installations/2/access_tokens',
      `GET ${REPO_PATH}/collaborators/Codertocat/permission`,
    ]);
  });
});

describe('an unknown command', () => {
  it('is answered to a maintainer, with the help', async () => {
    const harness = await createHarness();
    const api = github();
    mockToken(api);
    mockPermission(api, 'Codertocat', 'write', 'maintain');
    api.post(`${REPO_PATH}/issues/2/comments`).reply(201, { id: 3 });

    await harness.deliver('issue_comment', comment('/pyguard frobnicate'));

    expect(nock.pendingMocks()).toEqual([]);
    expect(harness.bodies('POST', `${REPO_PATH}/issues/2/comments`)).toEqual([
      { body: unknownCommandReply('frobnicate') },
    ]);
  });

  it('gets no answer from someone who is not a collaborator', async () => {
    const harness = await createHarness();
    const api = github();
    mockToken(api);
    api
      .get(`${REPO_PATH}/collaborators/Codertocat/permission`)
      .reply(404, { message: 'Not Found' });

    await harness.deliver('issue_comment', comment('/pyguard frobnicate'));

    expect(harness.jobErrors).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
    expect(requestLines(harness.requests)).toEqual([
      'POST /app/installations/2/access_tokens',
      `GET ${REPO_PATH}/collaborators/Codertocat/permission`,
    ]);
  });
});
