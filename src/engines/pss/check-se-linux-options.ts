/**
 * seLinuxOptions (baseline, v1.0+; v1.31 allows container_engine_t)
 *
 * Setting the SELinux type is restricted, and setting a custom SELinux user or role is forbidden.
 *
 * Restricted fields:
 *   spec.securityContext.seLinuxOptions.type
 *   spec.{containers,initContainers,ephemeralContainers}[*].securityContext.seLinuxOptions.type
 *   Allowed values: undefined/"", container_t, container_init_t, container_kvm_t,
 *   and from v1.31 container_engine_t
 *   spec.securityContext.seLinuxOptions.{user,role}
 *   spec.{containers,initContainers,ephemeralContainers}[*].securityContext.seLinuxOptions.{user,role}
 *   Allowed values: undefined/""
 */
import { containersPhrase, joinQuote, nameOf, obj, pluralize, sortedUnique } from './helpers.js';
import type { CheckDefinition, CheckPodFn } from './types.js';

const TYPES_1_0: ReadonlySet<string> = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
const TYPES_1_31: ReadonlySet<string> = new Set([...TYPES_1_0, 'container_engine_t']);

function text(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

function seLinuxOptions(allowedTypes: ReadonlySet<string>): CheckPodFn {
  return (_meta, spec, view) => {
    let setters: string[] | undefined;
    let badTypes: string[] | undefined;
    let setUser = false;
    let setRole = false;
    let bad: string[] | undefined;
    // Index -1 is the pod level, then every container.
    for (let i = -1; i < view.containers.length; i++) {
      const c = i < 0 ? undefined : view.containers[i]!;
      const opts = obj((i < 0 ? view.podSecurityContext : view.securityContexts[i])?.['seLinuxOptions']);
      if (opts === undefined) continue;
      let ok = true;
      const type = text(opts['type']);
      if (!allowedTypes.has(type)) {
        ok = false;
        (badTypes ??= []).push(type);
      }
      if (text(opts['user']).length > 0) {
        ok = false;
        setUser = true;
      }
      if (text(opts['role']).length > 0) {
        ok = false;
        setRole = true;
      }
      if (ok) continue;
      if (c === undefined) (setters ??= []).push('pod');
      else (bad ??= []).push(nameOf(c));
    }
    if (bad !== undefined) (setters ??= []).push(containersPhrase(bad));
    if (setters === undefined) return undefined;

    const data: string[] = [];
    if (badTypes !== undefined) {
      const types = sortedUnique(badTypes);
      data.push(`${pluralize('type', 'types', types.length)} ${joinQuote(types)}`);
    }
    if (setUser) data.push('user may not be set');
    if (setRole) data.push('role may not be set');
    return {
      reason: 'seLinuxOptions',
      detail: `${setters.join(' and ')} set forbidden securityContext.seLinuxOptions: ${data.join('; ')}`,
    };
  };
}

export const checkSeLinuxOptions: CheckDefinition = {
  id: 'seLinuxOptions',
  level: 'baseline',
  title: 'SELinux',
  fields: [
    'spec.securityContext.seLinuxOptions.{type,user,role}',
    'spec.containers[*].securityContext.seLinuxOptions.{type,user,role}',
    'spec.initContainers[*].securityContext.seLinuxOptions.{type,user,role}',
    'spec.ephemeralContainers[*].securityContext.seLinuxOptions.{type,user,role}',
  ],
  versions: [
    { minimumVersion: 0, checkPod: seLinuxOptions(TYPES_1_0) },
    { minimumVersion: 31, checkPod: seLinuxOptions(TYPES_1_31) },
  ],
};
