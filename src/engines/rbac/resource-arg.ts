/**
 * Resource arguments as kubectl takes them: `pods`, `pods/exec`, `deployments.apps`,
 * `deployments.apps/scale`, `deploy`. kubectl resolves a bare resource to its API group
 * through discovery; without a server, the built-in resources (and their short names)
 * are known from this table, and an unknown bare resource is taken as core-group.
 */
import { ownValue } from '../../core/records.js';

/** Built-in resources → API group. */
const BUILTIN_GROUP: Record<string, string> = {
  pods: '', services: '', secrets: '', configmaps: '', serviceaccounts: '', namespaces: '', nodes: '', endpoints: '',
  persistentvolumes: '', persistentvolumeclaims: '', events: '', limitranges: '', resourcequotas: '', replicationcontrollers: '',
  podtemplates: '', componentstatuses: '', bindings: '',
  deployments: 'apps', daemonsets: 'apps', statefulsets: 'apps', replicasets: 'apps', controllerrevisions: 'apps',
  jobs: 'batch', cronjobs: 'batch',
  roles: 'rbac.authorization.k8s.io', clusterroles: 'rbac.authorization.k8s.io', rolebindings: 'rbac.authorization.k8s.io', clusterrolebindings: 'rbac.authorization.k8s.io',
  networkpolicies: 'networking.k8s.io', ingresses: 'networking.k8s.io', ingressclasses: 'networking.k8s.io',
  certificatesigningrequests: 'certificates.k8s.io',
  mutatingwebhookconfigurations: 'admissionregistration.k8s.io', validatingwebhookconfigurations: 'admissionregistration.k8s.io',
  validatingadmissionpolicies: 'admissionregistration.k8s.io', validatingadmissionpolicybindings: 'admissionregistration.k8s.io',
  customresourcedefinitions: 'apiextensions.k8s.io', apiservices: 'apiregistration.k8s.io',
  storageclasses: 'storage.k8s.io', csidrivers: 'storage.k8s.io', csinodes: 'storage.k8s.io', volumeattachments: 'storage.k8s.io',
  poddisruptionbudgets: 'policy', horizontalpodautoscalers: 'autoscaling', leases: 'coordination.k8s.io',
  priorityclasses: 'scheduling.k8s.io', runtimeclasses: 'node.k8s.io', endpointslices: 'discovery.k8s.io',
  tokenreviews: 'authentication.k8s.io', subjectaccessreviews: 'authorization.k8s.io', selfsubjectaccessreviews: 'authorization.k8s.io',
  localsubjectaccessreviews: 'authorization.k8s.io', selfsubjectrulesreviews: 'authorization.k8s.io',
  users: '', groups: '', userextras: 'authentication.k8s.io', signers: 'certificates.k8s.io',
};

const SHORT_NAMES: Record<string, string> = {
  po: 'pods', svc: 'services', cm: 'configmaps', sa: 'serviceaccounts', ns: 'namespaces', no: 'nodes', ep: 'endpoints',
  pv: 'persistentvolumes', pvc: 'persistentvolumeclaims', ev: 'events', limits: 'limitranges', quota: 'resourcequotas', rc: 'replicationcontrollers',
  deploy: 'deployments', ds: 'daemonsets', sts: 'statefulsets', rs: 'replicasets', cj: 'cronjobs', netpol: 'networkpolicies', ing: 'ingresses',
  csr: 'certificatesigningrequests', crd: 'customresourcedefinitions', crds: 'customresourcedefinitions', sc: 'storageclasses',
  pdb: 'poddisruptionbudgets', hpa: 'horizontalpodautoscalers', pc: 'priorityclasses',
};

export interface ParsedResourceArg {
  resource: string;
  apiGroup: string;
  subresource: string;
}

/** `deployments.apps/scale` → `{resource: deployments, apiGroup: apps, subresource: scale}`. */
export function parseResourceArg(arg: string): ParsedResourceArg {
  const slash = arg.indexOf('/');
  const main = slash >= 0 ? arg.slice(0, slash) : arg;
  const subresource = slash >= 0 ? arg.slice(slash + 1) : '';
  if (main === '*') return { resource: '*', apiGroup: '', subresource };
  const dot = main.indexOf('.');
  if (dot >= 0) {
    const r = main.slice(0, dot);
    return { resource: ownValue(SHORT_NAMES, r) ?? r, apiGroup: main.slice(dot + 1), subresource };
  }
  const resource = ownValue(SHORT_NAMES, main) ?? main;
  return { resource, apiGroup: ownValue(BUILTIN_GROUP, resource) ?? '', subresource };
}
