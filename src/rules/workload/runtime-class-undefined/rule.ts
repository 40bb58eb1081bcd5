/**
 * A pod whose `runtimeClassName` names no RuntimeClass is rejected at admission (or never
 * scheduled): the workload silently does not run, and a sandbox it was meant to have is
 * not there. RuntimeClasses are cluster-scoped and often absent from application
 * manifests, so the rule fires only when the inventory holds at least one RuntimeClass
 * (then it is taken to hold all of them, as a cluster export or a platform repo does).
 */
import { WORKLOAD_TARGETS } from '../../catalog-helpers.js';
import { defineRule } from '../../define.js';
import { topLevelWorkloads } from '../../../model/cluster.js';

export default defineRule({
  id: 'runtime-class-undefined',
  meta: {
    title: 'RuntimeClass referenced but not defined',
    category: 'workload',
    severity: 'medium',
    practice: 'sandboxed-pods',
    targets: WORKLOAD_TARGETS,
    docs: {
      description:
        'A pod that names a RuntimeClass which does not exist is refused by the RuntimeClass admission plugin, so the workload does not run; when the class was meant to sandbox it, a later "fix" that drops the field silently removes the sandbox. Reported only when the scanned inventory contains RuntimeClass objects, so that it can be trusted to list them.',
      remediation: 'Create the RuntimeClass (with the sandbox handler and a node selector for nodes that have it) or correct `runtimeClassName`.',
    },
    references: [
      { framework: 'URL', id: 'https://kubernetes.io/docs/concepts/containers/runtime-class/' },
      { framework: 'NSA-CISA', id: 'Pod security: hardening container environments (sandboxed runtimes)' },
    ],
    messages: {
      undefinedRuntimeClass: 'pods reference RuntimeClass "{{runtimeClass}}", which is not defined (defined: {{defined}})',
    },
  },
  check(ctx) {
    if (ctx.model.runtimeClasses.size === 0) return;
    const defined = [...ctx.model.runtimeClasses.keys()].sort().join(', ');
    for (const w of topLevelWorkloads(ctx.model)) {
      const rc = w.template.spec.runtimeClassName;
      if (typeof rc !== 'string' || rc === '' || ctx.model.runtimeClasses.has(rc)) continue;
      ctx.report({ messageId: 'undefinedRuntimeClass', resource: w.resource, pointer: `${w.template.specPointer}/runtimeClassName`, data: { runtimeClass: rc, defined } });
    }
  },
});
