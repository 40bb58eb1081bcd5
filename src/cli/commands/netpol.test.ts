import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { loadAll } from 'js-yaml';
import type { CliContext } from '../context.js';
import { registerNetpol } from './netpol.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const shop = path.join(repoRoot, 'examples/shop');
const hardened = path.join(repoRoot, 'examples/shop-hardened');

async function run(args: string[]): Promise<{ out: string; err: string; code: number }> {
  let out = '';
  let err = '';
  const ctx: CliContext = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), readStdin: async () => '', isTTY: false, env: {}, cwd: repoRoot, exitCode: 0 };
  const program = new Command('kubeward').exitOverride().configureOutput({ writeOut: (s) => void (out += s), writeErr: (s) => void (err += s) });
  registerNetpol(program, ctx);
  for (const c of program.commands) for (const s of c.commands) s.exitOverride();
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch {
    return { out, err, code: 2 };
  }
  return { out, err, code: ctx.exitCode };
}

const tmp = mkdtempSync(path.join(tmpdir(), 'kubeward-netpol-'));
const intents = path.join(tmp, 'intents.yaml');
writeFileSync(intents, 'deny:\n  - from: app=web\n    to: app=db\nallow:\n  - shop/app=web -> shop/app=api\n');

const skip = !existsSync(shop) || !existsSync(hardened);

test('netpol list: json contract and txt lines', { skip }, async () => {
  const j = await run(['netpol', 'list', shop, '--format', 'json']);
  assert.equal(j.code, 0);
  const recs = JSON.parse(j.out) as Array<{ src: string; dst: string; conn: string }>;
  assert.ok(recs.every((r) => Object.keys(r).join() === 'src,dst,conn'));
  assert.ok(recs.some((r) => r.src === 'shop/web[Deployment]' && r.dst === 'shop/db[StatefulSet]'));
  const t = await run(['netpol', 'list', hardened]);
  assert.equal(t.code, 0);
  assert.match(t.out, /^shop\/web\[Deployment\] => shop\/api\[Deployment\] : TCP 8080$/m);
  assert.doesNotMatch(t.out, /shop\/web\[Deployment\] => shop\/db/);
  const lines = t.out.trim().split('\n');
  assert.deepEqual(lines, [...lines].sort());
});

test('netpol check: exit 1 on the open shop, 0 on the hardened one', { skip }, async () => {
  const bad = await run(['netpol', 'check', '--intents', intents, shop]);
  assert.equal(bad.code, 1);
  assert.match(bad.out, /VIOLATION deny\[0\]/);
  const good = await run(['netpol', 'check', '--intents', intents, hardened]);
  assert.equal(good.code, 0, good.out + good.err);
  assert.match(good.out, /^ok: 2 intents hold$/m);
});

test('netpol explain, matrix, diff', { skip }, async () => {
  const e = await run(['netpol', 'explain', 'shop/web', 'shop/db', 'TCP/5432', '-i', hardened]);
  assert.equal(e.code, 0);
  assert.match(e.out, /^DENIED shop\/web\[Deployment\] => shop\/db\[StatefulSet\] on TCP 5432/);
  const ej = await run(['netpol', 'explain', 'shop/web', 'shop/api', '8080', '-i', hardened, '-f', 'json']);
  assert.equal((JSON.parse(ej.out) as { allowed: boolean }).allowed, true);
  assert.equal((await run(['netpol', 'explain', 'nope', 'shop/api', '-i', hardened])).code, 2);
  assert.equal((await run(['netpol', 'explain', 'shop/web', 'shop/api', 'x80', '-i', hardened])).code, 2);
  const m = await run(['netpol', 'matrix', hardened, '--no-external', '-f', 'csv']);
  assert.match(m.out, /^src\\dst,/);
  const d = await run(['netpol', 'diff', '--old', shop, '--new', hardened, '--exit-code']);
  assert.equal(d.code, 1);
  assert.match(d.out, /^- shop\/web\[Deployment\] => shop\/db\[StatefulSet\]/m);
});

test('netpol suggest prints policies that pass verification', { skip }, async () => {
  const s = await run(['netpol', 'suggest', '--intents', intents, shop]);
  assert.equal(s.code, 0, s.err);
  const docs = loadAll(s.out) as Array<{ kind: string; metadata: { name: string; namespace: string } } | null>;
  const pols = docs.filter((d): d is { kind: string; metadata: { name: string; namespace: string } } => !!d);
  assert.ok(pols.every((p) => p.kind === 'NetworkPolicy'));
  assert.ok(pols.some((p) => p.metadata.namespace === 'shop' && p.metadata.name === 'default-deny'));
  const file = path.join(tmp, 'suggested.yaml');
  writeFileSync(file, s.out);
  const after = await run(['netpol', 'check', '--intents', intents, shop, file]);
  assert.equal(after.code, 0, after.out);
});

test('netpol: usage and input errors exit 2', async () => {
  assert.equal((await run(['netpol', 'list', path.join(tmp, 'missing.yaml')])).code, 2);
  writeFileSync(path.join(tmp, 'bad-intents.yaml'), 'deny:\n  - from: app=web\n');
  assert.equal((await run(['netpol', 'check', '--intents', path.join(tmp, 'bad-intents.yaml'), tmp])).code, 2);
  assert.equal((await run(['netpol', 'list', tmp, '--format', 'xml'])).code, 2);
});
