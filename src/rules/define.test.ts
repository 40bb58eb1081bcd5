import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatMessage } from './define.js';

test('message templates fill their placeholders and leave unknown ones as written', () => {
  assert.equal(formatMessage('{{container}} runs as root', { container: 'container "web"' }), 'container "web" runs as root');
  assert.equal(formatMessage('{{ a }} and {{b}}{{a}}', { a: 1, b: 'x' }), '1 and x1');
  assert.equal(formatMessage('no placeholders', { a: 1 }), 'no placeholders');
  assert.equal(formatMessage('{{missing}} stays', {}), '{{missing}} stays');
  assert.equal(formatMessage('{{ missing }}', undefined), '{{missing}}');
});
