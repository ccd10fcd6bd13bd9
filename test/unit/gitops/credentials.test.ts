import { describe, expect, it } from 'vitest';
import { decodeSecretData, gitAuthFor, gitEnvironment, redact } from '../../../src/gitops/credentials.js';
import { summarizeGitError } from '../../../src/gitops/git-session.js';

describe('git credentials', () => {
  it('builds a Basic header from a token, passed only through config-in-environment', () => {
    const auth = gitAuthFor('https://git.example/a.git', 's', { token: 'tok-123' });
    if (typeof auth === 'string' || auth.kind !== 'header') throw new Error('expected a header');
    const basic = Buffer.from('x-access-token:tok-123').toString('base64');
    expect(auth.header).toBe(`Authorization: Basic ${basic}`);
    const env = gitEnvironment(auth, '/tmp/h');
    expect(env).toMatchObject({
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'http.extraHeader',
      GIT_CONFIG_VALUE_0: auth.header,
      GIT_TERMINAL_PROMPT: '0',
      HOME: '/tmp/h',
    });
    expect(redact(`fatal: header ${basic} and tok-123`, auth.secrets)).toBe('fatal: header *** and ***');
  });

  it('uses username/password, ssh keys, and names the missing key', () => {
    expect(gitAuthFor('https://g/a', 's', { username: 'u', password: 'p' })).toMatchObject({
      kind: 'header',
    });
    expect(gitAuthFor('https://g/a', 'creds', { nothing: 'x' })).toMatch(/Secret creds has no "token"/);
    expect(gitAuthFor('git@g:a.git', 'creds', {})).toMatch(/sshPrivateKey/);
    const ssh = gitAuthFor('git@g:a.git', 's', { sshPrivateKey: 'KEY', known_hosts: 'g ssh-ed25519 AAA' });
    if (typeof ssh === 'string') throw new Error(ssh);
    const env = gitEnvironment(ssh, '/h', { keyPath: '/h/id', knownHostsPath: '/h/kh' });
    expect(env.GIT_SSH_COMMAND).toContain('-i /h/id');
    expect(env.GIT_SSH_COMMAND).toContain('StrictHostKeyChecking=yes');
    expect(env.GIT_SSH_COMMAND).not.toContain('KEY');
    expect(gitAuthFor('file:///r.git', 's', { token: 't' })).toEqual({ kind: 'none' });
  });

  it('decodes Secret data', () => {
    expect(decodeSecretData({ token: Buffer.from('abc').toString('base64') })).toEqual({ token: 'abc' });
  });
});

describe('summarizeGitError', () => {
  it('keeps the fatal lines on one line', () => {
    const text =
      "Cloning into '.'...\nfatal: 'x' does not appear to be a git repository\nfatal: Could not read\n\nPlease make sure";
    expect(summarizeGitError(text)).toBe(
      "fatal: 'x' does not appear to be a git repository; fatal: Could not read",
    );
    expect(
      summarizeGitError(' ! [remote rejected] HEAD -> main (failed to update ref)\nerror: failed to push'),
    ).toBe('! [remote rejected] HEAD -> main (failed to update ref); error: failed to push');
  });
});
