import test from 'node:test';
import assert from 'node:assert/strict';
import { buildReviewResponse, encodePatch, forbidden, parseAdmissionReview, requestFor, resourceName } from './review.js';

const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [] } };

test('a complete review parses; version and uid are kept', () => {
  const r = requestFor(pod, { uid: 'u1', namespace: 'ns' });
  const parsed = parseAdmissionReview(JSON.parse(JSON.stringify(r)));
  assert.ok(parsed.ok);
  assert.equal(parsed.review.apiVersion, 'admission.k8s.io/v1');
  assert.equal(parsed.review.request.uid, 'u1');
  assert.equal(parsed.review.request.namespace, 'ns');
  assert.deepEqual(parsed.review.request.kind, { group: '', version: 'v1', kind: 'Pod' });
  assert.deepEqual(parsed.review.request.resource, { group: '', version: 'v1', resource: 'pods' });
});

test('every malformed shape is refused with a message naming the field', () => {
  const good = requestFor(pod, { uid: 'u' }) as unknown as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const cases: Array<[unknown, RegExp]> = [
    [null, /JSON object/],
    [[], /JSON object/],
    ['x', /JSON object/],
    [{ ...good, kind: 'Pod' }, /kind must be "AdmissionReview", got "Pod"/],
    [{ ...good, kind: undefined }, /got nothing/],
    [{ ...good, apiVersion: 'admission.k8s.io/v2' }, /apiVersion must be one of/],
    [{ ...good, request: undefined }, /no request/],
    [{ ...good, request: 3 }, /request must be an object/],
    [{ ...good, request: { ...good.request, uid: '' } }, /request\.uid/],
    [{ ...good, request: { ...good.request, kind: { kind: 'Pod' } } }, /request\.kind/],
    [{ ...good, request: { ...good.request, resource: undefined } }, /request\.resource/],
    [{ ...good, request: { ...good.request, operation: 'PATCH' } }, /request\.operation must be one of CREATE, UPDATE, DELETE, CONNECT, got "PATCH"/],
    [{ ...good, request: { ...good.request, userInfo: [] } }, /userInfo/],
    [{ ...good, request: { ...good.request, userInfo: { groups: [1] } } }, /groups/],
    [{ ...good, request: { ...good.request, object: [] } }, /request\.object must be an object/],
    [{ ...good, request: { ...good.request, object: undefined } }, /request\.object is required for CREATE/],
    [{ ...good, request: { ...good.request, dryRun: 'yes' } }, /dryRun/],
    [{ ...good, request: { ...good.request, namespace: 1 } }, /namespace/],
  ];
  for (const [body, re] of cases) {
    const r = parseAdmissionReview(body);
    assert.equal(r.ok, false, JSON.stringify(body)?.slice(0, 80));
    if (!r.ok) assert.match(r.message, re);
  }
  // DELETE needs no object
  const del = parseAdmissionReview({ ...good, request: { ...good.request, operation: 'DELETE', object: null } });
  assert.ok(del.ok);
});

test('responses follow the API: uid echoed, empty parts omitted, patch base64 JSONPatch', () => {
  assert.deepEqual(buildReviewResponse('admission.k8s.io/v1', 'u', { allowed: true, warnings: [], auditAnnotations: {}, patch: [] }), {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    response: { uid: 'u', allowed: true },
  });
  const pods = { group: '', version: 'v1', resource: 'pods' };
  const denied = buildReviewResponse('admission.k8s.io/v1beta1', 'u2', { allowed: false, status: forbidden({ resource: pods, name: 'web' }, 'no'), warnings: ['w'], auditAnnotations: { a: 'b' } });
  assert.deepEqual(denied.response, {
    uid: 'u2',
    allowed: false,
    status: { status: 'Failure', code: 403, reason: 'Forbidden', message: 'pods "web" is forbidden: no', details: { name: 'web', kind: 'pods' } },
    warnings: ['w'],
    auditAnnotations: { a: 'b' },
  });
  assert.equal(denied.apiVersion, 'admission.k8s.io/v1beta1');
  const ops = [{ op: 'add' as const, path: '/spec/x', value: 1 }];
  const patched = buildReviewResponse('admission.k8s.io/v1', 'u3', { allowed: true, patch: ops });
  assert.equal(patched.response.patchType, 'JSONPatch');
  assert.deepEqual(JSON.parse(Buffer.from(patched.response.patch!, 'base64').toString()), ops);
  assert.equal(encodePatch(ops), patched.response.patch);
  // a denial never carries a patch
  assert.equal(buildReviewResponse('admission.k8s.io/v1', 'u4', { allowed: false, patch: ops }).response.patch, undefined);
});

test('denials read like the API server Forbidden error for the resource and name (apierrors.NewForbidden)', () => {
  const deployments = { group: 'apps', version: 'v1', resource: 'deployments' };
  assert.deepEqual(forbidden({ resource: deployments, name: 'web' }, 'violates X'), {
    status: 'Failure',
    code: 403,
    reason: 'Forbidden',
    message: 'deployments.apps "web" is forbidden: violates X',
    details: { name: 'web', group: 'apps', kind: 'deployments' },
  });
  // generateName: no name yet, and the object's own name when the request has none
  const pods = { group: '', version: 'v1', resource: 'pods' };
  assert.equal(forbidden({ resource: pods, name: '', object: { apiVersion: 'v1', kind: 'Pod', metadata: { generateName: 'web-' } } }, 'x').message, 'pods is forbidden: x');
  assert.equal(forbidden({ resource: pods, object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'db' } } }, 'x').message, 'pods "db" is forbidden: x');
});

test('resource names', () => {
  assert.equal(resourceName('Pod'), 'pods');
  assert.equal(resourceName('CronJob'), 'cronjobs');
  assert.equal(resourceName('ReplicationController'), 'replicationcontrollers');
  assert.equal(resourceName('Ingress'), 'ingresses');
  assert.equal(resourceName('NetworkPolicy'), 'networkpolicies');
});
