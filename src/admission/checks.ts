/**
 * The shape of the kubeward rule checks the webhook applies besides the Pod Security
 * Standards. The checks themselves are the rule catalog's (one implementation per rule, so
 * `kubeward scan` and the webhook give one verdict); a caller may plug in its own check for
 * an id (`DecideDeps.checks`).
 */
import type { KubeObject } from '../core/types.js';
import type { JsonPatchOp } from '../core/finding.js';
import type { PodTemplate } from '../model/workloads.js';
import type { CompiledPolicy } from './policy.js';

export interface Violation {
  ruleId: string;
  message: string;
  /** JSON pointer inside the reviewed object. */
  pointer: string;
  fix?: JsonPatchOp[];
}

export interface CheckContext {
  policy: CompiledPolicy;
  namespace: string;
  template: PodTemplate;
}

export type AdmissionCheck = (obj: KubeObject, ctx: CheckContext) => Violation[];
