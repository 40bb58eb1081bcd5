import test from 'node:test';
import assert from 'node:assert/strict';
import { parseResourceArg } from './resource-arg.js';

test('resource arguments: short names, groups, subresources; names like Object.prototype members stay plain resources', () => {
  assert.deepEqual(parseResourceArg('deploy'), { resource: 'deployments', apiGroup: 'apps', subresource: '' });
  assert.deepEqual(parseResourceArg('pods/exec'), { resource: 'pods', apiGroup: '', subresource: 'exec' });
  assert.deepEqual(parseResourceArg('deployments.apps/scale'), { resource: 'deployments', apiGroup: 'apps', subresource: 'scale' });
  assert.deepEqual(parseResourceArg('widgets.example.com'), { resource: 'widgets', apiGroup: 'example.com', subresource: '' });
  for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    assert.deepEqual(parseResourceArg(name), { resource: name, apiGroup: '', subresource: '' }, name);
    assert.deepEqual(parseResourceArg(`${name}.example.com`), { resource: name, apiGroup: 'example.com', subresource: '' }, name);
  }
});
