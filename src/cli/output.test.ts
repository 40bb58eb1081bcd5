import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliContext } from './context.js';
import { writeOutput } from './output.js';

const ctx = (): CliContext & { out: string } => {
  const c = { out: '', stdout: (t: string) => void (c.out += t), stderr: () => undefined, readStdin: async () => '', isTTY: false, env: {}, cwd: '.', exitCode: 0 };
  return c;
};

test('a report goes to the file whole, or not at all: a failure leaves the previous file and no temporary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubeward-output-'));
  try {
    const file = join(dir, 'report.json');
    writeOutput(ctx(), file, (write) => {
      write('{"a":');
      write('1}\n');
    });
    assert.equal(readFileSync(file, 'utf8'), '{"a":1}\n');
    assert.throws(() =>
      writeOutput(ctx(), file, (write) => {
        write('{"half');
        throw new Error('render failed');
      }),
    /render failed/);
    assert.equal(readFileSync(file, 'utf8'), '{"a":1}\n', 'the previous report is untouched');
    assert.deepEqual(readdirSync(dir), ['report.json'], 'no temporary file is left');
    writeFileSync(file, 'old and longer content\n');
    writeOutput(ctx(), file, (write) => write('new\n'));
    assert.equal(readFileSync(file, 'utf8'), 'new\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('without a file, the pieces go to standard output', () => {
  const c = ctx();
  writeOutput(c, undefined, (write) => {
    write('a');
    write('b');
  });
  assert.equal(c.out, 'ab');
});
