/** Containers whose root filesystem is writable (`readOnlyRootFilesystem` not true). */
import { isWindowsPod } from '../../../model/workloads.js';
import { containerLabel, containersOf, securityFieldFix, securityFieldPointer, WORKLOAD_TARGETS } from '../../catalog-helpers.js';
import { defineRule } from '../../define.js';

export default defineRule({
  id: 'writable-root-filesystem',
  meta: {
    title: 'Writable root filesystem',
    category: 'workload',
    severity: 'medium',
    practice: 'container-escape',
    targets: WORKLOAD_TARGETS,
    docs: {
      description:
        'Unless `securityContext.readOnlyRootFilesystem` is true, a compromised process can write to the container image: drop tools, modify binaries and configuration, or persist between restarts of the process. An immutable root filesystem forces writes into explicit volumes.',
      remediation: 'Set `securityContext.readOnlyRootFilesystem: true` and mount an emptyDir for the directories the application must write (e.g. /tmp).',
    },
    references: [
      { framework: 'CIS', id: '5.7.3', title: 'Apply SecurityContext to your Pods and Containers' },
      { framework: 'NSA-CISA', id: 'Pod security: immutable container file systems' },
      { framework: 'MITRE', id: 'T1525', title: 'Implant Internal Image' },
    ],
    messages: {
      writable: '{{container}} has a writable root filesystem',
    },
    fixable: true,
  },
  check(ctx) {
    for (const ref of containersOf(ctx.model)) {
      // The API refuses readOnlyRootFilesystem on Windows pods (spec.os.name: windows).
      if (isWindowsPod(ref.workload.template.spec)) continue;
      if (ref.container.securityContext?.['readOnlyRootFilesystem'] === true) continue;
      ctx.report({
        messageId: 'writable',
        resource: ref.resource,
        pointer: securityFieldPointer(ref, 'readOnlyRootFilesystem'),
        data: { container: containerLabel(ref) },
        fix: securityFieldFix(ref, ['readOnlyRootFilesystem'], true),
      });
    }
  },
});
