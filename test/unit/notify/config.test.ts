import { describe, expect, it } from 'vitest';
import { parseNotificationConfig, secretStrings } from '../../../src/notify/config.js';

const SECRET = { 'hook-url': 'http://127.0.0.1:9/secret-path', token: 's3cr3t-token' };

describe('parseNotificationConfig', () => {
  it('resolves $key references from the Secret in webhook URLs and headers', () => {
    const { services, errors } = parseNotificationConfig(
      {
        'service.webhook.hooks': [
          'url: $hook-url',
          'headers:',
          '- name: Authorization',
          // biome-ignore lint/suspicious/noTemplateCurlyInString: the braced Secret reference under test.
          '  value: Bearer ${token}',
          'timeout: 2s',
          'retryMax: 2',
          'retryWaitMin: 100ms',
        ].join('\n'),
        'template.x': 'ignored',
        'trigger.y': 'ignored',
      },
      SECRET,
    );
    expect(errors).toEqual([]);
    const hooks = services.get('hooks');
    expect(hooks).toMatchObject({
      type: 'webhook',
      url: SECRET['hook-url'],
      method: 'POST',
      headers: [{ name: 'Authorization', value: 'Bearer s3cr3t-token' }],
      policy: { timeoutMs: 2000, retryMax: 2, retryWaitMinMs: 100, retryWaitMaxMs: 30_000 },
    });
    expect(hooks?.secrets).toEqual(expect.arrayContaining([SECRET['hook-url'], 'Bearer s3cr3t-token']));
  });

  it('names Slack services service.slack (slack) and service.slack.<name>; needs a webhook URL or a token', () => {
    const { services, errors } = parseNotificationConfig(
      {
        'service.slack': 'token: $token',
        'service.slack.incoming': 'webhookUrl: $hook-url',
        'service.slack.broken': 'username: vireo',
      },
      SECRET,
    );
    expect(services.get('slack')).toMatchObject({
      type: 'slack',
      token: 's3cr3t-token',
      apiURL: 'https://slack.com/api/',
    });
    expect(services.get('incoming')).toMatchObject({ type: 'slack', webhookUrl: SECRET['hook-url'] });
    expect(errors).toEqual(['service.slack.broken: (value): needs webhookUrl or token']);
  });

  it('reports bad services by key and field, never with a value', () => {
    const { services, errors } = parseNotificationConfig(
      {
        'service.webhook.missing': 'url: $nope',
        'service.webhook.badurl': 'url: ftp://secret-host/x',
        'service.webhook.yaml': 'url: [',
      },
      SECRET,
    );
    expect(services.size).toBe(0);
    expect(errors).toHaveLength(3);
    expect(errors.join('\n')).not.toMatch(/secret-host|127\.0\.0\.1/);
    expect(errors[0]).toBe('service.webhook.missing: argo-rollouts-notification-secret has no key "nope"');
    expect(errors[1]).toMatch(/^service\.webhook\.badurl: url: /);
  });

  it('decodes Secret data', () => {
    expect(secretStrings({ data: { a: Buffer.from('x').toString('base64') } })).toEqual({ a: 'x' });
  });
});
