/**
 * Real OCI test images for the image-scanning tests, built with Debian's debootstrap, umoci and skopeo
 * following ../shared/fixtures/images/README.md, cached under .cache/test-images/<recipe hash>/, and
 * served from a throw-away `docker-registry` on 127.0.0.1.
 *
 * Debian packages needed: debootstrap umoci skopeo docker-registry (plus npm, which ships with Node).
 *
 * Images:
 *  - app:    layer 1 = Debian bookworm minbase; layer 2 = /app with the fixture node-app installed
 *            (`npm ci --ignore-scripts`) and /etc/motd deleted (a whiteout).
 *  - alpine: one layer made of the fixture Alpine 3.6 text files.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, renameSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const imageFixtures = path.resolve(repoRoot, '../shared/fixtures/images');

export interface TestImages {
  /** OCI image layout directory holding the Debian+Node image (one manifest, tagged `app`). */
  ociLayout: string;
  /** `oci-archive` tarball of the same image. */
  ociArchive: string;
  /** `docker save` tarball of the same image (tagged example/app:1). */
  dockerArchive: string;
  /** `127.0.0.1:<port>/example/app:1` on a plain-HTTP local registry. */
  registryRef: string;
  /** OCI image layout directory holding the Alpine 3.6 image (tagged `alpine`). */
  alpineOciLayout: string;
  stopRegistry(): Promise<void>;
}

const RECIPE_VERSION = 'kubeward-test-images-v1';
const TOOLS = ['debootstrap', 'umoci', 'skopeo', 'docker-registry', 'npm'] as const;

function which(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function hashTree(h: ReturnType<typeof createHash>, dir: string, rel = ''): void {
  for (const name of readdirSync(path.join(dir, rel)).sort()) {
    const r = path.join(rel, name);
    const full = path.join(dir, r);
    const st = statSync(full);
    h.update(`${r}\0`);
    if (st.isDirectory()) hashTree(h, dir, r);
    else h.update(readFileSync(full));
  }
}

function recipeHash(): string {
  const h = createHash('sha256');
  h.update(RECIPE_VERSION);
  hashTree(h, path.join(imageFixtures, 'node-app'));
  hashTree(h, path.join(imageFixtures, 'alpine-3.6'));
  return h.digest('hex').slice(0, 16);
}

function run(cmd: string, args: string[], opts: { cwd?: string; log: string }): void {
  const r = spawnSync(cmd, args, { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  writeFileSync(opts.log, `$ ${cmd} ${args.join(' ')}\n${r.stdout?.toString() ?? ''}${r.stderr?.toString() ?? ''}\n`, { flag: 'a' });
  if (r.status !== 0) {
    throw new Error(`test image build: '${cmd} ${args.join(' ')}' failed (status ${r.status}); see ${opts.log}`);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Cross-process lock (tests run in parallel processes): an exclusive lock file, stale after 15 minutes. */
async function withLock<T>(lockFile: string, fn: () => Promise<T> | T): Promise<T> {
  for (;;) {
    try {
      closeSync(openSync(lockFile, 'wx'));
      break;
    } catch {
      try {
        if (Date.now() - statSync(lockFile).mtimeMs > 15 * 60_000) rmSync(lockFile, { force: true });
      } catch {
        /* lock vanished meanwhile */
      }
      await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockFile, { force: true });
  }
}

function buildImages(outDir: string): void {
  const work = mkdtempSync(path.join(tmpdir(), 'kubeward-test-image-build-'));
  const log = path.join(path.dirname(outDir), `${path.basename(outDir)}.build.log`);
  writeFileSync(log, '');
  try {
    const stage = path.join(work, 'out');
    mkdirSync(stage);
    const rootfs = path.join(work, 'rootfs');
    run('debootstrap', ['--variant=minbase', 'bookworm', rootfs, 'http://deb.debian.org/debian'], { log });
    const layout = path.join(stage, 'oci');
    const bundle = path.join(work, 'bundle');
    run('umoci', ['init', '--layout', layout], { log });
    run('umoci', ['new', '--image', `${layout}:app`], { log });
    run('umoci', ['unpack', '--image', `${layout}:app`, bundle], { log });
    run('cp', ['-a', `${rootfs}/.`, path.join(bundle, 'rootfs') + '/'], { log });
    run('umoci', ['repack', '--image', `${layout}:app`, bundle], { log });
    rmSync(bundle, { recursive: true, force: true });
    run('umoci', ['unpack', '--image', `${layout}:app`, bundle], { log });
    const app = path.join(bundle, 'rootfs', 'app');
    mkdirSync(app, { recursive: true });
    cpSync(path.join(imageFixtures, 'node-app'), app, { recursive: true });
    run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: app, log });
    rmSync(path.join(bundle, 'rootfs', 'etc', 'motd'));
    run('umoci', ['repack', '--image', `${layout}:app`, bundle], { log });
    rmSync(bundle, { recursive: true, force: true });
    // Keep only the final image in the layout index (umoci leaves the tag pointing at it already).
    run('umoci', ['gc', '--layout', layout], { log });

    run('skopeo', ['copy', `oci:${layout}:app`, `oci-archive:${path.join(stage, 'app-oci.tar')}:app`], { log });
    run('skopeo', ['copy', `oci:${layout}:app`, `docker-archive:${path.join(stage, 'app-docker.tar')}:example/app:1`], { log });

    const alpine = path.join(stage, 'alpine-oci');
    run('umoci', ['init', '--layout', alpine], { log });
    run('umoci', ['new', '--image', `${alpine}:alpine`], { log });
    run('umoci', ['unpack', '--image', `${alpine}:alpine`, bundle], { log });
    cpSync(path.join(imageFixtures, 'alpine-3.6'), path.join(bundle, 'rootfs'), { recursive: true });
    run('umoci', ['repack', '--image', `${alpine}:alpine`, bundle], { log });
    run('umoci', ['gc', '--layout', alpine], { log });

    rmSync(outDir, { recursive: true, force: true });
    renameSync(stage, outDir);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function startRegistry(layout: string): Promise<{ ref: string; stop(): Promise<void> }> {
  const storage = mkdtempSync(path.join(tmpdir(), 'kubeward-test-registry-'));
  const port = await freePort();
  const config = path.join(storage, 'config.yml');
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: error',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${path.join(storage, 'data')}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: 127.0.0.1:${port}`,
      '',
    ].join('\n'),
  );
  const child = spawn('docker-registry', ['serve', config], { stdio: 'ignore', detached: false });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const stop = async (): Promise<void> => {
    if (!exited) {
      const done = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      await Promise.race([done, sleep(3000)]);
      if (!exited) child.kill('SIGKILL');
    }
    rmSync(storage, { recursive: true, force: true });
  };
  try {
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (exited) throw new Error('docker-registry exited during start-up');
      try {
        const res = await fetch(`http://127.0.0.1:${port}/v2/`, { signal: AbortSignal.timeout(1000) });
        if (res.status === 200) break;
      } catch {
        /* not up yet */
      }
      if (Date.now() > deadline) throw new Error('docker-registry did not start within 15 s');
      await sleep(150);
    }
    const ref = `127.0.0.1:${port}/example/app:1`;
    const log = path.join(storage, 'push.log');
    run('skopeo', ['copy', '--dest-tls-verify=false', `oci:${layout}:app`, `docker://${ref}`], { log });
    return { ref, stop };
  } catch (e: unknown) {
    await stop();
    throw e;
  }
}

/**
 * Builds the test images once (cached between runs) and starts a local registry serving the Debian+Node image.
 * Returns undefined, with a printed NOTICE, when the tools or fixtures are missing.
 */
export async function ensureTestImages(): Promise<TestImages | undefined> {
  if (!existsSync(imageFixtures)) {
    console.log('NOTICE: ../shared/fixtures absent; skipping real-image tests');
    return undefined;
  }
  const missing = TOOLS.filter((t) => !which(t));
  if (missing.length > 0) {
    console.log(`NOTICE: ${missing.join(', ')} not installed; skipping real-image tests (apt-get install debootstrap umoci skopeo docker-registry)`);
    return undefined;
  }
  const cacheRoot = path.join(repoRoot, '.cache', 'test-images');
  mkdirSync(cacheRoot, { recursive: true });
  const outDir = path.join(cacheRoot, recipeHash());
  const done = path.join(outDir, '.complete');
  if (!existsSync(done)) {
    await withLock(path.join(cacheRoot, 'build.lock'), () => {
      if (existsSync(done)) return;
      buildImages(outDir);
      writeFileSync(done, new Date().toISOString());
    });
  }
  const ociLayout = path.join(outDir, 'oci');
  const registry = await startRegistry(ociLayout);
  return {
    ociLayout,
    ociArchive: path.join(outDir, 'app-oci.tar'),
    dockerArchive: path.join(outDir, 'app-docker.tar'),
    registryRef: registry.ref,
    alpineOciLayout: path.join(outDir, 'alpine-oci'),
    stopRegistry: registry.stop,
  };
}

// Direct run: build (or reuse) the images and print their paths.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t0 = Date.now();
  const imgs = await ensureTestImages();
  if (imgs) {
    console.log(JSON.stringify({ ...imgs, stopRegistry: undefined }, null, 2));
    await imgs.stopRegistry();
  }
  console.log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
