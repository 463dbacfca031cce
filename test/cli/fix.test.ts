/**
 * `pyguard scan --fix` on temporary directories: mechanical fixes are written to the files,
 * reported on standard error, and the report is that of the fixed files.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { pyguard, removeDir, tempDir, writeFiles } from './helpers.js';

let dir: string;

beforeEach(async () => {
  dir = await tempDir();
});

afterEach(async () => {
  await removeDir(dir);
});

const CLIENT = `import requests
import yaml


def fetch(url):
    return requests.get(url, verify=False)


def settings(text):
    return yaml.load(text)
`;

describe('pyguard scan --fix', () => {
  it('applies the fixes round by round, and reports the fixed files', async () => {
    await writeFiles(dir, { 'client.py': CLIENT });

    const outcome = await pyguard(dir, ['scan', '--fix', '--no-color']);

    expect(await readFile(join(dir, 'client.py'), 'utf8')).toBe(
      CLIENT.replace(
        'requests.get(url, verify=False)',
        'requests.get(url, verify=True, timeout=30)',
      ).replace('yaml.load(text)', 'yaml.safe_load(text)'),
    );
    expect(outcome.stderr).toBe(
      [
        // Both rules report the same call: the missing timeout is reported (and fixed) once
        // verify=False is gone.
        'pyguard: fixed client.py:6:12 PGT001: Verify certificates',
        'pyguard: fixed client.py:10:12 PGD003: Use safe_load',
        'pyguard: fixed 2 findings in 1 file; scanning again',
        'pyguard: fixed client.py:6:12 PGT014: Add `timeout=30`',
        'pyguard: fixed 1 finding in 1 file; scanning again',
        '',
      ].join('\n'),
    );
    expect(outcome.stdout).toBe('No findings in 1 file\n');
    expect(outcome.code).toBe(0);
  });

  it('leaves files without a fixable finding alone, and reports what remains', async () => {
    const source = 'def run(expr):\n    return eval(expr)\n';
    await writeFiles(dir, { 'calc.py': source });

    const outcome = await pyguard(dir, ['scan', '--fix', '--no-color', '--fail-on', 'low']);

    expect(await readFile(join(dir, 'calc.py'), 'utf8')).toBe(source);
    expect(outcome.stderr).toBe('pyguard: fixed 0 findings in 0 files; scanning again\n');
    expect(outcome.stdout).toContain('calc.py:2:12: PGI016');
    expect(outcome.code).toBe(1);
  });

  it('does not touch a file that is not plain UTF-8', async () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('import yaml\nconf = yaml.load(text)\n'),
    ]);
    await writeFiles(dir, { 'bom.py': bytes });

    const outcome = await pyguard(dir, ['scan', '--fix']);

    expect(await readFile(join(dir, 'bom.py'))).toEqual(bytes);
    expect(outcome.stderr).toContain('pyguard: not fixed: bom.py is not plain UTF-8 text\n');
    expect(outcome.code).toBe(1);
  });

  it('adds the imports a fix needs, with the fix or not at all, and scans clean', async () => {
    const hooks = [
      '"""Webhook receiver."""',
      'from __future__ import annotations',
      '',
      'import base64',
      'import hmac',
      'import random',
      'import xml.etree.ElementTree as ET',
      '',
      'from flask import abort, request',
      '',
      '',
      'def new_reset_code():',
      '    reset_code = "".join(random.choice("0123456789") for _ in range(6))',
      '    return reset_code',
      '',
      '',
      'def receive(key):',
      '    body = request.get_data()',
      '    expected = hmac.new(key, body, "sha256").digest()',
      '    if expected != base64.b64decode(request.headers["X-Signature"]):',
      '        abort(403)',
      '    return ET.fromstring(body)',
      '',
    ].join('\r\n');
    await writeFiles(dir, { 'hooks.py': hooks });

    const outcome = await pyguard(dir, ['scan', '--fix', '--no-color']);

    expect(await readFile(join(dir, 'hooks.py'), 'utf8')).toBe(
      hooks
        .replace(
          'from flask import abort, request\r\n',
          'from flask import abort, request\r\nimport secrets\r\nimport defusedxml.ElementTree\r\n',
        )
        .replace('random.choice(', 'secrets.choice(')
        .replace(
          'if expected != base64.b64decode(request.headers["X-Signature"]):',
          'if not hmac.compare_digest(expected, base64.b64decode(request.headers["X-Signature"])):',
        )
        .replace('ET.fromstring(body)', 'defusedxml.ElementTree.fromstring(body)'),
    );
    expect(outcome.stderr).toBe(
      [
        'pyguard: fixed hooks.py:13:26 PGC008: Use `secrets.choice`',
        'pyguard: fixed hooks.py:20:8 PGC012: Compare with `not hmac.compare_digest()`',
        // Both imports go to the same place: the second fix waits for the next round (a line lower).
        'pyguard: fixed 2 findings in 1 file; 1 overlapping fix left for the next round; scanning again',
        'pyguard: fixed hooks.py:23:12 PGX001: Parse with `defusedxml.ElementTree.fromstring` (from the `defusedxml` package)',
        'pyguard: fixed 1 finding in 1 file; scanning again',
        '',
      ].join('\n'),
    );
    expect(outcome.stdout).toBe('No findings in 1 file\n');
    expect(outcome.code).toBe(0);
  });

  it('passes a constant command of plain words as an argument list without a shell', async () => {
    const source = [
      'import subprocess',
      '',
      'subprocess.run("git status --short", shell=True, check=True)',
      'subprocess.run("ls *.py", shell=True)',
      '',
    ].join('\n');
    await writeFiles(dir, { 'tasks.py': source });

    const args = ['scan', '--fix', '--no-color', '--profile', 'audit', '--rule', 'PGI006'];
    const outcome = await pyguard(dir, [...args, '--fail-on', 'low']);

    expect(await readFile(join(dir, 'tasks.py'), 'utf8')).toBe(
      source.replace(
        '"git status --short", shell=True,',
        '["git", "status", "--short"], shell=False,',
      ),
    );
    // The glob needs a shell: reported, not fixed.
    expect(outcome.stdout).toContain('tasks.py:4:1: PGI006');
    expect(outcome.stdout).not.toContain('tasks.py:3:');
    expect(outcome.code).toBe(1);
  });
  it('adds filter="data", turns cookie flags on and marks checksum digests, and scans clean', async () => {
    const app = [
      'import hashlib',
      'import shutil',
      'import tarfile',
      '',
      'from flask import make_response',
      '',
      '',
      'def import_bundle(path):',
      '    with tarfile.open(path) as archive:',
      '        archive.extractall(',
      '            "/srv/imports",',
      '        )',
      '    shutil.unpack_archive("/srv/vendor.tar.gz", "/srv/vendor")',
      '',
      '',
      'def login(token, body):',
      '    response = make_response(body)',
      '    response.set_cookie("session", token)',
      '    response.set_cookie("remember_me", token, secure=False, httponly=True)',
      '    response.headers["ETag"] = etag_of(body)',
      '    return response',
      '',
      '',
      'def etag_of(body):',
      '    return hashlib.md5(body).hexdigest()',
      '',
    ].join('\n');
    const settings = [
      'ROOT_URLCONF = "shop.urls"',
      'SESSION_COOKIE_SECURE = False',
      'CSRF_COOKIE_SECURE = False',
      'SESSION_COOKIE_HTTPONLY = False',
      '',
    ].join('\n');
    await writeFiles(dir, { 'app.py': app, 'shop/settings.py': settings });

    const outcome = await pyguard(dir, ['scan', '--fix', '--no-color', '--fail-on', 'low']);

    expect(await readFile(join(dir, 'app.py'), 'utf8')).toBe(
      app
        .replace('"/srv/imports",', '"/srv/imports", filter="data",')
        .replace('"/srv/vendor")', '"/srv/vendor", filter="data")')
        .replace('("session", token)', '("session", token, secure=True, httponly=True)')
        .replace('secure=False, httponly=True', 'secure=True, httponly=True')
        .replace('md5(body)', 'md5(body, usedforsecurity=False)'),
    );
    expect(await readFile(join(dir, 'shop/settings.py'), 'utf8')).toBe(
      settings.replaceAll(' = False', ' = True'),
    );
    expect(outcome.stderr).toBe(
      [
        'pyguard: fixed app.py:10:9 PGF005: Pass `filter="data"`',
        'pyguard: fixed app.py:13:5 PGF005: Pass `filter="data"`',
        'pyguard: fixed app.py:18:5 PGW004: Add `secure=True`, `httponly=True`',
        'pyguard: fixed app.py:19:5 PGW004: Set `secure=True`',
        'pyguard: fixed app.py:25:12 PGC001: Mark the digest `usedforsecurity=False` (not a security control)',
        'pyguard: fixed shop/settings.py:2:1 PGW002: Set `SESSION_COOKIE_SECURE = True`',
        'pyguard: fixed shop/settings.py:3:1 PGW002: Set `CSRF_COOKIE_SECURE = True`',
        'pyguard: fixed shop/settings.py:4:1 PGW002: Set `SESSION_COOKIE_HTTPONLY = True`',
        'pyguard: fixed 8 findings in 2 files; scanning again',
        '',
      ].join('\n'),
    );
    expect(outcome.stdout).toBe('No findings in 2 files\n');
    expect(outcome.code).toBe(0);
  });
});
