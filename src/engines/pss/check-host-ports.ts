/**
 * hostPorts (baseline, v1.0+)
 *
 * HostPorts must be forbidden.
 *
 * Restricted fields: spec.{containers,initContainers,ephemeralContainers}[*].ports[*].hostPort
 * Allowed values: undefined, 0
 */
import { arr, containersPhrase, nameOf, obj, pluralize, sortedUnique } from './helpers.js';
import type { CheckDefinition, CheckPodFn } from './types.js';

const hostPorts_1_0: CheckPodFn = (_meta, spec, view) => {
  let bad: string[] | undefined;
  let ports: string[] | undefined;
  for (let i = 0; i < view.containers.length; i++) {
    const c = view.containers[i]!;
    const list = arr(c['ports']);
    if (list === undefined) continue;
    let valid = true;
    for (const p of list) {
      const hostPort = obj(p)?.['hostPort'];
      if (hostPort !== undefined && hostPort !== null && hostPort !== 0) {
        valid = false;
        (ports ??= []).push(String(hostPort));
      }
    }
    if (!valid) (bad ??= []).push(nameOf(c));
  }
  if (bad === undefined) return undefined;
  const unique = sortedUnique(ports ?? []);
  return {
    reason: 'hostPort',
    detail: `${containersPhrase(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('hostPort', 'hostPorts', unique.length)} ${unique.join(', ')}`,
  };
};

export const checkHostPorts: CheckDefinition = {
  id: 'hostPorts',
  level: 'baseline',
  title: 'Host Ports',
  fields: ['spec.containers[*].ports[*].hostPort', 'spec.initContainers[*].ports[*].hostPort', 'spec.ephemeralContainers[*].ports[*].hostPort'],
  versions: [{ minimumVersion: 0, checkPod: hostPorts_1_0 }],
};
