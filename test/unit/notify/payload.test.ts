import { describe, expect, it } from 'vitest';
import { parseNotificationConfig } from '../../../src/notify/config.js';
import type { RolloutView, TriggeredEvent } from '../../../src/notify/model.js';
import { buildPayload, buildRequest, EVENT_ID_HEADER } from '../../../src/notify/payload.js';

const rollout: RolloutView = {
  metadata: { name: 'shop', namespace: 'apps', uid: 'u1' },
  spec: {
    template: { spec: { containers: [{ name: 'app', image: 'shop:1.2' }] } },
    strategy: { canary: { steps: [{ setWeight: 25 }, { setWeight: 50 }] } },
  },
  status: { currentPodHash: 'h2', stableRS: 'h1', currentStepIndex: 1, phase: 'Progressing' },
};
const event: TriggeredEvent = {
  trigger: 'on-rollout-step-completed',
  onceKey: 'h2/step-0',
  stepIndex: 0,
  message: 'Rollout apps/shop completed step 1/2',
};
const ids = { eventId: 'e1', revision: 2, time: '2026-01-01T00:00:00.000Z' };

describe('buildPayload', () => {
  it('carries the event id, rollout identity, revision, step, weights and images', () => {
    expect(buildPayload(rollout, event, ids)).toEqual({
      eventId: 'e1',
      trigger: 'on-rollout-step-completed',
      rollout: { name: 'shop', namespace: 'apps', uid: 'u1' },
      revision: 2,
      podTemplateHash: 'h2',
      step: { index: 0, count: 2 },
      phase: 'Progressing',
      message: 'Rollout apps/shop completed step 1/2',
      weights: { canary: 50, stable: 50 },
      images: [{ container: 'app', image: 'shop:1.2' }],
      time: '2026-01-01T00:00:00.000Z',
    });
  });

  it('prefers the routed weights from status, and reports 0 % canary once aborted', () => {
    const routed = {
      ...rollout,
      status: { ...rollout.status, canary: { weights: { canary: { weight: 10 }, stable: { weight: 90 } } } },
    };
    expect(buildPayload(routed, event, ids).weights).toEqual({ canary: 10, stable: 90 });
    const aborted = { ...rollout, status: { ...rollout.status, abort: true } };
    expect(buildPayload(aborted, event, ids).weights).toEqual({ canary: 0, stable: 100 });
  });
});

describe('buildRequest', () => {
  const { services } = parseNotificationConfig(
    {
      'service.webhook.hooks': 'url: http://127.0.0.1:1/h\nheaders:\n- name: X-Token\n  value: t',
      'service.slack': 'token: xoxb-1\napiURL: http://127.0.0.1:1/api',
      'service.slack.incoming': 'webhookUrl: http://127.0.0.1:1/in',
    },
    {},
  );
  const payload = buildPayload(rollout, event, ids);
  const service = (name: string) => {
    const found = services.get(name);
    if (!found) throw new Error(`no service ${name}`);
    return found;
  };

  it('posts the JSON payload to a webhook with its headers and the event id header', () => {
    const req = buildRequest(service('hooks'), payload, {
      trigger: 't',
      service: 'hooks',
      recipient: '',
    });
    expect(req.headers).toMatchObject({ 'X-Token': 't', [EVENT_ID_HEADER]: 'e1' });
    expect(JSON.parse(req.body)).toEqual(payload);
  });

  it('posts Slack text + blocks to chat.postMessage on the recipient channel, or to an incoming webhook', () => {
    const api = buildRequest(service('slack'), payload, {
      trigger: 't',
      service: 'slack',
      recipient: 'ops',
    });
    expect(api.url).toBe('http://127.0.0.1:1/api/chat.postMessage');
    expect(api.headers.Authorization).toBe('Bearer xoxb-1');
    const body = JSON.parse(api.body);
    expect(body.channel).toBe('ops');
    expect(body.text).toContain('completed step 1/2');
    expect(JSON.stringify(body.blocks)).toContain('event e1');
    const hook = buildRequest(service('incoming'), payload, {
      trigger: 't',
      service: 'incoming',
      recipient: '',
    });
    expect(hook.url).toBe('http://127.0.0.1:1/in');
    expect(JSON.parse(hook.body).channel).toBeUndefined();
    expect(hook.headers[EVENT_ID_HEADER]).toBe('e1');
  });
});
