/**
 * procMount_restricted (restricted, v1.35+; replaces procMount)
 *
 * From v1.35 baseline lets user-namespace pods (spec.hostUsers=false) use any procMount;
 * the restricted profile keeps the unconditional rule.
 *
 * Restricted fields: spec.{containers,initContainers,ephemeralContainers}[*].securityContext.procMount
 * Allowed values: undefined, "Default"
 */
import { procMount_1_0 } from './check-proc-mount.js';
import type { CheckDefinition } from './types.js';

export const checkProcMountRestricted: CheckDefinition = {
  id: 'procMount_restricted',
  level: 'restricted',
  title: '/proc Mount Type',
  fields: ['spec.containers[*].securityContext.procMount', 'spec.initContainers[*].securityContext.procMount', 'spec.ephemeralContainers[*].securityContext.procMount'],
  versions: [{ minimumVersion: 35, checkPod: procMount_1_0, overrideCheckIds: ['procMount'] }],
};
