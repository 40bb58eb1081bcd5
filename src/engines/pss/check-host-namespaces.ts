/**
 * hostNamespaces (baseline, v1.0+)
 *
 * Sharing the host namespaces must be disallowed.
 *
 * Restricted fields: spec.hostNetwork, spec.hostPID, spec.hostIPC
 * Allowed values: undefined, false
 */
import { sharesHostNamespaces } from '../../model/workloads.js';
import type { CheckDefinition, CheckPodFn } from './types.js';

const hostNamespaces_1_0: CheckPodFn = (_meta, spec) => {
  if (!sharesHostNamespaces(spec)) return undefined;
  const found: string[] = [];
  if (spec.hostNetwork === true) found.push('hostNetwork=true');
  if (spec.hostPID === true) found.push('hostPID=true');
  if (spec.hostIPC === true) found.push('hostIPC=true');
  return { reason: 'host namespaces', detail: found.join(', ') };
};

export const checkHostNamespaces: CheckDefinition = {
  id: 'hostNamespaces',
  level: 'baseline',
  title: 'Host Namespaces',
  fields: ['spec.hostNetwork', 'spec.hostPID', 'spec.hostIPC'],
  versions: [{ minimumVersion: 0, checkPod: hostNamespaces_1_0 }],
};
