/**
 * Any hostPath volume ties the pod to node files (high). Sensitive paths are critical: the
 * root, /etc, container-runtime sockets and state, kubelet state (its credentials and every
 * pod's volumes), etcd's data (every Secret), /proc, /sys, /dev, /boot, /root and /home (users'
 * SSH keys). A path counts as sensitive when it is one
 * of them, lies under one, or contains one (`/var/run` contains the Docker socket). Trailing
 * and repeated slashes, `.`/`..` segments and the `/var/run` → `/run` symlink are normalised.
 */
import { WORKLOAD_TARGETS } from '../../catalog-helpers.js';
import { defineRule } from '../../define.js';
import { topLevelWorkloads } from '../../../model/cluster.js';
import { allContainers, type PodSpec } from '../../../model/workloads.js';

const SENSITIVE = [
  '/etc',
  '/run/docker.sock',
  '/run/containerd',
  '/run/crio',
  '/run/cri-dockerd.sock',
  '/run/k3s',
  '/run/podman',
  '/var/lib/rancher',
  '/var/lib/kubelet',
  '/var/lib/docker',
  '/var/lib/containerd',
  '/var/lib/containers',
  '/var/lib/etcd',
  '/home',
  '/proc',
  '/sys',
  '/root',
  '/boot',
  '/dev',
];

/** `/var/run//docker.sock/` → `/run/docker.sock`. */
export function normaliseHostPath(p: string): string {
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  let n = `/${out.join('/')}`;
  if (n === '/var/run' || n.startsWith('/var/run/')) n = n.slice('/var'.length);
  return n;
}

/**
 * Node files that hold nothing secret and nothing to escape with when mounted read-only: the
 * public CA certificates (trust bundles), the time zone, the OS release and the machine id.
 */
const PUBLIC_NODE_PATHS = [
  '/etc/ssl/certs',
  '/etc/pki/ca-trust',
  '/etc/pki/tls/certs',
  '/etc/ca-certificates',
  '/usr/share/ca-certificates',
  '/usr/local/share/ca-certificates',
  '/etc/localtime',
  '/etc/timezone',
  '/usr/share/zoneinfo',
  '/etc/os-release',
  '/usr/lib/os-release',
  '/etc/machine-id',
];

/** Whether every mount of volume `name` in the pod is read-only (and there is one). */
function readOnlyEverywhere(spec: PodSpec, name: string): boolean {
  const mounts = allContainers(spec).flatMap(({ container }) => (Array.isArray(container.volumeMounts) ? container.volumeMounts : []).filter((m) => m && m.name === name));
  return mounts.length > 0 && mounts.every((m) => m.readOnly === true);
}

/** True when mounting `p` exposes a sensitive host location. */
export function isSensitiveHostPath(p: string): boolean {
  const n = normaliseHostPath(p);
  if (n === '/') return true;
  return SENSITIVE.some((s) => n === s || n.startsWith(`${s}/`) || s.startsWith(`${n}/`));
}

export default defineRule({
  id: 'host-path-volume',
  meta: {
    title: 'hostPath volume',
    category: 'workload',
    severity: 'high',
    practice: 'container-escape',
    targets: WORKLOAD_TARGETS,
    docs: {
      description:
        'A hostPath volume mounts a file or directory of the node into the pod. Writable node paths let a container plant binaries or cron jobs on the host; sensitive ones hand it the node outright: `/` and `/etc` (host configuration and credentials), the Docker/containerd/CRI-O sockets (start a privileged container), `/var/lib/kubelet` (kubelet credentials and every pod\'s secrets), `/var/lib/etcd` (every Secret of the cluster), `/proc`, `/sys`, `/dev`, `/boot`, `/root` and `/home` (SSH keys). Sensitive paths are critical, any other hostPath is high, except public node data mounted read-only everywhere (CA certificates, time zone, OS release, machine id), which is low.',
      remediation: 'Replace hostPath with emptyDir, a ConfigMap/Secret/projected volume or a PersistentVolumeClaim. Node agents that truly need host files should mount the narrowest path, read-only, from a dedicated namespace.',
    },
    references: [
      { framework: 'PSS', id: 'baseline/hostPathVolumes', title: 'HostPath Volumes' },
      { framework: 'CIS', id: '5.2.12', title: 'Minimize the admission of HostPath volumes' },
      { framework: 'NSA-CISA', id: 'Pod security: hardening container environments' },
      { framework: 'MITRE', id: 'T1611', title: 'Escape to Host' },
    ],
    messages: {
      hostPath: 'volume "{{volume}}" mounts host path "{{path}}"',
      sensitiveHostPath: 'volume "{{volume}}" mounts sensitive host path "{{path}}"',
      publicHostPath: 'volume "{{volume}}" mounts public node data "{{path}}" read-only (still a hostPath, which Pod Security baseline forbids)',
    },
    severities: { sensitiveHostPath: ['critical'], publicHostPath: ['low'] },
  },
  check(ctx) {
    for (const w of topLevelWorkloads(ctx.model)) {
      const volumes = w.template.spec.volumes;
      if (!Array.isArray(volumes)) continue;
      volumes.forEach((v, i) => {
        const hp = v['hostPath'] as { path?: unknown } | undefined;
        if (!hp || typeof hp !== 'object') return;
        const path = typeof hp.path === 'string' ? hp.path : '';
        // Public node data (CA bundle, time zone, OS release), mounted read-only everywhere: low.
        const normal = normaliseHostPath(path);
        const publicData = PUBLIC_NODE_PATHS.some((c) => normal === c || normal.startsWith(`${c}/`)) && readOnlyEverywhere(w.template.spec, String(v.name));
        const sensitive = !publicData && isSensitiveHostPath(path);
        ctx.report({
          messageId: publicData ? 'publicHostPath' : sensitive ? 'sensitiveHostPath' : 'hostPath',
          resource: w.resource,
          pointer: `${w.template.specPointer}/volumes/${i}/hostPath/path`,
          data: { volume: String(v.name), path },
          severity: publicData ? 'low' : sensitive ? 'critical' : 'high',
        });
      });
    }
  },
});
