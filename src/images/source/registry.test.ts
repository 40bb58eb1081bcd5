import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { buildImage, makeTar, sha256, type BuiltImage } from '../../../test/images/build-image.js';
import { inventoryImage, ImageError } from '../inventory.js';
import { dockerConfigCredentials } from './docker-config.js';
import { parseChallenge } from './registry.js';
import { parseReference } from './reference.js';

type Mode = 'anon' | 'bearer' | 'basic';
let mode: Mode = 'anon';
const TOKEN = 'tok-for-tests';
const USER = 'reader';
const PASS = 'not-a-real-secret';
const blobs = new Map<string, Buffer>();
const manifests = new Map<string, { body: Buffer; type: string }>();
const log: Array<{ url: string; auth: string | undefined }> = [];
let server: Server;
let host = '';
let corrupt = false;
const tmp = mkdtempSync(path.join(tmpdir(), 'kubeward-registry-test-'));
const dockerConfig = path.join(tmp, 'config.json');
const openSockets = new Set<import('node:net').Socket>();

function addImage(img: BuiltImage, type: string): void {
  manifests.set(img.manifestDigest, { body: img.manifest, type });
  blobs.set(img.configDigest, img.config);
  for (const l of img.layers) blobs.set(l.digest, l.blob);
}

let amd: BuiltImage;
let arm: BuiltImage;

function authorized(req: IncomingMessage): boolean {
  const a = req.headers.authorization;
  if (mode === 'anon') return true;
  if (mode === 'bearer') return a === `Bearer ${TOKEN}`;
  return a === `Basic ${Buffer.from(`${USER}:${PASS}`).toString('base64')}`;
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', `http://${host}`);
  log.push({ url: url.pathname + url.search, auth: req.headers.authorization });
  if (url.pathname.startsWith('/v2/hang/')) return; // never answers
  if (url.pathname === '/token') {
    const ok =
      url.searchParams.get('service') === 'test-registry' &&
      url.searchParams.get('scope') === 'repository:example/app:pull' &&
      req.headers.authorization === `Basic ${Buffer.from(`${USER}:${PASS}`).toString('base64')}`;
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
    res.end(ok ? JSON.stringify({ token: TOKEN }) : '{}');
    return;
  }
  if (!authorized(req)) {
    const challenge =
      mode === 'bearer'
        ? `Bearer realm="http://${host}/token",service="test-registry",scope="repository:example/app:pull"`
        : 'Basic realm="test-registry"';
    res.writeHead(401, { 'www-authenticate': challenge, 'content-type': 'application/json' });
    res.end('{"errors":[{"code":"UNAUTHORIZED"}]}');
    return;
  }
  const m = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(url.pathname);
  if (!m) {
    res.writeHead(url.pathname === '/v2/' ? 200 : 404).end('{}');
    return;
  }
  const [, repo, kind, ref] = m as unknown as [string, string, string, string];
  if (kind === 'manifests') {
    if (ref === 'huge') {
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'content-length': String(64 * 1024 * 1024) });
      res.write('{');
      return; // the client must refuse on the declared length without reading on
    }
    const doc = ref === 'multi' ? manifests.get('multi') : manifests.get(ref);
    if (!doc) {
      res.writeHead(404).end('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}');
      return;
    }
    res.writeHead(200, { 'content-type': doc.type, 'docker-content-digest': sha256(doc.body) });
    res.end(doc.body);
    return;
  }
  const blob = blobs.get(ref);
  if (!blob) {
    res.writeHead(404).end();
    return;
  }
  if (repo === 'stall/app' && blob.length > 100) {
    res.writeHead(200, { 'content-length': String(blob.length) });
    res.write(blob.subarray(0, 10)); // then stall
    return;
  }
  res.writeHead(200, { 'content-length': String(blob.length) });
  res.end(corrupt ? Buffer.concat([blob.subarray(0, blob.length - 1), Buffer.from([blob[blob.length - 1]! ^ 1])]) : blob);
}

before(async () => {
  const status = (name: string): Promise<Buffer> => makeTar([{ name: `var/lib/dpkg/status.d/${name}`, content: `Package: ${name}\nVersion: 1.0\nSource: src-${name}\n` }]);
  amd = buildImage([await status('only-on-amd64')], { docker: true, architecture: 'amd64' });
  arm = buildImage([await status('only-on-arm64')], { docker: true, architecture: 'arm64' });
  addImage(amd, 'application/vnd.docker.distribution.manifest.v2+json');
  addImage(arm, 'application/vnd.docker.distribution.manifest.v2+json');
  const list = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
      manifests: [
        { mediaType: 'application/vnd.docker.distribution.manifest.v2+json', digest: arm.manifestDigest, size: arm.manifest.length, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
        { mediaType: 'application/vnd.docker.distribution.manifest.v2+json', digest: amd.manifestDigest, size: amd.manifest.length, platform: { os: 'linux', architecture: 'amd64' } },
      ],
    }),
  );
  manifests.set('multi', { body: list, type: 'application/vnd.docker.distribution.manifest.list.v2+json' });
  writeFileSync(dockerConfig, JSON.stringify({ auths: {} }));
  server = createServer(handle);
  server.on('connection', (s) => {
    openSockets.add(s);
    s.on('close', () => openSockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  writeFileSync(dockerConfig, JSON.stringify({ auths: { [`http://${host}`]: { auth: Buffer.from(`${USER}:${PASS}`).toString('base64') } } }));
});

after(async () => {
  for (const s of openSockets) s.destroy();
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(tmp, { recursive: true, force: true });
});

const names = (inv: { packages: Array<{ name: string; sourceName?: string }> }): string[] => inv.packages.map((p) => `${p.name}/${p.sourceName ?? ''}`);

test('anonymous pull of a manifest list picks linux/amd64 by default', async () => {
  mode = 'anon';
  const inv = await inventoryImage({ kind: 'registry', ref: `${host}/example/app:multi`, insecure: true }, { dockerConfigPath: path.join(tmp, 'none.json') });
  assert.deepEqual(names(inv), ['only-on-amd64/src-only-on-amd64']);
  assert.equal(inv.digest, amd.manifestDigest);
});

test('--platform selects another manifest (arm64 matches arm64/v8); an absent platform is a clear error', async () => {
  mode = 'anon';
  const inv = await inventoryImage({ kind: 'registry', ref: `${host}/example/app:multi`, insecure: true, platform: 'linux/arm64' });
  assert.deepEqual(names(inv), ['only-on-arm64/src-only-on-arm64']);
  const inv2 = await inventoryImage({ kind: 'registry', ref: `${host}/example/app:multi`, insecure: true, platform: 'linux/arm64/v8' });
  assert.equal(inv2.digest, arm.manifestDigest);
  await assert.rejects(
    () => inventoryImage({ kind: 'registry', ref: `${host}/example/app:multi`, insecure: true, platform: 'linux/s390x' }),
    (e: unknown) => e instanceof ImageError && e.reason === 'platform' && /linux\/s390x.*available: linux\/arm64\/v8, linux\/amd64/.test(e.message),
  );
  await assert.rejects(() => inventoryImage({ kind: 'registry', ref: `${host}/example/app:multi`, insecure: true, platform: 'linux' }), /invalid platform/);
});

test('Bearer token flow: challenge → token endpoint (with docker config credentials) → retry', async () => {
  mode = 'bearer';
  log.length = 0;
  const inv = await inventoryImage({ kind: 'registry', ref: `${host}/example/app@${amd.manifestDigest}`, insecure: true }, { dockerConfigPath: dockerConfig });
  assert.deepEqual(names(inv), ['only-on-amd64/src-only-on-amd64']);
  const tokenReq = log.find((l) => l.url.startsWith('/token'));
  assert.ok(tokenReq, 'token endpoint called');
  assert.match(tokenReq.url, /service=test-registry/);
  assert.ok(log.filter((l) => l.url.includes('/blobs/')).every((l) => l.auth === `Bearer ${TOKEN}`));
});

test('Bearer without credentials: the token endpoint refuses → auth error', async () => {
  mode = 'bearer';
  await assert.rejects(
    () => inventoryImage({ kind: 'registry', ref: `${host}/example/app:multi`, insecure: true }, { dockerConfigPath: path.join(tmp, 'none.json') }),
    (e: unknown) => e instanceof ImageError && e.reason === 'auth' && /token endpoint/.test(e.message),
  );
});

test('Basic auth from ~/.docker/config.json auths; missing credentials is a clear error', async () => {
  mode = 'basic';
  const inv = await inventoryImage({ kind: 'registry', ref: `${host}/example/app:multi`, insecure: true }, { dockerConfigPath: dockerConfig });
  assert.deepEqual(names(inv), ['only-on-amd64/src-only-on-amd64']);
  await assert.rejects(
    () => inventoryImage({ kind: 'registry', ref: `${host}/example/app:multi`, insecure: true }, { dockerConfigPath: path.join(tmp, 'none.json') }),
    /requires credentials/,
  );
  mode = 'anon';
});

test('a registry that never answers times out with a clear error', async () => {
  const t0 = Date.now();
  await assert.rejects(
    () => inventoryImage({ kind: 'registry', ref: `${host}/hang/app:1`, insecure: true }, { limits: { requestTimeoutMs: 300 } }),
    (e: unknown) => e instanceof ImageError && e.reason === 'timeout' && /no response within 300 ms/.test(e.message),
  );
  assert.ok(Date.now() - t0 < 5000);
});

test('a blob download that stalls times out', async () => {
  mode = 'anon';
  await assert.rejects(
    () => inventoryImage({ kind: 'registry', ref: `${host}/stall/app@${amd.manifestDigest}`, insecure: true }, { limits: { idleTimeoutMs: 300 } }),
    (e: unknown) => e instanceof ImageError && e.reason === 'timeout' && /stalled/.test(e.message),
  );
});

test('corrupted blobs fail digest verification; oversized manifests are refused', async () => {
  mode = 'anon';
  corrupt = true;
  try {
    await assert.rejects(
      () => inventoryImage({ kind: 'registry', ref: `${host}/example/app@${amd.manifestDigest}`, insecure: true }),
      (e: unknown) => e instanceof ImageError && e.reason === 'digest',
    );
  } finally {
    corrupt = false;
  }
  await assert.rejects(
    () => inventoryImage({ kind: 'registry', ref: `${host}/example/app:huge`, insecure: true }),
    (e: unknown) => e instanceof ImageError && e.reason === 'limit',
  );
  await assert.rejects(
    () => inventoryImage({ kind: 'registry', ref: `${host}/example/app:nope`, insecure: true }),
    (e: unknown) => e instanceof ImageError && e.reason === 'notFound',
  );
});

test('connection refused is a network error, not a hang', async () => {
  await assert.rejects(
    () => inventoryImage({ kind: 'registry', ref: '127.0.0.1:1/example/app:1', insecure: true }, { limits: { requestTimeoutMs: 2000 } }),
    (e: unknown) => e instanceof ImageError && e.reason === 'network',
  );
});

test('WWW-Authenticate parsing, references and docker config lookup', () => {
  assert.deepEqual(parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull,push"'), {
    scheme: 'bearer',
    params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/alpine:pull,push' },
  });
  assert.deepEqual(parseReference('alpine'), { registry: 'docker.io', apiHost: 'registry-1.docker.io', repository: 'library/alpine', tag: 'latest' });
  assert.deepEqual(parseReference('localhost:5000/a/b:1'), { registry: 'localhost:5000', apiHost: 'localhost:5000', repository: 'a/b', tag: '1' });
  const d = `sha256:${'a'.repeat(64)}`;
  assert.deepEqual(parseReference(`ghcr.io/o/r@${d}`), { registry: 'ghcr.io', apiHost: 'ghcr.io', repository: 'o/r', digest: d });
  assert.throws(() => parseReference('UPPER/case'), /invalid repository/);
  const cfg = path.join(tmp, 'hub.json');
  writeFileSync(cfg, JSON.stringify({ auths: { 'https://index.docker.io/v1/': { auth: Buffer.from('u:p:w').toString('base64') } } }));
  assert.deepEqual(dockerConfigCredentials('docker.io', cfg), { username: 'u', password: 'p:w' });
  assert.equal(dockerConfigCredentials('ghcr.io', cfg), undefined);
});
