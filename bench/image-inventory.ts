/**
 * Image inventory speed: streaming the Debian+Node test image (OCI layout) through kubeward's layer reader and
 * catalogers, against `tar -xzf` of the same layer blobs into a temporary directory, measured in the same run.
 * Needs the test images (debootstrap, umoci, skopeo, docker-registry); prints a notice and returns otherwise.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inventoryImage } from '../src/images/inventory.js';
import { ensureTestImages } from '../test/images/test-images.js';
import { median, ociLayerBlobs, timeTarExtract } from './util.js';

export async function run(): Promise<void> {
  const images = await ensureTestImages();
  if (!images) return;
  try {
    const layout = images.ociLayout;
    const blobs = ociLayerBlobs(layout);
    const rounds = 5;
    const ours: number[] = [];
    const tars: number[] = [];
    let packages = 0;
    for (let i = 0; i < rounds; i++) {
      tars.push(timeTarExtract(blobs));
      const t1 = performance.now();
      const inv = await inventoryImage({ kind: 'oci-layout', path: layout });
      ours.push(performance.now() - t1);
      packages = inv.packages.length;
    }
    const compressed = blobs.reduce((s, b) => s + statSync(b).size, 0);
    const a = median(ours);
    const b = median(tars);
    console.log(`image-inventory: Debian+Node image, ${blobs.length} layers, ${(compressed / 1e6).toFixed(1)} MB compressed, ${packages} packages`);
    console.log(`  kubeward inventory (median of ${rounds}): ${a.toFixed(0)} ms   [${ours.map((x) => x.toFixed(0)).join(', ')}]`);
    console.log(`  tar -xzf of the layers (median of ${rounds}): ${b.toFixed(0)} ms   [${tars.map((x) => x.toFixed(0)).join(', ')}]`);
    console.log(`  ratio: ${(a / b).toFixed(2)}x (target <= 1.5x)`);
  } finally {
    await images.stopRegistry();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await run();
}
