/**
 * hostPathVolumes (baseline, v1.0+)
 *
 * HostPath volumes must be forbidden.
 *
 * Restricted fields: spec.volumes[*].hostPath
 * Allowed values: undefined/null
 * Replaced by restrictedVolumes at the restricted level.
 */
import { arr, joinQuote, nameOf, obj, pluralize } from './helpers.js';
import type { CheckDefinition, CheckPodFn } from './types.js';

const hostPathVolumes_1_0: CheckPodFn = (_meta, spec) => {
  const volumes = arr(spec.volumes);
  if (volumes === undefined) return undefined;
  let bad: string[] | undefined;
  for (const v of volumes) {
    const vol = obj(v);
    if (vol !== undefined && obj(vol['hostPath']) !== undefined) (bad ??= []).push(nameOf(vol));
  }
  if (bad === undefined) return undefined;
  return { reason: 'hostPath volumes', detail: `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)}` };
};

export const checkHostPathVolumes: CheckDefinition = {
  id: 'hostPathVolumes',
  level: 'baseline',
  title: 'HostPath Volumes',
  fields: ['spec.volumes[*].hostPath'],
  versions: [{ minimumVersion: 0, checkPod: hostPathVolumes_1_0 }],
};
