import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import {
  defaultPullPolicy,
  withPodTemplateDefaults,
} from '../../../src/rollout/core/pod-template-defaults.js';

describe('defaultPullPolicy', () => {
  it.each([
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['registry:5000/team/nginx', 'Always'],
    ['registry:5000/team/nginx:1.19', 'IfNotPresent'],
    ['nginx@sha256:abc', 'IfNotPresent'],
  ])('%s → %s', (image, policy) => {
    expect(defaultPullPolicy(image)).toBe(policy);
  });
});

describe('withPodTemplateDefaults', () => {
  const template: PodTemplateSpec = {
    metadata: { labels: { app: 'web' } },
    spec: {
      serviceAccount: 'legacy',
      serviceAccountName: 'legacy',
      containers: [
        {
          name: 'app',
          image: 'web:1',
          ports: [{ containerPort: 8080 }],
          env: [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
          readinessProbe: { httpGet: { port: 8080 } },
          lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } },
        },
      ],
      volumes: [
        { name: 'scratch' },
        { name: 'cfg', configMap: { name: 'cfg' } },
        { name: 'h', hostPath: { path: '/x' } },
      ],
    },
  };

  it('fills in what the API server stores for a pod template, and drops the deprecated serviceAccount', () => {
    expect(withPodTemplateDefaults(template).spec).toEqual({
      serviceAccountName: 'legacy',
      dnsPolicy: 'ClusterFirst',
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      schedulerName: 'default-scheduler',
      enableServiceLinks: true,
      securityContext: {},
      containers: [
        {
          name: 'app',
          image: 'web:1',
          imagePullPolicy: 'IfNotPresent',
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          ports: [{ containerPort: 8080, protocol: 'TCP' }],
          env: [{ name: 'NODE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } }],
          readinessProbe: {
            httpGet: { port: 8080, path: '/', scheme: 'HTTP' },
            timeoutSeconds: 1,
            periodSeconds: 10,
            successThreshold: 1,
            failureThreshold: 3,
          },
          lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } },
        },
      ],
      volumes: [
        { name: 'scratch', emptyDir: {} },
        { name: 'cfg', configMap: { name: 'cfg', defaultMode: 420 } },
        { name: 'h', hostPath: { path: '/x', type: '' } },
      ],
    });
  });

  it('keeps what the template sets and is idempotent', () => {
    const once = withPodTemplateDefaults({
      spec: { restartPolicy: 'Never', containers: [{ name: 'a', image: 'a', imagePullPolicy: 'Never' }] },
    });
    expect(once.spec?.restartPolicy).toBe('Never');
    expect(once.spec?.containers[0]?.imagePullPolicy).toBe('Never');
    expect(withPodTemplateDefaults(once)).toEqual(once);
  });
});
