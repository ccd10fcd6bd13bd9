import { describe, expect, it } from 'vitest';
import { cpuSecondsOfStat, statusFieldMB } from '../../../bench/support/proc-stats.js';
import {
  classifyRequest,
  countsSince,
  filterWrites,
  totalRequests,
} from '../../../bench/support/request-kinds.js';

describe('/proc parsing', () => {
  it('reads kB fields of /proc/<pid>/status as MB', () => {
    const status = 'Name:\tnode\nVmHWM:\t  200000 kB\nVmRSS:\t  100000 kB\n';
    expect(statusFieldMB(status, 'VmRSS')).toBeCloseTo(102.4);
    expect(statusFieldMB(status, 'VmHWM')).toBeCloseTo(204.8);
    expect(statusFieldMB(status, 'VmSwap')).toBeNaN();
  });

  it('adds utime and stime after the command name, even one with spaces and parentheses', () => {
    const fields = ['S', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '250', '50', '0'];
    expect(cpuSecondsOfStat(`42 (node (x) y) ${fields.join(' ')}`)).toBe(3);
  });
});

describe('classifyRequest', () => {
  it('names verb and resource of core, group and namespaced paths', () => {
    expect(classifyRequest('GET', '/api/v1/namespaces/a/services/web')).toEqual({
      verb: 'get',
      resource: 'services',
    });
    expect(classifyRequest('GET', '/api/v1/namespaces/a/pods?labelSelector=x')).toEqual({
      verb: 'list',
      resource: 'pods',
    });
    expect(
      classifyRequest('GET', '/apis/argoproj.io/v1alpha1/namespaces/a/rollouts?watch=true&rv=1'),
    ).toEqual({
      verb: 'watch',
      resource: 'rollouts',
    });
    expect(classifyRequest('PATCH', '/apis/argoproj.io/v1alpha1/namespaces/a/rollouts/w/status')).toEqual({
      verb: 'patch',
      resource: 'rollouts/status',
    });
    expect(classifyRequest('POST', '/api/v1/namespaces/a/events')).toEqual({
      verb: 'create',
      resource: 'events',
    });
    expect(classifyRequest('DELETE', '/apis/apps/v1/namespaces/a/replicasets/r')).toEqual({
      verb: 'delete',
      resource: 'replicasets',
    });
    expect(classifyRequest('GET', '/api/v1/namespaces/a')).toEqual({ verb: 'get', resource: 'namespaces' });
    expect(classifyRequest('GET', '/version')).toEqual({ verb: 'get', resource: '/version' });
  });
});

describe('request counts', () => {
  it('diffs, filters writes and sums', () => {
    const before = { 'get services': 2, 'patch rollouts/status': 1 };
    const after = { 'get services': 5, 'patch rollouts/status': 1, 'create events': 2 };
    const diff = countsSince(before, after);
    expect(diff).toEqual({ 'get services': 3, 'create events': 2 });
    expect(filterWrites(diff)).toEqual({ 'create events': 2 });
    expect(filterWrites(diff, false)).toEqual({ 'get services': 3 });
    expect(totalRequests(diff)).toBe(5);
  });
});
