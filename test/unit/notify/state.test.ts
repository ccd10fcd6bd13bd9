import { describe, expect, it } from 'vitest';
import { addNotified, NOTIFIED_HISTORY_MAX, parseNotified, stateKey } from '../../../src/notify/state.js';
import { parseSubscriptions } from '../../../src/notify/subscriptions.js';

describe('parseSubscriptions', () => {
  it('reads trigger, service and ;-separated recipients; an empty value is one empty recipient', () => {
    expect(
      parseSubscriptions({
        'notifications.argoproj.io/subscribe.on-rollout-aborted.slack': 'ops; dev ;',
        'notifications.argoproj.io/subscribe.on-rollout-completed.my.hook': '',
        'notifications.argoproj.io/subscribe.nodot': 'x',
        'other/annotation': 'y',
      }),
    ).toEqual([
      { trigger: 'on-rollout-aborted', service: 'slack', recipient: 'ops' },
      { trigger: 'on-rollout-aborted', service: 'slack', recipient: 'dev' },
      { trigger: 'on-rollout-completed', service: 'my.hook', recipient: '' },
    ]);
    expect(parseSubscriptions(undefined)).toEqual([]);
  });
});

describe('notified state', () => {
  it('keys one occurrence per destination', () => {
    expect(stateKey('h2/step-0', { trigger: 't', service: 's', recipient: 'r' })).toBe('h2/step-0:t:s:r');
  });

  it('parses notifications-engine JSON and treats garbage as empty', () => {
    expect(parseNotified('{"a:t:s:":1700000000,"bad":"x"}')).toEqual({ 'a:t:s:': 1700000000 });
    expect(parseNotified('not json')).toEqual({});
    expect(parseNotified('[1]')).toEqual({});
    expect(parseNotified(undefined)).toEqual({});
  });

  it('adds entries and drops the oldest beyond the cap', () => {
    const old = Object.fromEntries(
      Array.from({ length: NOTIFIED_HISTORY_MAX }, (_, i) => [`k${i}`, 1000 + i]),
    );
    const next = addNotified(old, { fresh: 5000 });
    expect(Object.keys(next)).toHaveLength(NOTIFIED_HISTORY_MAX);
    expect(next.fresh).toBe(5000);
    expect(next.k0).toBeUndefined();
    expect(next.k1).toBe(1001);
    expect(Object.keys(old)).toHaveLength(NOTIFIED_HISTORY_MAX);
  });

  it('drops entries whose trigger still holds only after all others', () => {
    const old = Object.fromEntries(
      Array.from({ length: NOTIFIED_HISTORY_MAX }, (_, i) => [`k${i}`, 1000 + i]),
    );
    const next = addNotified(old, { fresh: 5000 }, new Set(['k0']));
    expect(next.k0).toBe(1000);
    expect(next.k1).toBeUndefined();
  });
});
