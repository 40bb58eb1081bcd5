/**
 * capabilities_restricted (restricted, v1.22+; Windows pods exempt from v1.25; replaces capabilities_baseline)
 *
 * Containers must drop ALL capabilities, and may only add back NET_BIND_SERVICE.
 *
 * Restricted fields:
 *   spec.{containers,initContainers,ephemeralContainers}[*].securityContext.capabilities.drop — must include "ALL"
 *   spec.{containers,initContainers,ephemeralContainers}[*].securityContext.capabilities.add — undefined/empty or "NET_BIND_SERVICE"
 * From v1.25 a pod with spec.os.name=windows passes.
 */
import { arr, containersPhrase, isWindowsPod, joinQuote, nameOf, obj, sortedUnique } from './helpers.js';
import type { CheckDefinition, CheckPodFn } from './types.js';

const capabilitiesRestricted_1_22: CheckPodFn = (_meta, spec, view) => {
  let missingDrop: string[] | undefined;
  let addingForbidden: string[] | undefined;
  let forbiddenCaps: string[] | undefined;
  for (let i = 0; i < view.containers.length; i++) {
    const c = view.containers[i]!;
    const sc = view.securityContexts[i];
    const caps = obj(sc?.['capabilities']);
    if (caps === undefined) {
      (missingDrop ??= []).push(nameOf(c));
      continue;
    }
    const drop = arr(caps['drop']);
    if (drop === undefined || !drop.includes('ALL')) (missingDrop ??= []).push(nameOf(c));
    const add = arr(caps['add']);
    if (add !== undefined) {
      let forbidden = false;
      for (const a of add) {
        if (a !== 'NET_BIND_SERVICE') {
          forbidden = true;
          (forbiddenCaps ??= []).push(String(a));
        }
      }
      if (forbidden) (addingForbidden ??= []).push(nameOf(c));
    }
  }
  if (missingDrop === undefined && addingForbidden === undefined) return undefined;
  const details: string[] = [];
  if (missingDrop !== undefined) details.push(`${containersPhrase(missingDrop)} must set securityContext.capabilities.drop=["ALL"]`);
  if (addingForbidden !== undefined) {
    details.push(`${containersPhrase(addingForbidden)} must not include ${joinQuote(sortedUnique(forbiddenCaps ?? []))} in securityContext.capabilities.add`);
  }
  return { reason: 'unrestricted capabilities', detail: details.join('; ') };
};

const capabilitiesRestricted_1_25: CheckPodFn = (meta, spec, view) => (isWindowsPod(spec) ? undefined : capabilitiesRestricted_1_22(meta, spec, view));

export const checkCapabilitiesRestricted: CheckDefinition = {
  id: 'capabilities_restricted',
  level: 'restricted',
  title: 'Capabilities',
  fields: [
    'spec.containers[*].securityContext.capabilities.{drop,add}',
    'spec.initContainers[*].securityContext.capabilities.{drop,add}',
    'spec.ephemeralContainers[*].securityContext.capabilities.{drop,add}',
  ],
  versions: [
    { minimumVersion: 22, checkPod: capabilitiesRestricted_1_22, overrideCheckIds: ['capabilities_baseline'] },
    { minimumVersion: 25, checkPod: capabilitiesRestricted_1_25, overrideCheckIds: ['capabilities_baseline'] },
  ],
};
