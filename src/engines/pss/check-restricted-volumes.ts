/**
 * restrictedVolumes (restricted, v1.0+; replaces hostPathVolumes)
 *
 * Besides hostPath, the restricted profile limits inline pod volume sources to:
 * configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected, secret.
 * (`image` was added to upstream's single v1.0 implementation, so it is allowed at every version.)
 *
 * Restricted fields: spec.volumes[*].{hostPath, gcePersistentDisk, awsElasticBlockStore, gitRepo,
 * nfs, iscsi, glusterfs, rbd, flexVolume, cinder, cephfs, flocker, fc, azureFile, vsphereVolume,
 * quobyte, azureDisk, portworxVolume, photonPersistentDisk, scaleIO, storageos}
 * Allowed values: undefined/null
 *
 * A volume that names no source at all is defaulted to emptyDir by the API server before
 * admission, so it is allowed here too.
 */
import { arr, joinQuote, nameOf, obj, pluralize, sortedUnique } from './helpers.js';
import type { CheckDefinition, CheckPodFn } from './types.js';

export const RESTRICTED_ALLOWED_VOLUME_SOURCES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'image',
  'persistentVolumeClaim',
  'projected',
  'secret',
] as const;

/** Forbidden sources in upstream's order of precedence (the first one present names the type). */
export const RESTRICTED_FORBIDDEN_VOLUME_SOURCES = [
  'hostPath',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'nfs',
  'iscsi',
  'glusterfs',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'fc',
  'azureFile',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'portworxVolume',
  'scaleIO',
  'storageos',
] as const;

function present(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/** The restricted type a volume uses, or undefined when it is allowed. */
function restrictedType(vol: Record<string, unknown>): string | undefined {
  for (const k of RESTRICTED_ALLOWED_VOLUME_SOURCES) if (present(vol[k])) return undefined;
  for (const k of RESTRICTED_FORBIDDEN_VOLUME_SOURCES) if (present(vol[k])) return k;
  // No known source: the API server defaults the volume to emptyDir.
  return undefined;
}

const restrictedVolumes_1_0: CheckPodFn = (_meta, spec) => {
  const volumes = arr(spec.volumes);
  if (volumes === undefined) return undefined;
  let bad: string[] | undefined;
  let types: string[] | undefined;
  for (const v of volumes) {
    const vol = obj(v);
    if (vol === undefined) continue;
    const t = restrictedType(vol);
    if (t === undefined) continue;
    (bad ??= []).push(nameOf(vol));
    (types ??= []).push(t);
  }
  if (bad === undefined) return undefined;
  const uniqueTypes = sortedUnique(types ?? []);
  return {
    reason: 'restricted volume types',
    detail: `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('restricted volume type', 'restricted volume types', uniqueTypes.length)} ${joinQuote(uniqueTypes)}`,
  };
};

export const checkRestrictedVolumes: CheckDefinition = {
  id: 'restrictedVolumes',
  level: 'restricted',
  title: 'Volume Types',
  fields: RESTRICTED_FORBIDDEN_VOLUME_SOURCES.map((s) => `spec.volumes[*].${s}`),
  versions: [{ minimumVersion: 0, checkPod: restrictedVolumes_1_0, overrideCheckIds: ['hostPathVolumes'] }],
};
