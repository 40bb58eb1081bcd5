/**
 * sysctls (baseline; the allowed set grows at v1.27, v1.29, v1.32 and v1.37)
 *
 * Sysctls can disable security mechanisms or affect all containers on a host, and are
 * disallowed except for a "safe" subset: namespaced in the container or pod and isolated
 * from other pods and processes on the node.
 *
 * Restricted fields: spec.securityContext.sysctls[*].name
 * Allowed values:
 *   v1.0:  kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, net.ipv4.tcp_syncookies,
 *          net.ipv4.ping_group_range, net.ipv4.ip_unprivileged_port_start
 *   v1.27: + net.ipv4.ip_local_reserved_ports
 *   v1.29: + net.ipv4.tcp_keepalive_time, net.ipv4.tcp_fin_timeout,
 *            net.ipv4.tcp_keepalive_intvl, net.ipv4.tcp_keepalive_probes
 *   v1.32: + net.ipv4.tcp_rmem, net.ipv4.tcp_wmem
 *   v1.37: + net.ipv4.tcp_slow_start_after_idle, net.ipv4.tcp_notsent_lowat
 */
import { arr, obj } from './helpers.js';
import type { CheckDefinition, CheckPodFn } from './types.js';

const ALLOWED_1_0 = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
];
const ALLOWED_1_27 = [...ALLOWED_1_0, 'net.ipv4.ip_local_reserved_ports'];
const ALLOWED_1_29 = [...ALLOWED_1_27, 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'];
const ALLOWED_1_32 = [...ALLOWED_1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'];
const ALLOWED_1_37 = [...ALLOWED_1_32, 'net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'];

function sysctls(allowedList: readonly string[]): CheckPodFn {
  const allowed: ReadonlySet<string> = new Set(allowedList);
  return (_meta, _spec, view) => {
    const list = arr(view.podSecurityContext?.['sysctls']);
    if (list === undefined) return undefined;
    let forbidden: string[] | undefined;
    for (const s of list) {
      const name = obj(s)?.['name'];
      const n = typeof name === 'string' ? name : name === undefined || name === null ? '' : String(name);
      if (!allowed.has(n)) (forbidden ??= []).push(n);
    }
    if (forbidden === undefined) return undefined;
    return { reason: 'forbidden sysctls', detail: forbidden.join(', ') };
  };
}

export const checkSysctls: CheckDefinition = {
  id: 'sysctls',
  level: 'baseline',
  title: 'Sysctls',
  fields: ['spec.securityContext.sysctls[*].name'],
  versions: [
    { minimumVersion: 0, checkPod: sysctls(ALLOWED_1_0) },
    { minimumVersion: 27, checkPod: sysctls(ALLOWED_1_27) },
    { minimumVersion: 29, checkPod: sysctls(ALLOWED_1_29) },
    { minimumVersion: 32, checkPod: sysctls(ALLOWED_1_32) },
    { minimumVersion: 37, checkPod: sysctls(ALLOWED_1_37) },
  ],
};
